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
  /** One message of each number (its text is made when asked for: most never are). */
  readonly #first: Message[] = [];
  readonly #texts: string[] = [];
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
      i = this.#first.length;
      this.#first.push(m);
      map.set(k, i);
    }
    return i;
  }
  /** The text of message number `i` (its {@link messageKey}). */
  text(i: number): string {
    const m = this.#first[i];
    if (m === undefined) return '';
    return (this.#texts[i] ??= messageKey(m));
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
function hasInternalChoice(m: Machine): boolean {
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
  const compile = machineCompiler(qualifiedName, roles, messages);
  return roles.map((role) => {
    const efsm = efsms.find((e) => e.role === role);
    // checkVerifyOptions reports these as input errors before anything is compiled.
    if (!efsm) throw new Error(`internal: no EFSM for role '${role}' of '${qualifiedName}'`);
    return compile(role, efsm);
  });
}

/**
 * Compiles one role's EFSM at a time (as {@link compileMachines} does, the roles in the order
 * of `roles`, so that messages are numbered alike): verifySystem compiles each right after
 * checking it, while its transitions' objects are still in the cache (Big 100,000: 2 * 10^4
 * per role, 2 * 10^5 in all, which a pass over every role evicts).
 */
export function machineCompiler(
  qualifiedName: string,
  roles: readonly Role[],
  messages: Messages,
): (role: Role, efsm: Efsm) => Machine {
  // A linear search with the last answer first, not a map: a machine's transitions name a
  // handful of peers, and a string-keyed look-up per transition (10^5 of them) cost more.
  let lastPeer: Role | undefined;
  let lastIndex = -1;
  const peerOf = (r: Role): number => {
    if (lastIndex >= 0 && r === lastPeer) return lastIndex;
    const i = roles.indexOf(r);
    if (i < 0) throw new Error(`internal: unknown role '${r}' in an EFSM of '${qualifiedName}'`);
    lastPeer = r;
    lastIndex = i;
    return i;
  };
  return (role, efsm) => {
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
  };
}

/**
 * The unfair transform gives up (the unfair check is then inconclusive) when it would add more
 * states than this to a machine. A safety net: each (state, commitment) pair is made once, so
 * the states added are at most the states times the commitments reached, 880 at most on the
 * peers' corpora (nuScr's `DoMulti2`).
 */
export const UNFAIR_MAX_STATES = 20_000;

/** An internal choice: several transitions, all of them sends. */
function isChoice(o: readonly CT[]): boolean {
  return o.length > 1 && o.every((t) => t.k === K.Send);
}

/**
 * Choices committed to one branch each: choice state → the position of that branch in the
 * state's transition list. The machine in which the committed states keep only their branch
 * is this commitment's graph; its strongly connected components say which branches loop.
 */
interface Commitment {
  readonly branch: ReadonlyMap<number, number>;
  /** Made on the first question about this commitment's graph. */
  components: Components | undefined;
}

/**
 * Tarjan's strongly connected components of a graph given by its edges, computed on demand:
 * asking for a state not reached yet runs the search from it over the states no earlier run
 * reached (a run completes every component it enters, so the earlier ones are final).
 * Iterative: a machine may be a chain of 10^5 states.
 */
class Components {
  readonly #edges: (s: number) => readonly CT[];
  /** DFS number, then (once its component is complete) -1 - the component's number. */
  readonly #index = new Map<number, number>();
  readonly #low = new Map<number, number>();
  #count = 0;
  #components = 0;

  constructor(edges: (s: number) => readonly CT[]) {
    this.#edges = edges;
  }

  /** The number of the component of `s`. */
  of(s: number): number {
    if (!this.#index.has(s)) this.#run(s);
    return -1 - (this.#index.get(s) ?? 0);
  }

  #run(root: number): void {
    const index = this.#index;
    const low = this.#low;
    const stack: number[] = [];
    // The DFS path: states, their edges and the position of the next edge to follow.
    const path: number[] = [];
    const edgesOf: (readonly CT[])[] = [];
    const next: number[] = [];
    const enter = (s: number): void => {
      index.set(s, this.#count);
      low.set(s, this.#count++);
      stack.push(s);
      path.push(s);
      edgesOf.push(this.#edges(s));
      next.push(0);
    };
    enter(root);
    while (path.length > 0) {
      const top = path.length - 1;
      const s = path[top] ?? 0;
      const edges = edgesOf[top] ?? NO_TRANSITIONS;
      const e = next[top] ?? 0;
      if (e < edges.length) {
        next[top] = e + 1;
        const to = edges[e]?.to ?? 0;
        const i = index.get(to);
        if (i === undefined) enter(to);
        else if (i >= 0) low.set(s, Math.min(low.get(s) ?? 0, i));
        continue;
      }
      path.pop();
      edgesOf.pop();
      next.pop();
      const ls = low.get(s) ?? 0;
      const parent = path[path.length - 1];
      if (parent !== undefined) low.set(parent, Math.min(low.get(parent) ?? 0, ls));
      if (ls !== index.get(s)) continue;
      // `s` is the root of a component: the states above it on the stack are its members.
      const c = -1 - this.#components++;
      for (let x = stack.pop(); x !== undefined; x = stack.pop()) {
        index.set(x, c);
        if (x === s) break;
      }
    }
  }
}

/**
 * scribble-java's "unfair output choice" transform of one machine (its `-fair` flag turns it
 * off), as a product of the machine's states and commitments (sets of choices each committed
 * to one branch). In state (s, C): when C commits s, s keeps only its committed branch; else,
 * when s is an internal choice (several sends), a branch that can come back to s (in the
 * machine where the choices of C keep only their branches) leads to (target, C + s's branch):
 * once a looping branch has been taken, the same branch is always taken again; every other
 * transition leads to (target, C). A run of the result is a run of the original, and the
 * liveness check on the system of transformed machines finds the starvations that an unfair
 * scheduler of choices can cause.
 *
 * The states (s, no commitment) are the machine's own, with their indices, and differ only at
 * choices with a looping branch: until a role reaches one, the fair and unfair systems take
 * the same steps (verify.ts resumes the fair search there). The others are numbered from the
 * machine's size on, in the order a breadth-first walk from the initial state finds them.
 * Terminal states are shared, not copied. scribble-java copies everything after a looping
 * branch anew inside each copy, once per order in which choices get committed; here each
 * (state, commitment) pair is made once. Returns the machine itself when nothing changes,
 * and undefined when more than {@link UNFAIR_MAX_STATES} states would be added.
 */
export function unfairMachine(m: Machine): Machine | undefined {
  // Most machines have no internal choice at all: nothing to do (long protocols have
  // machines of 10^5 states; asked of the flat form, so that a compiled machine's lists of
  // transitions are never made for it).
  if (!hasInternalChoice(m)) return m;
  const n = m.out.length;
  const out: (readonly CT[])[] = [...m.out];
  const ids = [...m.ids];
  const terminal = [...m.terminal];
  const commitments: Commitment[] = [{ branch: new Map(), components: undefined }];
  const numbers = new Map<string, number>([['', 0]]);
  /** The number of a commitment, the same for the same choices and branches. */
  const intern = (branch: Map<number, number>): number => {
    const key = [...branch]
      .sort((a, b) => a[0] - b[0])
      .map(([x, y]) => `${String(x)}.${String(y)}`)
      .join(',');
    let i = numbers.get(key);
    if (i === undefined) {
      i = commitments.length;
      commitments.push({ branch, components: undefined });
      numbers.set(key, i);
    }
    return i;
  };
  /** Commitment `c` + choice `s`'s branch `k`, by (c * n + s) and k. */
  const extended = new Map<number, number[]>();
  /** Commitment `c` and choice `s` committed to its transition at position `k`. */
  const commit = (c: number, s: number, k: number): number => {
    let known = extended.get(c * n + s);
    if (!known) extended.set(c * n + s, (known = []));
    const i = known[k];
    if (i !== undefined) return i;
    return (known[k] = intern(new Map(commitments[c]?.branch).set(s, k)));
  };
  const componentsOf = (c: Commitment): Components => {
    c.components ??= new Components((s) => {
      const o = m.out[s] ?? NO_TRANSITIONS;
      const k = c.branch.get(s);
      return k === undefined ? o : o.slice(k, k + 1);
    });
    return c.components;
  };
  // The product states to expand, as (index, state, commitment) triples, first in first out.
  const todo: number[] = [];
  const seen = new Uint8Array(n);
  /** Product states by commitment * n + state, for commitments other than none. */
  const made = new Map<number, number>();
  const stateOf = (s: number, c: number): number => {
    if (m.terminal[s] === true) return s;
    if (c === 0) {
      if (seen[s] === 0) {
        seen[s] = 1;
        todo.push(s, s, 0);
      }
      return s;
    }
    const key = c * n + s;
    let i = made.get(key);
    if (i === undefined) {
      i = out.length;
      made.set(key, i);
      out.push(NO_TRANSITIONS);
      ids.push(m.ids[s] ?? 0);
      terminal.push(false);
      todo.push(i, s, c);
    }
    return i;
  };
  const to = (t: CT, target: number): CT => (target === t.to ? t : { ...t, to: target });
  stateOf(m.initial, 0);
  for (let head = 0; head < todo.length; head += 3) {
    if (out.length - n > UNFAIR_MAX_STATES) return undefined;
    const i = todo[head] ?? 0;
    const s = todo[head + 1] ?? 0;
    const c = todo[head + 2] ?? 0;
    const o = m.out[s] ?? NO_TRANSITIONS;
    const commitment = commitments[c];
    if (!commitment) throw new Error(`internal: no commitment ${String(c)}`);
    const k = commitment.branch.get(s);
    if (k !== undefined) {
      const t = o[k];
      if (!t) throw new Error(`internal: no branch ${String(k)} in state ${String(s)}`);
      out[i] = [to(t, stateOf(t.to, c))];
    } else if (isChoice(o)) {
      const components = componentsOf(commitment);
      const here = components.of(s);
      const next = o.map((t, j) =>
        to(t, stateOf(t.to, components.of(t.to) === here ? commit(c, s, j) : c)),
      );
      // (The machine's own states keep their lists where no branch commits.)
      if (c !== 0 || next.some((t, j) => t !== o[j])) out[i] = next;
    } else if (c === 0) {
      // Without a commitment the targets are the machine's own: its list stays.
      for (const t of o) stateOf(t.to, 0);
    } else {
      out[i] = o.map((t) => to(t, stateOf(t.to, c)));
    }
  }
  if (out.length - n > UNFAIR_MAX_STATES) return undefined;
  // (A looping branch always leads to a new state: none means nothing changed.)
  return out.length > n ? { ...m, out, ids, terminal } : m;
}
