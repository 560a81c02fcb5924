import type { Role } from '@mpst/projector';
import type { ConfigurationView, Link } from './api.js';
import {
  flatLike,
  flatOf,
  K,
  kindAt,
  transitionAt,
  type CT,
  type Flat,
  type Machine,
  type Messages,
} from './machines.js';

const EMPTY: readonly number[] = Object.freeze([]);

/**
 * A configuration: each role's state index, crashed flags, failed links (index from * n + to),
 * and the FIFO queues between roles. Only non-empty queues are stored, as `qi` (the queue's
 * index from * n + to, ascending) and `qm` (its messages, oldest first): most queues are
 * empty, and a step then copies a few entries instead of n² of them.
 */
export interface Config {
  /** Each role's state index (a plain array: cheaper to copy and allocate than a typed one). */
  readonly st: readonly number[];
  readonly crashed: Uint8Array;
  readonly broken: Uint8Array;
  readonly qi: readonly number[];
  readonly qm: readonly (readonly number[])[];
}

/** The queues with queue `k` set to `msgs` (removed when empty), as new arrays. */
function withQueue(
  c: Config,
  k: number,
  msgs: readonly number[],
): { qi: number[]; qm: (readonly number[])[] } {
  // Arrays of the exact length, written by index: a step makes a pair of them, and arrays
  // grown by push reserve room for 17 entries.
  const from = c.qi;
  let at = 0;
  while (at < from.length && (from[at] ?? 0) < k) at++;
  const present = at < from.length && from[at] === k;
  const length = from.length + (msgs.length > 0 ? 1 : 0) - (present ? 1 : 0);
  if (length === 0) return { qi: NO_QUEUES, qm: NO_MESSAGES };
  const qi = new Array<number>(length);
  const qm = new Array<readonly number[]>(length);
  let j = 0;
  for (let x = 0; x < at; x++, j++) {
    qi[j] = from[x] ?? 0;
    qm[j] = c.qm[x] ?? EMPTY;
  }
  if (msgs.length > 0) {
    qi[j] = k;
    qm[j] = msgs;
    j++;
  }
  for (let x = present ? at + 1 : at; x < from.length; x++, j++) {
    qi[j] = from[x] ?? 0;
    qm[j] = c.qm[x] ?? EMPTY;
  }
  return { qi, qm };
}

/** Where {@link read} reads next (in {@link System.decodeInto}). */
let at = 0;

/** The number at `at` in `codes` (see {@link System.encode}: 15-bit groups), moving past it. */
function read(codes: Uint16Array): number {
  const c = codes[at++] ?? 0;
  if (c < 0x8000) return c;
  let x = c & 0x7fff;
  let scale = 0x8000;
  for (;;) {
    const d = codes[at++] ?? 0;
    if (d < 0x8000) return x + d * scale;
    x += (d & 0x7fff) * scale;
    scale *= 0x8000;
  }
}

/** {@link System}'s step effects (see its `#effect`): not enabled, cut by the bound, no queue changed. */
const DISABLED = -1;
const CUT = -2;
const NO_QUEUE = 0;

// Shared by every configuration with no message queued; never written (not frozen: V8
// iterates frozen arrays slowly).
const NO_QUEUES: number[] = [];
const NO_MESSAGES: (readonly number[])[] = [];

/**
 * Per state of a machine: the distinct peers of its transitions when every one receives or
 * detects a crash, else null; one peer as its list in `single` (most receiving states wait
 * for one peer: no list is made for them).
 */
function inputPeerTable(
  f: Flat,
  single: readonly (readonly number[])[],
): (readonly number[] | null)[] {
  const states = f.first.length;
  const table = new Array<readonly number[] | null>(states).fill(null);
  for (let s = 0; s < states; s++) {
    const first = f.first[s] ?? 0;
    const end = first + (f.count[s] ?? 0);
    if (end === first) continue;
    let input = true;
    let one = true;
    const p0 = f.peer[first] ?? 0;
    for (let x = first; x < end && input; x++) {
      const k = f.kind[x];
      if (k !== K.Receive && k !== K.Detect) input = false;
      if (f.peer[x] !== p0) one = false;
    }
    if (!input) continue;
    if (one) {
      table[s] = single[p0] ?? [p0];
      continue;
    }
    const peers: number[] = [];
    for (let x = first; x < end; x++) {
      const p = f.peer[x] ?? 0;
      if (!peers.includes(p)) peers.push(p);
    }
    table[s] = peers;
  }
  return table;
}

