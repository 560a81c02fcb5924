/**
 * Partial-order reduction must not change what is found: on random systems of small EFSMs
 * (sends, receives, crash detection, non-determinism, roles that may crash), the verdict and
 * the set of violation kinds with reduction (keeping the reduced search's own counterexamples)
 * equal those of the full breadth-first exploration, under fair and unfair choice and with
 * queues of capacity 1 and 2. Two shapes: three roles, crash-stop in 30% of the systems with
 * one reliable role; four roles, always crash-stop, each role reliable or not at random (most
 * may crash, where reduction applies least and crash edges matter most).
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { verifySystem, type VerifyOptions, type VerifyResult } from '@mpst/verify';
import { randomSystem, SHAPES, type Shape } from './random-system.js';

function signature(r: VerifyResult): string {
  const kinds = new Set(
    r.violations.map((v) => `${v.kind}${v.unfair === true ? ' (unfair)' : ''}`),
  );
  return `${r.verdict}: ${[...kinds].sort().join(', ')}`;
}

describe('partial-order reduction', () => {
  const models: VerifyOptions[] = [{ capacity: 1 }, { capacity: 2 }, { capacity: 1, fair: true }];
  const cases = SHAPES.flatMap((shape) =>
    models.map((model) => [shape.roles.length, model, shape] as const),
  );
  test.each(cases)('%i roles: finds what the full exploration finds (%o)', (_, model, shape) => {
    let reducedStates = 0;
    let fullStates = 0;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const { efsms, crashStop, reliable } = randomSystem(seed, shape);
        const spec = {
          qualifiedName: 'Random',
          roles: shape.roles,
          crashStop,
          reliable: new Set(reliable),
        };
        const reduced = verifySystem(spec, efsms, {
          ...model,
          allViolations: true,
          shortest: false,
        });
        const full = verifySystem(spec, efsms, { ...model, allViolations: true, reduce: false });
        reducedStates += reduced.states;
        fullStates += full.states;
        expect(signature(reduced)).toBe(signature(full));
      }),
      { numRuns: shape.roles.length === 3 ? 400 : 200 },
    );
    // The reduction does reduce.
    expect(reducedStates).toBeLessThan(fullStates);
  });
});

describe('unbounded queues: the search for the least k-exhaustive k', () => {
  const shape: Shape = { roles: ['A', 'B', 'C'], crashStop: 0, detect: 0, reliable: 'one' };
  const spec = {
    qualifiedName: 'Random',
    roles: shape.roles,
    crashStop: false,
    reliable: new Set<string>(),
  };
  test('a verdict for every queue length is the verdict with any larger capacity', () => {
    let exhaustive = 0;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const { efsms } = randomSystem(seed, shape);
        // (Machines that are not session automata fall back to queues cut at 64: kept small.)
        const r = verifySystem(spec, efsms, { allViolations: true, maxStates: 5_000 });
        if (r.exhaustive === undefined) return;
        exhaustive++;
        // Queues of capacity k and k + 1 hold every run (k-exhaustivity): same verdict.
        for (const capacity of [r.exhaustive, r.exhaustive + 1]) {
          const c = verifySystem(spec, efsms, { capacity, allViolations: true });
          expect(c.verdict, `capacity ${String(capacity)}`).toBe(r.verdict);
        }
      }),
      { numRuns: 300, seed: 20261206 },
    );
    // Many random systems are not session automata (two transitions with the same action) or
    // not k-exhaustive; enough are (22 of these 300 when this test was written).
    expect(exhaustive).toBeGreaterThanOrEqual(15);
  });

  test('with reduction, the same verdict as without, when both are conclusive', () => {
    let both = 0;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const { efsms } = randomSystem(seed, shape);
        const opts = { allViolations: true, maxStates: 5_000 };
        const reduced = verifySystem(spec, efsms, { ...opts, shortest: false });
        const full = verifySystem(spec, efsms, { ...opts, reduce: false });
        if (reduced.verdict === 'inconclusive' || full.verdict === 'inconclusive') return;
        both++;
        expect(signature(reduced)).toBe(signature(full));
        // The reduced graph is a subgraph: its check of k-exhaustivity can only be stricter.
        if (reduced.exhaustive !== undefined && full.exhaustive !== undefined)
          expect(reduced.exhaustive).toBeGreaterThanOrEqual(full.exhaustive);
      }),
      { numRuns: 300, seed: 20261206 },
    );
    expect(both).toBeGreaterThan(100);
  });
});
