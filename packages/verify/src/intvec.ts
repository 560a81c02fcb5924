/**
 * A growable vector of 32-bit integers, zero where never set. The depth-first search writes
 * per-configuration data at ids in no particular order; a plain array written that way turns
 * holey (and, with large gaps, into a slow dictionary), a typed array does not.
 */
export class IntVec {
  #a: Int32Array;
  #length = 0;
  constructor(capacity = 1024) {
    this.#a = new Int32Array(capacity);
  }
  get length(): number {
    return this.#length;
  }
  get(i: number): number {
    return i < this.#length ? (this.#a[i] ?? 0) : 0;
  }
  set(i: number, v: number): void {
    // Growth in a method of its own: `set` stays small enough for V8 to inline (a search
    // calls it a dozen times per configuration).
    if (i >= this.#a.length) this.#grow(i);
    this.#a[i] = v;
    if (i >= this.#length) this.#length = i + 1;
  }
  #grow(i: number): void {
    let size = Math.max(1, this.#a.length) * 2;
    while (size <= i) size *= 2;
    const bigger = new Int32Array(size);
    bigger.set(this.#a);
    this.#a = bigger;
  }
  /**
   * The elements as a typed array (a view, valid until the vector next grows or is
   * truncated): for loops over a finished graph, which read millions of elements.
   */
  view(): Int32Array {
    return this.#a.subarray(0, this.#length);
  }
  /**
   * An independent copy, with as much room (a fork's copy of a search's stack goes on growing
   * as the original did).
   */
  copy(): IntVec {
    const c = new IntVec(Math.max(1, this.#a.length));
    c.#a.set(this.#a.subarray(0, this.#length));
    c.#length = this.#length;
    return c;
  }
  push(v: number): void {
    this.set(this.#length, v);
  }
  /** Drops the elements from `length` on (they read as zero again if set later). */
  truncate(length: number): void {
    if (length >= this.#length) return;
    // A loop: the depth-first search drops one element at a time, and `fill` is a call.
    for (let i = length; i < this.#length; i++) this.#a[i] = 0;
    this.#length = length;
  }
}
