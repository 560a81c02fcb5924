/**
 * Step 4's role code: single-decree Paxos for one proposer. Phase 1 (step 2's tally), then,
 * with a majority of promises, phase 2 (step 3's) with the value the promises force: the one
 * with the highest accepted ballot, else P's own. The learner L records what it is told.
 *
 * Every run starts from acceptor memories left by an earlier proposer (drawn from the seed):
 * it may have got a minority, a majority (then its value was chosen) or none of the acceptors
 * to accept its value. Agreement then says that this round can only choose that same value.
 */
import { type AcceptorMemory, dataRng, onAccept, onPrepare } from '../../src/acceptor.js';
import type { StepModule } from '../../src/kit.js';
import { consensusViolations, paxosRecorder, type PaxosObservation } from '../../src/paxos.js';
import { AcceptTally, PromiseTally } from '../../src/proposer.js';
import * as A1 from './generated/SingleDecree.A1.js';
import * as A2 from './generated/SingleDecree.A2.js';
import * as A3 from './generated/SingleDecree.A3.js';
import * as L from './generated/SingleDecree.L.js';
import * as P from './generated/SingleDecree.P.js';

/** What one run shows, beyond proposals and decisions. */
export interface SingleDecreeObservation extends PaxosObservation {
  readonly ballot: number;
  readonly before: readonly Readonly<AcceptorMemory>[];
  readonly promises: number;
  readonly accepted: number;
}

/**
 * Ballots are unique per proposer: `10 * round + proposer`. The earlier proposer is number 1,
 * P is number 2, so their ballots never tie.
 */
export function ballotOf(round: number, proposer: number): number {
  return 10 * round + proposer;
}

/** What an earlier proposer (number 1) left behind: its value accepted by some acceptors. */
export function earlierRound(rng: ReturnType<typeof dataRng>): {
  memories: AcceptorMemory[];
  value: string;
} {
  const round = rng.int(1, 3);
  const b0 = ballotOf(round, 1);
  const value = `early${String(round)}`;
  const memories = [1, 2, 3].map((): AcceptorMemory => {
    const promised = rng.pick([0, b0, b0, ballotOf(round + 1, 1)]);
    // An acceptor accepted b0 only if it had promised b0 (or nothing higher) when the accept came.
    const accepted = promised !== 0 && rng.next() < 0.6;
    return accepted
      ? { promised, acceptedBallot: b0, acceptedValue: value }
      : { promised, acceptedBallot: 0, acceptedValue: '' };
  });
  return { memories, value };
}

