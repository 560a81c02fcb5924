import { runTraceToSequence } from '@mpst/mermaid';
import { describe, expect, test } from 'vitest';
import { runMany } from '../../src/kit.js';
import { searchViolations } from '../../src/search.js';
import { runStepWithValues } from '../../src/values.js';
import { withDataComment } from '../../steps/05-two-proposers/hard-case.js';
import { BUDGET, HARMLESS_REUSE, MUTATIONS } from '../../steps/08-break-it/mutations.js';
import crossed from '../../steps/08-break-it/roles.js';
import { stepSuite } from './suite.js';

stepSuite({
  folder: '08-break-it',
  load: () => import('../../steps/08-break-it/roles.js'),
});

/** What each search finds within the budget (the README quotes these numbers). */
const FOUND: Record<
  string,
  { violating: number; first: number; shortest: number; messages: number }
> = {
  'majority-of-one': { violating: 298, first: 2, shortest: 2, messages: 26 },
  'majority-of-one-crossed': { violating: 298, first: 2, shortest: 2, messages: 26 },
  'accept-greater': { violating: 500, first: 1, shortest: 1, messages: 23 },
  'ignore-highest': { violating: 298, first: 2, shortest: 2, messages: 26 },
  'reuse-ballot': { violating: 500, first: 1, shortest: 1, messages: 26 },
};

describe('08-break-it: each mutation is found by a seeded search', () => {
  for (const m of MUTATIONS) {
    test(`${m.id}: violating runs within ${String(BUDGET)} seeds; the shortest is diagrams/${m.id}.mmd`, async () => {
      const search = await searchViolations(m.broken, { budget: BUDGET });
      console.info(
        `[08-break-it] ${m.id}: ${String(search.seeds.length)} of ${String(BUDGET)} seeds violate, ` +
          `first ${String(search.first?.seed)}, ${search.runsPerSecond.toFixed(0)} runs/s`,
      );
      const { first, shortest } = search;
      if (!first || !shortest)
        throw new Error(`${m.id}: no violating run within ${String(BUDGET)} seeds`);
      expect({
        violating: search.seeds.length,
        first: first.seed,
        shortest: shortest.seed,
        messages: shortest.messages,
      }).toEqual(FOUND[m.id]);

      const run = await runStepWithValues(m.broken, shortest.seed);
      expect(run.violations).toEqual(shortest.violations);
      const comment = shortest.violations.map((v) => `  %% ${v}`).join('\n');
      const mermaid = withDataComment(
        runTraceToSequence(run.trace),
        shortest.seed,
        run.observation,
      ).replace(/\n {2}participant /, `\n${comment}\n  participant `);
      await expect(mermaid).toMatchFileSnapshot(`../../steps/08-break-it/diagrams/${m.id}.mmd`);
    });

    test(`${m.id}: the fixed code passes the same ${String(BUDGET)} seeds`, async () => {
      const fixed = await runMany(m.fixed, { count: BUDGET });
      expect(fixed.failures).toEqual([]);
    });
  }

  test('reusing a ballot where it is harmless violates nothing', async () => {
    for (const step of HARMLESS_REUSE) {
      const search = await searchViolations(step, { budget: BUDGET });
      expect(search.seeds).toEqual([]);
    }
  });
});

describe('08-break-it: Crossed.scr, the order step 5 leaves out', () => {
  test("with P2 higher, A2 and A3 refuse P1's accept and P2's own value is chosen", async () => {
    let higher = 0;
    for (let seed = 1; seed <= 50; seed++) {
      const { observation: o, trace, violations } = await runStepWithValues(crossed, seed);
      expect(violations).toEqual([]);
      const refusals = trace.events.filter(
        (e) => e.kind === 'send' && e.to === 'P1' && e.message === `nack(${String(o.ballots.P2)})`,
      );
      if (o.ballots.P2 < o.ballots.P1) {
        expect(o.decided.filter((d) => d.role === 'L')).toEqual([
          { role: 'L', value: o.values.P1 },
        ]);
        continue;
      }
      higher++;
      expect(refusals.map((e) => (e.kind === 'send' ? e.from : ''))).toEqual(['A2', 'A3']);
      expect(o.decided.filter((d) => d.role === 'L')).toEqual([{ role: 'L', value: o.values.P2 }]);
      expect(o.decided.some((d) => d.role === 'P1')).toBe(false);
    }
    expect(higher).toBeGreaterThan(10);
  });

  test('the strong hard case as a run: diagrams/hard-case-crossed.mmd is reproduced exactly', async () => {
    // The first seed with P2 higher: A3 promised P1, then gets P2's higher ballot, which A2 has
    // already promised; both refuse P1's accept.
    let seed = 1;
    let r = await runStepWithValues(crossed, seed);
    while (r.observation.ballots.P2 < r.observation.ballots.P1)
      r = await runStepWithValues(crossed, ++seed);
    expect(r.violations).toEqual([]);
    const mermaid = withDataComment(runTraceToSequence(r.trace), seed, r.observation);
    await expect(mermaid).toMatchFileSnapshot(
      '../../steps/08-break-it/diagrams/hard-case-crossed.mmd',
    );
  });
});
