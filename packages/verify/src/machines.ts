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

/**
 * A machine's transitions as parallel typed arrays: those of state s are numbers
 * `first[s]` .. `first[s] + count[s] - 1`, in the order of `out[s]`. The search reads these, not
 * `out`: long protocols have machines of 10^5 transitions, and an object and a list each (what
 * `out` holds) were most of what compiling them cost, in allocation and garbage collection.
 * Numbers need not follow the states' order (see {@link flatLike}).
 */
export interface Flat {
  readonly first: Int32Array;
  readonly count: Int32Array;
  readonly kind: Uint8Array;
  readonly peer: Int32Array;
  readonly msg: Int32Array;
  readonly to: Int32Array;
  /** Index in the role's EFSM transition list. */
  readonly index: Int32Array;
}

/** The flat transitions of the machines compiled here, and of others once flattened. */
const FLAT = new WeakMap<Machine, Flat>();

/** The flat form of `m`'s transitions (made from `out` for a machine not compiled here). */
export function flatOf(m: Machine): Flat {
  let f = FLAT.get(m);
  if (f === undefined) {
    f = flatten(m.out, undefined);
    FLAT.set(m, f);
  }
  return f;
}

/**
 * The flat form of `u`, a transform of `m` whose states of `m` keep their numbers: a state
 * whose transitions are those of `m` (the same objects) keeps their numbers in `m`'s flat
 * form, and the others' transitions are numbered after all of `m`'s. Then a transition taken
 * in a state that both machines share has the same number in both (what lets a search of
 * `m`'s system go on with `u`'s: explore.ts `resume`).
 */
export function flatLike(u: Machine, m: Machine): Flat {
  return flatten(u.out, { out: m.out, flat: flatOf(m) });
}

function flatten(
  out: readonly (readonly CT[])[],
  like: { out: readonly (readonly CT[])[]; flat: Flat } | undefined,
): Flat {
  const states = out.length;
  const kept = new Uint8Array(states);
  let total = like ? like.flat.kind.length : 0;
  for (let s = 0; s < states; s++) {
    const o = out[s] ?? NO_TRANSITIONS;
    const l = like?.out[s];
    if (l?.length === o.length && o.every((t, j) => t === l[j])) kept[s] = 1;
    else total += o.length;
  }
  const f: Flat = {
    first: new Int32Array(states),
    count: new Int32Array(states),
    kind: new Uint8Array(total),
    peer: new Int32Array(total),
    msg: new Int32Array(total),
    to: new Int32Array(total),
    index: new Int32Array(total),
  };
  let next = 0;
  if (like) {
    const lf = like.flat;
    f.kind.set(lf.kind);
    f.peer.set(lf.peer);
    f.msg.set(lf.msg);
    f.to.set(lf.to);
    f.index.set(lf.index);
    next = lf.kind.length;
  }
  for (let s = 0; s < states; s++) {
    const o = out[s] ?? NO_TRANSITIONS;
    if (kept[s] === 1 && like) {
      f.first[s] = like.flat.first[s] ?? 0;
      f.count[s] = like.flat.count[s] ?? 0;
      continue;
    }
    f.first[s] = next;
    f.count[s] = o.length;
    for (const t of o) {
      f.kind[next] = t.k;
      f.peer[next] = t.peer;
      f.msg[next] = t.msg;
      f.to[next] = t.to;
      f.index[next] = t.index;
      next++;
    }
  }
  return f;
}

/** The kind of transition number `x` of `f`. */
export function kindAt(f: Flat, x: number): K {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment -- `kind` holds K's values
  return f.kind[x] ?? K.Local;
}

/** The transition number `x` of `f` as a {@link CT}. */
export function transitionAt(f: Flat, x: number): CT {
  return {
    k: kindAt(f, x),
    peer: f.peer[x] ?? 0,
    msg: f.msg[x] ?? 0,
    to: f.to[x] ?? 0,
    index: f.index[x] ?? 0,
  };
}

/**
 * A compiled machine: its transitions are flat ({@link flatOf}); the lists of `out` are made
 * when first read (by the unfair transform, only of machines with an internal choice, and by
 * the messages of violations).
 */
