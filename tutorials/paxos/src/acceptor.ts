/**
 * The acceptor's two rules, written once for every step's generated API. A step's role code
 * passes the generated factories of the state it is in (`A.send_promise_nack`, …): the rule
 * picks the message and the factory makes the step, so the compiler still checks the labels
 * and payloads against the protocol. Browser-safe; plain data in, steps out.
 */
import { Rng } from '@mpst/runtime';

/** What an acceptor remembers between messages (and across rounds). */
export interface AcceptorMemory {
  /** The highest ballot it promised (0: none yet). */
  promised: number;
  /** The ballot of the last value it accepted (0: none yet), and that value ('' when none). */
  acceptedBallot: number;
  acceptedValue: string;
}

/**
 * The comparisons an acceptor makes. Paxos: promise only a ballot higher than the promised one,
 * accept one at least as high. Step 8 breaks them on purpose.
 */
export interface AcceptorRules {
  /**
   * Also promise a ballot equal to the promised one (`>=`), as implementations do so that a
   * proposer may resend its prepare; safe only while no two proposers share a ballot.
   */
  readonly promiseEqual: boolean;
  /** Accept a ballot equal to the promised one (`>=`); `false` is the `>` bug. */
  readonly acceptEqual: boolean;
}

export const PAXOS_RULES: AcceptorRules = { promiseEqual: false, acceptEqual: true };

/** An acceptor that has seen nothing yet. */
export function freshMemory(): AcceptorMemory {
  return { promised: 0, acceptedBallot: 0, acceptedValue: '' };
}

/**
 * Phase 1: promise a ballot higher than every ballot promised before (reporting what was
 * accepted last), else nack with the ballot already promised.
 */
export function onPrepare<Next, Step>(
  m: AcceptorMemory,
  ballot: number,
  reply: {
    readonly promise: (
      ballot: number,
      acceptedBallot: number,
      acceptedValue: string,
      next: Next,
    ) => Step;
    readonly nack: (promised: number, next: Next) => Step;
  },
  next: Next,
  rules: AcceptorRules = PAXOS_RULES,
): Step {
  if (rules.promiseEqual ? ballot < m.promised : ballot <= m.promised)
    return reply.nack(m.promised, next);
  m.promised = ballot;
  return reply.promise(ballot, m.acceptedBallot, m.acceptedValue, next);
}

/**
 * Phase 2: accept a ballot at least as high as the one promised (`>=`: the proposer that got
 * the promise uses that very ballot) and remember it with its value, else nack.
 */
export function onAccept<Next, Step>(
  m: AcceptorMemory,
  ballot: number,
  value: string,
  reply: {
    readonly accepted: (ballot: number, next: Next) => Step;
    readonly nack: (promised: number, next: Next) => Step;
  },
  next: Next,
  rules: AcceptorRules = PAXOS_RULES,
): Step {
  if (rules.acceptEqual ? ballot < m.promised : ballot <= m.promised)
    return reply.nack(m.promised, next);
  m.promised = m.acceptedBallot = ballot;
  m.acceptedValue = value;
  return reply.accepted(ballot, next);
}

/**
 * A seeded generator for a run's data (ballots, values, memories), separate from the
 * simulator's scheduler (which uses the seed itself), so that changing the data a step draws
 * does not change its message timings.
 */
export function dataRng(seed: number): Rng {
  return new Rng(Math.imul(seed, 0x9e3779b1) ^ 0x5bd1e995);
}

/**
 * An acceptor memory as if other proposers had run before: a promised ballot in 0..6 and an
 * accepted ballot at most that (value `v<ballot>`), drawn from `rng`.
 */
export function earlierMemory(rng: Rng): AcceptorMemory {
  const promised = rng.int(0, 6);
  const acceptedBallot = promised === 0 ? 0 : rng.int(0, promised);
  return {
    promised,
    acceptedBallot,
    acceptedValue: acceptedBallot === 0 ? '' : `v${String(acceptedBallot)}`,
  };
}
