// The kit's parts that steps 5 and 8 added: acceptor rules, the quorum's highest report, traces
// with payload values, and the seeded search.
import type { RunTrace } from '@mpst/runtime';
import { describe, expect, test } from 'vitest';
import { freshMemory, onAccept, onPrepare, PAXOS_RULES } from '../src/acceptor.js';
import { PromiseTally } from '../src/proposer.js';
import { searchViolations } from '../src/search.js';
import { runStepWithValues, traceWithValues } from '../src/values.js';
import step from '../steps/05-two-proposers/roles.js';

/** Replies that say which message the rule picked. */
const prepareReply = {
  promise: (b: number, ab: number, av: string, next: string) =>
    `promise(${String(b)}, ${String(ab)}, ${av}) ${next}`,
  nack: (p: number, next: string) => `nack(${String(p)}) ${next}`,
};
const acceptReply = {
  accepted: (b: number, next: string) => `accepted(${String(b)}) ${next}`,
  nack: (p: number, next: string) => `nack(${String(p)}) ${next}`,
};

describe('acceptor rules', () => {
  test('Paxos: promise only a higher ballot, accept one at least as high', () => {
    const m = { ...freshMemory(), promised: 5 };
    expect(onPrepare(m, 5, prepareReply, 'then')).toBe('nack(5) then');
    expect(onAccept(m, 5, 'x', acceptReply, 'then')).toBe('accepted(5) then');
    expect(onPrepare(m, 6, prepareReply, 'then')).toBe('promise(6, 5, x) then');
    expect(onAccept(m, 5, 'y', acceptReply, 'then')).toBe('nack(6) then');
  });

  test('promiseEqual promises an equal ballot; acceptEqual false refuses one', () => {
    const m = { ...freshMemory(), promised: 5 };
    const rules = { promiseEqual: true, acceptEqual: false };
    expect(onPrepare(m, 5, prepareReply, 'then', rules)).toBe('promise(5, 0, ) then');
    expect(onPrepare(m, 4, prepareReply, 'then', rules)).toBe('nack(5) then');
    expect(onAccept(m, 5, 'x', acceptReply, 'then', rules)).toBe('nack(5) then');
    expect(onAccept(m, 6, 'x', acceptReply, 'then', rules)).toBe('accepted(6) then');
    expect(PAXOS_RULES).toEqual({ promiseEqual: false, acceptEqual: true });
  });
});

test("PromiseTally.quorumHighest: the highest report among the first majority's promises only", () => {
  const tally = new PromiseTally(2);
  const h = tally.handlers('next');
  h.promise(30, 0, '');
  h.promise(30, 11, 'a');
  h.promise(30, 21, 'b');
  expect(tally.quorumHighest).toEqual({ ballot: 11, value: 'a' });
  expect(tally.highest).toEqual({ ballot: 21, value: 'b' });
});

describe('traces with values', () => {
  test("a role's k-th send gets its k-th recorded message; its receive and loss follow by id", () => {
    const trace: RunTrace = {
      roles: ['A', 'B'],
      events: [
        { kind: 'send', time: 0, from: 'A', to: 'B', message: 'm(x: Int)', id: 0 },
        { kind: 'send', time: 0, from: 'A', to: 'B', message: 'm(x: Int)', id: 1 },
        { kind: 'receive', time: 1, from: 'A', to: 'B', message: 'm(x: Int)', id: 1 },
        { kind: 'lost', time: 1, from: 'A', to: 'B', message: 'm(x: Int)', id: 0, reason: 'link' },
        { kind: 'send', time: 2, from: 'B', to: 'A', message: 'n()', id: 2 },
      ],
    };
    const out = traceWithValues(trace, new Map([['A', ['m(1)', 'm(2)']]]));
    expect(out.events.map((e) => ('message' in e ? e.message : ''))).toEqual([
      'm(1)',
      'm(2)',
      'm(2)',
      'm(1)',
      'n()',
    ]);
  });

  test('a run of step 5: every message shows values, and a receive shows what was sent', async () => {
    const { trace, result } = await runStepWithValues(step, 2);
    expect(trace.events.length).toBe(result.trace.events.length);
    const sent = new Map<number, string>();
    for (const e of trace.events) {
      if (e.kind === 'send') {
        expect(e.message).not.toContain(':');
        if (e.id !== undefined) sent.set(e.id, e.message);
      }
      if (e.kind === 'receive' && e.id !== undefined) expect(e.message).toBe(sent.get(e.id));
    }
    expect(sent.get(0)).toBe('prepare(11)');
  });
});

test('searchViolations: the violating seeds, the first, the fewest messages (lowest seed first)', async () => {
  // Seeds divisible by 3 "violate"; P2 abandons when its ballot is lower (23 messages, else 26).
  const flaky = {
    ...step,
    check: (_o: unknown, r: { seed: number }) => (r.seed % 3 === 0 ? ['x'] : []),
  };
  const search = await searchViolations(flaky, { budget: 12 });
  expect(search.seeds).toEqual([3, 6, 9, 12]);
  expect(search.first).toMatchObject({ seed: 3, violations: ['x'] });
  const counts = await Promise.all(
    search.seeds.map(async (seed) => {
      const r = await runStepWithValues(step, seed);
      return r.trace.events.filter((e) => e.kind === 'send').length;
    }),
  );
  const fewest = Math.min(...counts);
  expect(search.shortest).toMatchObject({
    seed: search.seeds[counts.indexOf(fewest)],
    messages: fewest,
  });
});
