import type { Graph } from './explore.js';
import { K, type Machine } from './machines.js';
import type { System } from './system.js';

/**
 * k-exhaustivity (Lange and Yoshida, "Verifying Asynchronous Interactions via Communicating
 * Session Automata", CAV 2019: the k-exhaustivity half of k-multiparty compatibility) lets a
 * verification with queues of capacity k speak for unbounded queues. A system is k-exhaustive
 * when, in every configuration reachable with queues of at most k messages, every send of a
 * role whose queue is full can be taken after some steps of the other roles only (the role
 * itself does not move), still within the bound: no send is ever held up for good by the
 * bound. The paper shows that k-exhaustivity makes the runs with queues of capacity k speak
 * for all runs, for communicating session automata (deterministic machines whose states send
 * only, receive only, or are final). Checked as here, that does not hold for every such system:
 * a state that receives from two peers, or two roles with states that send to two peers, let
 * a 1-exhaustive system hide a violation that queues of 2 show (exhaustive.test.ts). The
 * verifier relies on its own proof instead (ARCHITECTURE.md, "Why k-exhaustivity speaks for
 * unbounded queues"), under the conditions of `whyNotSessionAutomata`, which allow
 * non-deterministic machines and crashes.
 */

/**
 * Why the k search cannot speak for unbounded queues on these machines (undefined when it
 * can). It can when no link may fail, and every state of every machine is final, or only
 * sends, or only receives from one peer (and maybe detects that peer's crash); and the states
 * that send to two peers or more belong to one role at most. Two transitions of one state
 * with the same action (non-determinism) are allowed, and so are crashes (a crash is a step
 * of the crashing role; its detection, a reception of it). ARCHITECTURE.md ("Why
 * k-exhaustivity speaks for unbounded queues") has the proof, and exhaustive.test.ts two
 * 1-exhaustive systems, each just outside these conditions (a state receiving from two
 * peers; two roles with states sending to two peers), whose violations only queues of 2 show.
 */
export function whyNotSessionAutomata(
  machines: readonly Machine[],
  links: number,
): string | undefined {
  if (links > 0) return 'links may fail';
  let undirected: string | undefined;
  for (const m of machines) {
    let sendsToMany: string | undefined;
    for (let s = 0; s < m.out.length; s++) {
      const out = m.out[s] ?? [];
      const id = String(m.ids[s] ?? s);
      const first = out[0];
      if (!first) continue;
      if (out.some((t) => t.k === K.Local)) return `${m.role} has a local step in state ${id}`;
      const sends = first.k === K.Send;
      if (out.some((t) => (t.k === K.Send) !== sends))
        return `${m.role} both sends and receives in state ${id}`;
      if (out.every((t) => t.peer === first.peer)) continue;
      if (!sends) return `${m.role} receives from two roles in state ${id}`;
      sendsToMany ??= `${m.role} in state ${id}`;
    }
    if (sendsToMany === undefined) continue;
    if (undirected !== undefined)
      return `two roles send to two roles from one state (${undirected}, ${sendsToMany})`;
    undirected = sendsToMany;
  }
  return undefined;
}

/**
 * Every sending state sends to one peer only. Then the sends of a role in a configuration are
 * all possible or all held up (they share one queue), which partial-order reduction needs to
 * keep k-exhaustivity (see ARCHITECTURE.md, "The verifier").
 */
export function directedSends(machines: readonly Machine[]): boolean {
  return machines.every((m) =>
    m.out.every((out) => {
      const first = out[0];
      return first?.k !== K.Send || out.every((t) => t.peer === first.peer);
    }),
  );
}

/**
 * Checks k-exhaustivity on the explored graph of a system with queues of capacity k (explored
 * with `edges` and `blocked`): for every configuration where role p cannot send to q because
 * the queue from p to q is full, some path of steps by roles other than p, none of them a
 * crash, reaches a step where q receives from p (which makes room: only q takes from that
 * queue). Returns why it fails (the first such configuration), or undefined when the graph is
 * k-exhaustive.
 *
 * One backward search per queue that is ever full, over the steps of every role but its
 * sender, from the configurations where its receiver takes from it: linear in the graph.
 */
export function exhaustivityFailure(sys: System, g: Graph): string | undefined {
  const blocked = g.blockedAt.length;
  if (blocked === 0) return undefined;
  const n = sys.n;
  const size = g.size;
  const edges = g.to.length;
  // Each edge's source, and the edges into each configuration (compressed rows).
  const from = new Int32Array(edges);
  const into = new Int32Array(size + 1);
  for (let v = 0; v < size; v++) {
    if (g.done.get(v) !== 1) continue;
    for (let e = g.off.get(v), end = g.end.get(v); e < end; e++) {
      from[e] = v;
      const w = g.to.get(e) + 1;
      into[w] = (into[w] ?? 0) + 1;
    }
  }
  for (let v = 0; v < size; v++) into[v + 1] = (into[v + 1] ?? 0) + (into[v] ?? 0);
  const fill = into.slice(0, size);
  const rev = new Int32Array(edges);
  for (let e = 0; e < edges; e++) {
    const w = g.to.get(e);
    const at = fill[w] ?? 0;
    rev[at] = e;
    fill[w] = at + 1;
  }

  const queues = new Set<number>();
  for (let b = 0; b < blocked; b++) queues.add(g.blockedQueue.get(b));
  const reach = new Uint8Array(size);
  for (const qx of queues) {
    const p = Math.floor(qx / n);
    const q = qx % n;
    reach.fill(0);
    const work: number[] = [];
    for (let e = 0; e < edges; e++) {
      const ev = g.ev.get(e);
      if (sys.kindOf(ev) === K.Receive && sys.roleOf(ev) === q && sys.peerOf(ev) === p) {
        const v = from[e] ?? 0;
        if (reach[v] === 0) {
          reach[v] = 1;
          work.push(v);
        }
      }
    }
    for (let v = work.pop(); v !== undefined; v = work.pop()) {
      for (let r = into[v] ?? 0, end = into[v + 1] ?? 0; r < end; r++) {
        const e = rev[r] ?? 0;
        // Room made by a path without crashes (see ARCHITECTURE.md: the proof needs it).
        const ev = g.ev.get(e);
        if (sys.isFailure(ev) || sys.roleOf(ev) === p) continue;
        const u = from[e] ?? 0;
        if (reach[u] === 1) continue;
        reach[u] = 1;
        work.push(u);
      }
    }
    for (let b = 0; b < blocked; b++) {
      if (g.blockedQueue.get(b) !== qx || reach[g.blockedAt.get(b)] === 1) continue;
      const [rp, rq] = [sys.roles[p] ?? '', sys.roles[q] ?? ''];
      return (
        `${rp} cannot send to ${rq} with ${String(sys.capacity)} message(s) queued, ` +
        `and ${rq} takes none of them unless ${rp} moves first` +
        (sys.mayCrash.includes(true) ? ' or a role crashes' : '')
      );
    }
  }
  return undefined;
}