const step: StepModule<SingleDecreeObservation> = {
  protocol: 'SingleDecree',
  specs: [P.spec, A1.spec, A2.spec, A3.spec, L.spec],
  makeRun(seed) {
    const rng = dataRng(seed);
    const earlier = earlierRound(rng);
    const ballot = ballotOf(rng.int(1, 4), 2);
    const own = `p${String(rng.int(1, 99))}`;
    const before = earlier.memories;
    const [m1, m2, m3] = before.map((m) => ({ ...m })) as [
      AcceptorMemory,
      AcceptorMemory,
      AcceptorMemory,
    ];
    const record = paxosRecorder();
    // What the earlier proposer did: proposed its value, and chose it if a majority accepted.
    const acceptedEarlier = before.filter((m) => m.acceptedBallot > 0).length;
    if (acceptedEarlier > 0) record.propose(earlier.value);
    if (acceptedEarlier >= 2) record.decide('earlier proposer', earlier.value);

    const promises = new PromiseTally();
    const acceptances = new AcceptTally();
    // After phase 2: tell the learner.
    const tell = (value: string) => (): P.send_chosen_none => {
      if (!acceptances.chosen) return P.send_chosen_none.none(P.end);
      record.decide('P', value);
      return P.send_chosen_none.chosen(value, P.end);
    };
    // After phase 1: with a majority, phase 2 with the value the promises force; else give up.
    const afterPhase1 = (): P.Accept_A1_send_accept_abandon => {
      if (!promises.majority)
        return P.Accept_A1_send_accept_abandon.abandon(
          ballot,
          P.send_abandon.abandon(ballot, P.send_abandon_2.abandon(ballot, P.send_none.none(P.end))),
        );
      const value = promises.highest.ballot > 0 ? promises.highest.value : own;
      record.propose(value);
      const askA3 = P.Accept_A3_send_accept.accept(
        ballot,
        value,
        P.Accept_A3_recv_accepted_nack.handle(acceptances.handlers(tell(value))),
      );
      const askA2 = P.Accept_A2_send_accept.accept(
        ballot,
        value,
        P.Accept_A2_recv_accepted_nack.handle(acceptances.handlers(askA3)),
      );
      return P.Accept_A1_send_accept_abandon.accept(
        ballot,
        value,
        P.Accept_A1_recv_accepted_nack.handle(acceptances.handlers(askA2)),
      );
    };
    const prepareA3 = P.Prepare_A3_send_prepare.prepare(
      ballot,
      P.Prepare_A3_recv_promise_nack.handle(promises.handlers(afterPhase1)),
    );
    const prepareA2 = P.Prepare_A2_send_prepare.prepare(
      ballot,
      P.Prepare_A2_recv_promise_nack.handle(promises.handlers(prepareA3)),
    );
    const proposer = P.Prepare_A1_send_prepare.prepare(
      ballot,
      P.Prepare_A1_recv_promise_nack.handle(promises.handlers(prepareA2)),
    );

    // Each acceptor: the phase-1 rule, then the phase-2 rule or the end of the round.
    const acceptor1 = A1.Prepare_P_recv_prepare.handle({
      prepare: (b) =>
        onPrepare(
          m1,
          b,
          A1.Prepare_P_send_promise_nack,
          A1.Accept_P_recv_accept_abandon.handle({
            accept: (b2, v) => onAccept(m1, b2, v, A1.Accept_P_send_accepted_nack, A1.end),
            abandon: () => A1.end,
          }),
        ),
    });
    const acceptor2 = A2.Prepare_P_recv_prepare.handle({
      prepare: (b) =>
        onPrepare(
          m2,
          b,
          A2.Prepare_P_send_promise_nack,
          A2.Accept_P_recv_accept_abandon.handle({
            accept: (b2, v) => onAccept(m2, b2, v, A2.Accept_P_send_accepted_nack, A2.end),
            abandon: () => A2.end,
          }),
        ),
    });
    const acceptor3 = A3.Prepare_P_recv_prepare.handle({
      prepare: (b) =>
        onPrepare(
          m3,
          b,
          A3.Prepare_P_send_promise_nack,
          A3.Accept_P_recv_accept_abandon.handle({
            accept: (b2, v) => onAccept(m3, b2, v, A3.Accept_P_send_accepted_nack, A3.end),
            abandon: () => A3.end,
          }),
        ),
    });
    const learner = L.recv_chosen_none.handle({
      chosen: (value) => {
        record.decide('L', value);
        return L.end;
      },
      none: () => L.end,
    });
    return {
      code: {
        P: (ep) => P.run(ep, proposer),
        A1: (ep) => A1.run(ep, acceptor1),
        A2: (ep) => A2.run(ep, acceptor2),
        A3: (ep) => A3.run(ep, acceptor3),
        L: (ep) => L.run(ep, learner),
      },
      observe: () => ({
        ballot,
        before,
        promises: promises.promises,
        accepted: acceptances.accepted,
        proposed: [...record.proposed],
        decided: [...record.decided],
      }),
    };
  },
  check(o, result) {
    const problems = consensusViolations(o);
    // P's counts against what the acceptors sent (the run's trace, not the role code).
    const sent = (label: string): number =>
      result.trace.events.filter(
        (e) => e.kind === 'send' && e.to === 'P' && e.message.startsWith(`${label}(`),
      ).length;
    if (o.promises !== sent('promise') || o.accepted !== sent('accepted'))
      problems.push(
        `P counted ${String(o.promises)} promises and ${String(o.accepted)} accepted; ` +
          `the acceptors sent ${String(sent('promise'))} and ${String(sent('accepted'))}`,
      );
    const by = (role: string): string | undefined => o.decided.find((d) => d.role === role)?.value;
    if (by('P') !== by('L'))
      problems.push(`P decided ${String(by('P'))} but the learner ${String(by('L'))}`);
    // Liveness without competition: a ballot above every promise gets every promise and every
    // acceptance, so the round decides.
    if (o.before.every((m) => o.ballot > m.promised) && by('L') === undefined)
      problems.push(`ballot ${String(o.ballot)} is above every promise, yet nothing was decided`);
    return problems;
  },
};

export default step;
