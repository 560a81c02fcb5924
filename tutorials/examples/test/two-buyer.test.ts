// TwoBuyer's own scenarios. Every example gets the common checks (the protocol verifies,
// generated/ and diagrams/ are up to date, seeded runs keep `check`) in examples.test.ts;
// here go the runs worth pinning. Made by `nx g @mpst/tools:protocol-example two-buyer`.
import { describe, expect, test } from 'vitest';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the tutorial kit (see CONTRIBUTING.md)
import { runStep } from '../../paxos/src/kit.js';
import example from '../two-buyer/roles.js';

describe('two-buyer', () => {
  test('a question is answered in capitals', async () => {
    const run = await runStep(example, 2);
    expect(run.violations).toEqual([]);
    expect(run.observation).toEqual({ question: 'why', answer: 'WHY', refused: false });
  });

  test('the empty question is refused', async () => {
    const run = await runStep(example, 4);
    expect(run.violations).toEqual([]);
    expect(run.observation.refused).toBe(true);
  });
});
