/**
 * Liveness rebuilds a terminal set's configuration from the search's table (`System.decode`
 * of the codes `System.encode` wrote) instead of replaying its search path: on random systems
 * (crash-stop or not, with and without a link that may fail, queues of capacity 1 and 2, with
 * and without partial-order reduction), every configuration decoded from the table must be the
 * one the replay of its search path reaches, and encode to the same codes.
 */
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { explore, type ExploreOptions } from '../src/explore.js';
import { pathTo } from '../src/liveness.js';
import { compileMachines, Messages } from '../src/machines.js';
import { System } from '../src/system.js';
import { checkVerifyOptions } from '../src/verify.js';
import { randomSystem, SHAPES } from './random-system.js';

const MODELS = [
  { capacity: 1, reduce: true, link: false },
  { capacity: 2, reduce: false, link: false },
  { capacity: 1, reduce: false, link: true },
];

test.each(SHAPES.flatMap((s) => MODELS.map((m) => [s.roles.length, m, s] as const)))(
  '%i roles, %o: decoded configurations are those of the search',
  (_, model, shape) => {
    let checked = 0;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const { efsms, crashStop, reliable } = randomSystem(seed, shape);
        const roles = shape.roles;
        const spec = { qualifiedName: 'Random', roles, crashStop, reliable: new Set(reliable) };
        if (checkVerifyOptions(spec, efsms).length > 0) return;
        const messages = new Messages();
        const machines = compileMachines('Random', roles, efsms, messages);
        const mayCrash = roles.map((r) => crashStop && !reliable.includes(r));
        const links = model.link ? [{ from: roles[0] ?? '', to: roles[1] ?? '' }] : [];
        const sys = new System(
          roles,
          machines,
          messages,
          mayCrash,
          links,
          model.capacity,
          undefined,
        );
        const o: ExploreOptions = {
          safety: true,
          edges: true,
          maxStates: 20_000,
          allViolations: true,
          reduce: model.reduce && !model.link,
          protocol: 'Random',
          model: 'fair',
          progressEvery: 1_000_000,
          started: 0,
        };
        const g = explore(sys, o);
        for (let id = 0; id < g.size; id++) {
          let replayed = sys.initial;
          for (const e of pathTo(sys, g, id)) replayed = sys.apply(replayed, e);
          const codes = g.table.codesOf(id);
          const decoded = sys.decode(codes);
          expect(decoded).toEqual(replayed);
          expect([...sys.codes.subarray(0, sys.encode(decoded))]).toEqual([...codes]);
          checked++;
        }
      }),
      { numRuns: 60, seed: 20261206 },
    );
    expect(checked).toBeGreaterThan(100);
  },
);

test('large state indices and long queues round-trip (15-bit groups)', () => {
  const roles = ['A', 'B'];
  const sys = new System(roles, [], new Messages(), [false, false], [], undefined, undefined);
  for (const x of [0, 1, 0x7ffe, 0x7fff, 0x8000, 0x3fffffff, 123_456_789]) {
    const c = {
      st: [x, 0x7fff],
      crashed: new Uint8Array(2),
      broken: new Uint8Array(0),
      qi: [1],
      qm: [[x, 0, 0x8001]],
    };
    const codes = sys.codes.slice(0, sys.encode(c));
    expect(sys.decode(codes)).toEqual(c);
  }
});
