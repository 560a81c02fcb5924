/**
 * Step 8's mutations: step 5's role code with one switch flipped (`Variant`), each a classic
 * Paxos mistake. Each is a `StepModule` like any step's, so the same seeded runs judge it;
 * `test/steps/08-break-it.test.ts` searches `BUDGET` seeds for its violating runs.
 */
import type { StepModule } from '../../src/kit.js';
import { CORRECT, type TwoProposersObservation, twoProposers } from '../05-two-proposers/roles.js';
import { crossed, RESEND_FRIENDLY } from './roles.js';

export interface Mutation {
  /** Its diagram is `diagrams/<id>.mmd`. */
  readonly id: string;
  readonly title: string;
  /** The role code with the bug. */
  readonly broken: StepModule<TwoProposersObservation>;
  /** The same role code without it, on the same protocol. */
  readonly fixed: StepModule<TwoProposersObservation>;
}

/** Seeds a search may try per mutation. */
export const BUDGET = 500;

export const MUTATIONS: readonly Mutation[] = [
  {
    id: 'majority-of-one',
    title: 'A proposer counts one promise (and one acceptance) as a majority',
    broken: twoProposers({ ...CORRECT, majority: 1 }),
    fixed: twoProposers(),
  },
  {
    // The same mistake in Crossed.scr's order, where it shows in P1's part too: P1 declares its
    // value chosen after one acceptance and two refusals.
    id: 'majority-of-one-crossed',
    title: 'The same, in the order of Crossed.scr',
    broken: crossed({ ...CORRECT, majority: 1 }),
    fixed: crossed(CORRECT),
  },
  {
    id: 'accept-greater',
    title: 'An acceptor accepts only a ballot higher than the one it promised (`>`, not `>=`)',
    broken: twoProposers({ ...CORRECT, acceptor: { ...CORRECT.acceptor, acceptEqual: false } }),
    fixed: twoProposers(),
  },
  {
    id: 'ignore-highest',
    title: 'A proposer proposes its own value, ignoring the accepted values its promises report',
    broken: twoProposers({ ...CORRECT, adoptHighest: false }),
    fixed: twoProposers(),
  },
  {
    id: 'reuse-ballot',
    title: "P2 reuses P1's ballot (acceptors that also promise an equal ballot, Crossed.scr)",
    broken: crossed({ ...RESEND_FRIENDLY, uniqueBallots: false }),
    fixed: crossed(),
  },
];

/**
 * Reusing a ballot where it is harmless (the README says why): with acceptors that promise only
 * a strictly higher ballot (steps 1-5's rule), on both protocols; and with acceptors that also
 * promise an equal ballot, in step 5's order. The test runs the budget on each.
 */
export const HARMLESS_REUSE: readonly StepModule<TwoProposersObservation>[] = [
  twoProposers({ ...CORRECT, uniqueBallots: false }),
  crossed({ ...CORRECT, uniqueBallots: false }),
  twoProposers({ ...RESEND_FRIENDLY, uniqueBallots: false }),
];