/** Per state: the one peer of an input peer table ({@link inputPeerTable}), else -1. */
function onePeerTable(table: readonly (readonly number[] | null)[]): Int32Array {
  const one = new Int32Array(table.length);
  // An index loop (no iterator: machines of long protocols have 10^5 states).
  for (let s = 0; s < table.length; s++) {
    const peers = table[s];
    one[s] = peers?.length === 1 ? (peers[0] ?? -1) : -1;
  }
  return one;
}

/** What a state of a machine is, as bits (see {@link System.stateInfo}). */
export const enum S {
  /** No transitions: the role has finished. */
  Terminal = 1,
  /** The initial state, which only accepts connections (see `Machine.unconnected`). */
  Unconnected = 2,
  /** Every transition receives or detects a crash ({@link System.inputPeers} is not null). */
  Input = 4,
  /** Some transition detects a crash. */
  Detect = 8,
}

function stateInfo(
  m: Machine,
  f: Flat,
  inputPeers: readonly (readonly number[] | null)[],
): Uint8Array {
  const states = f.first.length;
  const info = new Uint8Array(states);
  for (let s = 0; s < states; s++) {
    let bits = 0;
    if (m.terminal[s] === true) bits |= S.Terminal;
    if (m.unconnected[s] === true) bits |= S.Unconnected;
    if (inputPeers[s]) bits |= S.Input;
    const first = f.first[s] ?? 0;
    for (let x = first, end = first + (f.count[s] ?? 0); x < end; x++)
      if (f.kind[x] === K.Detect) bits |= S.Detect;
    info[s] = bits;
  }
  return info;
}

/**
 * A configuration the search overwrites ({@link System.decodeInto}) with each one it expands,
 * instead of making one per configuration: only read while that configuration is expanded.
 */
export interface ConfigView extends Config {
  readonly st: number[];
  /**
   * The queues: `ownQi` and `ownQm` (as long as there are queues), or shared empty lists when
   * there are none. (An array that V8 shrinks to length 0 gives up its storage, and the next
   * configuration's queue would allocate it again: every other configuration of a long
   * protocol has no message queued.)
   */
  qi: readonly number[];
  qm: readonly (readonly number[])[];
  readonly ownQi: number[];
  readonly ownQm: number[][];
  /** The queues' lists, reused (`ownQm` holds the first of them). */
  readonly pool: number[][];
}

/**
 * A step between configurations: role `role` takes transition `t`; or, with `t` null, the
 * role crashes (`role >= 0`) or link number `-role - 1` fails (`role < 0`). The graph stores
 * steps as numbers ({@link System.event} gives this form).
 */
export interface Event {
  readonly role: number;
  readonly t: CT | null;
}

/**
 * The system of machines and its semantics: enabled steps, their effect, the safety checks
 * on one configuration, compact keys. Shared by the exploration and the replay of traces.
 */
export class System {
  readonly n: number;
  /** Roles that may crash. */
  readonly mayCrash: readonly boolean[];
  /** Links that may fail, as queue indices (from * n + to). */
  readonly links: readonly number[];
  readonly initial: Config;

  /**
   * Steps are numbered: role i's crash is i, the failure of link l (an index of `links`) is
   * n + l, and role i's transition number x (of its {@link Flat} form) is
   * `firstStep + x * n + i`, so that one role's numbers do not depend on another's machine.
   */
  readonly firstStep: number;

