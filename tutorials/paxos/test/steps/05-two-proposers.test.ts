import { runTraceToSequence } from '@mpst/mermaid';
import { describe, expect, test } from 'vitest';
import { runStep } from '../../src/kit.js';
import { runStepWithValues } from '../../src/values.js';
import { isHardCase, withDataComment } from '../../steps/05-two-proposers/hard-case.js';
import step, { CORRECT, drawData } from '../../steps/05-two-proposers/roles.js';
import { stepSuite } from './suite.js';

stepSuite({
  folder: '05-two-proposers',
  load: () => import('../../steps/05-two-proposers/roles.js'),
});

/** The first seed whose run is the hard case (the README and the diagram name it). */
const HARD_CASE_SEED = 2;

describe('05-two-proposers: what the runs cover', () => {
  test('ballots are unique, and P2 is higher in some seeds and lower in others', () => {
    let higher = 0;
    let lower = 0;
    for (let seed = 1; seed <= 1000; seed++) {
      const { ballots, values } = drawData(seed, CORRECT);
      expect(ballots.P1).not.toBe(ballots.P2);
      expect(values.P1).not.toBe(values.P2);
      if (ballots.P2 > ballots.P1) higher++;
      else lower++;
    }
    expect(higher).toBeGreaterThan(300);
    expect(lower).toBeGreaterThan(300);
  });

  test('P1 always chooses its value; P2 re-chooses it when higher, and abandons when lower', async () => {
    for (let seed = 1; seed <= 200; seed++) {
      const { observation: o, violations } = await runStep(step, seed);
      expect(violations).toEqual([]);
      const v1 = o.values.P1;
      const higher = o.ballots.P2 > o.ballots.P1;
      expect(o.decided.map((d) => d.role).sort(), `seed ${String(seed)}`).toEqual(
        higher ? ['L', 'L', 'P1', 'P2'] : ['L', 'P1'],
      );
      expect(new Set(o.decided.map((d) => d.value))).toEqual(new Set([v1]));
      expect(o.proposed).toEqual(higher ? [v1, v1] : [v1]);
    }
  });

  test('a run where nothing is chosen is a violation (liveness, the runs are fault-free)', async () => {
    const { observation: o, result } = await runStep(step, 1);
    expect(step.check({ ...o, decided: [] }, result)).toEqual([
      'liveness violated: a fault-free run chose no value (the learner heard none)',
    ]);
  });
});

describe('05-two-proposers: the hard case', () => {
  test(`is the run of seed ${String(HARD_CASE_SEED)}, the first seed`, async () => {
    const found: number[] = [];
    for (let seed = 1; seed <= 20; seed++) {
      const r = await runStepWithValues(step, seed);
      if (isHardCase(r.observation, r.trace)) found.push(seed);
    }
    expect(found[0]).toBe(HARD_CASE_SEED);
    // Every run with P2 higher is the hard case: the protocol fixes the order, the seed the data.
    const higher = [...Array(20).keys()]
      .map((i) => i + 1)
      .filter((s) => {
        const { ballots } = drawData(s, CORRECT);
        return ballots.P2 > ballots.P1;
      });
    expect(found).toEqual(higher);
  });

  test('its diagram (diagrams/hard-case.mmd) is reproduced exactly', async () => {
    const r = await runStepWithValues(step, HARD_CASE_SEED);
    expect(r.violations).toEqual([]);
    const mermaid = withDataComment(runTraceToSequence(r.trace), HARD_CASE_SEED, r.observation);
    await expect(mermaid).toMatchFileSnapshot(
      '../../steps/05-two-proposers/diagrams/hard-case.mmd',
    );
  });
});
