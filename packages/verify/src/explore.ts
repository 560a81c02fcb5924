import type { Progress, ViolationKind } from './api.js';
import { K } from './machines.js';
import { IntVec } from './intvec.js';
import type { Config, Event, System } from './system.js';

/** A violation found on one configuration, before its trace is built. */
export interface Found {
  readonly kind: ViolationKind;
  readonly message: string;
  readonly roles: readonly number[];
  /** The configuration's id in the state graph. */
  readonly id: number;
  /** Liveness only: the cycle, as events from `id` back to it. */
  readonly cycle?: readonly Event[];
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
  /** Per configuration: its BFS parent and the event leading from it (index 0: the initial configuration). */
  readonly parent: IntVec;
  readonly via: readonly Event[];
  /** With `edges`: the successors of configuration i are `to[off[i]..end[i]-1]`, by `ev[...]`. */
  readonly off: IntVec;
  readonly end: IntVec;
  readonly to: IntVec;
  readonly ev: readonly Event[];
  /** Configurations some of whose successors were not explored (cut by the bound or by maxStates). */
  readonly partial: ReadonlySet<number>;
  readonly maxQueue: number;
  readonly cut: boolean;
  readonly stoppedAtMax: boolean;
  readonly found: readonly Found[];
}

export interface ExploreOptions {
  readonly safety: boolean;
  /** Keep the edges (for the liveness checks). */
  readonly edges: boolean;
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
}

/**
 * Exploration of every reachable configuration, checking the safety properties in each one:
 * breadth first (so the first violation found has a shortest trace), or, with partial-order
 * reduction, depth first with the stack proviso (the cycle proviso that a breadth-first
 * search can only approximate by expanding far more configurations fully).
 */
