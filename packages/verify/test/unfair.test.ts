/**
 * The unfair-choice transform (machines.ts `unfairMachine`): a product of states and
 * commitments (choices each committed to one branch) in which each (state, commitment) pair
 * is made once.
 * - nuScr's `DoMulti2` (read from the corpus; skipped with a notice when it is absent), whose
 *   role C made the copying transform give up, is now conclusive.
 * - Hand-made machines with n looping choices, where the copying transform copies copies
 *   once per order in which the choices get committed: the product has its exact size.
 * - Random systems: the liveness verdicts on the transformed systems equal those of the
 *   copying transform (copying-unfair.ts, the implementation before, kept as the oracle)
 *   wherever that one finishes (400 systems per case; MPST_UNFAIR_RUNS=10000 and another
 *   MPST_UNFAIR_SEED run more).
 */
import path from 'node:path';
import { analyzeFiles, type Efsm } from '@mpst/projector';
import { nodeHost } from '@mpst/scribble/node';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { SCRIBBLE_JAVA_MODEL, verifyFiles, verifySystem } from '@mpst/verify';
import { explore } from '../src/explore.js';
import { checkLiveness } from '../src/liveness.js';
import {
  compileMachines,
  Messages,
  UNFAIR_MAX_STATES,
  unfairMachine,
  type Machine,
} from '../src/machines.js';
import { System } from '../src/system.js';
import { checkVerifyOptions } from '../src/verify.js';
import { corpusRoot, missingCorpusNotice } from '../../../tools/corpus.js';
import { copyingUnfairMachine } from './copying-unfair.js';
import { efsm, type T } from './hand-made.js';
import { randomSystem, SHAPES, type Shape } from './random-system.js';

const root = corpusRoot();
if (!root) console.warn(missingCorpusNotice('verify: unfair transform'));
const DO_MULTI2 = path.join(root ?? '', 'nuscr/cram-tests/core/do-conversion.t/DoMulti2.nuscr');

/** The states a transform added to a machine (undefined when it gave up). */
const added = (m: Machine, u: Machine | undefined): number | undefined =>
  u && u.out.length - m.out.length;

describe.skipIf(!root)("nuScr's DoMulti2: conclusive under unfair choice", () => {
  // Pass(A, B, C): A chooses Foo or Bar and tells B, B tells C, then Pass(B, C, A): the choice
  // goes round the three roles. In every round, whichever branch is chosen, each role sends
  // or receives, and the messages of a round are received in it or the next: no scheduling of
  // the choices, fair or not, starves a role or leaves a message unreceived. So `verified`,
  // for every queue length (k-exhaustive with k = 1) and in scribble-java's model. (The corpus
  // gives no liveness verdict: nuScr checks none, and its cram test only prints the global
  // type, with exit 0.)
  test('verified with the defaults (unbounded queues) and in scribble-java’s model', () => {
    for (const options of [{}, SCRIBBLE_JAVA_MODEL]) {
      const r = verifyFiles([DO_MULTI2], nodeHost, options);
      expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(r.results.map((x) => [x.protocol, x.verdict, x.incomplete])).toEqual([
        ['Pass', 'verified', undefined],
      ]);
      // The unfair model was built and explored.
      expect(r.results[0]?.unfairStates).toBeGreaterThan(0);
    }
  });

  test('role C: 11 states, 4 looping choices; 11 × 3^4 states once transformed', () => {
    const analysis = analyzeFiles([DO_MULTI2], nodeHost, {});
    const [p] = analysis.protocols;
    const efsms = p?.roles.map((r) => r.efsm).filter((e): e is Efsm => e !== undefined) ?? [];
    const roles = efsms.map((e) => e.role);
    expect(roles).toEqual(['A', 'B', 'C']);
    const c = compileMachines('Pass', roles, efsms, new Messages())[2];
    if (!c) throw new Error('no machine for C');
    // C receives two messages from B (four paths), sends one to A, then chooses what to send
    // A next: one choice state per path, each of whose 2 branches goes back to the start.
    expect(c.out).toHaveLength(11);
    const choices = c.out.filter((o) => o.length === 2 && o.every((t) => t.to === c.initial));
    expect(choices).toHaveLength(4);
    expect(copyingUnfairMachine(c, UNFAIR_MAX_STATES)).toBeUndefined();
    // Each choice uncommitted or committed to one of its 2 branches: 3^4 commitments, and no
    // terminal state to share.
    expect(added(c, unfairMachine(c))).toBe(11 * 3 ** 4 - 11);
  });
});

