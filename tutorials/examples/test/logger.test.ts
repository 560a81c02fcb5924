// Logger's own scenarios (the common checks, with 1,000 random crash plans, are in
// examples.test.ts): the client's crash at chosen points, and what the auditor hears.
import type { FaultPlan } from '@mpst/runtime';
import { describe, expect, test } from 'vitest';
import { runStep } from '../../paxos/src/kit.js';
import example, { linesOf, loggerViolations } from '../logger/roles.js';

/** The client crashes when it attempts its `atAction`-th send or receive (0 = the first). */
const crashClientAt = (atAction: number): FaultPlan => ({
  faults: [{ kind: 'crash', role: 'Client', atAction }],
});

describe('logger', () => {
  test('seed 2, no faults: six lines logged, audited, acknowledged; the session closes', async () => {
    expect(linesOf(2)).toHaveLength(6);
    const run = await runStep(example, 2, { faults: [] });
    expect(run.violations).toEqual([]);
    expect(run.observation.log).toEqual(linesOf(2));
    expect(run.observation.copy).toEqual(linesOf(2));
    expect(run.observation.acks).toEqual([1, 2, 3, 4, 5, 6]);
    expect(run.observation.end).toEqual({ how: 'closed', count: 6 });
  });

  test('the client crashes before its first line: the auditor hears lost 0', async () => {
    const run = await runStep(example, 2, crashClientAt(0));
    expect(run.violations).toEqual([]);
    expect(run.result.outcomes.find((o) => o.role === 'Client')?.status).toBe('crashed');
    expect(run.observation).toMatchObject({
      log: [],
      serverSawCrash: true,
      end: { how: 'lost', count: 0 },
    });
  });

  test('a crash while an acknowledgement is on its way: the line is kept, unacknowledged', async () => {
    // Action 0 sends line 1, action 1 would receive its acknowledgement.
    const run = await runStep(example, 2, crashClientAt(1));
    expect(run.violations).toEqual([]);
    expect(run.observation).toMatchObject({
      acks: [],
      log: ['seed 2 line 1'],
      end: { how: 'lost', count: 1 },
    });
  });

  test('a crash after two acknowledged lines: both are logged and audited', async () => {
    const run = await runStep(example, 2, crashClientAt(4));
    expect(run.violations).toEqual([]);
    expect(run.observation.acks).toEqual([1, 2]);
    expect(run.observation.copy).toEqual(linesOf(2).slice(0, 2));
    expect(run.observation.end).toEqual({ how: 'lost', count: 2 });
  });

  test('the properties catch a server that loses a line or miscounts', () => {
    const ok = {
      lines: ['a', 'b'],
      acks: [1, 2],
      log: ['a', 'b'],
      copy: ['a', 'b'],
      serverSawCrash: false,
      end: { how: 'closed', count: 2 },
    } as const;
    expect(loggerViolations(ok, false)).toEqual([]);
    expect(loggerViolations({ ...ok, copy: ['a'] }, false)).toEqual([
      "the auditor's copy differs from the log",
    ]);
    expect(loggerViolations({ ...ok, end: { how: 'closed', count: 1 } }, false)).toHaveLength(1);
    expect(loggerViolations(ok, true)).toHaveLength(2);
  });
});
