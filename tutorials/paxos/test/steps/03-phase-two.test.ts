import { describe, expect, test } from 'vitest';
import { runStep } from '../../src/kit.js';
import step from '../../steps/03-phase-two/roles.js';
import { stepSuite } from './suite.js';

stepSuite({ folder: '03-phase-two', load: () => import('../../steps/03-phase-two/roles.js') });

describe('03-phase-two: the properties can fail', () => {
  test('accepting below the promise, a wrong count and a decision without a majority are violations', async () => {
    for (let seed = 1; ; seed++) {
      const { observation: o, result } = await runStep(step, seed);
      const refused = o.before.findIndex((m) => o.ballot < m.promised);
      if (refused < 0 || o.decided.length > 0) continue;
      expect(step.check(o, result)).toEqual([]);
      // A `>` for `>=` mistake the other way round: the refusing acceptor accepted anyway.
      const after = o.after.map((m, i) =>
        i === refused
          ? { promised: o.ballot, acceptedBallot: o.ballot, acceptedValue: o.value }
          : m,
      );
      expect(step.check({ ...o, after }, result)).toHaveLength(1);
      expect(step.check({ ...o, accepted: o.accepted + 1 }, result).length).toBeGreaterThanOrEqual(
        1,
      );
      expect(step.check({ ...o, decided: [{ role: 'P', value: o.value }] }, result)).toEqual([
        `P decided with ${String(o.accepted)} of 3 accepted`,
      ]);
      expect(
        step.check({ ...o, decided: [{ role: 'P', value: 'never proposed' }] }, result),
      ).toHaveLength(2);
      return;
    }
  });

  test('chosen and not chosen both occur', async () => {
    const outcomes = new Set<boolean>();
    for (let seed = 1; seed <= 30; seed++)
      outcomes.add((await runStep(step, seed)).observation.decided.length > 0);
    expect(outcomes).toEqual(new Set([true, false]));
  });
});
