import type { Efsm, EfsmState, EfsmTransition } from './efsm.js';
import type { Origin, Role } from './global.js';
import type { LBranch, LChoice, LocalType, LPrefix } from './local.js';
import { showAction } from './project.js';
import { NO_SLOT, prefixState, recordPrefixState, UNNUMBERED } from './local-nodes.js';

/** A transition while the machine is built (renumbered in place at the end, if need be). */
type Draft = { -readonly [K in keyof EfsmTransition]: EfsmTransition[K] };

/** Numbers {@link buildEfsm} calls, for the state slots of prefixes (see local-nodes.ts). */
let builds = 0;

/**
 * The source of each transition of the EFSMs built here, by transition index: the local
 * branch's `origin` (the global interaction it was projected from). A side table, so that the
 * `Efsm` data and its JSON schema stay as they are; EFSMs made by hand have none.
 */
const ORIGINS = new WeakMap<Efsm, readonly (Origin | undefined)[]>();

/**
 * Where each transition of `efsm` comes from (`origins[i]` for `efsm.transitions[i]`), when
 * {@link buildEfsm} built it; undefined for EFSMs made otherwise (by hand, or parsed from JSON).
 */
export function transitionOrigins(efsm: Efsm): readonly (Origin | undefined)[] | undefined {
  return ORIGINS.get(efsm);
}

/** A local type node that is a state with outgoing transitions. */
type Acting = LPrefix | LChoice;

/**
 * A machine as {@link buildEfsmCore} builds it, before it is an {@link Efsm}: transition i goes
 * from `from[i]` to `to[i]` by `branches[i]` (the local branch: its action and origin). No
 * object or label per transition, so a caller that only inspects the machine (`mpst check`
 * without model checking: the mixed-state check) pays for neither; {@link efsmOf} makes the
 * data. Without epsilon loops, the numbering and order are the final ones.
 */
export interface EfsmCore {
  readonly initial: number;
  /** States 0 .. size - 1. */
  readonly size: number;
  /** Transitions 0 .. count - 1 (the arrays may be longer). */
  readonly count: number;
  readonly from: Int32Array;
  readonly to: Int32Array;
  readonly branches: readonly LBranch[];
  /** Epsilon loops (state, the state whose transitions it also offers): none in most machines. */
  readonly loops: readonly (readonly [number, number])[];
}

/**
 * Builds the EFSM of a local type: one state per prefix or choice node (continuations shared
 * in the local type stay shared), `rec` is the state of its body, `continue` an edge back to
 * it, and every `end` is the single terminal state. States are numbered breadth-first from 0.
 */
export function buildEfsm(protocol: string, role: Role, local: LocalType): Efsm {
  const sink = new Drafts();
  const { initial, size, loops } = walkEfsm(local, sink);
  return finish(protocol, role, initial, size, sink.transitions, sink.origins, loops);
}

/**
 * {@link buildEfsm}'s machine as arrays (see {@link EfsmCore}). With `reuse`, a machine the
 * caller is done with, its arrays are overwritten instead of new ones grown (a check of every
 * role of a long protocol allocates them once).
 */
export function buildEfsmCore(local: LocalType, reuse?: EfsmCore): EfsmCore {
  const sink = new Arrays(reuse?.from, reuse?.to);
  const { initial, size, loops } = walkEfsm(local, sink);
  const { count, from, to, branches } = sink;
  return { initial, size, count, from, to, branches, loops };
}

/** The {@link Efsm} of a machine {@link buildEfsmCore} built: states, transitions, labels. */
export function efsmOf(protocol: string, role: Role, core: EfsmCore): Efsm {
  const sink = new Drafts();
  for (let i = 0; i < core.count; i++) {
    const b = core.branches[i];
    if (b) sink.add(core.from[i] ?? 0, core.to[i] ?? 0, b);
  }
  return finish(
    protocol,
    role,
    core.initial,
    core.size,
    sink.transitions,
    sink.origins,
    core.loops,
  );
}

/** Where {@link walkEfsm} puts the transitions it finds, in order. */
interface Sink {
  add(from: number, to: number, branch: LBranch): void;
}

/** Transitions as {@link Efsm} data, with their origins beside them. */
class Drafts implements Sink {
  readonly transitions: Draft[] = [];
  readonly origins: (Origin | undefined)[] = [];

  add(from: number, to: number, b: LBranch): void {
    this.transitions.push({ from, to, action: b.action, label: showAction(b.action) });
    this.origins.push(b.origin);
  }
}

/** Transitions as the arrays of an {@link EfsmCore}. */
class Arrays implements Sink {
  readonly branches: LBranch[] = [];
  count = 0;

  constructor(
    public from: Int32Array = new Int32Array(1024),
    public to: Int32Array = new Int32Array(1024),
  ) {}

  add(from: number, to: number, b: LBranch): void {
    if (this.count === this.from.length) {
      this.from = grow(this.from);
      this.to = grow(this.to);
    }
    this.from[this.count] = from;
    this.to[this.count] = to;
    this.branches.push(b);
    this.count++;
  }
}

