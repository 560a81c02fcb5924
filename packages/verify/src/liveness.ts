import type { Property, ViolationKind } from './api.js';
import type { Found, Graph } from './explore.js';
import { K } from './machines.js';
import type { Config, Event, System } from './system.js';

/** The outcome of the liveness checks on one explored graph. */
export interface LivenessResult {
  readonly found: readonly Found[];
  /** Some candidate terminal set touches a configuration that was not fully explored. */
  readonly incomplete: boolean;
}

/**
 * The terminal sets of the explored graph, scribble-java's notion extended to crashes: the
 * strongly connected components that contain a cycle and that no step leaves, where crashes
 * and link failures are not counted as steps. A crash or a link failure may happen, but need
 * not: were they edges, every configuration with a live unreliable role (or an intact
 * failable link) would have a way out and could never be in a terminal set, and a livelock
 * would only be found once every such role had crashed and every such link had failed.
 * Without them, crash flags and failed links are constant inside each set, and every crash
 * scenario ("nobody crashes" included) is checked on its own: a run that, from some point on,
 * has no more failures ends in one of these sets.
 *
 * Each set is sorted by id, so its first member is the one with the shortest trace.
 * `unsure` is set when a component reaches a configuration not fully explored: whether it
 * is terminal is then unknown, and it is left out.
 */
export function terminalSets(
  sys: System,
  g: Graph,
  scratch: TarjanScratch = new TarjanScratch(),
): { sets: number[][]; unsure: boolean } {
  const size = g.size;
  const { index, low, comp, onStack, stack, work } = scratch.take(size);
  let sp = 0;
  let wp = 0;
  const sets: number[][] = [];
  let unsure = false;
  let counter = 0;
  let comps = 0;
  // The vectors as typed arrays (read only here): two graphs of 2 * 10^5 configurations on
  // Big, and a method call per read cost more than the search itself.
  const done = g.done.view();
  const off = g.off.view();
  const end = g.end.view();
  const to = g.to.view();
  const ev = g.ev.view();
  const firstStep = sys.firstStep;
  const known = (v: number): boolean => done[v] === 1 && !g.partial.has(v);
  const first = (v: number): number => (done[v] === 1 ? (off[v] ?? 0) : 0);
  const last = (v: number): number => (done[v] === 1 ? (end[v] ?? 0) : 0);
  // A crash or a link failure (see above): not a step of a terminal set.
  const failure = (e: number): boolean => (ev[e] ?? 0) < firstStep;
  const push = (w: number): void => {
    index[w] = low[w] = counter++;
    stack[sp++] = w;
    onStack[w] = 1;
    work[wp++] = w;
    work[wp++] = first(w);
  };
  for (let root = 0; root < size; root++) {
    if (index[root] !== -1) continue;
    push(root);
    while (wp > 0) {
      const v = work[wp - 2] ?? 0;
      const pos = work[wp - 1] ?? 0;
      if (pos < last(v)) {
        work[wp - 1] = pos + 1;
        if (failure(pos)) continue;
        const w = to[pos] ?? 0;
        if (index[w] === -1) push(w);
        else if (onStack[w] === 1 && (index[w] ?? 0) < (low[v] ?? 0)) low[v] = index[w] ?? 0;
        continue;
      }
      wp -= 2;
      if (wp > 0) {
        const u = work[wp - 2] ?? 0;
        if ((low[v] ?? 0) < (low[u] ?? 0)) low[u] = low[v] ?? 0;
      }
      if (low[v] !== index[v]) continue;
      if (stack[sp - 1] === v) {
        // A component of one configuration (most of them: every step of a long sequence):
        // terminal only with a step to itself and none elsewhere. No list for it.
        sp--;
        onStack[v] = 0;
        comp[v] = comps++;
        let loop = false;
        let leaves = false;
        for (let e = first(v), b = last(v); e < b && !leaves; e++) {
          if (failure(e)) continue;
          if (to[e] === v) loop = true;
          else leaves = true;
        }
        if (leaves || !loop) continue;
        if (!known(v)) unsure = true;
        else sets.push([v]);
        continue;
      }
      const members: number[] = [];
      for (;;) {
        const w = stack[--sp] ?? v;
        onStack[w] = 0;
        comp[w] = comps;
        members.push(w);
        if (w === v) break;
      }
      // Tarjan completes components bottom-up: every edge leaving this one goes to a component
      // already numbered; it is terminal when no edge leaves it at all.
      let bottom = true;
      let cyclic = members.length > 1;
      let complete = true;
      for (const m of members) {
        if (!known(m)) complete = false;
        for (let e = first(m), b = last(m); e < b; e++) {
          if (failure(e)) continue;
          const w = to[e] ?? 0;
          if (comp[w] !== comps) bottom = false;
          else if (w === m) cyclic = true;
        }
      }
      comps++;
      if (!bottom || !cyclic) continue;
      if (!complete) {
        unsure = true;
        continue;
      }
      sets.push(members.sort((x, y) => x - y));
    }
  }
  sets.sort((x, y) => (x[0] ?? 0) - (y[0] ?? 0));
  return { sets, unsure };
}

/** The arrays of one terminal-set search (see {@link TarjanScratch}). */
interface TarjanArrays {
  readonly index: Int32Array;
  readonly low: Int32Array;
  readonly comp: Int32Array;
  readonly onStack: Uint8Array;
  // Typed stacks, not arrays: a long protocol's graph is a chain of 10^5 configurations, and
  // every one of them goes on both stacks.
  readonly stack: Int32Array;
  // Iterative Tarjan: `work` holds (vertex, next edge position) pairs.
  readonly work: Int32Array;
}

