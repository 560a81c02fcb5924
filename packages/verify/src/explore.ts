import type { Progress, ViolationKind } from './api.js';
import { K } from './machines.js';
import { IntVec } from './intvec.js';
import { ConfigTable } from './table.js';
import { S, type Config, type ConfigView, type Event, type System } from './system.js';

/** A violation seen in one configuration, before it is given the configuration's id. */
export interface Seen {
  readonly kind: ViolationKind;
  readonly message: string;
  readonly roles: readonly number[];
}

/** A violation found on one configuration, before its trace is built. */
export interface Found extends Seen {
  /** The configuration's id in the state graph. */
  readonly id: number;
  /** Liveness only: the cycle, as events from `id` back to it. */
  readonly cycle?: readonly Event[];
  /**
   * Found where nothing can move but some send waits for room in a full queue: a violation of
   * queues of this capacity, which longer queues might not have.
   */
  readonly held?: boolean;
}

/**
 * The explored state graph. Without reduction ids are assigned breadth first, so parent
 * chains are shortest paths; with reduction the search is depth first.
 */
export interface Graph {
  /** Distinct configurations found. */
  readonly size: number;
  /** 1 for each configuration whose successors were all computed. */
  readonly done: IntVec;
  readonly transitions: number;
  /**
   * Per configuration: its search parent and the step leading from it (index 0: the initial
   * configuration, -1 and -1). Steps are numbers ({@link System.firstStep}; `System.event`).
   */
  readonly parent: IntVec;
  readonly via: IntVec;
  /** With `edges`: the successors of configuration i are `to[off[i]..end[i]-1]`, by steps `ev[...]`. */
  readonly off: IntVec;
  readonly end: IntVec;
  readonly to: IntVec;
  readonly ev: IntVec;
  /** Configurations some of whose successors were not explored (cut by the bound or by maxStates). */
  readonly partial: ReadonlySet<number>;
  readonly maxQueue: number;
  readonly cut: boolean;
  readonly stoppedAtMax: boolean;
  readonly found: readonly Found[];
  /**
   * With `blocked`: pairs (configuration id, queue index from * n + to) where a send of role
   * `from` to `to` waits because the queue is full (queues of a capacity only).
   */
  readonly blockedAt: IntVec;
  readonly blockedQueue: IntVec;
  /** With {@link ExploreOptions.forkAt}: the search saved at the fork, if it got there. */
  readonly fork?: Fork | undefined;
  /** The configurations by id, encoded ({@link System.decode} rebuilds one). */
  readonly table: ConfigTable;
}

export interface ExploreOptions {
  readonly safety: boolean;
  /** Keep the edges (for the liveness checks). */
  readonly edges: boolean;
  /** Record the sends that wait for room in a full queue (for the k-exhaustivity check). */
  readonly blocked?: boolean;
  readonly maxStates: number;
  readonly allViolations: boolean;
  /** Partial-order reduction (see {@link System.persistent}). */
  readonly reduce: boolean;
  readonly onProgress?: ((p: Progress) => void) | undefined;
  /** Reported with the progress: the protocol's qualified name and the model explored. */
  readonly protocol: string;
  readonly model: 'fair' | 'unfair';
  readonly progressEvery: number;
  readonly started: number;
  /**
   * Configurations where another system first behaves differently (the unfair-choice model:
   * see verify.ts): the search is saved as it stands before it first expands one, in
   * {@link Graph.fork}, for {@link resume}.
   */
  readonly forkAt?: ((c: Config) => boolean) | undefined;
}

/**
 * Exploration of every reachable configuration, checking the safety properties in each one:
 * breadth first (so the first violation found has a shortest trace), or, with partial-order
 * reduction, depth first with the stack proviso (the cycle proviso that a breadth-first
 * search can only approximate by expanding far more configurations fully).
 */
export function explore(sys: System, o: ExploreOptions): Graph {
  const x = new Explorer(sys, o);
  (o.reduce ? DepthFirst.sized(expectedSize(sys, o.maxStates)) : new BreadthFirst()).run(x);
  return x.graph();
}

/**
 * The search of `explore` as it stood just before it first expanded a configuration where
 * {@link ExploreOptions.forkAt} held: where it stood (a copy of the stack of the depth-first
 * search, the next id of the breadth-first one) and a mark of what it had found (the graph so
 * far). The graph is not copied: it only grows after the mark, except for the configurations
 * then waiting to be expanded, which the mark keeps; {@link resume} continues the search,
 * once, with another system, on the graph rolled back to the mark.
 */
