/** STAND-IN (not committed): step 5's role code until wip/paxos5 lands it. */
import {
  type AcceptorMemory,
  dataRng,
  freshMemory,
  onAccept,
  onPrepare,
} from '../../src/acceptor.js';
import type { StepModule } from '../../src/kit.js';
import { consensusViolations, paxosRecorder, type PaxosObservation } from '../../src/paxos.js';
import { AcceptTally, PromiseTally } from '../../src/proposer.js';
import * as A1 from './generated/TwoProposers.A1.js';
import * as A2 from './generated/TwoProposers.A2.js';
import * as A3 from './generated/TwoProposers.A3.js';
import * as L from './generated/TwoProposers.L.js';
import * as P1 from './generated/TwoProposers.P1.js';
import * as P2 from './generated/TwoProposers.P2.js';

export interface TwoProposersObservation extends PaxosObservation {
  readonly ballots: { readonly P1: number; readonly P2: number };
}

type Record_ = ReturnType<typeof paxosRecorder>;

function proposer1(ballot: number, own: string, record: Record_): P1.Prepare_A1_send_prepare {
  const promises = new PromiseTally();
  const acceptances = new AcceptTally();
  const tell = (value: string) => (): P1.Phase2_send_chosen_none => {
    if (!acceptances.chosen) return P1.Phase2_send_chosen_none.none(P1.end);
    record.decide('P1', value);
    return P1.Phase2_send_chosen_none.chosen(value, P1.end);
  };
  const phase2 = (): P1.Accept_A1_send_accept_abandon => {
    if (!promises.majority)
      return P1.Accept_A1_send_accept_abandon.abandon(
        ballot,
        P1.Phase2_send_abandon.abandon(
          ballot,
          P1.Phase2_send_abandon_2.abandon(ballot, P1.Phase2_send_none.none(P1.end)),
        ),
      );
    const value = promises.highest.ballot > 0 ? promises.highest.value : own;
    record.propose(value);
    const a3 = P1.Accept_A3_send_accept.accept(
      ballot,
      value,
      P1.Accept_A3_recv_accepted_nack.handle({
        ...acceptances.handlers(tell(value)),
        defaults: { nack: () => [0] },
      }),
    );
    const a2 = P1.Accept_A2_send_accept.accept(
      ballot,
      value,
      P1.Accept_A2_recv_accepted_nack.handle({
        ...acceptances.handlers(a3),
        defaults: { nack: () => [0] },
      }),
    );
    return P1.Accept_A1_send_accept_abandon.accept(
      ballot,
      value,
      P1.Accept_A1_recv_accepted_nack.handle({
        ...acceptances.handlers(a2),
        defaults: { nack: () => [0] },
      }),
    );
  };
  const p3 = P1.Prepare_A3_send_prepare.prepare(
    ballot,
    P1.Prepare_A3_recv_promise_nack.handle({
      ...promises.handlers(phase2),
      defaults: { nack: () => [0] },
    }),
  );
  const p2 = P1.Prepare_A2_send_prepare.prepare(
    ballot,
    P1.Prepare_A2_recv_promise_nack.handle({
      ...promises.handlers(p3),
      defaults: { nack: () => [0] },
    }),
  );
  return P1.Prepare_A1_send_prepare.prepare(
    ballot,
    P1.Prepare_A1_recv_promise_nack.handle({
      ...promises.handlers(p2),
      defaults: { nack: () => [0] },
    }),
  );
}

function proposer2(ballot: number, own: string, record: Record_): P2.Prepare_A3_send_prepare {
  const promises = new PromiseTally();
  const acceptances = new AcceptTally();
  const tell = (value: string) => (): P2.Phase2_send_chosen_none => {
    if (!acceptances.chosen) return P2.Phase2_send_chosen_none.none(P2.end);
    record.decide('P2', value);
    return P2.Phase2_send_chosen_none.chosen(value, P2.end);
  };
  const phase2 = (): P2.Accept_A1_send_accept_abandon => {
    if (!promises.majority)
      return P2.Accept_A1_send_accept_abandon.abandon(
        ballot,
        P2.Phase2_send_abandon.abandon(
          ballot,
          P2.Phase2_send_abandon_2.abandon(ballot, P2.Phase2_send_none.none(P2.end)),
        ),
      );
    const value = promises.highest.ballot > 0 ? promises.highest.value : own;
    record.propose(value);
    const a3 = P2.Accept_A3_send_accept.accept(
      ballot,
      value,
      P2.Accept_A3_recv_accepted_nack.handle({
        ...acceptances.handlers(tell(value)),
        defaults: { nack: () => [0] },
      }),
    );
    const a2 = P2.Accept_A2_send_accept.accept(
      ballot,
      value,
      P2.Accept_A2_recv_accepted_nack.handle({
        ...acceptances.handlers(a3),
        defaults: { nack: () => [0] },
      }),
    );
    return P2.Accept_A1_send_accept_abandon.accept(
      ballot,
      value,
      P2.Accept_A1_recv_accepted_nack.handle({
        ...acceptances.handlers(a2),
        defaults: { nack: () => [0] },
      }),
    );
  };
  const p2 = P2.Prepare_A2_send_prepare.prepare(
    ballot,
    P2.Prepare_A2_recv_promise_nack.handle({
      ...promises.handlers(phase2),
      defaults: { nack: () => [0] },
    }),
  );
  const p1 = P2.Prepare_A1_send_prepare.prepare(
    ballot,
    P2.Prepare_A1_recv_promise_nack.handle({
      ...promises.handlers(p2),
      defaults: { nack: () => [0] },
    }),
  );
  return P2.Prepare_A3_send_prepare.prepare(
    ballot,
    P2.Prepare_A3_recv_promise_nack.handle({
      ...promises.handlers(p1),
      defaults: { nack: () => [0] },
    }),
  );
}

