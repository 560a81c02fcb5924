/**
 * Step 8's second protocol, `Crossed.scr`: step 5's role code (the same rules, proposer and
 * switches, imported from step 5) composed in this protocol's order, where A2 and A3 both get
 * P2's prepare before P1's accept. The default export is the correct code with the acceptor rule
 * that also promises an equal ballot (a resent prepare), the rule under which reusing a ballot
 * is deadly; `mutations.ts` breaks it.
 */
import { type AcceptorMemory, freshMemory, onAccept, onPrepare } from '../../src/acceptor.js';
import type { StepModule } from '../../src/kit.js';
import { paxosRecorder } from '../../src/paxos.js';
import {
  CORRECT,
  drawData,
  Proposer,
  type Recorder,
  type TwoProposersObservation,
  type Variant,
  twoProposerViolations,
} from '../05-two-proposers/roles.js';
import * as A1 from './generated/Crossed.A1.js';
import * as A2 from './generated/Crossed.A2.js';
import * as A3 from './generated/Crossed.A3.js';
import * as L from './generated/Crossed.L.js';
import * as P1 from './generated/Crossed.P1.js';
import * as P2 from './generated/Crossed.P2.js';

/** Step 5's correct code, with acceptors that also promise a ballot equal to the promised one. */
export const RESEND_FRIENDLY: Variant = {
  ...CORRECT,
  acceptor: { ...CORRECT.acceptor, promiseEqual: true },
};

/** Proposer P1: prepare A1, A2, A3; with a quorum, accept A1, A2, A3, else abandon; tell L. */
function proposer1(p: Proposer, rec: Recorder): P1.Prepare_A1_send_prepare {
  const learner = (): P1.Phase2_send_chosen_none => {
    const value = p.chosen;
    if (value === undefined) return P1.Phase2_send_chosen_none.none(P1.end);
    rec.decide('P1', value);
    return P1.Phase2_send_chosen_none.chosen(value, P1.end);
  };
  const phase2 = (): P1.Accept_A1_send_accept_abandon => {
    const b = p.ballot;
    if (!p.promises.majority)
      return P1.Accept_A1_send_accept_abandon.abandon(
        b,
        P1.Phase2_send_abandon.abandon(
          b,
          P1.Phase2_send_abandon_2.abandon(b, P1.Phase2_send_none.none(P1.end)),
        ),
      );
    const value = p.propose();
    rec.propose(value);
    const toA3 = P1.Accept_A3_send_accept.accept(
      b,
      value,
      P1.Accept_A3_recv_accepted_nack.handle(p.accepts.handlers(learner)),
    );
    const toA2 = P1.Accept_A2_send_accept.accept(
      b,
      value,
      P1.Accept_A2_recv_accepted_nack.handle(p.accepts.handlers(toA3)),
    );
    return P1.Accept_A1_send_accept_abandon.accept(
      b,
      value,
      P1.Accept_A1_recv_accepted_nack.handle(p.accepts.handlers(toA2)),
    );
  };
  const toA3 = P1.Prepare_A3_send_prepare.prepare(
    p.ballot,
    P1.Prepare_A3_recv_promise_nack.handle(p.promises.handlers(phase2)),
  );
  const toA2 = P1.Prepare_A2_send_prepare.prepare(
    p.ballot,
    P1.Prepare_A2_recv_promise_nack.handle(p.promises.handlers(toA3)),
  );
  return P1.Prepare_A1_send_prepare.prepare(
    p.ballot,
    P1.Prepare_A1_recv_promise_nack.handle(p.promises.handlers(toA2)),
  );
}

/** Proposer P2: the same round, with its prepares in this protocol's order A3, A2, A1. */
function proposer2(p: Proposer, rec: Recorder): P2.Prepare_A3_send_prepare {
  const learner = (): P2.Phase2_send_chosen_none => {
    const value = p.chosen;
    if (value === undefined) return P2.Phase2_send_chosen_none.none(P2.end);
    rec.decide('P2', value);
    return P2.Phase2_send_chosen_none.chosen(value, P2.end);
  };
  const phase2 = (): P2.Accept_A1_send_accept_abandon => {
    const b = p.ballot;
    if (!p.promises.majority)
      return P2.Accept_A1_send_accept_abandon.abandon(
        b,
        P2.Phase2_send_abandon.abandon(
          b,
          P2.Phase2_send_abandon_2.abandon(b, P2.Phase2_send_none.none(P2.end)),
        ),
      );
    const value = p.propose();
    rec.propose(value);
    const toA3 = P2.Accept_A3_send_accept.accept(
      b,
      value,
      P2.Accept_A3_recv_accepted_nack.handle(p.accepts.handlers(learner)),
    );
    const toA2 = P2.Accept_A2_send_accept.accept(
      b,
      value,
      P2.Accept_A2_recv_accepted_nack.handle(p.accepts.handlers(toA3)),
    );
    return P2.Accept_A1_send_accept_abandon.accept(
      b,
      value,
      P2.Accept_A1_recv_accepted_nack.handle(p.accepts.handlers(toA2)),
    );
  };
  const toA1 = P2.Prepare_A1_send_prepare.prepare(
    p.ballot,
    P2.Prepare_A1_recv_promise_nack.handle(p.promises.handlers(phase2)),
  );
  const toA2 = P2.Prepare_A2_send_prepare.prepare(
    p.ballot,
    P2.Prepare_A2_recv_promise_nack.handle(p.promises.handlers(toA1)),
  );
  return P2.Prepare_A3_send_prepare.prepare(
    p.ballot,
    P2.Prepare_A3_recv_promise_nack.handle(p.promises.handlers(toA2)),
  );
}

