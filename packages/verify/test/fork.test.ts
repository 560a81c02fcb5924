/**
 * The unfair-choice model is explored by resuming the fair model's search where the two
 * systems first differ (explore.ts `Fork`, verify.ts): the resumed graph must be the graph an
 * exploration of the unfair system from its initial configuration builds, ids, edges and
 * search parents included — on random systems, with and without partial-order reduction, with
 * queues of capacity 1 and 2, crash-stop or not, and cut by maxStates. Then end to end: an
 * unfair starvation after a long prefix, and one whose choice loops while a long exchange
 * between other roles is still under way, with traces from the initial configuration.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { memoryHost } from '@mpst/scribble';
import {
  SCRIBBLE_JAVA_MODEL,
  verifyFiles,
  type VerifyOptions,
  type VerifyResult,
} from '@mpst/verify';
import { explore, resume, type ExploreOptions, type Graph } from '../src/explore.js';
import { compileMachines, Messages, unfairMachine, type Machine } from '../src/machines.js';
import { System, type Event } from '../src/system.js';
import { checkVerifyOptions, differsIn } from '../src/verify.js';
import { randomSystem, SHAPES } from './random-system.js';

/** Steps as what they do (the numbers of two systems' steps differ). */
function events(sys: System, v: { get(i: number): number }, n: number, from = 0): string[] {
  return Array.from({ length: n - from }, (_, i) => {
    const e: Event = sys.event(v.get(i + from));
    return e.t ? `${String(e.role)}:${String(e.t.index)}>${String(e.t.to)}` : `${String(e.role)}:-`;
  });
}

/** Everything of a graph that a later check reads, as plain data. */
function shape(sys: System, g: Graph): unknown {
  const ints = (v: { get(i: number): number }, n: number): number[] =>
    Array.from({ length: n }, (_, i) => v.get(i));
  return {
    size: g.size,
    transitions: g.transitions,
    maxQueue: g.maxQueue,
    cut: g.cut,
    stoppedAtMax: g.stoppedAtMax,
    parent: ints(g.parent, g.size),
    // (The initial configuration has no step.)
    via: events(sys, g.via, g.size, 1),
    done: ints(g.done, g.size),
    off: ints(g.off, g.size),
    end: ints(g.end, g.size),
    to: ints(g.to, g.to.length),
    ev: events(sys, g.ev, g.to.length),
    partial: [...g.partial].sort((a, b) => a - b),
    blockedAt: ints(g.blockedAt, g.blockedAt.length),
    blockedQueue: ints(g.blockedQueue, g.blockedQueue.length),
  };
}

describe('resuming the fair search with the unfair-choice model', () => {
  const models = [
    { capacity: 1, reduce: true },
    { capacity: 2, reduce: true },
    { capacity: 1, reduce: false },
    { capacity: 2, reduce: true, maxStates: 40 },
  ];
  test.each(SHAPES.flatMap((s) => models.map((m) => [s.roles.length, m, s] as const)))(
    '%i roles, %o: the graph of the unfair system explored from scratch',
    (_, model, shape_) => {
      let forked = 0;
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
          const { efsms, crashStop, reliable } = randomSystem(seed, shape_);
          const roles = shape_.roles;
          const spec = { qualifiedName: 'Random', roles, crashStop, reliable: new Set(reliable) };
          // (Some random EFSMs number their states with gaps: input the verifier rejects.)
          if (checkVerifyOptions(spec, efsms).length > 0) return;
          const messages = new Messages();
          const machines = compileMachines('Random', roles, efsms, messages);
          const unfair = machines.map(unfairMachine);
          if (!unfair.every((m): m is Machine => m !== undefined)) return;
          const forkAt = differsIn(machines, unfair);
          if (!forkAt) return;
          const mayCrash = roles.map((r) => crashStop && !reliable.includes(r));
          const system = (ms: readonly Machine[], like?: System): System =>
            new System(roles, ms, messages, mayCrash, [], model.capacity, undefined, like);
          const o: ExploreOptions = {
            safety: true,
            edges: true,
            blocked: true,
            maxStates: model.maxStates ?? 100_000,
            allViolations: true,
            reduce: model.reduce,
            protocol: 'Random',
            model: 'fair',
            progressEvery: 1_000_000,
            started: 0,
            forkAt,
          };
          const fair = system(machines);
          const g = explore(fair, o);
          const fork = g.fork;
          if (!fork) return;
          const uo: ExploreOptions = { ...o, safety: false, model: 'unfair', forkAt: undefined };
          const scratch = system(unfair);
          const fromScratch = explore(scratch, uo);
          // The resumed system numbers its steps as the forked one: it is made like it.
          expect(() => resume(fork, scratch, uo)).toThrow(/made like it/);
          const usys = system(unfair, fair);
          const resumed = resume(fork, usys, uo);
          if (resumed.size > 1 && g.parent.length > 1) forked++;
          expect(shape(usys, resumed)).toEqual(shape(scratch, fromScratch));
          // A fork is resumed once: the saved state is the resumed search's own.
          expect(() => resume(fork, system(unfair, fair), uo)).toThrow(/resumed once/);
        }),
        { numRuns: 150, seed: 20261206 },
      );
      // Enough systems fork after the initial configuration for the test to say something.
      expect(forked).toBeGreaterThan(20);
    },
  );
});