/**
 * The arrays of {@link terminalSets}, kept for the next graph: a verification searches the
 * terminal sets of two graphs of about the same size (fair and unfair models; Big: 2 * 10^5
 * configurations each), and fresh memory costs page faults (5 MB here).
 */
export class TarjanScratch {
  #size = -1;
  #arrays: TarjanArrays | undefined;

  /** The arrays for a graph of `size` configurations, as new (index and comp -1, onStack 0). */
  take(size: number): TarjanArrays {
    let a = this.#arrays;
    if (!a || size > this.#size) {
      a = {
        index: new Int32Array(size),
        low: new Int32Array(size),
        comp: new Int32Array(size),
        onStack: new Uint8Array(size),
        stack: new Int32Array(size),
        work: new Int32Array(2 * size),
      };
      this.#arrays = a;
      this.#size = size;
    }
    a.index.fill(-1, 0, size);
    a.comp.fill(-1, 0, size);
    a.onStack.fill(0, 0, size);
    return a;
  }
}

/** The events of the search path from the initial configuration to configuration `id`, in order. */
export function pathTo(sys: System, g: Graph, id: number): Event[] {
  const path: Event[] = [];
  for (let x = id; x > 0; x = g.parent.get(x)) path.push(sys.event(g.via.get(x)));
  return path.reverse();
}

/** The configuration with id `id`, decoded from the graph's table. */
export function configAt(sys: System, g: Graph, id: number): Config {
  return sys.decode(g.table.codesOf(id));
}

/** A shortest cycle from `start` back to it inside `set` (events). */
function cycleThrough(sys: System, g: Graph, set: ReadonlySet<number>, start: number): Event[] {
  const prev = new Map<number, { from: number; e: Event }>();
  const queue = [start];
  // (for-of also visits what is pushed during the loop: a FIFO queue)
  for (const v of queue) {
    for (let e = g.off.get(v), last = g.end.get(v); e < last; e++) {
      const w = g.to.get(e);
      const event = sys.event(g.ev.get(e));
      if (w === start) {
        const path = [event];
        for (let x = v; x !== start; ) {
          const p = prev.get(x);
          if (!p) break;
          path.push(p.e);
          x = p.from;
        }
        return path.reverse();
      }
      if (!set.has(w) || prev.has(w)) continue;
      prev.set(w, { from: v, e: event });
      queue.push(w);
    }
  }
  return [];
}

/**
 * Role progress and eventual reception on each terminal set, as scribble-java checks them:
 * a live role that takes part in no step of the set (neither acts nor is the peer of an
 * action) and has not finished, with nothing queued for it, is starved (`progress`); a
 * message queued in the set that no step of the set receives is never received (`reception`).
 */
export function checkLiveness(
  sys: System,
  g: Graph,
  properties: readonly Property[],
  allViolations: boolean,
  scratch?: TarjanScratch,
): LivenessResult {
  const n = sys.n;
  const { sets, unsure } = terminalSets(sys, g, scratch);
  const found: Found[] = [];
  const kinds = new Set<ViolationKind>();
  const name = (i: number): string => sys.roles[i] ?? '';
  for (const members of sets) {
    if (found.length > 0 && !allViolations) break;
    const involved = new Uint8Array(n);
    const received = new Uint8Array(n * n);
    const roles = new Set<number>();
    for (const v of members) {
      for (let e = g.off.get(v), last = g.end.get(v); e < last; e++) {
        const event = g.ev.get(e);
        if (sys.isFailure(event)) continue;
        const role = sys.roleOf(event);
        const peer = sys.peerOf(event);
        involved[role] = 1;
        involved[peer] = 1;
        roles.add(role);
        if (sys.kindOf(event) === K.Receive) received[peer * n + role] = 1;
      }
    }
    const rep = members[0] ?? 0;
    const c = configAt(sys, g, rep);
    const looping = [...roles]
      .sort((a, b) => a - b)
      .map(name)
      .join(', ');
    const cycle = (): Event[] => cycleThrough(sys, g, new Set(members), rep);
    if (properties.includes('progress') && !kinds.has('progress')) {
      const starved: number[] = [];
      for (let i = 0; i < n; i++) {
        if (c.crashed[i] === 1 || involved[i] === 1 || sys.finished(c, i)) continue;
        let empty = true;
        for (let j = 0; j < n; j++) if (sys.queue(c, j, i).length > 0) empty = false;
        if (empty) starved.push(i);
      }
      if (starved.length > 0) {
        kinds.add('progress');
        const what = starved
          .map(
            (i) =>
              `${name(i)} (in state ${String(sys.machine(i).ids[c.st[i] ?? 0])}: ${sys.expects(i, c.st[i] ?? 0)})`,
          )
          .join('; ');
        found.push({
          kind: 'progress',
          message: `${starved.map(name).join(', ')} can never act again while ${looping} loop forever: ${what}`,
          roles: starved,
          id: rep,
          cycle: cycle(),
        });
      }
    }
    if (properties.includes('reception') && !kinds.has('reception')) {
      const ignored: string[] = [];
      const at: number[] = [];
      for (let j = 0; j < n; j++) {
        for (let i = 0; i < n; i++) {
          const q = sys.queue(c, j, i);
          if (q.length === 0 || received[j * n + i] === 1) continue;
          ignored.push(
            `${q.map((x) => sys.messages.text(x)).join(', ')} from ${name(j)} to ${name(i)}`,
          );
          if (!at.includes(i)) at.push(i);
        }
      }
      if (ignored.length > 0) {
        kinds.add('reception');
        found.push({
          kind: 'reception',
          message: `${ignored.join('; ')} will never be received while ${looping} loop forever`,
          roles: at,
          id: rep,
          cycle: cycle(),
        });
      }
    }
  }
  return { found, incomplete: unsure };
}