export class Fork {
  #used = false;
  constructor(
    readonly store: GraphStore,
    readonly mark: Mark,
    readonly search: Search,
    /** The system searched: the graph's steps are numbered as in it. */
    readonly sys: System,
  ) {}
  take(sys: System): { store: GraphStore; search: Search } {
    if (this.#used) throw new Error('internal: a fork is resumed once');
    // The graph so far numbers its steps as `this.sys` does, and so does a system made like it.
    if (sys.like !== this.sys)
      throw new Error('internal: a fork is resumed with a system made like it');
    this.#used = true;
    this.store.rollBack(this.mark);
    return { store: this.store, search: this.search };
  }
}

/**
 * Continues the search saved in `fork` with system `sys`, which must behave as the forked
 * one (same steps, in the same order, to configurations with the same encodings) in every
 * configuration where `forkAt` does not hold. Then the graph is the one `explore(sys, o)`
 * builds, ids included, without exploring again the configurations found before the fork:
 * the depth-first search with the stack proviso depends on the order in which configurations
 * are found and on the stack, and both are the same up to the fork.
 *
 * The resumed search takes over the storage of the forked one: after `resume`, the graph
 * that `explore` returned keeps its counts (size, transitions, maxQueue, cut, stoppedAtMax,
 * found) but its vectors are the new graph's. Read it before.
 */
export function resume(fork: Fork, sys: System, o: ExploreOptions): Graph {
  const { store, search } = fork.take(sys);
  const x = new Explorer(sys, o, store);
  search.run(x);
  return x.graph();
}

/** One order of search (a fork saves a new one, standing where the search stood). */
interface Search {
  run(x: Explorer): void;
}

/** Breadth first: ids grow level by level, so search parents give shortest traces. */
class BreadthFirst implements Search {
  constructor(private next = 0) {}
  run(x: Explorer): void {
    const never = (): boolean => false;
    const succ = new IntVec(16);
    for (let id = this.next; id < x.g.table.size; id++) {
      if (x.forks(id)) x.fork = new Fork(x.g, x.g.mark(), new BreadthFirst(id), x.sys);
      succ.truncate(0);
      if (!x.expand(id, never, succ)) return;
    }
  }
}

/**
 * Depth first, with the stack proviso: a step back to a configuration on the stack may close
 * a cycle, so a role's steps are only taken alone when none of them does.
 */
class DepthFirst implements Search {
  constructor(
    readonly onStack = new IntVec(),
    // Frames as parallel vectors, no object or array per frame (a long protocol's search is
    // hundreds of thousands of frames deep): the configuration's id, where its successors end
    // in `succ` (they start where the frame below ends) and the next one to visit.
    readonly ids = new IntVec(),
    readonly ends = new IntVec(),
    readonly next = new IntVec(),
    /** The successors of every frame, one frame after the other. */
    readonly succ = new IntVec(),
    /** The configuration to enter first (the initial one; at a fork, the one forked at). */
    readonly first = 0,
  ) {}

  /**
   * A search from the initial configuration, with room for `expected` configurations (a long
   * protocol's search is as deep as it has configurations).
   */
  static sized(expected: number): DepthFirst {
    const v = (): IntVec => new IntVec(expected);
    return new DepthFirst(v(), v(), v(), v(), v());
  }

