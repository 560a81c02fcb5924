import { actionDirection, type Efsm, type Message, type Role } from '@mpst/projector';

/** The kind of a compiled transition. */
export const enum K {
  Send,
  Receive,
  /** Crash detection (`A?crash`): enabled once the peer crashed (or its link failed) and its queue is empty. */
  Detect,
  /** `disconnect`, `wrap`: always enabled, no queue effect. */
  Local,
}

/** One EFSM transition, compiled to indices. */
export interface CT {
  readonly k: K;
  readonly peer: number;
  readonly msg: number;
  /** Target state index (in the machine's own numbering, which the unfair transform extends). */
  readonly to: number;
  /** Index in the role's EFSM transition list (for traces: label, EFSM states). */
  readonly index: number;
}

/** A role's EFSM compiled for exploration. */
export interface Machine {
  readonly role: Role;
  readonly efsm: Efsm;
  readonly initial: number;
  /** Outgoing transitions per state index. */
  readonly out: readonly (readonly CT[])[];
  readonly terminal: readonly boolean[];
  /**
   * The initial state when it only accepts connections (scribble-java's explicit connections):
   * a role still there with nothing queued has not been connected and counts as done.
   */
  readonly unconnected: readonly boolean[];
  /** State index → EFSM state id (clones made by the unfair transform map to their original). */
  readonly ids: readonly number[];
}

/** Message texts interned to numbers, shared by every machine of one system. */
export class Messages {
  readonly texts: string[] = [];
  /**
   * Messages by {@link messageKey}, except those without payload, which are found by their
   * label: a string the parser made once, whose hash V8 keeps. A long protocol has 10^5
   * messages, each sent and received, and a key built per transition was hashed anew.
   */
  readonly #keyed = new Map<string, number>();
  readonly #bare = new Map<string, number>();
  /** The number of message `m`: the same for messages with the same {@link messageKey}. */
  message(m: Message): number {
    const key = m.payload.length === 0 ? undefined : messageKey(m);
    // (A payload whose types are all empty has the key of the bare message.)
    const bare = key === undefined || key === `${m.label}()`;
    const map = bare ? this.#bare : this.#keyed;
    const k = bare ? m.label : key;
    let i = map.get(k);
    if (i === undefined) {
      i = this.texts.length;
      this.texts.push(key ?? messageKey(m));
      map.set(k, i);
    }
    return i;
  }
  text(i: number): string {
    return this.texts[i] ?? '';
  }
}

/**
 * A message as the queues see it: its label and payload types. nuScr names payloads
 * (`addpoint(z: int)`); sender and receiver may name them differently, the types must agree
 * (as in the projector's merge).
 */
export function messageKey(m: Message): string {
  if (m.payload.length === 0) return `${m.label}()`;
  return `${m.label}(${m.payload.map((p) => p.replace(/^[^:@]*:\s*/, '')).join(', ')})`;
}

/** The transitions of a terminal state (never written). */
const NO_TRANSITIONS: CT[] = [];

/** Compiles each role's EFSM (in the order of `roles`). */
export function compileMachines(
  qualifiedName: string,
  roles: readonly Role[],
  efsms: readonly Efsm[],
  messages: Messages,
): Machine[] {
  const roleIndex = new Map(roles.map((r, i) => [r, i] as const));
  const peerOf = (r: Role): number => {
    const i = roleIndex.get(r);
    if (i === undefined)
      throw new Error(`internal: unknown role '${r}' in an EFSM of '${qualifiedName}'`);
    return i;
  };
  return roles.map((role) => {
    const efsm = efsms.find((e) => e.role === role);
    // checkVerifyOptions reports these as input errors before anything is compiled.
    if (!efsm) throw new Error(`internal: no EFSM for role '${role}' of '${qualifiedName}'`);
    const ids = efsm.states.map((s) => s.id);
    // State ids are 0..n-1 (checkVerifyOptions): a typed array maps them to indices.
    const idx = new Int32Array(ids.length).fill(-1);
    ids.forEach((id, i) => (idx[id] = i));
    const at = (id: number): number => {
      const i = idx[id];
      if (i === undefined || i < 0)
        throw new Error(`internal: state ${String(id)} missing in the EFSM of '${role}'`);
      return i;
    };
    // States without transitions share one empty list, and a state's list is made with its
    // first transition: a list made empty and grown by push reserves room for 17.
    const out: CT[][] = ids.map(() => NO_TRANSITIONS);
    efsm.transitions.forEach((t, index) => {
      const a = t.action;
      // Messages go through queues in the direction the projector gives; a wrap carries no
      // message, so the model takes it as a local step (as a disconnect).
      const d = actionDirection(a);
      const k =
        a.kind === 'crash'
          ? K.Detect
          : !('message' in a) || d === 'local'
            ? K.Local
            : d === 'output'
              ? K.Send
              : K.Receive;
      const msg = 'message' in a ? messages.message(a.message) : -1;
      const ct: CT = { k, peer: peerOf(a.peer), msg, to: at(t.to), index };
      const from = at(t.from);
      const list = out[from];
      if (list === undefined || list === NO_TRANSITIONS) out[from] = [ct];
      else list.push(ct);
    });
    const initial = at(efsm.initial);
    const unconnected = out.map(
      (o, s) =>
        s === initial &&
        o.length > 0 &&
        o.every((t) => efsm.transitions[t.index]?.action.kind === 'accept'),
    );
    return { role, efsm, initial, out, terminal: out.map((o) => o.length === 0), unconnected, ids };
  });
}