class Compiled implements Machine {
  #out: CT[][] | undefined;
  // Private: a copy made by spreading (`{ ...m, out }`) must not carry it.
  readonly #flat: Flat;
  constructor(
    readonly role: Role,
    readonly efsm: Efsm,
    readonly initial: number,
    readonly terminal: readonly boolean[],
    readonly unconnected: readonly boolean[],
    readonly ids: readonly number[],
    flat: Flat,
  ) {
    this.#flat = flat;
  }
  get out(): readonly (readonly CT[])[] {
    if (this.#out) return this.#out;
    const f = this.#flat;
    const out = new Array<CT[]>(this.ids.length).fill(NO_TRANSITIONS);
    for (let s = 0; s < out.length; s++) {
      const first = f.first[s] ?? 0;
      const count = f.count[s] ?? 0;
      if (count === 0) continue;
      const list = new Array<CT>(count);
      for (let j = 0; j < count; j++) list[j] = transitionAt(f, first + j);
      out[s] = list;
    }
    this.#out = out;
    return out;
  }
}

/** Whether some state of `m` is an internal choice: several transitions, all sends. */
export function hasInternalChoice(m: Machine): boolean {
  const f = flatOf(m);
  for (let s = 0; s < f.first.length; s++) {
    const count = f.count[s] ?? 0;
    if (count < 2) continue;
    let sends = true;
    for (let x = f.first[s] ?? 0, e = x + count; x < e && sends; x++)
      if (f.kind[x] !== K.Send) sends = false;
    if (sends) return true;
  }
  return false;
}

/** Compiles each role's EFSM (in the order of `roles`). */
export function compileMachines(
  qualifiedName: string,
  roles: readonly Role[],
  efsms: readonly Efsm[],
  messages: Messages,
): Machine[] {
  // A linear search with the last answer first, not a map: a machine's transitions name a
  // handful of peers, and a string-keyed look-up per transition (10^5 of them) cost more.
  let lastPeer: Role | undefined;
  let lastIndex = -1;
  const peerOf = (r: Role): number => {
    if (r === lastPeer) return lastIndex;
    const i = roles.indexOf(r);
    if (i < 0) throw new Error(`internal: unknown role '${r}' in an EFSM of '${qualifiedName}'`);
    lastPeer = r;
    lastIndex = i;
    return i;
  };
  return roles.map((role) => {
    const efsm = efsms.find((e) => e.role === role);
    // checkVerifyOptions reports these as input errors before anything is compiled.
    if (!efsm) throw new Error(`internal: no EFSM for role '${role}' of '${qualifiedName}'`);
    // Plain loops and typed arrays: a long protocol's machines have 10^5 states and transitions.
    const size = efsm.states.length;
    const ids = new Array<number>(size);
    // State ids are 0..n-1 (checkVerifyOptions): a typed array maps them to indices.
    const idx = new Int32Array(size).fill(-1);
    for (let i = 0; i < size; i++) {
      const id = efsm.states[i]?.id ?? 0;
      ids[i] = id;
      idx[id] = i;
    }
    const at = (id: number): number => {
      const i = idx[id];
      if (i === undefined || i < 0)
        throw new Error(`internal: state ${String(id)} missing in the EFSM of '${role}'`);
      return i;
    };
    const transitions = efsm.transitions;
    const total = transitions.length;
    // One pass over the EFSM's transitions (objects spread over the heap: each pass costs
    // cache misses), in its order, into typed arrays; then numbered by source state (a
    // counting sort over those), keeping the EFSM's order within a state.
    const count = new Int32Array(size);
    const source = new Int32Array(total);
    const kinds = new Uint8Array(total);
    const peers = new Int32Array(total);
    const msgs = new Int32Array(total);
    const targets = new Int32Array(total);
    for (let index = 0; index < total; index++) {
      const t = transitions[index];
      if (!t) throw new Error(`internal: no transition ${String(index)} in the EFSM of '${role}'`);
      const a = t.action;
      // Messages go through queues in the direction the projector gives; a wrap carries no
      // message, so the model takes it as a local step (as a disconnect).
      const d = actionDirection(a);
      const message = 'message' in a;
      kinds[index] =
        a.kind === 'crash'
          ? K.Detect
          : !message || d === 'local'
            ? K.Local
            : d === 'output'
              ? K.Send
              : K.Receive;
      peers[index] = peerOf(a.peer);
      msgs[index] = message ? messages.message(a.message) : -1;
      targets[index] = at(t.to);
      const from = at(t.from);
      source[index] = from;
      count[from] = (count[from] ?? 0) + 1;
    }
    const first = new Int32Array(size);
    for (let s = 1; s < size; s++) first[s] = (first[s - 1] ?? 0) + (count[s - 1] ?? 0);
    const fill = first.slice();
    const f: Flat = {
      first,
      count,
      kind: new Uint8Array(total),
      peer: new Int32Array(total),
      msg: new Int32Array(total),
      to: new Int32Array(total),
      index: new Int32Array(total),
    };
    for (let index = 0; index < total; index++) {
      const s = source[index] ?? 0;
      const x = fill[s] ?? 0;
      fill[s] = x + 1;
      f.kind[x] = kinds[index] ?? 0;
      f.peer[x] = peers[index] ?? 0;
      f.msg[x] = msgs[index] ?? 0;
      f.to[x] = targets[index] ?? 0;
      f.index[x] = index;
    }
    const initial = at(efsm.initial);
    const terminal = new Array<boolean>(size);
    for (let s = 0; s < size; s++) terminal[s] = count[s] === 0;
    const unconnected = new Array<boolean>(size).fill(false);
    let accepts = (count[initial] ?? 0) > 0;
    for (let x = first[initial] ?? 0, e = x + (count[initial] ?? 0); x < e; x++)
      if (transitions[f.index[x] ?? 0]?.action.kind !== 'accept') accepts = false;
    unconnected[initial] = accepts;
    const m = new Compiled(role, efsm, initial, terminal, unconnected, ids, f);
    FLAT.set(m, f);
    return m;
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