  run(x: Explorer): void {
    const { onStack, ids, ends, next, succ } = this;
    const closesCycle = (j: number): boolean => j >= 0 && onStack.get(j) === 1;
    const enter = (id: number): boolean => {
      if (x.forks(id))
        x.fork = new Fork(
          x.g,
          x.g.mark(),
          new DepthFirst(onStack.copy(), ids.copy(), ends.copy(), next.copy(), succ.copy(), id),
          x.sys,
        );
      onStack.set(id, 1);
      const from = succ.length;
      if (!x.expand(id, closesCycle, succ)) return false;
      ids.push(id);
      ends.push(succ.length);
      next.push(from);
      return true;
    };
    if (!enter(this.first)) return;
    while (ids.length > 0) {
      const top = ids.length - 1;
      const at = next.get(top);
      if (at === ends.get(top)) {
        onStack.set(ids.get(top), 0);
        ids.truncate(top);
        ends.truncate(top);
        next.truncate(top);
        succ.truncate(top > 0 ? ends.get(top - 1) : 0);
        continue;
      }
      next.set(top, at + 1);
      const j = succ.get(at);
      if (x.g.pending.get(j) === 1 && !enter(j)) return;
    }
  }
}

/**
 * What {@link GraphStore.rollBack} needs to bring the graph back to where it stood at a fork:
 * the lengths of its vectors, its counts, and what later expansions change in place (the
 * configurations waiting to be expanded, the set of partly explored ones).
 */
export interface Mark {
  readonly size: number;
  readonly edges: number;
  readonly offLength: number;
  readonly endLength: number;
  readonly doneLength: number;
  readonly blocked: number;
  /** The configurations then waiting to be expanded. */
  readonly waiting: Int32Array;
  readonly partial: ReadonlySet<number>;
  readonly transitions: number;
  readonly maxQueue: number;
  readonly cut: boolean;
  readonly stoppedAtMax: boolean;
  readonly expanded: number;
}

/**
 * The storage of a state graph: the configurations by encoding, per-configuration vectors,
 * the edges and the counts. An {@link Explorer} fills it; at a {@link Fork} it is marked, and
 * the explorer that resumes the search holds it (rolled back to the mark), not a copy.
 */
export class GraphStore {
  /** The configurations found, by encoding; ids are their search order. */
  readonly table: ConfigTable;
  readonly parent: IntVec;
  readonly via: IntVec;
  readonly off: IntVec;
  readonly end: IntVec;
  readonly to: IntVec;
  readonly ev: IntVec;
  readonly done: IntVec;
  readonly partial = new Set<number>();
  readonly blockedAt = new IntVec(16);
  readonly blockedQueue = new IntVec(16);
  /**
   * 1 for each configuration found but not yet expanded (cleared once expanded). Only
   * encodings are kept: the explorer decodes a configuration when it expands it.
   */
  readonly pending: IntVec;
  transitions = 0;
  maxQueue = 0;
  cut = false;
  stoppedAtMax = false;
  expanded = 0;

  /**
   * A graph of the initial configuration of `sys` alone, with room for `expected`
   * configurations (and as many edges) before its vectors grow.
   */
  constructor(sys: System, expected = 1 << 10) {
    this.table = new ConfigTable(undefined, expected, sys.codesPerConfig);
    this.parent = new IntVec(expected);
    this.via = new IntVec(expected);
    this.off = new IntVec(expected);
    this.end = new IntVec(expected);
    this.to = new IntVec(expected);
    this.ev = new IntVec(expected);
    this.done = new IntVec(expected);
    this.pending = new IntVec(expected);
    this.parent.push(-1);
    this.via.push(-1);
    this.pending.push(1);
    // (Encoded before `sys.codes` is read: see `#takeAlone`.)
    const length = sys.encode(sys.initial);
    this.table.find(sys.codes, length);
    this.table.add();
  }

  /** A mark of what was found so far, for a {@link Fork}. */
  mark(): Mark {
    const pending = this.pending.view();
    let count = 0;
    // Index loops over the vectors (10^5 long): a for-of allocates an iterator result per
    // element until V8 optimizes it, and this runs once.
    // eslint-disable-next-line @typescript-eslint/prefer-for-of
    for (let id = 0; id < pending.length; id++) count += pending[id] ?? 0;
    const waiting = new Int32Array(count);
    for (let id = 0, k = 0; id < pending.length; id++) if (pending[id] === 1) waiting[k++] = id;
    return {
      size: this.table.size,
      edges: this.to.length,
      offLength: this.off.length,
      endLength: this.end.length,
      doneLength: this.done.length,
      blocked: this.blockedAt.length,
      waiting,
      partial: new Set(this.partial),
      transitions: this.transitions,
      maxQueue: this.maxQueue,
      cut: this.cut,
      stoppedAtMax: this.stoppedAtMax,
      expanded: this.expanded,
    };
  }

