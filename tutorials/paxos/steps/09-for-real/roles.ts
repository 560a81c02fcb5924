/**
 * Step 9's role code is step 6's, unchanged: the crash-tolerant Paxos (two proposers, three
 * acceptors that may crash, a learner) on step 6's generated API. What this step adds is how
 * it runs — one OS process per role over TCP (src/node/processes.ts) — and so two things a
 * simulated run never needs: how the processes' observations become one (`merge`), and a
 * stricter check, since a run on real sockets must still reach a decision when an acceptor is
 * killed.
 */
import type { StepModule } from '../../src/kit.js';
import { mergePaxosObservations } from '../../src/paxos.js';
import step6, { type TwoProposersObservation } from '../06-unreliable-network/roles.js';

const step: StepModule<TwoProposersObservation> = {
  ...step6,
  /** Each process saw its own role; the ballots come from the seed, the same in every one. */
  merge: (parts) => ({
    ...mergePaxosObservations(parts),
    ballots: parts[0]?.ballots ?? { P1: 0, P2: 0 },
  }),
  check(observation, result) {
    const problems = step6.check(observation, result);
    // At most one acceptor is killed: a majority lives, so some proposer must decide.
    if (observation.decided.length === 0) problems.push('no decision: nobody learned a value');
    return problems;
  },
};

export default step;