/** Messages `<p><i>()` back and forth between roles `a` and `b`, `n` of them. */
function exchange(p: string, a: string, b: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) =>
    i % 2 === 0
      ? `  ${p}${String(i)}() from ${a} to ${b};`
      : `  ${p}${String(i)}() from ${b} to ${a};`,
  );
}

/** A loops on `ping()` to B as long as it likes; `stop()` to B then lets `last` to `to` go on. */
const LOOP = (last: string): string[] => [
  '  rec X {',
  '    choice at A {',
  '      ping() from A to B;',
  '      continue X;',
  '    } or {',
  '      stop() from A to B;',
  `      ${last};`,
  '    }',
  '  }',
];

function check(text: string, options: VerifyOptions = {}): VerifyResult {
  const files = { 'P.scr': text };
  const r = verifyFiles(['P.scr'], memoryHost(files), { ...SCRIBBLE_JAVA_MODEL, ...options });
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const [result] = r.results;
  if (!result) throw new Error('no result');
  return result;
}

/** The messages of a trace's steps of role `role`, in order. */
const sends = (r: VerifyResult, role: string): string[] =>
  (r.violations[0]?.trace ?? [])
    .filter((s) => s.role === role && s.kind === 'send')
    .map((s) => s.label);

describe('unfair starvation found through a resumed search', () => {
  const N = 1000;
  test('after a long prefix: the trace starts at the initial configuration', () => {
    // A, B, C pass N messages round, then A may ping B for ever while C waits for stop.
    const prefix = Array.from(
      { length: N },
      (_, i) => `  m${String(i)}() from ${'ABC'[i % 3] ?? ''} to ${'ABC'[(i + 1) % 3] ?? ''};`,
    );
    const text = [
      'global protocol Late(role A, role B, role C) {',
      ...prefix,
      ...LOOP('stop() from B to C'),
      '}',
    ].join('\n');
    expect(check(text, { fair: true }).verdict).toBe('verified');
    for (const shortest of [true, false]) {
      const r = check(text, { shortest });
      expect(r.violations.map((v) => [v.kind, v.roles, v.unfair])).toEqual([
        ['progress', ['C'], true],
      ]);
      const v = r.violations[0];
      // Every prefix message, sent and received, then A's first ping.
      expect(v?.trace.length).toBe(2 * N + 1);
      expect(v?.trace[0]?.label).toBe('B!m0()');
      expect(v?.trace.at(-1)?.label).toBe('B!ping()');
      expect(v?.cycle?.map((s) => s.label)).toEqual(['A?ping()', 'B!ping()']);
      expect(v?.configuration.states).toMatchObject({ C: expect.any(Number) as number });
      expect(r.unfairStates).toBeGreaterThan(2 * N);
    }
  });

  test('while other roles are still in a long exchange: the choice loops before it ends', () => {
    // A and B exchange 10 messages, then A may ping B for ever; C and D exchange N messages,
    // concurrently, and then C waits for go() from A.
    const text = [
      'global protocol Early(role A, role B, role C, role D) {',
      ...exchange('a', 'A', 'B', 10),
      ...exchange('c', 'C', 'D', N),
      ...LOOP('go() from A to C'),
      '}',
    ].join('\n');
    expect(check(text, { fair: true }).verdict).toBe('verified');
    for (const shortest of [true, false]) {
      const r = check(text, { shortest });
      expect(r.violations.map((v) => [v.kind, v.roles, v.unfair])).toEqual([
        ['progress', ['C'], true],
      ]);
      const v = r.violations[0];
      // C and D finish their exchange in the trace (its last message is from D, N even).
      expect(sends(r, 'C').length + sends(r, 'D').length).toBe(N);
      expect(sends(r, 'A')[0]).toBe('B!a0()');
      expect(v?.trace.some((s) => s.label === 'B!ping()')).toBe(true);
    }
  });
});
