/**
 * Configurations longer than the system's encoding buffer (256 codes at first): the buffer
 * grows while one is encoded, and what is read of it must be read after the encoding. Here
 * the reduced search meets the first such configuration where a role has two steps alone
 * (A sends to B or to D, whose queues grow to the capacity while both wait for C), and idle
 * roles (finished from the start) make every configuration 200 codes longer without
 * changing the state graph.
 */
import { expect, test } from 'vitest';
import { verifySystem, type VerifyOptions } from '@mpst/verify';
import { efsm, kinds } from './hand-made.js';

function system(idle: number) {
  const receiver = (r: string) =>
    efsm(r, [
      [0, '?', 'C', 'go', 1],
      [1, '?', 'A', 'm', 1],
      [1, '?', 'A', 'end', 2],
    ]);
  const efsms = [
    efsm('C', [
      [0, '?', 'A', 'z', 1],
      [1, '!', 'B', 'go', 2],
      [2, '!', 'D', 'go', 3],
    ]),
    efsm('A', [
      [0, '!', 'B', 'm', 0],
      [0, '!', 'D', 'm', 0],
      [0, '!', 'C', 'z', 1],
      [1, '!', 'B', 'end', 2],
      [2, '!', 'D', 'end', 3],
    ]),
    receiver('B'),
    receiver('D'),
    ...Array.from({ length: idle }, (_, i) => efsm(`E${String(i)}`, [])),
  ];
  const roles = efsms.map((e) => e.role);
  return { spec: { qualifiedName: 'X', roles, crashStop: false, reliable: new Set(roles) }, efsms };
}

test('configurations that outgrow the encoding buffer are stored whole', () => {
  const model: VerifyOptions = { capacity: 25, properties: ['safety'] };
  const short = system(0);
  const long = system(220);
  const reduced = verifySystem(long.spec, long.efsms, model);
  expect(kinds(verifySystem(short.spec, short.efsms, { ...model, reduce: false }))).toBe(
    'verified: ',
  );
  expect(kinds(reduced)).toBe('verified: ');
  // Idle roles change no configuration's successors: the same graph, with or without them.
  expect(reduced.states).toBe(verifySystem(short.spec, short.efsms, model).states);
});
