import { describe, expect, test } from 'vitest';
import { runStep } from '../../src/kit.js';
import step from '../../steps/02-phase-one/roles.js';
import { stepSuite } from './suite.js';

stepSuite({ folder: '02-phase-one', load: () => import('../../steps/02-phase-one/roles.js') });

describe('02-phase-one: the properties can fail', () => {
  test('a wrong count, a wrong majority and a wrong highest value are violations', async () => {
    const { observation: o, result } = await runStep(step, 3);
    expect(step.check(o, result)).toEqual([]);
    // Off by one: the count disagrees with the trace and with the rule (and maybe the majority).
    expect(step.check({ ...o, promises: o.promises + 1 }, result).length).toBeGreaterThanOrEqual(2);
    expect(step.check({ ...o, majority: !o.majority }, result)).toEqual([
      `P claims ${o.majority ? 'no' : 'a'} majority with ${String(o.promises)} promises of 3`,
    ]);
    expect(step.check({ ...o, highest: { ballot: 99, value: 'x' } }, result)).toHaveLength(1);
  });

  test('runs with and without a majority, and with reported values, occur', async () => {
    const seen = { majority: 0, minority: 0, reported: 0 };
    for (let seed = 1; seed <= 50; seed++) {
      const { observation: o } = await runStep(step, seed);
      seen[o.majority ? 'majority' : 'minority']++;
      if (o.highest.ballot > 0) seen.reported++;
    }
    expect(seen.majority).toBeGreaterThan(5);
    expect(seen.minority).toBeGreaterThan(5);
    expect(seen.reported).toBeGreaterThan(5);
  });
});
