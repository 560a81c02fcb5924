/**
 * The unfair-choice transform as it was before it was memoised (machines.ts at bec462a), kept
 * as a test oracle only: it copies what follows a committed choice afresh for each order in
 * which choices get committed, so it gives up (undefined) past `limit` added states. The
 * property tests compare the liveness verdicts of the memoised transform with this one's
 * wherever this one finishes.
 */
import { K, type CT, type Machine } from '../src/machines.js';

/**
 * scribble-java's transform, copying: at an internal choice whose branch `a` can come back to
 * the choice, the edge `a` is redirected to a copy of everything reachable after it (in the
 * graph as transformed so far) in which the copy of the choice state keeps only `a`.
 */
export function copyingUnfairMachine(m: Machine, limit: number): Machine | undefined {
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
    if (out.length - m.out.length + all.size > limit) return undefined;
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