function grow(a: Int32Array): Int32Array {
  const b = new Int32Array(a.length * 4);
  b.set(a);
  return b;
}

/**
 * Numbers the states of `local` and gives its transitions to `sink`. States are numbered as
 * they are discovered, breadth-first, so without epsilon loops the numbering is final and
 * transitions come out grouped by source state: no renumbering, no per-state lists (a
 * 100,000-action protocol makes 100,000 states per role).
 */
function walkEfsm(
  local: LocalType,
  sink: Sink,
): { initial: number; size: number; loops: [number, number][] } {
  const build = ++builds;
  // States of choices, and of prefixes not built by projection (prefixes it built keep their
  // state in a slot of their own: no map entry per action).
  const ids = new Map<LocalType, number>();
  const recState = new Map<string, number>();
  const pending: Acting[] = [];
  const pendingIds: number[] = [];
  let next = 0;
  let terminal = -1;
  const end = (): number => (terminal < 0 ? (terminal = next++) : terminal);

  /** The state a local type denotes (allocating it), following `rec`/`var` without recursion. */
  const stateOf = (l: LocalType): number => {
    let cur = l;
    let recs: string[] | undefined;
    for (;;) {
      const slot = cur.kind === 'prefix' ? prefixState(cur, build) : NO_SLOT;
      const known = slot >= 0 ? slot : slot === NO_SLOT ? ids.get(cur) : undefined;
      if (known !== undefined) {
        if (recs) for (const r of recs) recState.set(r, known);
        return known;
      }
      if (cur.kind === 'rec') {
        (recs ??= []).push(cur.label);
        cur = cur.body;
        continue;
      }
      let id: number;
      if (cur.kind === 'var') id = recState.get(cur.label) ?? end();
      else if (cur.kind === 'end') id = end();
      else {
        id = next++;
        if (cur.kind !== 'prefix' || !recordPrefixState(cur, build, id)) ids.set(cur, id);
        pending.push(cur);
        pendingIds.push(id);
      }
      if (recs) for (const r of recs) recState.set(r, id);
      return id;
    }
  };

  const initial = stateOf(local);
  // Transitions in the order of their source state (pending is in id order; the terminal
  // state, allocated in between, has none).
  // Epsilon loops (`continue X` merged into a choice): the state also offers what X's state
  // offers; targets by object (`loopTo`) are allocated as we go, by label once every
  // recursion is known.
  const loops: [number, number][] = [];
  const labelLoops: [number, string][] = [];
  // (pending grows while it is walked: it is the work queue.)
  for (let i = 0; i < pending.length; i++) {
    const n = pending[i];
    const at = pendingIds[i];
    if (n === undefined || at === undefined) break;
    if (n.kind === 'prefix') {
      // A run of prefixes projection built, with nothing else queued (a long sequence):
      // the next state discovered is the next one walked, so it is numbered and walked here
      // without going through the queue (same numbering, a loop instead of a call per state).
      let p: LPrefix = n;
      let s = at;
      for (;;) {
        const cont = p.cont;
        const walkOn =
          i === pending.length - 1 &&
          cont.kind === 'prefix' &&
          prefixState(cont, build) === UNNUMBERED;
        const t = walkOn ? next++ : stateOf(cont);
        if (walkOn) recordPrefixState(cont, build, t);
        sink.add(s, t, p);
        if (!walkOn) break;
        p = cont;
        s = t;
      }
      continue;
    }
    for (const b of n.branches) sink.add(at, stateOf(b.cont), b);
    if (n.loops) for (const label of n.loops) labelLoops.push([at, label]);
    if (n.loopTo) for (const r of n.loopTo) loops.push([at, stateOf(r)]);
  }
  for (const [at, label] of labelLoops) {
    const target = recState.get(label);
    if (target !== undefined) loops.push([at, target]);
  }
  return { initial, size: next, loops };
}

/** The machine's data from its transitions in walk order (renumbered if it has loops). */
function finish(
  protocol: string,
  role: Role,
  initial: number,
  size: number,
  transitions: Draft[],
  origins: (Origin | undefined)[],
  loops: readonly (readonly [number, number])[],
): Efsm {
  if (loops.length > 0)
    return withLoops(protocol, role, initial, size, transitions, origins, loops);
  // Discovery order is breadth-first order: ids are final.
  // Transitions are grouped by source state in id order: one pass tells which states act.
  const states: EfsmState[] = [];
  for (let id = 0, k = 0; id < size; id++) {
    const first = k;
    while (transitions[k]?.from === id) k++;
    states.push(stateValue(id, k === first));
  }
  const efsm: Efsm = { protocol, role, initial, states, transitions };
  ORIGINS.set(efsm, origins);
  return efsm;
}

/**
 * The general case: epsilon loops add their target's transitions to a state (closed to a
 * fixpoint, since X's state may loop elsewhere in turn), after which the states are
 * renumbered breadth-first from the initial state so that equal machines print equally.
 */