/**
 * A receives `m<i>()` (1 ≤ i ≤ n) from B, then chooses to answer `x()` or `y()`, and the same
 * again: n choice states, both of whose branches loop. B chooses the `m<i>` it sends.
 */
function ring(n: number): Efsm[] {
  const a: T[] = [];
  const b: T[] = [];
  for (let i = 1; i <= n; i++) {
    a.push([0, '?', 'B', `m${String(i)}`, i], [i, '!', 'B', 'x', 0], [i, '!', 'B', 'y', 0]);
    b.push([0, '!', 'A', `m${String(i)}`, 1]);
  }
  b.push([1, '?', 'A', 'x', 0], [1, '?', 'A', 'y', 0]);
  return [efsm('A', a), efsm('B', b)];
}

describe('hand-made machines where copying blew up', () => {
  test.each([1, 2, 3, 4, 5])(
    '%i looping choices: (n + 1) states × 3^n commitments, each made once',
    (n) => {
      const [a] = compileMachines('Ring', ['A', 'B'], ring(n), new Messages());
      if (!a) throw new Error('no machine');
      expect(a.out).toHaveLength(n + 1);
      const copying = added(a, copyingUnfairMachine(a, UNFAIR_MAX_STATES));
      const product = added(a, unfairMachine(a));
      // Every state with each commitment: no choice, or one of its 2 branches, for each.
      expect(product).toBe((n + 1) * (3 ** n - 1));
      // The copying transform made 4, 60 and 3,608 states for n = 1, 2, 3, and gave up at 4.
      expect(copying).toBe([4, 60, 3608, undefined, undefined][n - 1]);
    },
  );

  test('4 looping choices: verified, where the copying transform left it inconclusive', () => {
    const spec = {
      qualifiedName: 'Ring',
      roles: ['A', 'B'],
      crashStop: false,
      reliable: new Set<string>(),
    };
    for (const options of [{}, SCRIBBLE_JAVA_MODEL]) {
      const r = verifySystem(spec, ring(4), options);
      expect([r.verdict, r.incomplete]).toEqual(['verified', undefined]);
      expect(r.unfairStates).toBeGreaterThan(0);
    }
  });

  test('a choice reached after a commitment, whose branches all end, keeps them', () => {
    // A: 0 --B!a--> 1 --A?r--> 0 loops, 0 --B!b--> 3 ends; 1 --A?s--> 2, a choice of x and y,
    // both to the end: (2, {0: a}) has the same transitions as 2.
    const a = efsm('A', [
      [0, '!', 'B', 'a', 1],
      [0, '!', 'B', 'b', 3],
      [1, '?', 'B', 'r', 0],
      [1, '?', 'B', 's', 2],
      [2, '!', 'B', 'x', 3],
      [2, '!', 'B', 'y', 3],
    ]);
    const [m] = compileMachines('End', ['A', 'B'], [a, efsm('B', [])], new Messages());
    if (!m) throw new Error('no machine');
    const u = unfairMachine(m);
    if (!u) throw new Error('gave up');
    expect(u.out.map((o) => o.map((t) => `${String(t.index)}->${String(t.to)}`))).toEqual([
      ['0->4', '1->3'],
      ['2->0', '3->2'],
      ['4->3', '5->3'],
      [],
      ['2->5', '3->6'],
      ['0->4'],
      ['4->3', '5->3'],
    ]);
  });

  test('a choice whose loop passes through another choice', () => {
    // A: 0 --B!a--> 1, 0 --B!b--> 2 (end); 1 --B!c--> 0, 1 --B!d--> 2. Both choices loop
    // through each other's branch a / c; committing both leaves a, c only.
    const a = efsm('A', [
      [0, '!', 'B', 'a', 1],
      [0, '!', 'B', 'b', 2],
      [1, '!', 'B', 'c', 0],
      [1, '!', 'B', 'd', 2],
    ]);
    const b = efsm('B', [
      [0, '?', 'A', 'a', 1],
      [0, '?', 'A', 'b', 2],
      [1, '?', 'A', 'c', 0],
      [1, '?', 'A', 'd', 2],
    ]);
    const [m] = compileMachines('Two', ['A', 'B'], [a, b], new Messages());
    if (!m) throw new Error('no machine');
    const u = unfairMachine(m);
    if (!u) throw new Error('gave up');
    // (0, {}) -a-> (1, {0: a}) -c-> (0, {0: a, 1: c}) -a-> (1, {0: a, 1: c}) -c-> back; the
    // exits b and d lead to the shared terminal state 2.
    const edges = u.out.map((o, s) =>
      o.map((t) => `${String(s)}-${String(t.index)}->${String(t.to)}`),
    );
    expect(edges).toEqual([
      ['0-0->3', '0-1->2'],
      ['1-2->0', '1-3->2'],
      [],
      ['3-2->4', '3-3->2'],
      ['4-0->5'],
      ['5-2->4'],
    ]);
    expect(u.ids).toEqual([0, 1, 2, 1, 0, 1]);
  });
});