  /**
   * Brings the graph back to `m`, in place (the search that filled it must be over): what was
   * added since is dropped, and the configurations that were waiting are waiting again.
   * Their `done`, `off` and `end` entries were unset at the mark (expanding sets them).
   */
  rollBack(m: Mark): void {
    this.table.truncate(m.size);
    this.parent.truncate(m.size);
    this.via.truncate(m.size);
    this.pending.truncate(m.size);
    this.to.truncate(m.edges);
    this.ev.truncate(m.edges);
    this.off.truncate(m.offLength);
    this.end.truncate(m.endLength);
    this.done.truncate(m.doneLength);
    this.blockedAt.truncate(m.blocked);
    this.blockedQueue.truncate(m.blocked);
    // (An index loop: see `mark`.)
    // eslint-disable-next-line @typescript-eslint/prefer-for-of
    for (let k = 0; k < m.waiting.length; k++) {
      const id = m.waiting[k] ?? 0;
      this.pending.set(id, 1);
      if (id < m.doneLength) this.done.set(id, 0);
      if (id < m.offLength) this.off.set(id, 0);
      if (id < m.endLength) this.end.set(id, 0);
    }
    this.partial.clear();
    for (const id of m.partial) this.partial.add(id);
    this.transitions = m.transitions;
    this.maxQueue = m.maxQueue;
    this.cut = m.cut;
    this.stoppedAtMax = m.stoppedAtMax;
    this.expanded = m.expanded;
  }
}

/**
 * Builds the state graph in a {@link GraphStore}: `expand` checks one configuration and
 * records its successors; the search loops above decide the order.
 */
export class Explorer {
  readonly n: number;
  /** The graph being built (after a fork, the one the forked search built, rolled back). */
  readonly g: GraphStore;
  readonly found: Found[] = [];
  readonly kinds = new Set<ViolationKind>();
  /** The search as it stood at the first configuration where `o.forkAt` held. */
  fork: Fork | undefined;
  /** The number of steps each role may take alone in the configuration being expanded (0: it may not). */
  readonly #size: Int32Array;
  /** Scratch for {@link safetyViolations}. */
  readonly #wait: Uint8Array;
  /** Scratch for {@link System.stepsOf}: the steps of one role (see {@link #takeAlone}). */
  readonly #ampleEvents: number[] = [];
  /**
   * The configuration being expanded (or asked about by `forkAt`), decoded from the table
   * into one object the explorer overwrites: successors are encoded straight from it
   * ({@link System.successors}), and no configuration is made per step.
   */
  readonly #view: ConfigView;
  /** The id decoded in {@link #view} (-1: none). */
  #viewId = -1;

  constructor(
    readonly sys: System,
    readonly o: ExploreOptions,
    store?: GraphStore,
  ) {
    this.n = sys.n;
    this.#size = new Int32Array(sys.n);
    this.#wait = new Uint8Array(sys.n);
    this.#view = sys.scratchConfig();
    this.g = store ?? new GraphStore(sys, expectedSize(sys, o.maxStates));
  }

  /** Configuration `id`, decoded in the explorer's one view (valid until another is). */
  #load(id: number): ConfigView {
    if (this.#viewId !== id) {
      const t = this.g.table;
      this.sys.decodeInto(t.buffer, t.startOf(id), t.startOf(id + 1), this.#view);
      this.#viewId = id;
    }
    return this.#view;
  }

  /** Whether the search forks before expanding configuration `id`. */
  forks(id: number): boolean {
    const forkAt = this.o.forkAt;
    if (this.fork !== undefined || forkAt === undefined || this.g.pending.get(id) !== 1)
      return false;
    return forkAt(this.#load(id));
  }

  /**
   * The id of the configuration encoded as the first `length` of `System.codes`, or -1 when
   * it is new (then {@link #step} adds it: nothing encoded in between).
   */
  #find(length: number): number {
    return this.g.table.find(this.sys.codes, length);
  }

  /** The graph as it stands: its counts as of now, its vectors (which a resumed search takes over). */
  graph(): Graph {
    const g = this.g;
    return {
      size: g.table.size,
      done: g.done,
      transitions: g.transitions,
      parent: g.parent,
      via: g.via,
      off: g.off,
      end: g.end,
      to: g.to,
      ev: g.ev,
      partial: g.partial,
      maxQueue: g.maxQueue,
      cut: g.cut,
      stoppedAtMax: g.stoppedAtMax,
      found: this.found,
      blockedAt: g.blockedAt,
      blockedQueue: g.blockedQueue,
      fork: this.fork,
      table: g.table,
    };
  }

  /** Records the first violation of each kind; true when the search should stop. */
  #report(seen: readonly Seen[], id: number, held = false): boolean {
    // (Mostly nothing: no iterator over the frozen empty list.)
    if (seen.length === 0) return false;
    for (const s of seen) {
      if (this.kinds.has(s.kind)) continue;
      this.kinds.add(s.kind);
      this.found.push({ ...s, id, ...(held ? { held } : {}) });
    }
    return this.found.length > 0 && !this.o.allViolations;
  }

