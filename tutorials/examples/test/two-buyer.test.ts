// TwoBuyer's own scenarios (the common checks are in examples.test.ts): a purchase and a
// refusal, pinned run by run, and both outcomes across the seeds.
import { describe, expect, test } from 'vitest';
import { runStep } from '../../paxos/src/kit.js';
import example, { CATALOGUE, contributionOf } from '../two-buyer/roles.js';

describe('two-buyer', () => {
  test('seed 1: Buyer1 pays 33 of 72, Buyer2 pays the 39 left and gets a date', async () => {
    const run = await runStep(example, 1);
    expect(run.violations).toEqual([]);
    expect(run.observation).toMatchObject({
      title: 'Types and Programming Languages',
      quote1: 72,
      quote2: 72,
      contribution: 33,
      share: 39,
      budget2: 70,
      decision: 'ok',
      shippedTo: '11 Protocol Road',
      date: 'day 17',
    });
  });

  test('seed 3: a share of 60 on a budget of 32 — Buyer2 quits and nothing ships', async () => {
    const run = await runStep(example, 3);
    expect(run.violations).toEqual([]);
    expect(run.observation).toMatchObject({
      share: 60,
      budget2: 32,
      decision: 'quit',
      sellerQuit: true,
    });
    expect(run.observation.shippedTo).toBeUndefined();
  });

  test('Buyer1 pays at most half, within its budget', () => {
    expect(contributionOf(72, 100)).toBe(36);
    expect(contributionOf(45, 100)).toBe(22);
    expect(contributionOf(72, 10)).toBe(10);
    expect(Object.values(CATALOGUE).every((p) => p > 0)).toBe(true);
  });

  test('across 200 seeds Buyer2 buys sometimes and quits sometimes', async () => {
    const decisions = new Map<string, number>();
    for (let seed = 1; seed <= 200; seed++) {
      const d = (await runStep(example, seed)).observation.decision ?? 'none';
      decisions.set(d, (decisions.get(d) ?? 0) + 1);
    }
    expect([...decisions.keys()].sort()).toEqual(['ok', 'quit']);
  });
});
