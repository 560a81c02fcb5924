/**
 * Step 7's runs: step 6's role code, refactored once more so that proposers may crash too
 * (`roles.ts`, adapted by `mpst refactor --code`), run under the fault plans of `faults.ts`.
 * `failing(step)` adds the plans and, besides agreement and validity, a liveness property:
 * when no proposer crashes and each proposer can reach a majority of acceptors for the whole
 * run (not crashed, link not cut), some proposer decides.
 */
import type { SimulationResult } from '@mpst/runtime';
import type { StepModule } from '../../src/kit.js';
import type { PaxosObservation } from '../../src/paxos.js';
import { acceptorFaults, crashesProposer, PROPOSERS, reachableAcceptors } from './faults.js';

/** Liveness of one run, as violated-property sentences. */
export function livenessViolations(o: PaxosObservation, result: SimulationResult): string[] {
  if (crashesProposer(result.plan)) return [];
  const majority = PROPOSERS.every((p) => reachableAcceptors(result.plan, p).length >= 2);
  return majority && o.decided.length === 0
    ? [
        'liveness violated: every proposer could reach a majority of acceptors, yet nothing was decided',
      ]
    : [];
}

/** The step with step 7's fault plans and the liveness property added to its checks. */
export function failing<O extends PaxosObservation>(step: StepModule<O>): StepModule<O> {
  return {
    ...step,
    faults: acceptorFaults,
    check: (o, result) => [...step.check(o, result), ...livenessViolations(o, result)],
  };
}
