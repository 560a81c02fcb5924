/**
 * Where the printers write a shared continuation. Global and local types are DAGs: the
 * statements after a choice are one object that every branch reaches. Text is a tree, but
 * sequential composition (`choice { ... } or { ... }` followed by what follows it) writes such
 * a node once, after the block, when the node is where the block's branches meet again: its
 * *join*. This module finds joins, for any DAG given by its fall-through successors (a
 * `continue` is a jump, not a successor: a path that jumps never reaches the end of its block).
 */

/** The graph the printers lay out. */
export interface Shape<N> {
  /** The successors of `n` that a path may fall through to (branches, body, continuation). */
  successors(n: N): readonly N[];
  /** The end of the protocol: falling off every enclosing block. */
  isEnd(n: N): boolean;
  /** The recursion label `n` binds (`rec X`), if any. */
  binds(n: N): string | undefined;
  /** The recursion labels `n` jumps back to (`continue X`). */
  jumps(n: N): readonly string[];
}

/** A continuation written once as an auxiliary protocol, and called where it is shared. */
export interface Auxiliary<N> {
  /** 1, 2, ...: the printers name it after the protocol (`P__1`). */
  readonly index: number;
  readonly node: N;
  /** Where its text ends: the call's enclosing block goes on there. */
  readonly stop: N | undefined;
}

/** The virtual exit after the end: every finishing path goes through it. */
const EXIT: unique symbol = Symbol('exit');
type Pdom<N> = N | typeof EXIT;

/** {@link PostDominators}: a node whose every path jumps back (it has no post-dominator). */
const NONE: unique symbol = Symbol('none');

/**
 * A post-dominator tree: for each node, the first node that every path from it to the exit
 * goes through. Two readings of a jump (`continue`): `jumpsExit` false, a path that jumps does
 * not count (it never reaches what follows the block: `choice { a; J } or { c; continue X }`
 * then J meets the branches that go on); true, it leaves too (in a loop body where every path
 * jumps back, the branches still meet before they jump: `choice { a } or { b }; J; continue X`).
 *
 * Computed on demand, for what a node reaches only: a node's post-dominator depends on its
 * successors alone. The printers ask about blocks (choices, recursions), and a long protocol
 * is mostly a chain of messages that no block reaches.
 */
class PostDominators<N> {
  /** Immediate post-dominator, or NONE for nodes whose every path jumps (`jumpsExit` false). */
  readonly #ipdom = new Map<N, Pdom<N> | typeof NONE>();
  /** Depth in the tree (EXIT is 0). */
  readonly #depth = new Map<Pdom<N>, number>([[EXIT, 0]]);

  constructor(
    readonly shape: Shape<N>,
    readonly jumpsExit: boolean,
  ) {}

  /** The immediate post-dominator of `n` (undefined: the exit, or none). */
  of(n: N): N | undefined {
    if (!this.#ipdom.has(n)) this.#compute(n);
    const p = this.#ipdom.get(n);
    return p === EXIT || p === NONE ? undefined : p;
  }

  /** Computes every node `root` reaches that is not known yet, successors first. */
  #compute(root: N): void {
    const { shape } = this;
    // Depth-first without recursion (long chains): the nodes on the path, their successors and
    // the next successor to visit.
    const nodes: N[] = [root];
    const succs: (readonly N[])[] = [shape.successors(root)];
    const next: number[] = [0];
    const onPath = new Set<N>([root]);
    while (nodes.length > 0) {
      const top = nodes.length - 1;
      const n = nodes[top] as N;
      const succ = succs[top] ?? [];
      const i = next[top] ?? 0;
      const s = succ[i];
      if (s !== undefined) {
        next[top] = i + 1;
        if (!this.#ipdom.has(s) && !onPath.has(s)) {
          nodes.push(s);
          succs.push(shape.successors(s));
          next.push(0);
          onPath.add(s);
        }
        continue;
      }
      nodes.pop();
      succs.pop();
      next.pop();
      this.#ipdom.set(n, this.#ipdomOf(n, succ));
    }
  }

  /** The immediate post-dominator of `n`, its successors being known. */
  #ipdomOf(n: N, succ: readonly N[]): Pdom<N> | typeof NONE {
    let p: Pdom<N> | undefined =
      this.shape.isEnd(n) || (this.jumpsExit && succ.length === 0) ? EXIT : undefined;
    if (p === undefined) {
      for (const s of succ) {
        const known = this.#ipdom.get(s);
        if (known === undefined || known === NONE) continue; // s only jumps back
        p = p === undefined ? s : this.#meet(p, s);
      }
    }
    if (p === undefined) return NONE;
    this.#depth.set(n, (this.#depth.get(p) ?? 0) + 1);
    return p;
  }

  /** The nearest common post-dominator of `a` and `b`. */
  #meet(a0: Pdom<N>, b0: Pdom<N>): Pdom<N> {
    let a = a0;
    let b = b0;
    const up = (x: Pdom<N>): Pdom<N> => {
      if (x === EXIT) return EXIT;
      const p = this.#ipdom.get(x);
      return p === undefined || p === NONE ? EXIT : p;
    };
    const depth = (x: Pdom<N>): number => this.#depth.get(x) ?? 0;
    while (a !== b) {
      if (depth(a) >= depth(b)) a = up(a);
      else b = up(b);
    }
    return a;
  }
}

/**
 * The joins of a DAG. Computed once per printed type: parents per node (linear in its size),
 * and post-dominators of what its blocks reach (see {@link PostDominators}).
 */
