/**
 * The configurations found by a search, by their encoding ({@link System.encode}: 16-bit
 * codes), numbered 0, 1, 2, … in the order they were added. An open-addressing hash table over
 * typed arrays: a search keeps hundreds of thousands of configurations, and one string key and
 * map entry each (what this replaces) were most of what the garbage collector had to move.
 */
export class ConfigTable {
  /** The codes of every configuration, one after the other: those of id i start at `#start[i]`. */
  #codes: Uint16Array;
  #start: Int32Array;
  #hash: Int32Array;
  /** Open addressing, linear probing: id + 1, or 0 for an empty slot. */
  #slots: Int32Array;
  #count = 0;
  // The last look-up, for `add`.
  #lastCodes: Uint16Array | undefined;
  #lastLength = 0;
  #lastHash = 0;
  #lastSlot = -1;

  /**
   * A copy of `from`, or an empty table with room for `configs` configurations of about
   * `codesEach` codes each (a search that knows roughly how many it will find saves the
   * copies and rehashes of growing by doubling: Big 100,000 finds 2 * 10^5).
   */
  constructor(from?: ConfigTable, configs = 1 << 10, codesEach = 4) {
    if (from) {
      const used = from.#start[from.#count] ?? 0;
      this.#codes = grown(from.#codes, used);
      this.#start = grown(from.#start, from.#count + 1);
      this.#hash = grown(from.#hash, from.#count);
      this.#slots = from.#slots.slice();
      this.#count = from.#count;
      return;
    }
    const room = Math.max(1 << 10, configs);
    this.#codes = new Uint16Array(room * Math.max(1, codesEach));
    this.#start = new Int32Array(room + 1);
    this.#hash = new Int32Array(room);
    // A power of two, at most half full with `room` configurations (see `add`).
    let slots = 1 << 11;
    while (slots < 2 * room) slots *= 2;
    this.#slots = new Int32Array(slots);
  }

  /** The number of configurations. */
  get size(): number {
    return this.#count;
  }

  /**
   * The id of the configuration encoded as `codes[0..length)`, or -1 when it is not in the
   * table (then {@link add} adds it).
   */
  find(codes: Uint16Array, length: number): number {
    let h = 0x811c9dc5 ^ length;
    for (let i = 0; i < length; i++) h = Math.imul(h ^ (codes[i] ?? 0), 0x01000193);
    // Murmur3's finalizer: the low bits index the slots.
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    const slots = this.#slots;
    const mask = slots.length - 1;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const entry = slots[s] ?? 0;
      if (entry === 0) {
        this.#lastCodes = codes;
        this.#lastLength = length;
        this.#lastHash = h;
        this.#lastSlot = s;
        return -1;
      }
      const id = entry - 1;
      if (this.#hash[id] === h && this.#equals(id, codes, length)) return id;
    }
  }

  /**
   * Where the codes of configuration `id` start in {@link buffer} (and end: where those of
   * `id + 1` start), for a reader that wants no view object ({@link codesOf} makes one).
   */
  startOf(id: number): number {
    return this.#start[id] ?? 0;
  }

  /** The codes of every configuration, one after the other (valid until the next {@link add}). */
  get buffer(): Uint16Array {
    return this.#codes;
  }

  /** The codes of configuration `id` (a view: valid until the next {@link add}). */
  codesOf(id: number): Uint16Array {
    return this.#codes.subarray(this.#start[id] ?? 0, this.#start[id + 1] ?? 0);
  }

  /** Adds the configuration of the last {@link find}, which returned -1: its id. */
  add(): number {
    const codes = this.#lastCodes;
    if (!codes || this.#lastSlot < 0) throw new Error('internal: add without a failed find');
    const id = this.#count;
    const length = this.#lastLength;
    const at = this.#start[id] ?? 0;
    if (at + length > this.#codes.length) this.#codes = grown(this.#codes, at + length);
    // A loop, not set(subarray): configurations are a few codes long, and a view per
    // configuration was garbage.
    const mine = this.#codes;
    for (let i = 0; i < length; i++) mine[at + i] = codes[i] ?? 0;
    if (id + 2 > this.#start.length) this.#start = grown(this.#start, id + 2);
    if (id + 1 > this.#hash.length) this.#hash = grown(this.#hash, id + 1);
    this.#start[id + 1] = at + length;
    this.#hash[id] = this.#lastHash;
    this.#slots[this.#lastSlot] = id + 1;
    this.#count = id + 1;
    this.#lastSlot = -1;
    // At most half full: probe sequences stay short.
    if (this.#count * 2 > this.#slots.length) this.#rehash();
    return id;
  }

  /**
   * Keeps the first `size` configurations only. A few dropped ones (a search resumed at a
   * fork drops what was found after it, often a handful of 10^5) are taken out of their
   * slots one by one; many, and the slots are rebuilt.
   */
  truncate(size: number): void {
    if (size >= this.#count) return;
    this.#lastSlot = -1;
    if ((this.#count - size) * 4 < this.#count) {
      for (let id = this.#count - 1; id >= size; id--) this.#remove(id);
      this.#count = size;
      return;
    }
    this.#count = size;
    this.#slots.fill(0);
    this.#fillSlots();
  }

  /**
   * Takes configuration `id` out of the slots (linear probing's deletion by backward shift:
   * each entry after it in its run that may move back, so that every entry stays reachable
   * from its home slot, moves into the hole).
   */
  #remove(id: number): void {
    const slots = this.#slots;
    const mask = slots.length - 1;
    let hole = (this.#hash[id] ?? 0) & mask;
    while (slots[hole] !== id + 1) hole = (hole + 1) & mask;
    for (let j = (hole + 1) & mask; slots[j] !== 0; j = (j + 1) & mask) {
      const home = (this.#hash[(slots[j] ?? 0) - 1] ?? 0) & mask;
      // The entry at j stays when its home lies cyclically in (hole, j].
      const stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
      if (stays) continue;
      slots[hole] = slots[j] ?? 0;
      hole = j;
    }
    slots[hole] = 0;
  }

  #equals(id: number, codes: Uint16Array, length: number): boolean {
    const from = this.#start[id] ?? 0;
    if ((this.#start[id + 1] ?? 0) - from !== length) return false;
    const mine = this.#codes;
    for (let i = 0; i < length; i++) if (mine[from + i] !== codes[i]) return false;
    return true;
  }

  #rehash(): void {
    this.#slots = new Int32Array(this.#slots.length * 2);
    this.#fillSlots();
  }

  /** Enters every configuration in the (empty) slots. */
  #fillSlots(): void {
    const slots = this.#slots;
    const mask = slots.length - 1;
    for (let id = 0; id < this.#count; id++) {
      let s = (this.#hash[id] ?? 0) & mask;
      while (slots[s] !== 0) s = (s + 1) & mask;
      slots[s] = id + 1;
    }
  }
}

/** A copy of `a` with room for at least `need` elements (doubling). */
function grown<T extends Int32Array | Uint16Array>(a: T, need: number): T {
  let size = Math.max(16, a.length);
  while (size < need) size *= 2;
  if (size === a.length) return a.slice() as T;
  const b = new (a.constructor as new (n: number) => T)(size);
  b.set(a);
  return b;
}