/**
 * The unfair transform gives up (the unfair check is then inconclusive) when it would add more
 * states than this to a machine.
 */
export const UNFAIR_MAX_STATES = 20_000;

/**
 * scribble-java's "unfair output choice" transform of one machine (its `-fair` flag turns
 * it off): at an internal choice (a state with several sends) whose branch `a` can come back
 * to the choice, the edge `a` is redirected to a copy of everything reachable after it in
 * which the copy of the choice state keeps only `a`. A run of the result is a run of the
 * original in which, once a looping branch has been taken, the same branch is always taken
 * again: the liveness check on the system of transformed machines finds the starvations
 * that an unfair scheduler of choices can cause. Terminal states are shared, not copied.
 * Returns undefined when that would add more than {@link UNFAIR_MAX_STATES} states.
 */
export function unfairMachine(m: Machine): Machine | undefined {
  // Most machines have no internal choice at all: nothing to copy (long protocols have
  // machines of 10^5 states, and copying them all cost more than the search of some).
  if (!m.out.some((o) => o.length > 1 && o.every((t) => t.k === K.Send))) return m;
  const out: CT[][] = m.out.map((o) => [...o]);
  const ids = [...m.ids];
  const terminal = [...m.terminal];
  const isOutput = (s: number): boolean => {
    const o = out[s] ?? [];
    return o.length > 1 && o.every((t) => t.k === K.Send);
  };
  const reach = (from: number): Set<number> => {
    const seen = new Set<number>([from]);
    const stack = [from];
    for (let s = stack.pop(); s !== undefined; s = stack.pop()) {
      for (const t of out[s] ?? []) {
        if (!seen.has(t.to)) {
          seen.add(t.to);
          stack.push(t.to);
        }
      }
    }
    return seen;
  };
  // Copies the subgraph reachable from `t.to`; in the copy of `choice` only `t` remains.
  const copy = (choice: number, t: CT): number | undefined => {
    const all = reach(t.to);
    if (out.length - m.out.length + all.size > UNFAIR_MAX_STATES) return undefined;
    const map = new Map<number, number>();
    for (const s of all) {
      if (terminal[s] === true) {
        map.set(s, s);
        continue;
      }
      map.set(s, out.length);
      out.push([]);
      ids.push(ids[s] ?? 0);
      terminal.push(false);
    }
    const to = (s: number): number => map.get(s) ?? s;
    for (const s of all) {
      if (terminal[s] === true) continue;
      const target = out[to(s)] ?? [];
      for (const e of out[s] ?? [])
        if (s !== choice || e === t) target.push({ ...e, to: to(e.to) });
    }
    return to(t.to);
  };
  const seen = new Set<number>();
  const todo = [m.initial];
  // (for-of also visits what is pushed during the loop: a FIFO queue)
  for (const cur of todo) {
    if (seen.has(cur)) continue;
    seen.add(cur);
    if (!isOutput(cur)) {
      for (const t of out[cur] ?? []) todo.push(t.to);
      continue;
    }
    const next: CT[] = [];
    for (const t of out[cur] ?? []) {
      if (!reach(t.to).has(cur)) {
        next.push(t);
        todo.push(t.to);
        continue;
      }
      const c = copy(cur, t);
      if (c === undefined) return undefined;
      next.push({ ...t, to: c });
      todo.push(c);
    }
    out[cur] = next;
  }
  return { ...m, out, ids, terminal };
}