export class Layout<N> {
  readonly #shape: Shape<N>;
  readonly #parents = new Map<N, number>();
  /**
   * Post-dominators where a jump does not count, and where it leaves; made when first needed
   * (the global printer has elaboration's record of every join and usually needs neither).
   */
  #finishing: PostDominators<N> | undefined;
  #leaving: PostDominators<N> | undefined;

  constructor(root: N, shape: Shape<N>) {
    this.#shape = shape;
    this.#countParents(root);
  }

  /** How many edges lead to `n` (several: a continuation shared by several paths). */
  parents(n: N): number {
    return this.#parents.get(n) ?? 0;
  }

  /**
   * Where the branches of `block` (a choice or a recursion) meet again, to be written once
   * after it: `hint` (the continuation elaboration recorded) if it is one, else the first node
   * every finishing path from `block` reaches, if several paths lead there. Undefined when the
   * continuation is the enclosing block's (`stop`) or the end, or when no node qualifies: a
   * join must be reached only from inside the block (else it would be written twice), and no
   * path may leave the block (reach `stop` or the end) without passing it.
   */
  join(block: N, stop: N | undefined, hint?: N): N | undefined {
    if (hint !== undefined) return this.#valid(block, stop, hint, true);
    this.#finishing ??= new PostDominators(this.#shape, false);
    const finishing = this.#valid(block, stop, this.#finishing.of(block), false);
    if (finishing !== undefined) return finishing;
    this.#leaving ??= new PostDominators(this.#shape, true);
    return this.#valid(block, stop, this.#leaving.of(block), false);
  }

  /** `j` if it is a join of `block` inside `stop` (see {@link join}). */
  #valid(block: N, stop: N | undefined, j: N | undefined, hinted: boolean): N | undefined {
    if (j === undefined || j === stop || this.#shape.isEnd(j)) return undefined;
    if (!hinted && this.parents(j) < 2) return undefined;
    // Walk the block up to j: every edge into j must come from here, and nothing may get out.
    let into = 0;
    const seen = new Set<N>([block]);
    const stack: N[] = [block];
    for (let n = stack.pop(); n !== undefined; n = stack.pop()) {
      for (const s of this.#shape.successors(n)) {
        if (s === j) into++;
        else if (s === stop || this.#shape.isEnd(s)) return undefined;
        else if (!seen.has(s)) {
          seen.add(s);
          stack.push(s);
        }
      }
    }
    return into > 0 && into === this.parents(j) ? j : undefined;
  }

  /**
   * A node with several parents that is not where a block's branches meet (e.g. reached from
   * some branches of a choice but not all, the others ending): it cannot be written after a
   * block, so it becomes an auxiliary protocol, written once and called (`do`) from each place
   * that reaches it. Undefined when it must be written in place instead: a leaf, a node with
   * one parent, or one that jumps back to a recursion outside it (a `continue` must be inside
   * its `rec`). `stop` is where the caller's block goes on: the auxiliary ends there.
   */
  auxiliary(n: N, stop: N | undefined): Auxiliary<N> | undefined {
    if (this.parents(n) < 2 || this.#shape.successors(n).length === 0) return undefined;
    let byStop = this.#aux.get(n);
    const known = byStop?.get(stop);
    if (known !== undefined) return known ?? undefined;
    if (!byStop) {
      byStop = new Map<N | undefined, Auxiliary<N> | null>();
      this.#aux.set(n, byStop);
    }
    const aux: Auxiliary<N> | null = this.#closed(n, stop)
      ? { index: this.auxiliaries.length + 1, node: n, stop }
      : null;
    if (aux) this.auxiliaries.push(aux);
    byStop.set(stop, aux);
    return aux ?? undefined;
  }

  /** Every auxiliary made so far, in order (printing one may add more). */
  readonly auxiliaries: Auxiliary<N>[] = [];
  /** By node and stop: its auxiliary, or null when it is written in place. */
  readonly #aux = new Map<N, Map<N | undefined, Auxiliary<N> | null>>();

  /** Whether every `continue` between `n` and `stop` jumps to a `rec` in between. */
  #closed(n: N, stop: N | undefined): boolean {
    const bound = new Set<string>();
    const used = new Set<string>();
    const seen = new Set<N>([n]);
    const stack = [n];
    for (let x = stack.pop(); x !== undefined; x = stack.pop()) {
      const b = this.#shape.binds(x);
      if (b !== undefined) bound.add(b);
      for (const l of this.#shape.jumps(x)) used.add(l);
      for (const s of this.#shape.successors(x)) {
        if (s === stop || seen.has(s)) continue;
        seen.add(s);
        stack.push(s);
      }
    }
    return [...used].every((l) => bound.has(l));
  }

  /** Counts the parents of every node `root` reaches (a worklist: long chains, no recursion). */
  #countParents(root: N): void {
    // (A node is queued once it has a parent; the root has none.)
    const stack: N[] = [root];
    for (let n = stack.pop(); n !== undefined; n = stack.pop()) {
      // Indexed: `for...of` allocates an iterator and a result per step until optimized, for
      // every node of a long local type (about 10% of printing every role of Big 20,000).
      const succ = this.#shape.successors(n);
      // eslint-disable-next-line @typescript-eslint/prefer-for-of -- see above
      for (let i = 0; i < succ.length; i++) {
        const s = succ[i];
        if (s === undefined) continue;
        const parents = this.#parents.get(s);
        this.#parents.set(s, (parents ?? 0) + 1);
        if (parents === undefined && s !== root) stack.push(s);
      }
    }
  }
}
