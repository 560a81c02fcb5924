import type { Efsm, EfsmState, EfsmTransition } from './efsm.js';
import type { Role } from './global.js';
import type { LocalType } from './local.js';
import { showAction } from './project.js';

/**
 * Builds the EFSM of a local type: one state per choice node (continuations shared in the
 * local type stay shared), `rec` is the state of its body, `continue` an edge back to it, and
 * every `end` is the single terminal state. States are renumbered breadth-first from 0.
 */
export function buildEfsm(protocol: string, role: Role, local: LocalType): Efsm {
  const ids = new Map<LocalType, number>();
  const recState = new Map<string, number>();
  const pending: LocalType[] = [];
  const raw: { from: number; to: number; node: LocalType; i: number }[] = [];
  let next = 0;
  let terminal = -1;

  /** The state a local type denotes (allocating it), following `rec`/`var` without recursion. */
  const stateOf = (l: LocalType): number => {
    const pendingRecs: string[] = [];
    let cur = l;
    for (;;) {
      const known = ids.get(cur);
      if (known !== undefined) {
        for (const r of pendingRecs) recState.set(r, known);
        return known;
      }
      if (cur.kind === 'rec') {
        pendingRecs.push(cur.label);
        cur = cur.body;
        continue;
      }
      let id: number;
      if (cur.kind === 'var') {
        id = recState.get(cur.label) ?? (terminal < 0 ? (terminal = next++) : terminal);
      } else if (cur.kind === 'end') {
        id = terminal < 0 ? (terminal = next++) : terminal;
      } else {
        id = next++;
        ids.set(cur, id);
        pending.push(cur);
      }
      for (const r of pendingRecs) recState.set(r, id);
      return id;
    }
  };

  const initial = stateOf(local);
  // Epsilon loops (`continue X` merged into a choice): the state also offers what X's state
  // offers. Targets by object (`loopTo`) are allocated as we go; by label once all are known.
  const loops: [number, number][] = [];
  const labelLoops: [number, string][] = [];
  for (let head = 0; head < pending.length; head++) {
    const n = pending[head];
    if (n?.kind !== 'choice') continue;
    const from = ids.get(n) ?? 0;
    n.branches.forEach((b, i) => {
      raw.push({ from, to: stateOf(b.cont), node: n, i });
    });
    for (const label of n.loops ?? []) labelLoops.push([from, label]);
    for (const r of n.loopTo ?? []) loops.push([from, stateOf(r)]);
  }
  for (const [from, label] of labelLoops) {
    const target = recState.get(label);
    if (target !== undefined) loops.push([from, target]);
  }
  const out = new Map<number, EfsmTransition[]>();
  for (const t of raw) {
    const b = t.node.kind === 'choice' ? t.node.branches[t.i] : undefined;
    if (!b) continue;
    const list = out.get(t.from) ?? [];
    list.push({ from: t.from, to: t.to, action: b.action, label: showAction(b.action) });
    out.set(t.from, list);
  }
  // Closed to a fixpoint, since X's state may loop elsewhere in turn.
  for (let changed = loops.length > 0; changed; ) {
    changed = false;
    for (const [id, target] of loops) {
      if (id === target) continue;
      const mine = out.get(id) ?? [];
      for (const t of out.get(target) ?? []) {
        if (!mine.some((m) => m.label === t.label && m.to === t.to)) {
          mine.push({ ...t, from: id });
          changed = true;
        }
      }
      out.set(id, mine);
    }
  }
  // Renumber breadth-first from the initial state so equal machines print equally.
  const order = new Map<number, number>();
  const queue = [initial];
  order.set(initial, 0);
  for (let head = 0; head < queue.length; head++) {
    const s = queue[head] ?? 0;
    for (const t of out.get(s) ?? []) {
      if (!order.has(t.to)) {
        order.set(t.to, order.size);
        queue.push(t.to);
      }
    }
  }
  const states: EfsmState[] = [];
  const transitions: EfsmTransition[] = [];
  for (const [old, id] of order) {
    const ts = out.get(old) ?? [];
    states[id] = { id, terminal: ts.length === 0 };
    for (const t of ts) transitions.push({ ...t, from: id, to: order.get(t.to) ?? 0 });
  }
  return { protocol, role, initial: 0, states, transitions };
}

/** Graphviz dot, in scribble-java's layout (state label `id: `, edge labels as actions). */
export function efsmToDot(efsm: Efsm): string {
  const lines = ['digraph G {', 'compound = true;'];
  const byFrom = new Map<number, EfsmTransition[]>();
  for (const t of efsm.transitions) {
    const list = byFrom.get(t.from) ?? [];
    list.push(t);
    byFrom.set(t.from, list);
  }
  for (const s of efsm.states) {
    lines.push(`"${String(s.id)}" [ label="${String(s.id)}: "${s.terminal ? ', peripheries=2' : ''} ];`);
    for (const t of byFrom.get(s.id) ?? []) lines.push(`"${String(t.from)}" -> "${String(t.to)}" [ label="${t.label.replace(/"/g, '\\"')}" ];`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
