import { describe, expect, test } from 'vitest';
import { runStep } from '../../src/kit.js';
import step from '../../steps/04-single-decree/roles.js';
import { stepSuite } from './suite.js';

stepSuite({
  folder: '04-single-decree',
  load: () => import('../../steps/04-single-decree/roles.js'),
});

describe('04-single-decree: what the runs cover', () => {
  test('decided fresh values, re-chosen earlier values, and abandoned rounds all occur', async () => {
    const seen = { own: 0, earlier: 0, rechosen: 0, abandoned: 0 };
    for (let seed = 1; seed <= 200; seed++) {
      const { observation: o } = await runStep(step, seed);
      const learned = o.decided.find((d) => d.role === 'L')?.value;
      if (learned === undefined) seen.abandoned++;
      else if (learned.startsWith('p')) seen.own++;
      else seen.earlier++;
      if (learned !== undefined && o.decided.some((d) => d.role === 'earlier proposer'))
        seen.rechosen++;
    }
    expect(seen.own).toBeGreaterThan(10);
    expect(seen.earlier).toBeGreaterThan(10);
    expect(seen.rechosen).toBeGreaterThan(5);
    expect(seen.abandoned).toBeGreaterThan(10);
  });

  test('a round that chose its own value over an earlier chosen one breaks agreement', async () => {
    for (let seed = 1; ; seed++) {
      const { observation: o, result } = await runStep(step, seed);
      const earlier = o.decided.find((d) => d.role === 'earlier proposer');
      if (!earlier || !o.decided.some((d) => d.role === 'L')) continue;
      expect(step.check(o, result)).toEqual([]);
      const own = 'p-ignored-the-promises';
      const forged = {
        ...o,
        proposed: [...o.proposed, own],
        decided: [earlier, { role: 'P', value: own }, { role: 'L', value: own }],
      };
      expect(step.check(forged, result)).toEqual([
        `agreement violated: earlier proposer decided "${earlier.value}", P decided "${own}", L decided "${own}"`,
      ]);
      return;
    }
  });

  test('a count that differs from the messages the acceptors sent is a violation', async () => {
    const { observation: o, result } = await runStep(step, 1);
    expect(step.check({ ...o, promises: o.promises + 1 }, result)).toEqual([
      `P counted ${String(o.promises + 1)} promises and ${String(o.accepted)} accepted; ` +
        `the acceptors sent ${String(o.promises)} and ${String(o.accepted)}`,
    ]);
  });

  test('a learner that hears nothing when every acceptor had to promise is a violation', async () => {
    for (let seed = 1; ; seed++) {
      const { observation: o, result } = await runStep(step, seed);
      if (!o.before.every((m) => o.ballot > m.promised)) continue;
      expect(step.check({ ...o, decided: [] }, result)).toEqual([
        `ballot ${String(o.ballot)} is above every promise, yet nothing was decided`,
      ]);
      return;
    }
  });
});
