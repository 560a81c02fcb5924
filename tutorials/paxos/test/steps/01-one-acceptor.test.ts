import { describe, expect, test } from 'vitest';
import { runStep } from '../../src/kit.js';
import step from '../../steps/01-one-acceptor/roles.js';
import { stepSuite } from './suite.js';

stepSuite({
  folder: '01-one-acceptor',
  load: () => import('../../steps/01-one-acceptor/roles.js'),
});

describe('01-one-acceptor: the properties can fail', () => {
  test('a promise of a ballot not higher than the one promised is a violation', async () => {
    // Find a run where A had to refuse, and pretend it promised.
    for (let seed = 1; ; seed++) {
      const { observation: o, result } = await runStep(step, seed);
      if (o.ballot > o.before.promised) continue;
      const forged = { ...o, heard: `promise(${String(o.ballot)}, 0, "")` };
      expect(step.check(forged, result)).toEqual([
        `P heard ${forged.heard} for ballot ${String(o.ballot)}; the rule says nack(${String(o.before.promised)})`,
      ]);
      expect(step.check({ ...o, after: { ...o.after, promised: o.ballot } }, result)).toHaveLength(
        o.ballot === o.before.promised ? 0 : 1,
      );
      return;
    }
  });

  test('both answers occur', async () => {
    const labels = new Set<string>();
    for (let seed = 1; seed <= 30; seed++)
      labels.add((await runStep(step, seed)).observation.heard?.split('(')[0] ?? '');
    expect([...labels].sort()).toEqual(['nack', 'promise']);
  });
});
