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
import type { Efsm, EfsmTransition } from '@mpst/projector';
import { describe, expect, test } from 'vitest';
import { verifySystem, type VerifyOptions, type VerifyResult } from '@mpst/verify';

interface Shape {
  readonly roles: readonly string[];
  /** Probability that the system is crash-stop. */
  readonly crashStop: number;
  /** Crash-stop: probability that a receive state also detects its peer's crash. */
  readonly detect: number;
  /** Crash-stop: one reliable role, or each role reliable with probability 1/2. */
  readonly reliable: 'one' | 'half';
}

const SHAPES: readonly Shape[] = [
  { roles: ['A', 'B', 'C'], crashStop: 0.3, detect: 0.5, reliable: 'one' },
  { roles: ['A', 'B', 'C', 'D'], crashStop: 1, detect: 0.6, reliable: 'half' },
];

/** A deterministic pseudo-random system from `seed` (a linear congruential generator). */
function randomSystem(
  seed: number,
  shape: Shape,
): { efsms: Efsm[]; crashStop: boolean; reliable: string[] } {
  const ROLES = shape.roles;
  let x = seed >>> 0 || 1;
  const rnd = (): number => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return (x >>> 8) / 0x1000000;
  };
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)] as T;
  const crashStop = rnd() < shape.crashStop;
  const efsms = ROLES.map((role): Efsm => {
    const k = 1 + Math.floor(rnd() * 4);
    const peers = ROLES.filter((r) => r !== role);
    const transitions: EfsmTransition[] = [];
    const to = (): number => Math.floor(rnd() * (k + 1));
    for (let s = 0; s < k; s++) {
      const kind = rnd();
      if (kind < 0.15 && s > 0) continue;
      const branches = 1 + Math.floor(rnd() * 2);
      if (kind < 0.55) {
        for (let b = 0; b < branches; b++) {
          const peer = pick(peers);
          const label = pick(['a', 'b']);
          transitions.push({
            from: s,
            to: to(),
            action: { kind: 'send', peer, message: { label, payload: [] } },
            label: `${peer}!${label}()`,
          });
        }
      } else {
        const peer = pick(peers);
        for (let b = 0; b < branches; b++) {
          const label = pick(['a', 'b']);
          transitions.push({
            from: s,
            to: to(),
            action: { kind: 'receive', peer, message: { label, payload: [] } },
            label: `${peer}?${label}()`,
          });
        }
        if (crashStop && rnd() < shape.detect)
          transitions.push({
            from: s,
            to: to(),
            action: { kind: 'crash', peer },
            label: `${peer}?crash`,
          });
      }
    }
    const ids = [...new Set([0, ...transitions.flatMap((t) => [t.from, t.to])])].sort(
      (a, b) => a - b,
    );
    return {
      protocol: 'Random',
      role,
      initial: 0,
      states: ids.map((id) => ({ id, terminal: !transitions.some((t) => t.from === id) })),
      transitions,
    };
  });
  const reliable = !crashStop
    ? []
    : shape.reliable === 'one'
      ? [pick(ROLES)]
      : ROLES.filter(() => rnd() < 0.5);
  return { efsms, crashStop, reliable };
}

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