/** Acceptor A1: P1's prepare and accept (or abandon), then P2's. */
function acceptor1(v: Variant, a: AcceptorMemory): A1.Prepare_P1_recv_prepare {
  const acceptOfP2 = A1.Accept_P2_recv_accept_abandon.handle({
    accept: (b, value) =>
      onAccept(a, b, value, A1.Accept_P2_send_accepted_nack, A1.end, v.acceptor),
    abandon: () => A1.end,
  });
  const prepareOfP2 = A1.Prepare_P2_recv_prepare.handle({
    prepare: (ballot) =>
      onPrepare(a, ballot, A1.Prepare_P2_send_promise_nack, acceptOfP2, v.acceptor),
  });
  const acceptOfP1 = A1.Accept_P1_recv_accept_abandon.handle({
    accept: (b, value) =>
      onAccept(a, b, value, A1.Accept_P1_send_accepted_nack, prepareOfP2, v.acceptor),
    abandon: () => prepareOfP2,
  });
  return A1.Prepare_P1_recv_prepare.handle({
    prepare: (ballot) =>
      onPrepare(a, ballot, A1.Prepare_P1_send_promise_nack, acceptOfP1, v.acceptor),
  });
}

/** Acceptor A2: P1's prepare, P2's prepare, then P1's accept (or abandon), then P2's. */
function acceptor2(v: Variant, a: AcceptorMemory): A2.Prepare_P1_recv_prepare {
  const acceptOfP2 = A2.Accept_P2_recv_accept_abandon.handle({
    accept: (b, value) =>
      onAccept(a, b, value, A2.Accept_P2_send_accepted_nack, A2.end, v.acceptor),
    abandon: () => A2.end,
  });
  const acceptOfP1 = A2.Accept_P1_recv_accept_abandon.handle({
    accept: (b, value) =>
      onAccept(a, b, value, A2.Accept_P1_send_accepted_nack, acceptOfP2, v.acceptor),
    abandon: () => acceptOfP2,
  });
  const prepareOfP2 = A2.Prepare_P2_recv_prepare.handle({
    prepare: (ballot) =>
      onPrepare(a, ballot, A2.Prepare_P2_send_promise_nack, acceptOfP1, v.acceptor),
  });
  return A2.Prepare_P1_recv_prepare.handle({
    prepare: (ballot) =>
      onPrepare(a, ballot, A2.Prepare_P1_send_promise_nack, prepareOfP2, v.acceptor),
  });
}

/** Acceptor A3: A2's order (its module is A2's with another role name). */
function acceptor3(v: Variant, a: AcceptorMemory): A3.Prepare_P1_recv_prepare {
  const acceptOfP2 = A3.Accept_P2_recv_accept_abandon.handle({
    accept: (b, value) =>
      onAccept(a, b, value, A3.Accept_P2_send_accepted_nack, A3.end, v.acceptor),
    abandon: () => A3.end,
  });
  const acceptOfP1 = A3.Accept_P1_recv_accept_abandon.handle({
    accept: (b, value) =>
      onAccept(a, b, value, A3.Accept_P1_send_accepted_nack, acceptOfP2, v.acceptor),
    abandon: () => acceptOfP2,
  });
  const prepareOfP2 = A3.Prepare_P2_recv_prepare.handle({
    prepare: (ballot) =>
      onPrepare(a, ballot, A3.Prepare_P2_send_promise_nack, acceptOfP1, v.acceptor),
  });
  return A3.Prepare_P1_recv_prepare.handle({
    prepare: (ballot) =>
      onPrepare(a, ballot, A3.Prepare_P1_send_promise_nack, prepareOfP2, v.acceptor),
  });
}

/** The learner: hears each proposer's outcome, `chosen(value)` or `none()`. */
function learner(rec: Recorder): L.Phase2_recv_chosen_none {
  return L.Phase2_recv_chosen_none.handle({
    chosen: (value) => {
      rec.decide('L', value);
      return secondOutcome(rec);
    },
    none: () => secondOutcome(rec),
  });
}

function secondOutcome(rec: Recorder): L.Phase2_recv_chosen_none_2 {
  return L.Phase2_recv_chosen_none_2.handle({
    chosen: (value) => {
      rec.decide('L', value);
      return L.end;
    },
    none: () => L.end,
  });
}

/** The step: this protocol's role code with the switches of `variant`. */
export function crossed(variant: Variant = RESEND_FRIENDLY): StepModule<TwoProposersObservation> {
  return {
    protocol: 'Crossed',
    specs: [P1.spec, P2.spec, A1.spec, A2.spec, A3.spec, L.spec],
    makeRun(seed) {
      const data = drawData(seed, variant);
      const rec = paxosRecorder();
      const p1 = new Proposer(variant, data.ballots.P1, data.values.P1);
      const p2 = new Proposer(variant, data.ballots.P2, data.values.P2);
      return {
        code: {
          P1: (ep) => P1.run(ep, proposer1(p1, rec)),
          P2: (ep) => P2.run(ep, proposer2(p2, rec)),
          A1: (ep) => A1.run(ep, acceptor1(variant, freshMemory())),
          A2: (ep) => A2.run(ep, acceptor2(variant, freshMemory())),
          A3: (ep) => A3.run(ep, acceptor3(variant, freshMemory())),
          L: (ep) => L.run(ep, learner(rec)),
        },
        observe: () => ({ ...data, proposed: rec.proposed, decided: rec.decided }),
      };
    },
    check: twoProposerViolations,
  };
}

export default crossed();
