/**
 * Step 1's role code: the proposer P asks one acceptor A to promise its ballot. Written on the
 * generated API (generated/OneAcceptor.*.ts): each state is a factory, each receive an object
 * with one handler per label, and each handler returns the next step.
 */
import { type AcceptorMemory, dataRng, earlierMemory, onPrepare } from '../../src/acceptor.js';
import type { StepModule } from '../../src/kit.js';
import * as A from './generated/OneAcceptor.A.js';
import * as P from './generated/OneAcceptor.P.js';

/** What one run shows: A's memory before and after, P's ballot, and the answer P got. */
export interface OneAcceptorObservation {
  readonly ballot: number;
  readonly before: Readonly<AcceptorMemory>;
  readonly after: Readonly<AcceptorMemory>;
  /** `promise(ballot, acceptedBallot, acceptedValue)` or `nack(promised)`, as P received it. */
  readonly heard?: string;
}

const step: StepModule<OneAcceptorObservation> = {
  protocol: 'OneAcceptor',
  specs: [P.spec, A.spec],
  makeRun(seed) {
    const rng = dataRng(seed);
    const ballot = rng.int(1, 8);
    const before = earlierMemory(rng);
    const memory = { ...before };
    let heard: string | undefined;
    // The proposer: send the ballot, then note whichever answer comes.
    const proposer = P.send_prepare.prepare(
      ballot,
      P.recv_promise_nack.handle({
        promise: (b, acceptedBallot, acceptedValue) => {
          heard = `promise(${String(b)}, ${String(acceptedBallot)}, ${JSON.stringify(acceptedValue)})`;
          return P.end;
        },
        nack: (promised) => {
          heard = `nack(${String(promised)})`;
          return P.end;
        },
      }),
    );
    // The acceptor: apply the phase-1 rule to the one prepare it receives.
    const acceptor = A.recv_prepare.handle({
      prepare: (b) => onPrepare(memory, b, A.send_promise_nack, A.end),
    });
    return {
      code: { P: (ep) => P.run(ep, proposer), A: (ep) => A.run(ep, acceptor) },
      observe: () => ({
        ballot,
        before,
        after: { ...memory },
        ...(heard !== undefined ? { heard } : {}),
      }),
    };
  },
  check({ ballot, before, after, heard }) {
    // Computed from the memory A started with, not from A's code: what the rule demands.
    const promises = ballot > before.promised;
    const expected = promises
      ? `promise(${String(ballot)}, ${String(before.acceptedBallot)}, ${JSON.stringify(before.acceptedValue)})`
      : `nack(${String(before.promised)})`;
    const problems: string[] = [];
    if (heard !== expected)
      problems.push(
        `P heard ${heard ?? 'nothing'} for ballot ${String(ballot)}; the rule says ${expected}`,
      );
    const promised = promises ? ballot : before.promised;
    if (after.promised !== promised)
      problems.push(`A promised ${String(after.promised)} after the run, not ${String(promised)}`);
    if (
      after.acceptedBallot !== before.acceptedBallot ||
      after.acceptedValue !== before.acceptedValue
    )
      problems.push('A changed what it accepted in phase 1');
    return problems;
  },
};

export default step;