function withLoops(
  protocol: string,
  role: Role,
  initial: number,
  size: number,
  transitions: readonly Draft[],
  origins: readonly (Origin | undefined)[],
  loops: readonly (readonly [number, number])[],
): Efsm {
  const outs: Draft[][] = [];
  // Transitions are reordered and copied below: their origins follow them by object.
  const originOf = new Map<Draft, Origin | undefined>();
  transitions.forEach((t, i) => {
    (outs[t.from] ??= []).push(t);
    originOf.set(t, origins[i]);
  });
  for (let changed = true; changed; ) {
    changed = false;
    for (const [id, target] of loops) {
      if (id === target) continue;
      const mine = (outs[id] ??= []);
      for (const t of outs[target] ?? []) {
        if (!mine.some((m) => m.label === t.label && m.to === t.to)) {
          const copy = { ...t, from: id };
          originOf.set(copy, originOf.get(t));
          mine.push(copy);
          changed = true;
        }
      }
    }
  }
  const order = new Int32Array(size).fill(-1);
  const queue = [initial];
  order[initial] = 0;
  for (const s of queue) {
    for (const t of outs[s] ?? []) {
      if (order[t.to] === -1) {
        order[t.to] = queue.length;
        queue.push(t.to);
      }
    }
  }
  const states: EfsmState[] = [];
  const out: EfsmTransition[] = [];
  const outOrigins: (Origin | undefined)[] = [];
  for (let id = 0; id < queue.length; id++) {
    const old = queue[id] ?? 0;
    const ts = outs[old] ?? [];
    states.push(stateValue(id, ts.length === 0));
    for (const t of ts) {
      t.from = id;
      t.to = order[t.to] ?? 0;
      out.push(t);
      outOrigins.push(originOf.get(t));
    }
  }
  const efsm: Efsm = { protocol, role, initial: 0, states, transitions: out };
  ORIGINS.set(efsm, outOrigins);
  return efsm;
}

/**
 * States are values (`{ id, terminal }`, frozen): every EFSM shares one object per non-terminal
 * state id, so the roles of a long protocol, which all have states 0..n, do not each allocate n
 * objects. (A machine has at most one terminal state: those are not worth sharing.) The table
 * keeps the largest machine's states, up to {@link MAX_SHARED_STATES}; ids arrive in order.
 */
const SHARED_STATES: (EfsmState | undefined)[] = [];
const MAX_SHARED_STATES = 1 << 18;

function stateValue(id: number, terminal: boolean): EfsmState {
  if (terminal) return { id, terminal };
  const known = SHARED_STATES[id];
  if (known) return known;
  const state: EfsmState = Object.freeze({ id, terminal });
  if (id < MAX_SHARED_STATES && id <= SHARED_STATES.length + 16) {
    // Skipped ids (this machine's terminal state) get their non-terminal value: dense table.
    for (let i = SHARED_STATES.length; i < id; i++)
      SHARED_STATES.push(Object.freeze({ id: i, terminal: false }));
    SHARED_STATES[id] = state;
  }
  return state;
}

/** Graphviz dot, in scribble-java's layout (state label `id: `, edge labels as actions). */
export function efsmToDot(efsm: Efsm): string {
  // Transitions by source state without a list per state (a 100,000-action protocol has
  // 100,000 states per role): counting sort into one index array; built EFSMs are already in
  // source order, and a stable sort keeps each state's transitions in their order.
  const { states, transitions } = efsm;
  let maxId = 0;
  for (const s of states) if (s.id > maxId) maxId = s.id;
  for (const t of transitions) if (t.from > maxId) maxId = t.from;
  const start = new Uint32Array(maxId + 2);
  for (const t of transitions) start[t.from + 1] = (start[t.from + 1] ?? 0) + 1;
  for (let i = 1; i < start.length; i++) start[i] = (start[i] ?? 0) + (start[i - 1] ?? 0);
  const fill = start.slice(0, maxId + 1);
  const order = new Uint32Array(transitions.length);
  for (let i = 0; i < transitions.length; i++) {
    const from = transitions[i]?.from ?? 0;
    const slot = fill[from] ?? 0;
    order[slot] = i;
    fill[from] = slot + 1;
  }
  let out = 'digraph G {\ncompound = true;\n';
  for (const s of states) {
    const id = String(s.id);
    out += `"${id}" [ label="${id}: "${s.terminal ? ', peripheries=2' : ''} ];\n`;
    for (let k = start[s.id] ?? 0, end = start[s.id + 1] ?? 0; k < end; k++) {
      const t = transitions[order[k] ?? 0];
      if (!t) continue;
      const label = t.label.includes('"') ? t.label.replace(/"/g, '\\"') : t.label;
      out += `"${id}" -> "${String(t.to)}" [ label="${label}" ];\n`;
    }
  }
  return `${out}}\n`;
}