  #progress(): Progress {
    return {
      states: this.g.table.size,
      transitions: this.g.transitions,
      frontier: this.g.table.size - this.g.expanded,
      maxQueue: this.g.maxQueue,
      elapsedMs: Date.now() - this.o.started,
      protocol: this.o.protocol,
      model: this.o.model,
    };
  }

  /**
   * Records step `e` from configuration `id` (`c`) to the one `found` (-1: new, the last one
   * looked up); returns the successor's id, or undefined when maxStates stops it.
   */
  #step(id: number, c: Config, e: number, found: number): number | undefined {
    this.g.transitions++;
    let nid = found;
    if (nid < 0) {
      if (this.g.table.size >= this.o.maxStates) {
        this.g.stoppedAtMax = true;
        this.g.partial.add(id);
        return undefined;
      }
      nid = this.g.table.add();
      this.g.parent.push(id);
      this.g.via.push(e);
      this.g.pending.push(1);
      if (this.sys.kindOf(e) === K.Send) {
        // The queue's length after the send (unchanged when the message is lost).
        const i = this.sys.roleOf(e);
        const peer = this.sys.peerOf(e);
        const len = this.sys.queue(c, i, peer).length + (this.sys.lost(c, i, peer) ? 0 : 1);
        if (len > this.g.maxQueue) this.g.maxQueue = len;
      }
      if (this.o.onProgress && nid % this.o.progressEvery === 0)
        this.o.onProgress(this.#progress());
    }
    if (this.o.edges) {
      this.g.to.push(nid);
      this.g.ev.push(e);
    }
    return nid;
  }

  /**
   * Checks and expands configuration `id`: pushes its successors' ids onto `succ`; false to
   * stop the search (a violation, when only the first one is wanted). `closesCycle(j)` says whether a
   * step to configuration j might close a cycle of reduced steps (the cycle proviso).
   */
  expand(id: number, closesCycle: (j: number) => boolean, succ: IntVec): boolean {
    if (this.g.pending.get(id) !== 1) return true;
    this.g.pending.set(id, 0);
    const c = this.#load(id);
    const sys = this.sys;
    if (this.o.safety && this.#report(safetyViolations(sys, c, this.#wait), id)) return false;
    this.g.done.set(id, 1);
    this.g.expanded++;
    if (this.o.edges) this.g.off.set(id, this.g.to.length);
    if (this.o.blocked === true) this.#recordBlocked(id, c);
    if (this.o.reduce && this.#reduced(id, c, closesCycle, succ)) return true;
    return this.#expandFully(id, c, succ);
  }

  /**
   * Expands configuration `id` (`c`) by all its steps. (Its own method: the closure it passes
   * would make V8 allocate a context on every call of `expand`, reduced ones included.)
   */
  #expandFully(id: number, c: Config, succ: IntVec): boolean {
    const sys = this.sys;
    let successors = 0;
    const more = sys.successors(c, (e, length) => {
      successors++;
      const nid = this.#step(id, c, e, this.#find(length));
      if (nid !== undefined) succ.push(nid);
      return true;
    });
    if (this.o.edges) this.g.end.set(id, this.g.to.length);
    if (more === true) {
      this.g.cut = true;
      this.g.partial.add(id);
    }
    if (this.o.safety && successors === 0 && more === false)
      if (this.#report(stopViolations(sys, c), id, heldUp(sys, c))) return false;
    return true;
  }

  /**
   * Partial-order reduction: expands `id` by one role's steps only, for the first role whose
   * steps cannot close a cycle (roles with a single step first: the most reduction, then by
   * number of steps); false when every such set could, and the configuration must be fully
   * expanded, so that every cycle of the reduced graph has a fully expanded configuration and
   * no step is postponed for ever.
   */
  #reduced(id: number, c: Config, closesCycle: (j: number) => boolean, succ: IntVec): boolean {
    const size = this.#size;
    let most = 0;
    for (let i = 0; i < this.n; i++) {
      const k = this.sys.persistent(c, i);
      size[i] = k;
      if (k > most) most = k;
      if (k === 1 && this.#takeAlone(id, c, i, closesCycle, succ)) return true;
    }
    for (let k = 2; k <= most; k++)
      for (let i = 0; i < this.n; i++)
        if (size[i] === k && this.#takeAlone(id, c, i, closesCycle, succ)) return true;
    return false;
  }

  /**
   * Expands configuration `id` by the steps of role `i` alone, if none of them may close a
   * cycle (and no two lead to the same configuration): their successors' ids go to `succ`.
   */
  #takeAlone(
    id: number,
    c: Config,
    i: number,
    closesCycle: (j: number) => boolean,
    succ: IntVec,
  ): boolean {
    const sys = this.sys;
    const events = this.#ampleEvents;
    const count = sys.stepsOf(c, i, events);
    const e = events[0];
    if (count === 1 && e !== undefined) {
      // The common case (one step): one encoding, one look-up.
      const found = this.#find(sys.encodeStep(c, e));
      if (closesCycle(found)) return false;
      const nid = this.#step(id, c, e, found);
      if (nid !== undefined) succ.push(nid);
    } else {
      const codes: Uint16Array[] = [];
      for (let k = 0; k < count; k++) {
        // Encoded first, then read: the encoding may outgrow `sys.codes` and replace it (a
        // slice of the buffer read before it was replaced keeps a truncated configuration).
        const length = sys.encodeStep(c, events[k] ?? 0);
        codes.push(sys.codes.slice(0, length));
      }
      if (codes.some((a, i) => codes.some((b, j) => j < i && sameCodes(a, b)))) return false;
      for (const a of codes) if (closesCycle(this.g.table.find(a, a.length))) return false;
      for (let k = 0; k < count; k++) {
        const ek = events[k];
        const a = codes[k];
        if (ek === undefined || !a) continue;
        const nid = this.#step(id, c, ek, this.g.table.find(a, a.length));
        if (nid !== undefined) succ.push(nid);
      }
    }
    if (this.o.edges) this.g.end.set(id, this.g.to.length);
    return true;
  }

  /** Notes each queue that some role would send on but cannot: it is full. */
  #recordBlocked(id: number, c: Config): void {
    forEachHeldUp(this.sys, c, (qx) => {
      this.g.blockedAt.push(id);
      this.g.blockedQueue.push(qx);
    });
  }
}