  constructor(
    readonly roles: readonly Role[],
    readonly machines: readonly Machine[],
    readonly messages: Messages,
    mayCrash: readonly boolean[],
    links: readonly Link[],
    /** Sends wait when the queue holds this many messages (undefined: no limit). */
    readonly capacity: number | undefined,
    /** Sends that would exceed this are cut (the exploration is then incomplete). */
    readonly bound: number | undefined,
    /**
     * A system of machines that transform these (the fair model, for the unfair one): its
     * tables of the same machines are shared, and a step of a state two machines share has
     * the same number in both systems (see {@link flatLike}).
     */
    readonly like?: System,
  ) {
    const n = roles.length;
    this.n = n;
    this.mayCrash = mayCrash;
    const index = (r: Role): number => {
      const i = roles.indexOf(r);
      // checkVerifyOptions reports unknown roles as input errors before a System is made.
      if (i < 0) throw new Error(`internal: unknown role '${r}' in an unreliable link`);
      return i;
    };
    this.links = links.map((l) => index(l.from) * n + index(l.to));
    this.firstStep = n + this.links.length;
    // Most receiving states wait for one peer: those share one array per peer.
    const single = roles.map((_, i) => Object.freeze([i]));
    const base = (i: number): Machine | undefined =>
      like?.machines.length === machines.length ? like.machines[i] : undefined;
    this.#flat = machines.map((m, i) => {
      const b = base(i);
      return b === undefined || b === m ? flatOf(m) : flatLike(m, b);
    });
    this.#inputPeers = machines.map((m, i) =>
      like && base(i) === m
        ? (like.#inputPeers[i] ?? [])
        : inputPeerTable(this.#flat[i] ?? flatOf(m), single),
    );
    this.#info = machines.map((m, i) =>
      like && base(i) === m
        ? (like.#info[i] ?? new Uint8Array(0))
        : stateInfo(m, this.#flat[i] ?? flatOf(m), this.#inputPeers[i] ?? []),
    );
    this.#onePeer = this.#inputPeers.map((table, i) =>
      like && base(i) === this.machines[i]
        ? (like.#onePeer[i] ?? new Int32Array(0))
        : onePeerTable(table),
    );
    this.initial = {
      st: machines.map((m) => m.initial),
      crashed: new Uint8Array(n),
      broken: new Uint8Array(this.links.length > 0 ? n * n : 0),
      qi: [],
      qm: [],
    };
  }

  /** Each role's transitions, flat (see {@link Flat}). */
  readonly #flat: readonly Flat[];

  /** Per role and state: the distinct peers when every transition receives (or detects a crash), else null. */
  readonly #inputPeers: (readonly number[] | null)[][];

  /** Per role and state: {@link S} bits. */
  readonly #info: Uint8Array[];

  /** Per role and state: the one peer of {@link inputPeers} when there is one, else -1. */
  readonly #onePeer: Int32Array[];

  /**
   * Role `i`'s one input peer, per state: the peer it waits for when its state only receives
   * (or detects crashes) from one peer, else -1. One typed read for what the safety check asks
   * of every waiting role in every configuration.
   */
  onePeer(i: number): Int32Array {
    const one = this.#onePeer[i];
    if (!one) throw new Error(`internal: no role ${String(i)}`);
    return one;
  }

  /** Role `i`'s {@link S} bits, per state (what the safety check asks of every role in every configuration). */
  stateInfo(i: number): Uint8Array {
    const info = this.#info[i];
    if (!info) throw new Error(`internal: no role ${String(i)}`);
    return info;
  }

  /** The number of role `i`'s transition number `x` (see {@link firstStep}). */
  step(i: number, x: number): number {
    return this.firstStep + x * this.n + i;
  }

  /** Step `e` is a crash or a link failure. */
  isFailure(e: number): boolean {
    return e < this.firstStep;
  }

  /** The role that takes step `e` (for a link failure, -1). */
  roleOf(e: number): number {
    if (e >= this.firstStep) return (e - this.firstStep) % this.n;
    return e < this.n ? e : -1;
  }

  /** The number `x` of step `e`'s transition in its role's {@link Flat} form (`e` a transition). */
  #transitionOf(e: number): number {
    return Math.floor((e - this.firstStep) / this.n);
  }

  /** The kind of step `e` ({@link K}), or -1 for a crash or a link failure. */
  kindOf(e: number): K | -1 {
    if (e < this.firstStep) return -1;
    const f = this.#flat[this.roleOf(e)];
    return f ? kindAt(f, this.#transitionOf(e)) : -1;
  }

  /** The peer of step `e`, a transition (-1 for a crash or a link failure). */
  peerOf(e: number): number {
    if (e < this.firstStep) return -1;
    return this.#flat[this.roleOf(e)]?.peer[this.#transitionOf(e)] ?? -1;
  }

  /** Step `e` as an {@link Event}. */
  event(e: number): Event {
    if (e < this.n) return { role: e, t: null };
    if (e < this.firstStep) return { role: -(e - this.n) - 1, t: null };
    const i = this.roleOf(e);
    const f = this.#flat[i];
    if (!f) throw new Error(`internal: no step ${String(e)}`);
    return { role: i, t: transitionAt(f, this.#transitionOf(e)) };
  }

  /**
   * The peers role `i` waits for in its state `s`: the distinct peers of its transitions when
   * all of them are receptions or crash detections; null when it may send or act locally, or
   * has finished.
   */
  inputPeers(i: number, s: number): readonly number[] | null {
    return this.#inputPeers[i]?.[s] ?? null;
  }

  machine(i: number): Machine {
    const m = this.machines[i];
    if (!m) throw new Error(`internal: no role ${String(i)}`);
    return m;
  }

  /** True when messages from `from` to `to` are lost: the receiver crashed or the link failed. */
  lost(c: Config, from: number, to: number): boolean {
    return c.crashed[to] === 1 || c.broken[from * this.n + to] === 1;
  }

  /** True when `to` will hear no more from `from`: the sender crashed or the link failed. */
  silent(c: Config, from: number, to: number): boolean {
    return c.crashed[from] === 1 || c.broken[from * this.n + to] === 1;
  }

  /** Role `i`'s transitions, flat. */
  flat(i: number): Flat {
    const f = this.#flat[i];
    if (!f) throw new Error(`internal: no role ${String(i)}`);
    return f;
  }

  /**
   * Calls `emit` for every step enabled in `c` (its number, see {@link firstStep}) with the
   * successor configuration encoded ({@link encode}) as the first `length` of {@link codes}
   * (until the next encoding): no configuration is made. Returns true when some send was cut
   * by the bound, undefined when `emit` returned false (stop).
   */
  successors(c: Config, emit: (e: number, length: number) => boolean): boolean | undefined {
    const n = this.n;
    let cut = false;
    for (let i = 0; i < n; i++) {
      if (c.crashed[i] === 1) continue;
      const f = this.flat(i);
      const s = c.st[i] ?? 0;
      const first = f.first[s] ?? 0;
      const end = first + (f.count[s] ?? 0);
      for (let x = first; x < end; x++) {
        const effect = this.#effect(c, i, f, x);
        if (effect === CUT) {
          cut = true;
          continue;
        }
        if (effect === DISABLED) continue;
        const length = this.#encodeChanged(c, i, f.to[x] ?? 0, -1, -1, effect, f.msg[x] ?? 0);
        if (!emit(this.step(i, x), length)) return undefined;
      }
      if (this.mayCrash[i] === true && !this.machine(i).terminal[s])
        if (!emit(i, this.#encodeChanged(c, -1, 0, i, -1, NO_QUEUE, 0))) return undefined;
    }
    for (let li = 0; li < this.links.length; li++) {
      const l = this.links[li] ?? 0;
      if (c.broken[l] === 1 || c.crashed[Math.floor(l / n)] === 1 || c.crashed[l % n] === 1)
        continue;
      if (!emit(n + li, this.#encodeChanged(c, -1, 0, -1, l, NO_QUEUE, 0))) return undefined;
    }
    return cut;
  }

  /**
   * Partial-order reduction: how many steps role `i` may take in `c` if its steps may be
   * explored alone, else 0. A role qualifies when it cannot crash, no link can fail, and each
   * of its transitions is either enabled or disabled until the role itself moves: a send with
   * room in its queue, a receive from a non-empty queue (whose head, which only this role can
   * take, decides), a crash detection that is enabled or waits behind queued messages, a
   * local step. No other role can then enable, disable or change the effect of any of these
   * steps, and they never disable another role's step (a send only fills this role's own
   * queue; a receive only empties one), so they commute with everything else: the set is
   * persistent. Crashes and link failures never belong to such a set, and it stays persistent
   * in the graph without them (it has fewer paths), so that graph's reduction is the reduced
   * graph minus those steps, with the same cycle proviso: the liveness checks, which look at
   * terminal sets without crash and link-failure steps, see what the full graph has.
   */
  persistent(c: Config, i: number): number {
    // A link failure changes the effect of its sender's later sends: no step commutes with it.
    if (this.links.length > 0 || c.crashed[i] === 1 || this.mayCrash[i] === true) return 0;
    const f = this.flat(i);
    const s = c.st[i] ?? 0;
    const first = f.first[s] ?? 0;
    const end = first + (f.count[s] ?? 0);
    let enabled = 0;
    for (let x = first; x < end; x++) {
      const peer = f.peer[x] ?? 0;
      switch (f.kind[x]) {
        case K.Send: {
          if (this.lost(c, i, peer)) break;
          const len = this.queue(c, i, peer).length;
          if (
            (this.capacity !== undefined && len >= this.capacity) ||
            (this.bound !== undefined && len >= this.bound)
          )
            return 0;
          break;
        }
        case K.Receive: {
          const q = this.queue(c, peer, i);
          if (q.length === 0) return 0;
          if (q[0] !== f.msg[x]) continue;
          break;
        }
        case K.Detect:
          if (this.queue(c, peer, i).length > 0) continue;
          if (!this.silent(c, peer, i)) return 0;
          break;
        case K.Local:
          break;
      }
      enabled++;
    }
    return enabled;
  }

  /**
   * The enabled steps of role `i` in `c` (not those cut by the bound), written to
   * `events[0..]` (their numbers; a buffer the caller reuses): their number.
   */
  stepsOf(c: Config, i: number, events: number[]): number {
    let count = 0;
    const f = this.flat(i);
    const s = c.st[i] ?? 0;
    const first = f.first[s] ?? 0;
    const end = first + (f.count[s] ?? 0);
    for (let x = first; x < end; x++)
      if (this.#effect(c, i, f, x) >= 0) events[count++] = this.step(i, x);
    return count;
  }

  /**
   * Encodes the configuration after transition step `e` (one that {@link stepsOf} gave for
   * `c`) into {@link codes}, as {@link encode} encodes it: the number of codes.
   */
  encodeStep(c: Config, e: number): number {
    const i = this.roleOf(e);
    const f = this.flat(i);
    const x = this.#transitionOf(e);
    const effect = this.#effect(c, i, f, x);
    if (effect < 0) throw new Error('internal: an encoded step is not enabled');
    return this.#encodeChanged(c, i, f.to[x] ?? 0, -1, -1, effect, f.msg[x] ?? 0);
  }

  /** Some transition of role `i` in its state `s` receives message `msg`. */
  receives(i: number, s: number, msg: number): boolean {
    const f = this.flat(i);
    const first = f.first[s] ?? 0;
    for (let x = first, end = first + (f.count[s] ?? 0); x < end; x++)
      if (f.kind[x] === K.Receive && f.msg[x] === msg) return true;
    return false;
  }

  /** Role `i`, in its state in `c`, can detect the crash of a silent peer. */
  detects(c: Config, i: number): boolean {
    const f = this.flat(i);
    const s = c.st[i] ?? 0;
    const first = f.first[s] ?? 0;
    for (let x = first, end = first + (f.count[s] ?? 0); x < end; x++)
      if (f.kind[x] === K.Detect && this.silent(c, f.peer[x] ?? 0, i)) return true;
    return false;
  }

  /** The configuration after role `i` takes `t`; undefined when not enabled; 'cut' when the bound forbids it. */
  fire(c: Config, i: number, t: CT): Config | undefined | 'cut' {
    return this.#take(c, i, t.k, t.peer, t.msg, t.to);
  }

  /** {@link #effectOf} for role `i`'s transition number `x` of `f`. */
  #effect(c: Config, i: number, f: Flat, x: number): number {
    return this.#effectOf(c, i, kindAt(f, x), f.peer[x] ?? 0, f.msg[x] ?? 0);
  }

  /**
   * What role `i`'s transition (kind `k`, peer `peer`, message `msg`) does to the queues of
   * `c`, as {@link #encodeChanged} takes it: {@link DISABLED} (not enabled), {@link CUT} (the
   * bound forbids it), {@link NO_QUEUE}, or 1 + 2 * the queue's index, plus 1 when the step
   * takes the queue's head instead of appending its message. The one place that says when a
   * step is enabled, for the encoded search and for {@link fire} alike.
   */
  #effectOf(c: Config, i: number, k: K, peer: number, msg: number): number {
    switch (k) {
      case K.Send: {
        if (this.lost(c, i, peer)) return NO_QUEUE;
        const len = this.queue(c, i, peer).length;
        if (this.capacity !== undefined && len >= this.capacity) return DISABLED;
        if (this.bound !== undefined && len >= this.bound) return CUT;
        return 1 + 2 * (i * this.n + peer);
      }
      case K.Receive:
        if (this.queue(c, peer, i)[0] !== msg) return DISABLED;
        return 2 + 2 * (peer * this.n + i);
      case K.Detect:
        if (!this.silent(c, peer, i) || this.queue(c, peer, i).length > 0) return DISABLED;
        return NO_QUEUE;
      case K.Local:
        return NO_QUEUE;
    }
  }

  /** {@link fire}: the configuration made, with the queue {@link #effectOf} says changed. */
  #take(
    c: Config,
    i: number,
    k: K,
    peer: number,
    msg: number,
    to: number,
  ): Config | undefined | 'cut' {
    const effect = this.#effectOf(c, i, k, peer, msg);
    if (effect === DISABLED) return undefined;
    if (effect === CUT) return 'cut';
    let qs: { readonly qi: readonly number[]; readonly qm: readonly (readonly number[])[] } = c;
    if (effect !== NO_QUEUE) {
      const qk = (effect - 1) >> 1;
      const cur = this.queue(c, Math.floor(qk / this.n), qk % this.n);
      if ((effect & 1) === 1) qs = withQueue(c, qk, cur.length === 0 ? [msg] : [...cur, msg]);
      else qs = withQueue(c, qk, cur.length === 1 ? EMPTY : cur.slice(1));
    }
    const st = c.st.slice();
    st[i] = to;
    return { st, crashed: c.crashed, broken: c.broken, qi: qs.qi, qm: qs.qm };
  }

  /** Role `i` crashes: messages queued to it are dropped; those it sent stay deliverable. */
  crash(c: Config, i: number): Config {
    const crashed = c.crashed.slice();
    crashed[i] = 1;
    const qi: number[] = [];
    const qm: (readonly number[])[] = [];
    c.qi.forEach((k, j) => {
      if (k % this.n === i) return;
      qi.push(k);
      qm.push(c.qm[j] ?? EMPTY);
    });
    return { st: c.st, crashed, broken: c.broken, qi, qm };
  }

  /** The configuration after event `e` (which must be enabled). */
  apply(c: Config, e: Event): Config {
    if (e.t) {
      const d = this.fire(c, e.role, e.t);
      if (!d || d === 'cut') throw new Error('internal: replayed step not enabled');
      return d;
    }
    if (e.role >= 0) return this.crash(c, e.role);
    const broken = c.broken.slice();
    broken[this.links[-e.role - 1] ?? 0] = 1;
    return { st: c.st, crashed: c.crashed, broken, qi: c.qi, qm: c.qm };
  }

  /**
   * Role `i` has finished (terminal state) and nothing is queued for it — or it was never
   * connected (still in its first state, which only accepts connections, with nothing queued).
   */
  finished(c: Config, i: number): boolean {
    const s = c.st[i] ?? 0;
    if (!this.machine(i).terminal[s] && !this.machine(i).unconnected[s]) return false;
    return !this.inbox(c, i);
  }

  /** Role `i` was never connected: its first state only accepts, and no request is queued for it. */
  unconnected(c: Config, i: number): boolean {
    return this.machine(i).unconnected[c.st[i] ?? 0] === true && !this.inbox(c, i);
  }

  /** Whether anything is queued for role `i`. */
  inbox(c: Config, i: number): boolean {
    const qi = c.qi;
    // Index loops in what runs per configuration or step (here, encoding and decoding): a
    // for-of allocates an iterator until V8 optimizes the loop, or when it deoptimizes.
    // eslint-disable-next-line @typescript-eslint/prefer-for-of
    for (let j = 0; j < qi.length; j++) if ((qi[j] ?? 0) % this.n === i) return true;
    return false;
  }

  /** The messages queued from `from` to `to`, oldest first. */
  queue(c: Config, from: number, to: number): readonly number[] {
    const k = from * this.n + to;
    const qi = c.qi;
    for (let j = 0; j < qi.length; j++) if (qi[j] === k) return c.qm[j] ?? EMPTY;
    return EMPTY;
  }

  // --- encoding -----------------------------------------------------------------------------
  /** The codes of the last {@link encode}. */
  #codes = new Uint16Array(256);
  #len = 0;
  #push(v: number): void {
    if (this.#len === this.#codes.length) {
      const bigger = new Uint16Array(this.#codes.length * 2);
      bigger.set(this.#codes);
      this.#codes = bigger;
    }
    this.#codes[this.#len++] = v;
  }
  /** Variable-length 15-bit groups: the high bit says another group follows. */
  #put(x: number): void {
    let v = x;
    while (v >= 0x7fff) {
      this.#push(0x8000 | (v & 0x7fff));
      v = Math.floor(v / 0x8000);
    }
    this.#push(v);
  }
  #flags(a: Uint8Array): void {
    let mask = 0;
    let bits = 0;
    for (const f of a) {
      mask |= f << bits;
      if (++bits === 15) {
        this.#push(mask);
        mask = 0;
        bits = 0;
      }
    }
    if (bits > 0) this.#push(mask);
  }

  /**
   * Encodes the configuration, compactly and one to one, as 16-bit codes: states, crash
   * flags, failed links, then each non-empty queue as (index, length, messages). Returns the
   * number of codes, which are then the first ones of {@link codes} (until the next call).
   */
  encode(c: Config): number {
    this.#len = 0;
    for (const s of c.st) this.#put(s);
    this.#flags(c.crashed);
    for (const l of this.links) this.#push(c.broken[l] ?? 0);
    for (let j = 0; j < c.qi.length; j++) {
      const q = c.qm[j] ?? EMPTY;
      this.#put(c.qi[j] ?? 0);
      this.#put(q.length);
      for (const m of q) this.#put(m);
    }
    return this.#len;
  }

  /**
   * Encodes `c` changed by one step, as {@link encode} encodes the changed configuration
   * (without making it): role `role` (if >= 0) moves to state `to`; role `crash` (if >= 0)
   * crashes, and the messages queued to it are dropped; link `link` (a queue index, if >= 0)
   * fails; `effect` ({@link #effect}) appends `msg` to a queue or takes a queue's head.
   * Returns the number of codes.
   */
  #encodeChanged(
    c: Config,
    role: number,
    to: number,
    crash: number,
    link: number,
    effect: number,
    msg: number,
  ): number {
    const n = this.n;
    this.#len = 0;
    const st = c.st;
    for (let r = 0; r < n; r++) this.#put(r === role ? to : (st[r] ?? 0));
    const crashed = c.crashed;
    let mask = 0;
    let bits = 0;
    for (let r = 0; r < n; r++) {
      mask |= (r === crash ? 1 : (crashed[r] ?? 0)) << bits;
      if (++bits === 15) {
        this.#push(mask);
        mask = 0;
        bits = 0;
      }
    }
    if (bits > 0) this.#push(mask);
    const links = this.links;
    // eslint-disable-next-line @typescript-eslint/prefer-for-of
    for (let x = 0; x < links.length; x++) {
      const l = links[x] ?? 0;
      this.#push(l === link ? 1 : (c.broken[l] ?? 0));
    }
    // The queue changed, and whether the step appends to it (else takes its head).
    const qk = effect > 0 ? (effect - 1) >> 1 : -1;
    const append = effect > 0 && (effect & 1) === 1;
    let placed = !append;
    const qi = c.qi;
    for (let j = 0; j < qi.length; j++) {
      const k = qi[j] ?? 0;
      if (crash >= 0 && k % n === crash) continue;
      const q = c.qm[j] ?? EMPTY;
      if (k === qk) {
        if (append) {
          this.#putQueue(k, q, 0, msg);
          placed = true;
        } else if (q.length > 1) this.#putQueue(k, q, 1, -1);
        continue;
      }
      if (!placed && k > qk) {
        this.#putQueue(qk, EMPTY, 0, msg);
        placed = true;
      }
      this.#putQueue(k, q, 0, -1);
    }
    if (!placed) this.#putQueue(qk, EMPTY, 0, msg);
    return this.#len;
  }

  /** Queue `k` as {@link encode} writes it: its messages from `from` on, then `extra` if >= 0. */
  #putQueue(k: number, q: readonly number[], from: number, extra: number): void {
    this.#put(k);
    this.#put(q.length - from + (extra >= 0 ? 1 : 0));
    // An index loop: `q` may be the frozen empty list, which V8 iterates slowly.
    for (let x = from; x < q.length; x++) this.#put(q[x] ?? 0);
    if (extra >= 0) this.#put(extra);
  }

  /** A configuration for {@link decodeInto} to overwrite (the search's one decoded view). */
  scratchConfig(): ConfigView {
    const n = this.n;
    return {
      st: new Array<number>(n).fill(0),
      crashed: new Uint8Array(n),
      broken: new Uint8Array(this.links.length > 0 ? n * n : 0),
      qi: NO_QUEUES,
      qm: NO_MESSAGES,
      ownQi: [],
      ownQm: [],
      pool: [],
    };
  }

  /**
   * Decodes the configuration encoded as `codes[from..to)` into `v`, overwriting it: what
   * {@link decode} does, without allocating (its queues' lists are reused).
   */
  decodeInto(codes: Uint16Array, from: number, to: number, v: ConfigView): void {
    const n = this.n;
    // (A position in a module variable, not a closure: this runs once per configuration.)
    at = from;
    const st = v.st;
    for (let i = 0; i < n; i++) st[i] = read(codes);
    const crashed = v.crashed;
    for (let i = 0; i < n; i += 15) {
      const mask = codes[at++] ?? 0;
      for (let b = 0; b < 15 && i + b < n; b++) crashed[i + b] = (mask >> b) & 1;
    }
    const links = this.links;
    // eslint-disable-next-line @typescript-eslint/prefer-for-of
    for (let l = 0; l < links.length; l++) v.broken[links[l] ?? 0] = codes[at++] ?? 0;
    if (at >= to) {
      v.qi = NO_QUEUES;
      v.qm = NO_MESSAGES;
      return;
    }
    const qi = v.ownQi;
    const qm = v.ownQm;
    let j = 0;
    while (at < to) {
      qi[j] = read(codes);
      const length = read(codes);
      const q = (v.pool[j] ??= []);
      for (let x = 0; x < length; x++) q[x] = read(codes);
      q.length = length;
      qm[j] = q;
      j++;
    }
    qi.length = j;
    qm.length = j;
    v.qi = qi;
    v.qm = qm;
  }

  /**
   * The configuration encoded as `codes` (all of them): the inverse of {@link encode}, so that
   * a configuration of a search is rebuilt from its table entry instead of by replaying its
   * search path (hundreds of thousands of steps deep on long protocols).
   */
  decode(codes: Uint16Array): Config {
    // A fresh view owns every list it decodes into: they are the configuration's own.
    const v = this.scratchConfig();
    this.decodeInto(codes, 0, codes.length, v);
    return { st: v.st, crashed: v.crashed, broken: v.broken, qi: v.qi, qm: v.qm };
  }

  /**
   * About how many codes {@link encode} writes per configuration: a state each (below 2^15),
   * the crash flags, the links, one short queue.
   */
  get codesPerConfig(): number {
    return this.n + Math.ceil(this.n / 15) + this.links.length + 4;
  }

  /** The codes written by the last {@link encode} (a buffer this system reuses). */
  get codes(): Uint16Array {
    return this.#codes;
  }

  /** A configuration, readable. */
  view(c: Config): ConfigurationView {
    const n = this.n;
    const states: Record<Role, number> = {};
    this.machines.forEach((m, i) => (states[m.role] = m.ids[c.st[i] ?? 0] ?? 0));
    const queues: ConfigurationView['queues'][number][] = [];
    c.qi.forEach((k, j) => {
      queues.push({
        from: this.roles[Math.floor(k / n)] ?? '',
        to: this.roles[k % n] ?? '',
        messages: (c.qm[j] ?? EMPTY).map((m) => this.messages.text(m)),
      });
    });
    const brokenLinks = this.links
      .filter((l) => c.broken[l] === 1)
      .map((l) => ({ from: this.roles[Math.floor(l / n)] ?? '', to: this.roles[l % n] ?? '' }));
    return {
      states,
      crashed: this.roles.filter((_, i) => c.crashed[i] === 1),
      ...(brokenLinks.length > 0 ? { brokenLinks } : {}),
      queues,
    };
  }

  /** The labels of role `i`'s transitions in its state `s`, comma separated. */
  expects(i: number, s: number): string {
    const m = this.machine(i);
    return (m.out[s] ?? []).map((t) => m.efsm.transitions[t.index]?.label ?? '').join(', ');
  }
}
