// TwoPhaseCommit's own scenarios (the common checks, with 1,000 random crash plans, are in
// examples.test.ts): the default vote of a crashed participant, and a crash after voting.
import type { FaultPlan } from '@mpst/runtime';
import { describe, expect, test } from 'vitest';
import { runStep } from '../../paxos/src/kit.js';
import example, { commitViolations, faultPlan, intentsOf } from '../two-phase-commit/roles.js';

/** `role` crashes when it attempts its `atAction`-th send or receive (0 = the first). */
const crash = (role: 'P1' | 'P2', atAction: number): FaultPlan => ({
  faults: [{ kind: 'crash', role, atAction }],
});

describe('two-phase-commit', () => {
  test('seed 1: both vote yes, the coordinator commits, both learn it', async () => {
    expect(intentsOf(1)).toEqual({ P1: 'yes', P2: 'yes' });
    const run = await runStep(example, 1, { faults: [] });
    expect(run.violations).toEqual([]);
    expect(run.observation).toMatchObject({
      decision: 'commit',
      learned: { P1: 'commit', P2: 'commit' },
    });
  });

  test('seed 4: P1 votes no, everybody aborts', async () => {
    expect(intentsOf(4)).toEqual({ P1: 'no', P2: 'yes' });
    const run = await runStep(example, 4, { faults: [] });
    expect(run.violations).toEqual([]);
    expect(run.observation).toMatchObject({
      decision: 'abort',
      learned: { P1: 'abort', P2: 'abort' },
    });
  });

  test('P1 crashes before voting: its vote defaults to no and the coordinator aborts', async () => {
    // Action 0 receives prepare, action 1 would send the vote.
    const run = await runStep(example, 1, crash('P1', 1));
    expect(run.violations).toEqual([]);
    expect(run.observation).toMatchObject({
      votes: { P1: 'no', P2: 'yes' },
      decision: 'abort',
      learned: { P2: 'abort' },
    });
    expect(run.observation.learned.P1).toBeUndefined();
  });

  test('P2 crashes after voting yes: the coordinator still commits, and P1 learns it', async () => {
    const run = await runStep(example, 1, crash('P2', 2));
    expect(run.violations).toEqual([]);
    expect(run.observation).toMatchObject({ votes: { P1: 'yes', P2: 'yes' }, decision: 'commit' });
    expect(run.observation.learned).toEqual({ P1: 'commit' });
  });

  test("P1's link to the coordinator fails: C takes the default no, P1 lives and learns abort", async () => {
    const run = await runStep(example, 1, {
      faults: [{ kind: 'link', from: 'P1', to: 'C', atTime: 0 }],
    });
    expect(run.violations).toEqual([]);
    expect(run.result.outcomes.map((o) => `${o.role} ${o.status}`)).toEqual([
      'C done',
      'P1 done',
      'P2 done',
    ]);
    expect(run.observation).toMatchObject({
      intents: { P1: 'yes', P2: 'yes' },
      votes: { P1: 'no', P2: 'yes' },
      decision: 'abort',
      learned: { P1: 'abort', P2: 'abort' },
    });
  });

  test('the fault plans crash participants and cut their links to the coordinator', () => {
    const plans = Array.from({ length: 100 }, (_, i) => faultPlan(i + 1).faults).flat();
    expect(plans.some((f) => f.kind === 'crash' && f.role === 'P1')).toBe(true);
    expect(plans.some((f) => f.kind === 'link' && f.from === 'P2' && f.to === 'C')).toBe(true);
    expect(plans.some((f) => f.kind === 'crash' && f.role === 'C')).toBe(false);
  });

  test('the properties catch a commit on a no, and a participant told the other outcome', () => {
    const base = {
      tx: 't',
      intents: { P1: 'yes', P2: 'no' },
      votes: { P1: 'yes', P2: 'no' },
      learned: { P1: 'abort', P2: 'abort' },
    } as const;
    expect(commitViolations({ ...base, decision: 'abort' }, new Set())).toEqual([]);
    expect(commitViolations({ ...base, decision: 'commit' }, new Set())).toContain(
      'decided commit on votes {"P1":"yes","P2":"no"}',
    );
    expect(
      commitViolations({ ...base, decision: 'abort', learned: { P1: 'commit' } }, new Set(['P2'])),
    ).toEqual(['P1 learned commit, the coordinator decided abort']);
  });
});