/**
 * How many configurations a search of `sys` is made room for at once: a quarter more than its
 * machines have states (a protocol that is one long sequence, where one role moves at a
 * time, has about as many configurations as states: Big 100,000 has 2 * 10^5, and a few
 * hundred more from its final loop), within `maxStates` and {@link MAX_ROOM}. Memory set
 * aside and never written is not resident, so a guess too high costs little; one too low, the
 * usual growth (whose copies, near the end of a long search, were what the room saves).
 */
function expectedSize(sys: System, maxStates: number): number {
  let states = 0;
  for (let i = 0; i < sys.n; i++) states += sys.flat(i).first.length;
  return Math.max(1 << 10, Math.min(states + (states >> 2), maxStates + 1, MAX_ROOM));
}

/**
 * The most configurations a search makes room for at once (beyond, the vectors grow as they
 * fill): machines of many states in lock-step have far fewer configurations than states, and
 * V8 counts memory set aside, used or not, towards its next garbage collection.
 */
const MAX_ROOM = 1 << 19;

/**
 * Calls `f` with each queue (from * n + to) that some role would send on but cannot, because
 * it holds `capacity` messages (once per role and queue).
 */
function forEachHeldUp(sys: System, c: Config, f: (qx: number) => void): void {
  const capacity = sys.capacity;
  if (capacity === undefined) return;
  for (let i = 0; i < sys.n; i++) {
    if (c.crashed[i] === 1) continue;
    let last = -1;
    const fl = sys.flat(i);
    const s = c.st[i] ?? 0;
    const first = fl.first[s] ?? 0;
    for (let x = first, end = first + (fl.count[s] ?? 0); x < end; x++) {
      const peer = fl.peer[x] ?? 0;
      if (fl.kind[x] !== K.Send || peer === last || sys.lost(c, i, peer)) continue;
      if (sys.queue(c, i, peer).length < capacity) continue;
      last = peer;
      f(i * sys.n + peer);
    }
  }
}