/**
 * A random system with many internal choices: each role has up to 6 states; a state sends
 * (2 or 3 branches, each to a random peer and state) with probability 0.6, else receives from
 * one peer (1 or 2 branches). Loops and choices inside loops are common.
 */
function choiceSystem(seed: number, roles: readonly string[]): Efsm[] {
  let x = seed >>> 0 || 1;
  const rnd = (): number => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return (x >>> 8) / 0x1000000;
  };
  const pick = <V>(a: readonly V[]): V => a[Math.floor(rnd() * a.length)] as V;
  return roles.map((role) => {
    const k = 2 + Math.floor(rnd() * 5);
    const peers = roles.filter((r) => r !== role);
    const ts: T[] = [];
    for (let s = 0; s < k; s++) {
      const send = rnd() < 0.6;
      const peer = pick(peers);
      const branches = send ? 2 + Math.floor(rnd() * 2) : 1 + Math.floor(rnd() * 2);
      for (let b = 0; b < branches; b++)
        ts.push([
          s,
          send ? '!' : '?',
          send ? pick(peers) : peer,
          pick(['a', 'b', 'c']),
          Math.floor(rnd() * (k + 1)),
        ]);
    }
    return efsm(role, ts);
  });
}

/** The kinds of liveness violation (progress, reception) found in the system of `machines`. */
function livenessKinds(
  roles: readonly string[],
  machines: readonly Machine[],
  messages: Messages,
  mayCrash: readonly boolean[],
  capacity: number,
): string | undefined {
  const sys = new System(roles, machines, messages, mayCrash, [], capacity, undefined);
  const g = explore(sys, {
    safety: false,
    edges: true,
    maxStates: 20_000,
    allViolations: true,
    reduce: false,
    protocol: 'Random',
    model: 'unfair',
    progressEvery: 1_000_000,
    started: 0,
  });
  if (g.stoppedAtMax) return undefined;
  const live = checkLiveness(sys, g, ['progress', 'reception'], true);
  if (live.incomplete) return undefined;
  return [...new Set(live.found.map((f) => f.kind))].sort().join(', ');
}

