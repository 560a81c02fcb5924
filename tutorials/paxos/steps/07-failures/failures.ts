/**
 * Step 7's runs: step 6's role code, refactored once more so that a proposer may crash too
 * (`roles.ts`, adapted by `mpst refactor --code`), run under the fault plans of `faults.ts`.
 * `failing(step)` adds the plans and judges each run by agreement and validity (always) and by
 * liveness, stated for what a fault plan leaves:
 * - without crashes or cut links (delays and reordering only), the learner hears a chosen
 *   value — step 5's fault-free claim, which reordering does not break;
 * - with them, when no proposer crashes: the proposer with the higher ballot decides, and the
 *   learner hears it, whenever that proposer can reach a majority of acceptors for the whole
 *   run (not crashed, link not cut). No acceptor can have promised a higher ballot, so every
 *   acceptor it reaches promises and accepts.
 */
import type { SimulationResult } from '@mpst/runtime';
import type { StepModule } from '../../src/kit.js';
import { consensusViolations, type PaxosObservation } from '../../src/paxos.js';
import { acceptorFaults, crashesProposer, reachableAcceptors } from './faults.js';

/** What the liveness check needs to know of a run: its decisions and the proposers' ballots. */
export interface FailureObservation extends PaxosObservation {
  readonly ballots: { readonly P1: number; readonly P2: number };
}

/** Liveness of one run, as violated-property sentences. */
export function livenessViolations(o: FailureObservation, result: SimulationResult): string[] {
  const plan = result.plan;
  if (crashesProposer(plan)) return [];
  const learned = o.decided.some((d) => d.role === 'L');
  if (!plan.faults.some((f) => f.kind === 'crash' || f.kind === 'link'))
    return learned
      ? []
      : ['liveness violated: only delays and reordering, yet the learner heard no value'];
  const high = o.ballots.P1 > o.ballots.P2 ? 'P1' : 'P2';
  const reach = reachableAcceptors(plan, high);
  if (reach.length < 2) return [];
  return o.decided.some((d) => d.role === high) && learned
    ? []
    : [
        `liveness violated: ${high} has the higher ballot and reaches ${reach.join(', ')}, ` +
          'yet it did not decide (or the learner did not hear it)',
      ];
}

/** The step with step 7's fault plans and checks (agreement, validity, liveness above). */
export function failing<O extends FailureObservation>(step: StepModule<O>): StepModule<O> {
  return {
    ...step,
    faults: acceptorFaults,
    check: (o, result) => [...consensusViolations(o), ...livenessViolations(o, result)],
  };
}
