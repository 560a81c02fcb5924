/**
 * Step 3's role code: phase 2 with three acceptors. The acceptors run the accept rule
 * (`onAccept`); the proposer asks A1, A2, A3 to accept its ballot and value and counts the
 * acceptances (`AcceptTally`): a majority means the value is chosen.
 */
import { type AcceptorMemory, dataRng, earlierMemory, onAccept } from '../../src/acceptor.js';
import type { StepModule } from '../../src/kit.js';
import { consensusViolations, paxosRecorder, type PaxosObservation } from '../../src/paxos.js';
import { AcceptTally, MAJORITY } from '../../src/proposer.js';
import * as A1 from './generated/PhaseTwo.A1.js';
import * as A2 from './generated/PhaseTwo.A2.js';
import * as A3 from './generated/PhaseTwo.A3.js';
import * as P from './generated/PhaseTwo.P.js';

/** What one run shows: the acceptors' memories before and after, and what P counted. */
export interface PhaseTwoObservation extends PaxosObservation {
  readonly ballot: number;
  readonly value: string;
  readonly before: readonly Readonly<AcceptorMemory>[];
  readonly after: readonly Readonly<AcceptorMemory>[];
  readonly accepted: number;
  readonly nacks: number;
}

const step: StepModule<PhaseTwoObservation> = {
  protocol: 'PhaseTwo',
  specs: [P.spec, A1.spec, A2.spec, A3.spec],
  makeRun(seed) {
    const rng = dataRng(seed);
    const ballot = rng.int(1, 8);
    const value = `x${String(rng.int(1, 99))}`;
    // As if phase 1 had run: some acceptors may have promised a higher
    // ballot to another proposer since.
    const before = [earlierMemory(rng), earlierMemory(rng), earlierMemory(rng)];
    const memories = before.map((m) => ({ ...m }));
    const [m1, m2, m3] = memories as [AcceptorMemory, AcceptorMemory, AcceptorMemory];
    const tally = new AcceptTally();
    const record = paxosRecorder();
    record.propose(value);
    // After the third answer, P knows whether the value is chosen.
    const decide = (): P.End => {
      if (tally.chosen) record.decide('P', value);
      return P.end;
    };
    const askA3 = P.Accept_A3_send_accept.accept(
      ballot,
      value,
      P.Accept_A3_recv_accepted_nack.handle(tally.handlers(decide)),
    );
    const askA2 = P.Accept_A2_send_accept.accept(
      ballot,
      value,
      P.Accept_A2_recv_accepted_nack.handle(tally.handlers(askA3)),
    );
    const askA1 = P.Accept_A1_send_accept.accept(
      ballot,
      value,
      P.Accept_A1_recv_accepted_nack.handle(tally.handlers(askA2)),
    );
    return {
      code: {
        P: (ep) => P.run(ep, askA1),
        A1: (ep) =>
          A1.run(
            ep,
            A1.Accept_P_recv_accept.handle({
              accept: (b, v) => onAccept(m1, b, v, A1.Accept_P_send_accepted_nack, A1.end),
            }),
          ),
        A2: (ep) =>
          A2.run(
            ep,
            A2.Accept_P_recv_accept.handle({
              accept: (b, v) => onAccept(m2, b, v, A2.Accept_P_send_accepted_nack, A2.end),
            }),
          ),
        A3: (ep) =>
          A3.run(
            ep,
            A3.Accept_P_recv_accept.handle({
              accept: (b, v) => onAccept(m3, b, v, A3.Accept_P_send_accepted_nack, A3.end),
            }),
          ),
      },
      observe: () => ({
        ballot,
        value,
        before,
        after: memories.map((m) => ({ ...m })),
        accepted: tally.accepted,
        nacks: tally.nacks,
        proposed: [...record.proposed],
        decided: [...record.decided],
      }),
    };
  },
  check(o, result) {
    const problems = consensusViolations(o);
    const sent = (label: string): number =>
      result.trace.events.filter(
        (e) => e.kind === 'send' && e.to === 'P' && e.message.startsWith(`${label}(`),
      ).length;
    if (o.accepted !== sent('accepted') || o.nacks !== sent('nack'))
      problems.push(
        `P counted ${String(o.accepted)} accepted and ${String(o.nacks)} nacks; ` +
          `the acceptors sent ${String(sent('accepted'))} and ${String(sent('nack'))}`,
      );
    o.before.forEach((m, i) => {
      const accepts = o.ballot >= m.promised;
      const want = accepts
        ? { promised: o.ballot, acceptedBallot: o.ballot, acceptedValue: o.value }
        : m;
      const got = o.after[i];
      if (JSON.stringify(got) !== JSON.stringify(want))
        problems.push(
          `A${String(i + 1)} (promised ${String(m.promised)}) ended as ${JSON.stringify(got)} ` +
            `after accept(${String(o.ballot)}); the rule gives ${JSON.stringify(want)}`,
        );
    });
    const chosen = o.decided.length > 0;
    if (chosen !== o.accepted >= MAJORITY)
      problems.push(
        `P ${chosen ? 'decided' : 'did not decide'} with ${String(o.accepted)} of 3 accepted`,
      );
    return problems;
  },
};

export default step;