describe('the product on random machines', () => {
  test('its runs are runs of the machine; its first states are the machine’s own', () => {
    let changed = 0;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const roles = ['A', 'B', 'C'];
        const messages = new Messages();
        for (const m of compileMachines('Random', roles, choiceSystem(seed, roles), messages)) {
          const u = unfairMachine(m);
          if (!u) throw new Error(`gave up (seed ${String(seed)})`);
          if (u !== m) changed++;
          const n = m.out.length;
          expect(u.ids.slice(0, n)).toEqual(m.ids);
          expect(u.initial).toBe(m.initial);
          const index = new Map(m.ids.map((id, s) => [id, s]));
          u.out.forEach((o, s) => {
            // Each transition is one of the machine's, from the state this one stands for, to
            // (a state standing for) its target.
            const original = m.out[index.get(u.ids[s] ?? -1) ?? -1] ?? [];
            for (const t of o) {
              const like = original.find((x) => x.index === t.index);
              expect(like && { ...like, to: u.ids[like.to] }).toEqual({ ...t, to: u.ids[t.to] });
            }
            // Only terminal states have no transition.
            expect(o.length === 0).toBe(u.terminal[s] === true);
            // The machine's own states keep their lists, but at choices that commit.
            const own = m.out[s];
            if (s < n && own && o !== own) expect(o.some((t, j) => t.to !== own[j]?.to)).toBe(true);
          });
        }
      }),
      { numRuns: 300, seed: 20261206 },
    );
    expect(changed).toBeGreaterThan(100);
  });
});

describe('the same liveness verdicts as the copying transform', () => {
  type Generate = (seed: number) => { efsms: Efsm[]; crashStop: boolean; reliable: string[] };
  const ROLES = ['A', 'B', 'C'];
  const generators: { name: string; roles: readonly string[]; generate: Generate }[] = [
    ...SHAPES.map((shape: Shape) => ({
      name: `random systems of ${String(shape.roles.length)} roles (crash-stop or not)`,
      roles: shape.roles,
      generate: (seed: number) => randomSystem(seed, shape),
    })),
    {
      name: 'random systems of 3 roles with many choices',
      roles: ROLES,
      generate: (seed) => ({ efsms: choiceSystem(seed, ROLES), crashStop: false, reliable: [] }),
    },
  ];
  const cases = generators.flatMap((c) => [1, 2].map((capacity) => ({ ...c, capacity })));
  test.each(cases)('$name, capacity $capacity', ({ roles, generate, capacity }) => {
    const tally = { compared: 0, transformed: 0, violations: 0, copyingGaveUp: 0 };
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const { efsms, crashStop, reliable } = generate(seed);
        const spec = { qualifiedName: 'Random', roles, crashStop, reliable: new Set(reliable) };
        // (Some random EFSMs number their states with gaps: input the verifier rejects.)
        if (checkVerifyOptions(spec, efsms).length > 0) return;
        const messages = new Messages();
        const machines = compileMachines('Random', roles, efsms, messages);
        const copying = machines.map((m) => copyingUnfairMachine(m, UNFAIR_MAX_STATES));
        if (!copying.every((m): m is Machine => m !== undefined)) {
          tally.copyingGaveUp++;
          return;
        }
        const product = machines.map(unfairMachine);
        if (!product.every((m): m is Machine => m !== undefined))
          throw new Error(`the product gave up where copying did not (seed ${String(seed)})`);
        const mayCrash = roles.map((r) => crashStop && !reliable.includes(r));
        const was = livenessKinds(roles, copying, messages, mayCrash, capacity);
        const is = livenessKinds(roles, product, messages, mayCrash, capacity);
        if (was === undefined || is === undefined) return;
        tally.compared++;
        if (product.some((m, i) => m !== machines[i])) tally.transformed++;
        if (is !== '') tally.violations++;
        expect(is).toBe(was);
      }),
      {
        numRuns: Number(process.env.MPST_UNFAIR_RUNS ?? 400),
        seed: Number(process.env.MPST_UNFAIR_SEED ?? 20261206),
      },
    );
    // Enough systems have a transformed choice and a liveness violation to say something.
    expect(tally.transformed).toBeGreaterThan(40);
    expect(tally.violations).toBeGreaterThan(10);
  });
});
