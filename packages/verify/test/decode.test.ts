/**
 * Liveness rebuilds a terminal set's configuration from the search's table (`System.decode`
 * of the codes `System.encode` wrote) instead of replaying its search path: on random systems
 * (crash-stop or not, with and without a link that may fail, queues of capacity 1 and 2, with
 * and without partial-order reduction), every configuration decoded from the table must be the
 * one the replay of its search path reaches, and encode to the same codes. The search encodes
 * successors straight from one decoded view (`System.successors`, `encodeStep`,
 * `decodeInto`): each of those encodings must be the encoding of the configuration the step
 * makes (`System.apply`).
 */
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { explore, type ExploreOptions } from '../src/explore.js';
import { pathTo } from '../src/liveness.js';
import { compileMachines, Messages } from '../src/machines.js';
import { System, type Config } from '../src/system.js';
import { checkVerifyOptions } from '../src/verify.js';
import { randomSystem, SHAPES } from './random-system.js';

/** A configuration's fields (a decoded view has more, its own storage). */
const fieldsOf = (c: Config): Config => ({
  st: c.st,
  crashed: c.crashed,
  broken: c.broken,
  qi: c.qi,
  qm: c.qm,
});

/**
 * The random system of `seed` and `shape` (undefined if its EFSMs are not valid), with a link
 * from its first role to its second that may fail when `link`.
 */
function systemOf(
  seed: number,
  shape: (typeof SHAPES)[number],
  link: boolean,
  capacity: number | undefined,
  bound: number | undefined,
): System | undefined {
  const { efsms, crashStop, reliable } = randomSystem(seed, shape);
  const roles = shape.roles;
  const spec = { qualifiedName: 'Random', roles, crashStop, reliable: new Set(reliable) };
  if (checkVerifyOptions(spec, efsms).length > 0) return undefined;
  const messages = new Messages();
  const machines = compileMachines('Random', roles, efsms, messages);
  const mayCrash = roles.map((r) => crashStop && !reliable.includes(r));
  const links = link ? [{ from: roles[0] ?? '', to: roles[1] ?? '' }] : [];
  return new System(roles, machines, messages, mayCrash, links, capacity, bound);
}

/**
 * The codes an encoding of `length` wrote. Read only once it is written: a long encoding
 * replaces `sys.codes` with a larger buffer (`sys.codes.slice(0, sys.encode(c))` would slice
 * the old one).
 */
const codesOf = (sys: System, length: number): number[] => [...sys.codes.subarray(0, length)];
const encodingOf = (sys: System, c: Config): number[] => codesOf(sys, sys.encode(c));

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
        const sys = systemOf(seed, shape, model.link, model.capacity, undefined);
        if (!sys) return;
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
          expect(encodingOf(sys, decoded)).toEqual([...codes]);
          checked++;
        }
      }),
      { numRuns: 60, seed: 20261206 },
    );
    expect(checked).toBeGreaterThan(100);
  },
);

test.each(SHAPES.flatMap((s) => MODELS.map((m) => [s.roles.length, m, s] as const)))(
  "%i roles, %o: successors encoded from a reused view are the steps' configurations",
  (_, model, shape) => {
    let checked = 0;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        // A bound with capacity 2 (sends cut, not held), a capacity otherwise.
        const bounded = model.capacity === 2;
        const sys = systemOf(
          seed,
          shape,
          model.link,
          bounded ? undefined : model.capacity,
          bounded ? 2 : undefined,
        );
        if (!sys) return;
        const roles = shape.roles;
        const view = sys.scratchConfig();
        const encoded = (c: Config): number[] => encodingOf(sys, c);
        // Every configuration reachable, breadth first, by its encoding.
        const seen = new Set<string>([encoded(sys.initial).join()]);
        const todo: Config[] = [sys.initial];
        for (let k = 0; k < todo.length && k < 400; k++) {
          const c = todo[k] ?? sys.initial;
          // Decoded into the one view (which held another configuration before).
          const codes = Uint16Array.from(encoded(c));
          sys.decodeInto(codes, 0, codes.length, view);
          expect(fieldsOf(view)).toEqual(fieldsOf(c));
          const steps: [number, number[]][] = [];
          sys.successors(view, (e, length) => {
            steps.push([e, [...sys.codes.subarray(0, length)]]);
            return true;
          });
          for (const [e, codesOfStep] of steps) {
            const d = sys.apply(c, sys.event(e));
            expect(codesOfStep).toEqual(encoded(d));
            if (!seen.has(codesOfStep.join())) {
              seen.add(codesOfStep.join());
              todo.push(d);
            }
            checked++;
          }
          // One role's steps, encoded one by one: the same steps, the same encodings (of a
          // live role: the search asks only those).
          const events: number[] = [];
          for (let i = 0; i < roles.length; i++) {
            if (view.crashed[i] === 1) continue;
            const count = sys.stepsOf(view, i, events);
            const mine = steps.filter(([e]) => !sys.isFailure(e) && sys.roleOf(e) === i);
            expect(events.slice(0, count)).toEqual(mine.map(([e]) => e));
            for (let x = 0; x < count; x++)
              expect(codesOf(sys, sys.encodeStep(view, events[x] ?? 0))).toEqual(mine[x]?.[1]);
          }
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
    const codes = Uint16Array.from(encodingOf(sys, c));
    expect(sys.decode(codes)).toEqual(c);
    const view = sys.scratchConfig();
    sys.decodeInto(codes, 0, codes.length, view);
    expect(fieldsOf(view)).toEqual(fieldsOf(c));
  }
});
