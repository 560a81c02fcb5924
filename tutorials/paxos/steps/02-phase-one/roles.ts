/**
 * Step 2's role code: phase 1 with three acceptors. The acceptors run step 1's rule
 * (`onPrepare`), each on its own generated module; the proposer sends its ballot to A1, A2, A3
 * in the order the protocol fixes and counts the answers (`PromiseTally`).
 */
import { type AcceptorMemory, dataRng, earlierMemory, onPrepare } from '../../src/acceptor.js';
import type { StepModule } from '../../src/kit.js';
import { PromiseTally } from '../../src/proposer.js';
import * as A1 from './generated/PhaseOne.A1.js';
import * as A2 from './generated/PhaseOne.A2.js';
import * as A3 from './generated/PhaseOne.A3.js';
import * as P from './generated/PhaseOne.P.js';

export const ACCEPTOR_ROLES = ['A1', 'A2', 'A3'] as const;

/** What one run shows: the acceptors' memories before, P's ballot and what P counted. */
export interface PhaseOneObservation {
  readonly ballot: number;
  readonly before: readonly Readonly<AcceptorMemory>[];
  readonly promises: number;
  readonly nacks: number;
  readonly majority: boolean;
  readonly highest: { readonly ballot: number; readonly value: string };
}

const step: StepModule<PhaseOneObservation> = {
  protocol: 'PhaseOne',
  specs: [P.spec, A1.spec, A2.spec, A3.spec],
  makeRun(seed) {
    const rng = dataRng(seed);
    const ballot = rng.int(1, 8);
    const before = ACCEPTOR_ROLES.map(() => earlierMemory(rng));
    const [m1, m2, m3] = before.map((m) => ({ ...m })) as [
      AcceptorMemory,
      AcceptorMemory,
      AcceptorMemory,
    ];
    const tally = new PromiseTally();
    // The proposer, built from its last step back to its first: ask A3 and count, after asking
    // A2 and counting, after asking A1 and counting.
    const askA3 = P.Prepare_A3_send_prepare.prepare(
      ballot,
      P.Prepare_A3_recv_promise_nack.handle(tally.handlers(P.end)),
    );
    const askA2 = P.Prepare_A2_send_prepare.prepare(
      ballot,
      P.Prepare_A2_recv_promise_nack.handle(tally.handlers(askA3)),
    );
    const askA1 = P.Prepare_A1_send_prepare.prepare(
      ballot,
      P.Prepare_A1_recv_promise_nack.handle(tally.handlers(askA2)),
    );
    return {
      code: {
        P: (ep) => P.run(ep, askA1),
        A1: (ep) =>
          A1.run(
            ep,
            A1.Prepare_P_recv_prepare.handle({
              prepare: (b) => onPrepare(m1, b, A1.Prepare_P_send_promise_nack, A1.end),
            }),
          ),
        A2: (ep) =>
          A2.run(
            ep,
            A2.Prepare_P_recv_prepare.handle({
              prepare: (b) => onPrepare(m2, b, A2.Prepare_P_send_promise_nack, A2.end),
            }),
          ),
        A3: (ep) =>
          A3.run(
            ep,
            A3.Prepare_P_recv_prepare.handle({
              prepare: (b) => onPrepare(m3, b, A3.Prepare_P_send_promise_nack, A3.end),
            }),
          ),
      },
      observe: () => ({
        ballot,
        before,
        promises: tally.promises,
        nacks: tally.nacks,
        majority: tally.majority,
        highest: tally.highest,
      }),
    };
  },
  check(o, result) {
    const problems: string[] = [];
    // What the acceptors sent, from the run's trace (not from the role code).
    const sent = (label: string): number =>
      result.trace.events.filter(
        (e) => e.kind === 'send' && e.to === 'P' && e.message.startsWith(`${label}(`),
      ).length;
    if (o.promises !== sent('promise') || o.nacks !== sent('nack'))
      problems.push(
        `P counted ${String(o.promises)} promises and ${String(o.nacks)} nacks; ` +
          `the acceptors sent ${String(sent('promise'))} and ${String(sent('nack'))}`,
      );
    // What the rule demands, from the memories the acceptors started with.
    const promisers = o.before.filter((m) => o.ballot > m.promised);
    if (o.promises !== promisers.length)
      problems.push(
        `${String(o.promises)} promises for ballot ${String(o.ballot)}; the rule gives ${String(promisers.length)}`,
      );
    if (o.majority !== o.promises >= 2)
      problems.push(
        `P claims ${o.majority ? 'a' : 'no'} majority with ${String(o.promises)} promises of 3`,
      );
    const highest = promisers.reduce(
      (h, m) =>
        m.acceptedBallot > h.ballot ? { ballot: m.acceptedBallot, value: m.acceptedValue } : h,
      {
        ballot: 0,
        value: '',
      },
    );
    if (o.highest.ballot !== highest.ballot || o.highest.value !== highest.value)
      problems.push(
        `P's highest accepted is ${JSON.stringify(o.highest)}, the promises reported ${JSON.stringify(highest)}`,
      );
    return problems;
  },
};

export default step;
