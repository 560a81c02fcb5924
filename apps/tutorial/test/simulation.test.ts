/**
 * The simulator panel's pure part, in Node: fault plans and runs as URL text (round trips and
 * errors), the random-walk role code on the tutorial's protocols, the frames (each role's
 * state after each event) against the simulator's own final states and against replaying a
 * prefix with Simulation.at, and a crash branch taken after a planned crash.
 */
import fc from 'fast-check';
import { Simulation, type Fault } from '@mpst/runtime';
import { describe, expect, test } from 'vitest';
import { analyzeText, type ProtocolDiagrams } from '../src/analysis.js';
import {
  formatPlan,
  parsePlan,
  parseRunQuery,
  randomWalkCode,
  recordRun,
  runQuery,
} from '../src/simulation.js';
import { discoverSteps } from '../src/steps.js';
import { tutorialFiles } from './site.js';

const role = fc.constantFrom('P', 'P1', 'A_2', 'Learner');
const count = fc.integer({ min: 0, max: 1000 });
const fault: fc.Arbitrary<Fault> = fc.oneof(
  fc.record({ kind: fc.constant('crash' as const), role, atAction: count }),
  fc.record({ kind: fc.constant('crash' as const), role, atTime: count }),
  fc.record({ kind: fc.constant('link' as const), from: role, to: role, atTime: count }),
  fc.record({
    kind: fc.constantFrom('drop' as const, 'reorder' as const),
    from: role,
    to: role,
    nth: count,
  }),
  fc.record({ kind: fc.constant('delay' as const), from: role, to: role, nth: count, ms: count }),
);

describe('fault plans and runs as text', () => {
  test('a plan survives formatting and parsing', () => {
    fc.assert(
      fc.property(fc.array(fault, { maxLength: 5 }), (faults) => {
        expect(parsePlan(formatPlan({ faults }))).toEqual({ faults });
      }),
    );
  });

  test('a run survives the URL query, through URLSearchParams encoding', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 999_999_999 }),
        fc.array(fault, { maxLength: 4 }),
        fc.option(fc.integer({ min: 0, max: 999_999 }), { nil: undefined }),
        (seed, faults, at) => {
          const params = { seed, plan: { faults }, ...(at !== undefined ? { at } : {}) };
          expect(parseRunQuery(runQuery(params))).toEqual(params);
        },
      ),
    );
    expect(runQuery({ seed: 3, plan: parsePlan('crash:A1@1,delay:P>A#0+20'), at: 7 })).toBe(
      'seed=3&faults=crash%3AA1%401%2Cdelay%3AP%3EA%230%2B20&at=7',
    );
  });

  test('bad text is refused with what is wrong', () => {
    expect(() => parsePlan('crash:A1')).toThrow(/cannot read the fault `crash:A1` \(forms: /);
    expect(() => parsePlan('crash:A1@1,explode:A1')).toThrow(/`explode:A1`/);
    expect(parsePlan(' , ')).toEqual({ faults: [] });
    expect(parseRunQuery('faults=crash:A1@1')).toBeUndefined();
    expect(() => parseRunQuery('seed=-1')).toThrow(/seed must be a whole number/);
    expect(() => parseRunQuery('seed=1&at=x')).toThrow(/at must be a trace position/);
  });
});

function protocolOf(file: string, text: string, name?: string): ProtocolDiagrams {
  const a = analyzeText(file, text);
  expect(a.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const p = a.protocols.find((x) => name === undefined || x.name === name);
  if (!p) throw new Error(`no protocol ${name ?? ''} in ${file}`);
  return p;
}

describe('random-walk runs of the tutorial protocols', () => {
  const { steps } = discoverSteps(tutorialFiles());

  test.each(steps.map((s) => [s.id, s] as const))(
    '%s: runs to the end, frames agree',
    async (_, step) => {
      const p = protocolOf(step.protocolFile, step.protocol);
      for (const seed of [1, 2, 3]) {
        const r = await recordRun(p.specs, randomWalkCode(p.specs, seed), { seed, maxSteps: 5000 });
        expect(r.violations).toEqual([]);
        expect(r.frames).toHaveLength(r.result.trace.events.length + 1);
        // The states the frames compute from the trace are the simulator's own at the end.
        expect(r.frames.at(-1)?.states).toEqual(r.result.outcomes.map((o) => o.state));
        // Same seed, same run.
        const again = await recordRun(p.specs, randomWalkCode(p.specs, seed), {
          seed,
          maxSteps: 5000,
        });
        expect(again.result.trace).toEqual(r.result.trace);
      }
    },
  );

  test('a frame is where Simulation.at leaves the roles after as many scheduler steps', async () => {
    const step = steps.find((s) => s.protocolFile === 'Paxos.scr') ?? steps[0];
    if (!step) throw new Error('no step');
    const p = protocolOf(step.protocolFile, step.protocol);
    const full = await recordRun(p.specs, randomWalkCode(p.specs, 5), { seed: 5 });
    for (const steps of [1, 5, 20]) {
      const sim = await Simulation.at(p.specs, randomWalkCode(p.specs, 5), { seed: 5 }, steps);
      const prefix = sim.result();
      const frame = full.frames[prefix.trace.events.length];
      expect(prefix.trace.events).toEqual(
        full.result.trace.events.slice(0, prefix.trace.events.length),
      );
      expect(frame?.states).toEqual(prefix.outcomes.map((o) => o.state));
    }
  });
});

describe('crashes', () => {
  const text = [
    'module Crash;',
    'type <ts> "number" from "builtin" as Int;',
    'global protocol Crash(reliable role P, role A) {',
    '  prepare(Int) from P to A;',
    '  choice at A {',
    '    promise(Int) from A to P;',
    '  } or {',
    '    crash from A to P;',
    '  }',
    '}',
  ].join('\n');

  test('a crashed acceptor: the proposer takes its crash branch, and the frame says so', async () => {
    const p = protocolOf('Crash.scr', text);
    const plan = parsePlan('crash:A@1');
    const r = await recordRun(p.specs, randomWalkCode(p.specs, 1), { seed: 1, plan });
    expect(r.violations).toEqual([]);
    expect(r.result.outcomes.map((o) => [o.role, o.status])).toEqual([
      ['P', 'done'],
      ['A', 'crashed'],
    ]);
    const kinds = r.result.trace.events.map((e) => e.kind);
    expect(kinds).toContain('crash');
    const detected = kinds.indexOf('timeout');
    expect(detected).toBeGreaterThan(kinds.indexOf('crash'));
    const frame = r.frames[detected + 1];
    const pSpec = p.specs[0];
    expect(pSpec?.role).toBe('P');
    expect(pSpec?.efsm.transitions[frame?.taken[0] ?? -1]?.action.kind).toBe('crash');
    expect(frame?.crashed).toEqual([false, true]);
  });

  test('a plan naming an unknown role is refused by the simulator (MPST591)', async () => {
    const p = protocolOf('Crash.scr', text);
    await expect(
      recordRun(p.specs, randomWalkCode(p.specs, 1), { seed: 1, plan: parsePlan('crash:Z@0') }),
    ).rejects.toThrow(/MPST591.*unknown role Z/);
  });
});