type Same = typeof A1;

/** A1 and A2: P1's round, then P2's. */
function acceptor(A: Same, m: AcceptorMemory): A1.Prepare_P1_recv_prepare {
  const roundOfP2 = A.Prepare_P2_recv_prepare.handle({
    prepare: (b) =>
      onPrepare(
        m,
        b,
        A.Prepare_P2_send_promise_nack,
        A.Accept_P2_recv_accept_abandon.handle({
          accept: (b2, v) => onAccept(m, b2, v, A.Accept_P2_send_accepted_nack, A.end),
          abandon: () => A.end,
        }),
      ),
  });
  return A.Prepare_P1_recv_prepare.handle({
    prepare: (b) =>
      onPrepare(
        m,
        b,
        A.Prepare_P1_send_promise_nack,
        A.Accept_P1_recv_accept_abandon.handle({
          accept: (b2, v) => onAccept(m, b2, v, A.Accept_P1_send_accepted_nack, roundOfP2),
          abandon: () => roundOfP2,
        }),
      ),
  });
}

/** A3: P1's prepare, P2's prepare, then P1's accept, then P2's. */
function acceptor3(m: AcceptorMemory): A3.Prepare_P1_recv_prepare {
  const acceptOfP2 = A3.Accept_P2_recv_accept_abandon.handle({
    accept: (b, v) => onAccept(m, b, v, A3.Accept_P2_send_accepted_nack, A3.end),
    abandon: () => A3.end,
  });
  const acceptOfP1 = A3.Accept_P1_recv_accept_abandon.handle({
    accept: (b, v) => onAccept(m, b, v, A3.Accept_P1_send_accepted_nack, acceptOfP2),
    abandon: () => acceptOfP2,
  });
  const prepareOfP2 = A3.Prepare_P2_recv_prepare.handle({
    prepare: (b) => onPrepare(m, b, A3.Prepare_P2_send_promise_nack, acceptOfP1),
  });
  return A3.Prepare_P1_recv_prepare.handle({
    prepare: (b) => onPrepare(m, b, A3.Prepare_P1_send_promise_nack, prepareOfP2),
  });
}

const step: StepModule<TwoProposersObservation> = {
  protocol: 'TwoProposers',
  specs: [P1.spec, P2.spec, A1.spec, A2.spec, A3.spec, L.spec],
  makeRun(seed) {
    const rng = dataRng(seed);
    const ballots = { P1: 10 * rng.int(1, 3) + 1, P2: 10 * rng.int(1, 3) + 2 };
    const record = paxosRecorder();
    const second = L.Phase2_recv_chosen_none_2.handle({
      chosen: (w) => (record.decide('L', w), L.end),
      none: () => L.end,
    });
    const learner = L.Phase2_recv_chosen_none.handle({
      chosen: (v) => (record.decide('L', v), second),
      none: () => second,
    });
    const own1 = `p1-${String(rng.int(1, 99))}`;
    const own2 = `p2-${String(rng.int(1, 99))}`;
    return {
      code: {
        P1: (ep) => P1.run(ep, proposer1(ballots.P1, own1, record)),
        P2: (ep) => P2.run(ep, proposer2(ballots.P2, own2, record)),
        A1: (ep) => A1.run(ep, acceptor(A1, freshMemory())),
        A2: (ep) =>
          A2.run(
            ep,
            acceptor(A2 as unknown as Same, freshMemory()) as unknown as A2.Prepare_P1_recv_prepare,
          ),
        A3: (ep) => A3.run(ep, acceptor3(freshMemory())),
        L: (ep) => L.run(ep, learner),
      },
      observe: () => ({ ballots, proposed: [...record.proposed], decided: [...record.decided] }),
    };
  },
  check: (o) => consensusViolations(o),
};

export default step;