export function explore(sys: System, o: ExploreOptions): Graph {
  const n = sys.n;
  const visited = new Map<string, number>();
  const parent = new IntVec();
  parent.push(-1);
  const via: Event[] = [{ role: -1, t: null }];
  const off = new IntVec();
  const to = new IntVec();
  const ev: Event[] = [];
  const partial = new Set<number>();
  const found: Found[] = [];
  const kinds = new Set<ViolationKind>();
  const pending: (Config | undefined)[] = [sys.initial];
  visited.set(sys.key(sys.initial), 0);
  let transitions = 0;
  let maxQueue = 0;
  let cut = false;
  let stoppedAtMax = false;
  /** 1 for each configuration whose successors were all computed. */
  const done = new IntVec();
  const end = new IntVec();

  const report = (
    kind: ViolationKind,
    message: string,
    roles: readonly number[],
    id: number,
  ): void => {
    if (kinds.has(kind)) return;
    kinds.add(kind);
    found.push({ kind, message, roles, id });
  };
  const name = (i: number): string => sys.roles[i] ?? '';
  const msgs = (q: readonly number[]): string => q.map((x) => sys.messages.text(x)).join(', ');

  // Reused by `check` (it runs on every configuration, so it allocates nothing unless it reports).
  const wait = new Uint8Array(n);

  /**
   * Orphans, stuck receptions and scribble-java's wait-for errors visible in one
   * configuration. A wait-for error: live roles that wait to receive, with nothing queued
   * for them from the roles they wait for, where each of those has finished, crashed (and is
   * not detected) or waits in the same way; found even while other roles still move.
   */
  const check = (c: Config, id: number): void => {
    let waiting = 0;
    for (let i = 0; i < n; i++) {
      wait[i] = 0;
      if (c.crashed[i] === 1 || sys.unconnected(c, i)) continue;
      const m = sys.machine(i);
      const s = c.st[i] ?? 0;
      if (m.terminal[s] === true) {
        for (let j = 0; j < n; j++) {
          const q = sys.queue(c, j, i);
          if (q.length > 0) {
            report(
              'orphan',
              `${m.role} has finished, but ${msgs(q)} from ${name(j)} will never be received`,
              [i],
              id,
            );
            break;
          }
        }
        continue;
      }
      const peers = sys.inputPeers(i, s);
      if (!peers) continue;
      const out = m.out[s] ?? [];
      let empty = true;
      for (const p of peers) if (sys.queue(c, p, i).length > 0) empty = false;
      if (peers.length === 1) {
        const p = peers[0] ?? 0;
        const head = sys.queue(c, p, i)[0];
        if (head !== undefined && !out.some((t) => t.k === K.Receive && t.msg === head)) {
          report(
            'stuck',
            `${m.role} cannot receive ${sys.messages.text(head)} from ${name(p)}: ` +
              `in state ${String(m.ids[s])} it expects ${sys.expects(i, s)}`,
            [i],
            id,
          );
        }
      }
      if (!empty || out.some((t) => t.k === K.Detect && sys.silent(c, t.peer, i))) continue;
      wait[i] = 1;
      waiting++;
    }
    if (waiting === 0) return;
    // A role not connected yet is not dead: another may still connect to it.
    const dead = (p: number): boolean =>
      c.crashed[p] === 1 || sys.machine(p).terminal[c.st[p] ?? 0] === true;
    for (let changed = true; changed; ) {
      changed = false;
      for (let i = 0; i < n; i++) {
        if (wait[i] !== 1) continue;
        for (const p of sys.inputPeers(i, c.st[i] ?? 0) ?? []) {
          if (wait[p] !== 1 && !dead(p)) {
            wait[i] = 0;
            changed = true;
            break;
          }
        }
      }
    }
    const blocked: number[] = [];
    for (let i = 0; i < n; i++) if (wait[i] === 1) blocked.push(i);
    if (blocked.length > 0) classify(c, blocked, (i) => sys.inputPeers(i, c.st[i] ?? 0) ?? [], id);
  };

  /**
   * Reports roles that can never move: those on a cycle of the wait-for graph (each waits
   * for the next) as a `deadlock`, the others (waiting, maybe through other waiting roles,
   * for roles that have finished or crashed) as `unfinished`.
   */
  const classify = (
    c: Config,
    blocked: readonly number[],
    waitsOn: (i: number) => readonly number[],
    id: number,
  ): void => {
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
    if (cyclic.length > 0) report('deadlock', describeWaits(c, cyclic), cyclic, id);
    if (rest.length > 0) report('unfinished', describeWaits(c, rest), rest, id);
  };

  const describeWaits = (c: Config, roles: readonly number[]): string =>
    roles
      .map((i) => {
        const s = c.st[i] ?? 0;
        const ps = [...new Set((sys.machine(i).out[s] ?? []).map((t) => t.peer))];
        const who = ps.map(
          (p) =>
            name(p) +
            (c.crashed[p] === 1
              ? ' (crashed)'
              : sys.machine(p).terminal[c.st[p] ?? 0]
                ? ' (finished)'
                : sys.unconnected(c, p)
                  ? ' (not connected)'
                  : ''),
        );
        const what =
          sys.machine(i).out[s]?.some((t) => t.k === K.Send) === true
            ? 'cannot send to'
            : 'waits for';
        return `${name(i)} ${what} ${who.join(' or ')} (${sys.expects(i, s)})`;
      })
      .join('; ');

  /** Nothing can move (and nothing was cut): live roles that have not finished. */
  const stopped = (c: Config, id: number): void => {
    const waiting: number[] = [];
    for (let i = 0; i < n; i++)
      if (c.crashed[i] === 0 && !sys.machine(i).terminal[c.st[i] ?? 0] && !sys.unconnected(c, i))
        waiting.push(i);
    if (waiting.length === 0) return;
    classify(
      c,
      waiting,
      (i) => [...new Set((sys.machine(i).out[c.st[i] ?? 0] ?? []).map((t) => t.peer))],
      id,
    );
  };

  let expandedCount = 0;
  const progress = (): Progress => ({
    states: visited.size,
    transitions,
    frontier: visited.size - expandedCount,
    maxQueue,
    elapsedMs: Date.now() - o.started,
    protocol: o.protocol,
    model: o.model,
  });

  /** Records a step from `id` to `d`; returns the successor's id, or undefined when maxStates stops it. */
  const step = (id: number, e: Event, d: Config, key: string): number | undefined => {
    transitions++;
    let nid = visited.get(key);
    if (nid === undefined) {
      if (visited.size >= o.maxStates) {
        stoppedAtMax = true;
        partial.add(id);
        return undefined;
      }
      nid = visited.size;
      visited.set(key, nid);
      parent.push(id);
      via.push(e);
      pending.push(d);
      if (e.t?.k === K.Send) {
        const len = sys.queue(d, e.role, e.t.peer).length;
        if (len > maxQueue) maxQueue = len;
      }
      if (o.onProgress && nid % o.progressEvery === 0) o.onProgress(progress());
    }
    if (o.edges) {
      to.push(nid);
      ev.push(e);
    }
    return nid;
  };

  // Reused by `expand`: the number of steps each role may take alone (0: it may not).
  const size = new Int32Array(n);

  /**
   * Expands configuration `id` by the steps of role `i` alone, if none of them may close a
   * cycle (and no two lead to the same configuration): their successors' ids go to `succ`.
   */
  const takeAlone = (
    id: number,
    c: Config,
    i: number,
    closesCycle: (j: number) => boolean,
    succ: number[],
  ): boolean => {
    const ample = sys.stepsOf(c, i);
    const keys = ample.map(([, d]) => sys.key(d));
    if (keys.length > 1 && new Set(keys).size !== keys.length) return false;
    for (const k of keys) if (closesCycle(visited.get(k) ?? -1)) return false;
    ample.forEach(([e, d], k) => {
      const nid = step(id, e, d, keys[k] ?? '');
      if (nid !== undefined) succ.push(nid);
    });
    if (o.edges) end.set(id, to.length);
    return true;
  };

  /**
   * Checks and expands configuration `id`: its successors' ids, or undefined to stop the
   * search (a violation, when only the first one is wanted). `closesCycle(j)` says whether a
   * step to configuration j might close a cycle of reduced steps (the cycle proviso).
   */
  const expand = (id: number, closesCycle: (j: number) => boolean): number[] | undefined => {
    const c = pending[id];
    if (!c) return [];
    pending[id] = undefined;
    if (o.safety) {
      check(c, id);
      if (found.length > 0 && !o.allViolations) return undefined;
    }
    done.set(id, 1);
    expandedCount++;
    if (o.edges) off.set(id, to.length);
    const succ: number[] = [];
    // Partial-order reduction: one role's steps only, for the first role whose steps cannot
    // close a cycle; when every such set could, the configuration is fully expanded, so that
    // every cycle of the reduced graph has a fully expanded configuration and no step is
    // postponed for ever.
    if (o.reduce) {
      // Roles with a single step first (the most reduction), then by number of steps.
      let most = 0;
      for (let i = 0; i < n; i++) {
        const k = sys.persistent(c, i);
        size[i] = k;
        if (k > most) most = k;
        if (k === 1 && takeAlone(id, c, i, closesCycle, succ)) return succ;
      }
      for (let k = 2; k <= most; k++)
        for (let i = 0; i < n; i++)
          if (size[i] === k && takeAlone(id, c, i, closesCycle, succ)) return succ;
    }
    let successors = 0;
    const more = sys.successors(c, (e, d) => {
      successors++;
      const nid = step(id, e, d, sys.key(d));
      if (nid !== undefined) succ.push(nid);
      return true;
    });
    if (o.edges) end.set(id, to.length);
    if (more === true) {
      cut = true;
      partial.add(id);
    }
    if (o.safety && successors === 0 && more === false) {
      stopped(c, id);
      if (found.length > 0 && !o.allViolations) return undefined;
    }
    return succ;
  };

  if (!o.reduce) {
    // Breadth first: ids grow level by level, so BFS parents give shortest traces.
    for (let id = 0; id < pending.length; id++) if (!expand(id, () => false)) break;
  } else {
    // Depth first, with the stack proviso: a step back to a configuration on the stack may
    // close a cycle.
    const onStack = new IntVec();
    const frames: { id: number; succ: number[]; next: number }[] = [];
    const enter = (id: number): boolean => {
      onStack.set(id, 1);
      const succ = expand(id, (j) => j >= 0 && onStack.get(j) === 1);
      if (!succ) return false;
      frames.push({ id, succ, next: 0 });
      return true;
    };
    let going = enter(0);
    while (going && frames.length > 0) {
      const f = frames[frames.length - 1];
      if (!f) break;
      const j = f.succ[f.next++];
      if (j === undefined) {
        onStack.set(f.id, 0);
        frames.pop();
        continue;
      }
      if (done.get(j) !== 1 && pending[j]) going = enter(j);
    }
  }
  return {
    size: visited.size,
    done,
    transitions,
    parent,
    via,
    off,
    end,
    to,
    ev,
    partial,
    maxQueue,
    cut,
    stoppedAtMax,
    found,
  };
}