function sameCodes(a: Uint16Array, b: Uint16Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Some send waits for room in a full queue. */
function heldUp(sys: System, c: Config): boolean {
  let any = false;
  forEachHeldUp(sys, c, () => (any = true));
  return any;
}

/**
 * Orphans, stuck receptions and scribble-java's wait-for errors visible in one configuration.
 * A wait-for error: live roles that wait to receive, with nothing queued for them from the
 * roles they wait for, where each of those has finished, crashed (and is not detected) or
 * waits in the same way; found even while other roles still move. It runs on every
 * configuration: the explorer passes `scratch` (n bytes, overwritten) to save an allocation.
 */
export function safetyViolations(
  sys: System,
  c: Config,
  scratch: Uint8Array = new Uint8Array(sys.n),
): readonly Seen[] {
  // Index loops and no allocation unless something is found: this runs on every one of
  // hundreds of thousands of configurations.
  const n = sys.n;
  let seen: Seen[] | undefined;
  // scratch[i] = 1: role i waits to receive, with nothing queued for it.
  scratch.fill(0);
  let waiting = 0;
  for (let i = 0; i < n; i++) {
    if (c.crashed[i] === 1) continue;
    const s = c.st[i] ?? 0;
    // One look-up says what the state is (most roles wait for one peer, or have finished).
    const info = sys.stateInfo(i)[s] ?? 0;
    if ((info & S.Unconnected) !== 0 && !sys.inbox(c, i)) continue;
    if ((info & S.Terminal) !== 0) {
      const o = orphan(sys, c, i);
      if (o) (seen ??= []).push(o);
      continue;
    }
    if ((info & S.Input) === 0) continue;
    // Most waiting roles wait for one peer: one typed read, one queue.
    const p = sys.onePeer(i)[s] ?? -1;
    let empty = true;
    if (p >= 0) empty = sys.queue(c, p, i).length === 0;
    else {
      const peers = sys.inputPeers(i, s) ?? NO_PEERS;
      for (let k = 0; k < peers.length && empty; k++)
        if (sys.queue(c, peers[k] ?? 0, i).length > 0) empty = false;
    }
    if (!empty && p >= 0) {
      const head = sys.queue(c, p, i)[0];
      if (head !== undefined && !sys.receives(i, s, head)) {
        const m = sys.machine(i);
        (seen ??= []).push({
          kind: 'stuck',
          message:
            `${m.role} cannot receive ${sys.messages.text(head)} from ${name(sys, p)}: ` +
            `in state ${String(m.ids[s])} it expects ${sys.expects(i, s)}`,
          roles: [i],
        });
      }
    }
    if (!empty || ((info & S.Detect) !== 0 && sys.detects(c, i))) continue;
    scratch[i] = 1;
    waiting++;
  }
  if (waiting > 0) {
    const blocked = waitingForever(sys, c, waiting, scratch);
    if (blocked.length > 0) (seen ??= []).push(...classifyWaiting(sys, c, blocked));
  }
  return seen ?? NONE;
}

const NONE: readonly Seen[] = Object.freeze([]);

/**
 * {@link classify} of roles that wait to receive. (Not written out in safetyViolations: a
 * closure there over `sys` and `c` makes V8 allocate a context on every call, 9 MB on Big.)
 */
function classifyWaiting(sys: System, c: Config, blocked: readonly number[]): Seen[] {
  return classify(sys, c, blocked, (i) => sys.inputPeers(i, c.st[i] ?? 0) ?? []);
}

/** Role `i` has finished but a message to it is still queued. */
function orphan(sys: System, c: Config, i: number): Seen | undefined {
  for (let j = 0; j < sys.n; j++) {
    const q = sys.queue(c, j, i);
    if (q.length === 0) continue;
    const msgs = q.map((x) => sys.messages.text(x)).join(', ');
    return {
      kind: 'orphan',
      message: `${sys.roles[i] ?? ''} has finished, but ${msgs} from ${name(sys, j)} will never be received`,
      roles: [i],
    };
  }
  return undefined;
}

/**
 * Of the roles that wait with nothing queued (the `waiting` roles i with `wait[i]` = 1), those
 * that wait forever: every role they wait for is dead (finished or crashed) or waits forever
 * too (a greatest fixed point: a role is dropped once it waits for a live role that does not
 * wait).
 */
function waitingForever(
  sys: System,
  c: Config,
  waiting: number,
  wait: Uint8Array,
): readonly number[] {
  const n = sys.n;
  let functional = true;
  for (let i = 0; i < n && functional; i++)
    if (wait[i] === 1 && (sys.onePeer(i)[c.st[i] ?? 0] ?? -1) < 0) functional = false;
  if (functional) return waitingForeverOnePeer(sys, c, wait);
  let left = waiting;
  for (let changed = true; changed && left > 0; ) {
    changed = false;
    for (let i = 0; i < n; i++) {
      if (wait[i] !== 1) continue;
      const peers = sys.inputPeers(i, c.st[i] ?? 0) ?? NO_PEERS;
      // An index loop: `peers` is often a frozen array (shared per role, system.ts), and V8
      // allocates an iterator result per element of a for-of over one (1 GB on Big 100k).
      // eslint-disable-next-line @typescript-eslint/prefer-for-of
      for (let k = 0; k < peers.length; k++) {
        const p = peers[k] ?? 0;
        if (wait[p] !== 1 && alive(sys, c, p)) {
          wait[i] = 0;
          left--;
          changed = true;
          break;
        }
      }
    }
  }
  // (No list when nobody waits forever, which is almost always.)
  if (left === 0) return NO_PEERS;
  const blocked: number[] = [];
  for (let i = 0; i < n; i++) if (wait[i] === 1) blocked.push(i);
  return blocked;
}

/**
 * Role `p`, which does not wait (or waits for a live role), has neither finished nor crashed.
 * A role not connected yet is not dead: another may still connect to it.
 */
function alive(sys: System, c: Config, p: number): boolean {
  return c.crashed[p] !== 1 && ((sys.stateInfo(p)[c.st[p] ?? 0] ?? 0) & S.Terminal) === 0;
}

/** The one peer role `i` waits for (see {@link waitingForeverOnePeer}). */
function peerOf(sys: System, c: Config, i: number): number {
  const p = sys.onePeer(i)[c.st[i] ?? 0] ?? -1;
  return p >= 0 ? p : i;
}

const NO_PEERS: readonly number[] = Object.freeze([]);

/**
 * {@link waitingForever} when each waiting role waits for one peer (almost always): the roles
 * waiting for each other then form chains, each ending in a role that does not wait (live or
 * dead) or in a cycle of waiting roles, and one walk along each chain decides all of its roles
 * (the fixed point above takes a pass per link of a chain that runs against the roles' order).
 * `wait[i]`: 0 does not wait (or waits for a live role), 1 waits (undecided), 2 waits forever,
 * 3 on the chain being walked.
 */
function waitingForeverOnePeer(sys: System, c: Config, wait: Uint8Array): readonly number[] {
  const n = sys.n;
  let forever = 0;
  for (let i = 0; i < n; i++) {
    if (wait[i] !== 1) continue;
    let x = i;
    let outcome: 0 | 2;
    for (;;) {
      const w = wait[x];
      // A role that does not wait (or was found to wait for a live one) ends the chain: live,
      // it lets the chain move; dead, the chain waits forever. So does a cycle (3) or a role
      // known to wait forever (2).
      if (w === 0) {
        outcome = alive(sys, c, x) ? 0 : 2;
        break;
      }
      if (w !== 1) {
        outcome = 2;
        break;
      }
      wait[x] = 3;
      x = peerOf(sys, c, x);
    }
    for (x = i; wait[x] === 3; x = peerOf(sys, c, x)) {
      wait[x] = outcome;
      if (outcome === 2) forever++;
    }
  }
  if (forever === 0) return NO_PEERS;
  const blocked: number[] = [];
  for (let i = 0; i < n; i++) if (wait[i] === 2) blocked.push(i);
  return blocked;
}

/** Nothing can move (and nothing was cut): live roles that have not finished. */
export function stopViolations(sys: System, c: Config): Seen[] {
  const waiting: number[] = [];
  for (let i = 0; i < sys.n; i++)
    if (c.crashed[i] === 0 && !sys.machine(i).terminal[c.st[i] ?? 0] && !sys.unconnected(c, i))
      waiting.push(i);
  if (waiting.length === 0) return [];
  return classify(sys, c, waiting, (i) => [
    ...new Set((sys.machine(i).out[c.st[i] ?? 0] ?? []).map((t) => t.peer)),
  ]);
}

/**
 * Roles that can never move: those on a cycle of the wait-for graph (each waits for the
 * next) are a `deadlock`, the others (waiting, maybe through other waiting roles, for roles
 * that have finished or crashed) `unfinished`.
 */
function classify(
  sys: System,
  c: Config,
  blocked: readonly number[],
  waitsOn: (i: number) => readonly number[],
): Seen[] {
  const inSet = new Set(blocked);
  const reaches = (from: number, target: number): boolean => {
    const seen = new Set<number>();
    const stack = [...waitsOn(from)];
    for (let x = stack.pop(); x !== undefined; x = stack.pop()) {
      if (x === target) return true;
      if (!inSet.has(x) || seen.has(x)) continue;
      seen.add(x);
      stack.push(...waitsOn(x));
    }
    return false;
  };
  const cyclic = blocked.filter((i) => reaches(i, i));
  const rest = blocked.filter((i) => !cyclic.includes(i));
  const out: Seen[] = [];
  if (cyclic.length > 0)
    out.push({ kind: 'deadlock', message: describeWaits(sys, c, cyclic), roles: cyclic });
  if (rest.length > 0)
    out.push({ kind: 'unfinished', message: describeWaits(sys, c, rest), roles: rest });
  return out;
}

function describeWaits(sys: System, c: Config, roles: readonly number[]): string {
  const state = (p: number): string =>
    c.crashed[p] === 1
      ? ' (crashed)'
      : sys.machine(p).terminal[c.st[p] ?? 0]
        ? ' (finished)'
        : sys.unconnected(c, p)
          ? ' (not connected)'
          : '';
  return roles
    .map((i) => {
      const s = c.st[i] ?? 0;
      const out = sys.machine(i).out[s] ?? [];
      const who = [...new Set(out.map((t) => t.peer))].map((p) => `${name(sys, p)}${state(p)}`);
      const what = out.some((t) => t.k === K.Send) ? 'cannot send to' : 'waits for';
      return `${name(sys, i)} ${what} ${who.join(' or ')} (${sys.expects(i, s)})`;
    })
    .join('; ');
}

function name(sys: System, i: number): string {
  return sys.roles[i] ?? '';
}
