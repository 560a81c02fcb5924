import { must } from '../clock.js';

/** A binary min-heap of simulator events ordered by (time, seq): equal times keep insertion order. */
export interface HeapItem {
  readonly time: number;
  readonly seq: number;
}

export class EventHeap<T extends HeapItem> {
  private readonly a: T[] = [];

  get size(): number {
    return this.a.length;
  }

  push(x: T): void {
    const a = this.a;
    a.push(x);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const ap = must(a[p]);
      if (!before(x, ap)) break;
      a[i] = ap;
      i = p;
    }
    a[i] = x;
  }

  pop(): T | undefined {
    const a = this.a;
    const top = a[0];
    const last = a.pop();
    if (top === undefined || last === undefined || a.length === 0) return top;
    let i = 0;
    const n = a.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && before(must(a[r]), must(a[l])) ? r : l;
      const ac = must(a[c]);
      if (!before(ac, last)) break;
      a[i] = ac;
      i = c;
    }
    a[i] = last;
    return top;
  }
}

function before(x: HeapItem, y: HeapItem): boolean {
  return x.time < y.time || (x.time === y.time && x.seq < y.seq);
}
