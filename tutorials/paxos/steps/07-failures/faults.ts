/**
 * Step 7's fault plans: what goes wrong in a seeded run, as plain data the simulator replays.
 * Within the failure model of step 6: at most one acceptor crashes (at a random send or
 * receive), links from acceptors to proposers are cut at a random time, and messages anywhere
 * are delayed or held back behind other senders' messages (reordering across links; each link
 * stays FIFO, as TCP is). Proposers crash only in the plans that say so (`proposerCrash`).
 */
import { Rng, type Fault, type FaultPlan } from '@mpst/runtime';

export const PROPOSERS = ['P1', 'P2'] as const;
export const ACCEPTORS = ['A1', 'A2', 'A3'] as const;
const ROLES = [...PROPOSERS, ...ACCEPTORS, 'L'] as const;

/** A random plan: at most one acceptor crash, up to two cut links, up to four perturbations. */
export function acceptorFaults(seed: number): FaultPlan {
  // Its own stream: the plan does not move with the run's data or message timings.
  const rng = new Rng(Math.imul(seed, 0x2545f491) ^ 0x7f4a7c15);
  const faults: Fault[] = [];
  if (rng.next() < 0.5)
    faults.push({ kind: 'crash', role: rng.pick(ACCEPTORS), atAction: rng.int(0, 8) });
  for (let n = rng.int(0, 2); n > 0; n--)
    faults.push({
      kind: 'link',
      from: rng.pick(ACCEPTORS),
      to: rng.pick(PROPOSERS),
      atTime: rng.int(0, 40),
    });
  for (let n = rng.int(0, 4); n > 0; n--) {
    const from = rng.pick(ROLES);
    const to = rng.pick(ROLES.filter((r) => r !== from));
    const nth = rng.int(0, 3);
    faults.push(
      rng.next() < 0.5
        ? { kind: 'delay', from, to, nth, ms: rng.int(1, 60) }
        : { kind: 'reorder', from, to, nth },
    );
  }
  return { faults };
}

/**
 * The acceptors that can still answer `proposer` for the whole run: not crashed, and their link
 * to it not cut. (A crash or cut late in the run may not matter; counting it as lost makes the
 * liveness claim weaker, never wrong.)
 */
export function reachableAcceptors(plan: FaultPlan, proposer: string): string[] {
  return ACCEPTORS.filter(
    (a) =>
      !plan.faults.some(
        (f) =>
          (f.kind === 'crash' && f.role === a) ||
          (f.kind === 'link' && f.from === a && f.to === proposer),
      ),
  );
}

/** Whether the plan crashes a proposer. */
export function crashesProposer(plan: FaultPlan): boolean {
  return plan.faults.some(
    (f) => f.kind === 'crash' && (PROPOSERS as readonly string[]).includes(f.role),
  );
}
