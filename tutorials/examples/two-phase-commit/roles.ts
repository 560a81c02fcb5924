/**
 * The coordinator and the two participants of TwoPhaseCommit.scr on their generated API. The
 * participants may crash; each vote is a `choice ... or default { no() ... }`, so where the
 * coordinator waits for a vote its handlers carry `defaults: { no: () => [] }`: when the
 * participant has crashed, the runtime calls the same `no` handler as for a real `no`, and the
 * coordinator aborts (presumed abort). The default export is what the examples' tests run.
 * Made by `nx g @mpst/tools:protocol-example two-phase-commit`.
 */
import { randomPlan, type FaultPlan, type SimulationResult } from '@mpst/runtime';
import type { StepModule } from '../../paxos/src/kit.js';
import * as C from './generated/TwoPhaseCommit.C.js';
import * as P1 from './generated/TwoPhaseCommit.P1.js';
import * as P2 from './generated/TwoPhaseCommit.P2.js';

export type Vote = 'yes' | 'no';
export type Outcome = 'commit' | 'abort';

/** What one run recorded. */
export interface Observation {
  readonly tx: string;
  /** How each participant means to vote (from the seed). */
  readonly intents: Readonly<Record<'P1' | 'P2', Vote>>;
  /** The votes the coordinator took: `no` also when it came by default (a crash). */
  readonly votes: Readonly<Partial<Record<'P1' | 'P2', Vote>>>;
  /** The coordinator's decision, and what each participant learned. */
  readonly decision?: Outcome;
  readonly learned: Readonly<Partial<Record<'P1' | 'P2', Outcome>>>;
}

/** Each participant votes yes with probability 3/4, from the seed. */
export function intentsOf(seed: number): Record<'P1' | 'P2', Vote> {
  const x = Math.imul(seed, 0x9e3779b1) >>> 0;
  return { P1: x % 4 === 0 ? 'no' : 'yes', P2: (x >>> 8) % 4 === 0 ? 'no' : 'yes' };
}

const example: StepModule<Observation> = {
  protocol: 'TwoPhaseCommit',
  specs: [C.spec, P1.spec, P2.spec],
  makeRun(seed) {
    const tx = `tx-${String(seed)}`;
    const intents = intentsOf(seed);
    const votes: Partial<Record<'P1' | 'P2', Vote>> = {};
    const learned: Partial<Record<'P1' | 'P2', Outcome>> = {};
    let decision: Outcome | undefined;

    // Phase 2: commit only when both voted yes; tell both participants.
    const decide = (): C.send_commit_abort => {
      decision = votes.P1 === 'yes' && votes.P2 === 'yes' ? 'commit' : 'abort';
      return decision === 'commit'
        ? C.send_commit_abort.commit(C.send_commit.commit(C.end))
        : C.send_commit_abort.abort(C.send_abort.abort(C.end));
    };
    // Phase 1: ask both, then collect the votes; a crashed participant's vote defaults to no.
    const voteOfP2 = C.recv_yes_no_2.handle({
      yes: () => ((votes.P2 = 'yes'), decide()),
      no: () => ((votes.P2 = 'no'), decide()),
      defaults: { no: () => [] },
    });
    const coordinator = C.send_prepare.prepare(
      tx,
      C.send_prepare_2.prepare(
        tx,
        C.recv_yes_no.handle({
          yes: () => ((votes.P1 = 'yes'), voteOfP2),
          no: () => ((votes.P1 = 'no'), voteOfP2),
          defaults: { no: () => [] },
        }),
      ),
    );

    // A participant votes as it intends, then learns the decision (the two are alike; each
    // is written against its own generated module).
    const learn = <End>(p: 'P1' | 'P2', outcome: Outcome, end: End): End => {
      learned[p] = outcome;
      return end;
    };
    const decisionAtP1 = P1.recv_commit_abort.handle({
      commit: () => learn('P1', 'commit', P1.end),
      abort: () => learn('P1', 'abort', P1.end),
    });
    const p1 = P1.recv_prepare.handle({
      prepare: () =>
        intents.P1 === 'yes' ? P1.send_yes_no.yes(decisionAtP1) : P1.send_yes_no.no(decisionAtP1),
    });
    const decisionAtP2 = P2.recv_commit_abort.handle({
      commit: () => learn('P2', 'commit', P2.end),
      abort: () => learn('P2', 'abort', P2.end),
    });
    const p2 = P2.recv_prepare.handle({
      prepare: () =>
        intents.P2 === 'yes' ? P2.send_yes_no.yes(decisionAtP2) : P2.send_yes_no.no(decisionAtP2),
    });

    return {
      code: {
        C: (ep) => C.run(ep, coordinator),
        P1: (ep) => P1.run(ep, p1),
        P2: (ep) => P2.run(ep, p2),
      },
      observe: () => ({ tx, intents, votes, learned, ...(decision ? { decision } : {}) }),
    };
  },
  check(o, result) {
    return commitViolations(o, crashedRoles(result), cutOff(result));
  },
  faults: faultPlan,
};

