/**
 * Step 5's role code: two proposers, three acceptors and a learner on the API generated from
 * `TwoProposers.scr`. The protocol fixes who talks to whom and in which order; this code decides
 * what each message says: which ballot, which value, promise or nack, accepted or nack, accept
 * round or abandon, chosen or none.
 *
 * The Paxos rules are written once, as a few functions with switches ({@link Variant}); the
 * correct code is {@link CORRECT}, and step 8 flips one switch at a time to break it.
 */
import {
  type AcceptorMemory,
  type AcceptorRules,
  dataRng,
  freshMemory,
  onAccept,
  onPrepare,
  PAXOS_RULES,
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

/** The rules a Paxos implementation can get wrong; each switch is one of step 8's mutations. */
export interface Variant {
  /** How many promises (and accepts) make a quorum: 2 of the 3 acceptors. */
  readonly majority: number;
  /** The acceptor's comparisons: whether it promises, and accepts, a ballot equal to its promise. */
  readonly acceptor: AcceptorRules;
  /** A proposer proposes the value of the highest-ballot acceptance its quorum reports. */
  readonly adoptHighest: boolean;
  /** Ballots are unique per proposer (`10 * round + proposer`); the bug: P2 reuses P1's ballot. */
  readonly uniqueBallots: boolean;
}

/** The correct code. */
export const CORRECT: Variant = {
  majority: 2,
  acceptor: PAXOS_RULES,
  adoptHighest: true,
  uniqueBallots: true,
};

/** What a run of this step observes: proposals and decisions, and the data the seed drew. */
export interface TwoProposersObservation extends PaxosObservation {
  readonly ballots: { readonly P1: number; readonly P2: number };
  readonly values: { readonly P1: string; readonly P2: string };
}

const VALUES = ['apple', 'banana', 'cherry', 'damson', 'elder', 'fig', 'grape', 'hazel'];

/**
 * The data of a seeded run. Ballots are `10 * round + proposer` (rounds 1-4), unique per
 * proposer as in step 4, so P2's ballot is higher in some seeds and lower in others and never
 * equal; the two values differ, so a disagreement cannot hide behind equal values.
 */
export function drawData(
  seed: number,
  variant: Variant,
): Pick<TwoProposersObservation, 'ballots' | 'values'> {
  const rng = dataRng(seed);
  const b1 = 10 * rng.int(1, 4) + 1;
  const b2 = variant.uniqueBallots ? 10 * rng.int(1, 4) + 2 : b1;
  const i = rng.int(0, VALUES.length - 1);
  const j = (i + rng.int(1, VALUES.length - 1)) % VALUES.length;
  return {
    ballots: { P1: b1, P2: b2 },
    values: { P1: VALUES[i] ?? 'apple', P2: VALUES[j] ?? 'banana' },
  };
}

/**
 * A proposer's round: its ballot, its own value, and the replies it counts. Like a real
 * proposer it goes ahead with the first majority of promises (its quorum) and takes the value
 * from them: the protocol still delivers every reply (it fixes the order), but a reply after the
 * quorum would come too late for a proposer that had gone ahead.
 */
export class Proposer {
  readonly promises: PromiseTally;
  readonly accepts: AcceptTally;
  private proposal = '';

  constructor(
    private readonly v: Variant,
    readonly ballot: number,
    private readonly own: string,
  ) {
    this.promises = new PromiseTally(v.majority);
    this.accepts = new AcceptTally(v.majority);
  }

  /** The value to propose: the highest-ballot acceptance the quorum reported, else its own. */
  propose(): string {
    const reported = this.promises.quorumHighest;
    this.proposal = this.v.adoptHighest && reported.ballot > 0 ? reported.value : this.own;
    return this.proposal;
  }

  /** The chosen value, when a majority accepted the proposal. */
  get chosen(): string | undefined {
    return this.accepts.chosen ? this.proposal : undefined;
  }
}

export type Recorder = ReturnType<typeof paxosRecorder>;

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

/** Proposer P2: the same round, with its prepares in the protocol's order A3, A1, A2. */
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
  const toA2 = P2.Prepare_A2_send_prepare.prepare(
    p.ballot,
    P2.Prepare_A2_recv_promise_nack.handle(p.promises.handlers(phase2)),
  );
  const toA1 = P2.Prepare_A1_send_prepare.prepare(
    p.ballot,
    P2.Prepare_A1_recv_promise_nack.handle(p.promises.handlers(toA2)),
  );
  return P2.Prepare_A3_send_prepare.prepare(
    p.ballot,
    P2.Prepare_A3_recv_promise_nack.handle(p.promises.handlers(toA1)),
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

/** Acceptor A2: A1's order (its module is A1's with another role name). */
function acceptor2(v: Variant, a: AcceptorMemory): A2.Prepare_P1_recv_prepare {
  const acceptOfP2 = A2.Accept_P2_recv_accept_abandon.handle({
    accept: (b, value) =>
      onAccept(a, b, value, A2.Accept_P2_send_accepted_nack, A2.end, v.acceptor),
    abandon: () => A2.end,
  });
  const prepareOfP2 = A2.Prepare_P2_recv_prepare.handle({
    prepare: (ballot) =>
      onPrepare(a, ballot, A2.Prepare_P2_send_promise_nack, acceptOfP2, v.acceptor),
  });
  const acceptOfP1 = A2.Accept_P1_recv_accept_abandon.handle({
    accept: (b, value) =>
      onAccept(a, b, value, A2.Accept_P1_send_accepted_nack, prepareOfP2, v.acceptor),
    abandon: () => prepareOfP2,
  });
  return A2.Prepare_P1_recv_prepare.handle({
    prepare: (ballot) =>
      onPrepare(a, ballot, A2.Prepare_P1_send_promise_nack, acceptOfP1, v.acceptor),
  });
}

/** Acceptor A3: P1's prepare, P2's prepare, then P1's accept (or abandon), then P2's. */
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

/**
 * Agreement and validity, and liveness: in a fault-free run the learner hears a chosen value.
 */
export function twoProposerViolations(o: PaxosObservation): string[] {
  const problems = consensusViolations(o);
  if (!o.decided.some((d) => d.role === 'L'))
    problems.push('liveness violated: a fault-free run chose no value (the learner heard none)');
  return problems;
}

/**
 * The step: this role code with the switches of `variant`. Every run is fault-free, so besides
 * agreement and validity a run must decide: P1 always gets every acceptor's promise first.
 */
export function twoProposers(variant: Variant = CORRECT): StepModule<TwoProposersObservation> {
  return {
    protocol: 'TwoProposers',
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
    check(o) {
      const problems = consensusViolations(o);
      if (!o.decided.some((d) => d.role === 'L'))
        problems.push(
          'liveness violated: a fault-free run chose no value (the learner heard none)',
        );
      return problems;
    },
  };
}

export default twoProposers();