/**
 * The fault plan of a seeded run: the runtime's random plan (each participant crashes with
 * probability 1/2, at a random action; delays and reorders), and in one run of four the link
 * from a participant to the coordinator fails early. The default vote covers that too: the
 * coordinator takes `no` while the participant lives on and waits for the decision.
 */
export function faultPlan(seed: number): FaultPlan {
  const plan = randomPlan(['C', 'P1', 'P2'], ['C'], seed);
  if (seed % 4 !== 0) return plan;
  const from = seed % 8 === 0 ? 'P1' : 'P2';
  return { faults: [...plan.faults, { kind: 'link', from, to: 'C', atTime: seed % 7 }] };
}

export function crashedRoles(result: SimulationResult): Set<string> {
  return new Set(result.outcomes.filter((r) => r.status === 'crashed').map((r) => r.role));
}

/** The participants whose link to the coordinator the run's plan cut. */
export function cutOff(result: SimulationResult): Set<string> {
  return new Set(
    result.plan.faults.flatMap((f) => (f.kind === 'link' && f.to === 'C' ? [f.from] : [])),
  );
}

/**
 * Two-phase commit's properties: the coordinator decides; it commits only when both
 * participants voted yes, and aborts when one voted no; a vote the coordinator took as `yes`
 * was a participant's real yes; every participant that did not crash learns the decision, and
 * nobody learns another one (atomicity). A participant that neither crashed nor was cut off
 * from the coordinator had its real vote counted.
 */
export function commitViolations(
  o: Observation,
  crashed: ReadonlySet<string>,
  cut: ReadonlySet<string> = new Set(),
): string[] {
  const problems: string[] = [];
  if (o.decision === undefined) return ['the coordinator did not decide'];
  const bothYes = o.votes.P1 === 'yes' && o.votes.P2 === 'yes';
  if ((o.decision === 'commit') !== bothYes)
    problems.push(`decided ${o.decision} on votes ${JSON.stringify(o.votes)}`);
  for (const p of ['P1', 'P2'] as const) {
    const vote = o.votes[p];
    if (vote === undefined) problems.push(`the coordinator has no vote of ${p}`);
    if (vote === 'yes' && o.intents[p] !== 'yes') problems.push(`${p}'s yes was never cast`);
    if (!crashed.has(p) && !cut.has(p) && vote !== o.intents[p])
      problems.push(`${p} lived and voted ${o.intents[p]}, but counted ${String(vote)}`);
    const learned = o.learned[p];
    if (learned !== undefined && learned !== o.decision)
      problems.push(`${p} learned ${learned}, the coordinator decided ${o.decision}`);
    if (!crashed.has(p) && learned === undefined) problems.push(`${p} lived but never learned`);
  }
  return problems;
}

export default example;
