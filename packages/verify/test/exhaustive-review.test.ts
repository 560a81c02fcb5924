/**
 * Review of the k search's extension to crash-stop protocols (ARCHITECTURE.md, "Why
 * k-exhaustivity speaks for unbounded queues"): hand-made systems at the cases the proof treats
 * with most care — the one role that sends to two peers is the one that crashes, sends to a
 * crashed role are lost while the choice goes on, a crash detection that decides what a
 * receiver tells a third role — each compared with an exploration with queues of 6 (fair
 * choices, so that the loops of the sender's choice are not reported as unfair starvation);
 * and a crash-stop system whose least k is 2.
 */
import { describe, expect, test } from 'vitest';
import type { Efsm } from '@mpst/projector';
import { verifySystem } from '@mpst/verify';
import { efsm, kinds, type T } from './hand-made.js';

const system = (reliable: readonly string[], roles = ['M', 'B', 'C']) => ({
  qualifiedName: 'X',
  roles,
  crashStop: true,
  reliable: new Set(reliable),
});

// M, the one role that sends to two peers, sends a() to B or C as often as it likes, then stop().
const chooser = efsm('M', [
  [0, '!', 'B', 'a', 0],
  [0, '!', 'C', 'a', 0],
  [0, '!', 'C', 'stop', 1],
  [1, '!', 'B', 'stop', 2],
]);
const loopOn = (role: string, crash: boolean, then: readonly T[] = []): Efsm =>
  efsm(role, [
    [0, '?', 'M', 'a', 0],
    [0, '?', 'M', 'stop', 1],
    ...(crash ? ([[0, 'crash', 'M', '', 3]] as const) : []),
    ...then,
  ]);

const cases: [string, Efsm[], string[], string][] = [
  // M may crash with any number of a() queued for B and C; they take them, then detect.
  [
    'the role that sends to two peers crashes',
    [chooser, loopOn('B', true), loopOn('C', true)],
    ['B', 'C'],
    'verified: ',
  ],
  // B may crash: M's later a() to B are lost, and M's choice goes on.
  [
    'sends to a crashed role are lost',
    [chooser, loopOn('B', false), loopOn('C', false)],
    ['M', 'C'],
    'verified: ',
  ],
  // B tells C whether M stopped or crashed, and C takes either (or B's crash).
  [
    'a detection decides what the receiver says next',
    [
      chooser,
      loopOn('B', true, [
        [3, '!', 'C', 'gone', 4],
        [1, '!', 'C', 'done', 4],
      ]),
      loopOn('C', true, [
        [3, '?', 'B', 'done', 4],
        [3, '?', 'B', 'gone', 4],
        [3, 'crash', 'B', '', 4],
        [1, '?', 'B', 'done', 4],
        [1, '?', 'B', 'gone', 4],
        [1, 'crash', 'B', '', 4],
      ]),
    ],
    ['C'],
    'verified: ',
  ],
  // The same, but C does not accept gone(): stuck once M crashed (found with queues of 1).
  [
    'a detection that leads to a stuck message',
    [
      chooser,
      loopOn('B', true, [
        [3, '!', 'C', 'gone', 4],
        [1, '!', 'C', 'done', 4],
      ]),
      loopOn('C', true, [
        [3, '?', 'B', 'done', 4],
        [3, 'crash', 'B', '', 4],
        [1, '?', 'B', 'done', 4],
        [1, 'crash', 'B', '', 4],
      ]),
    ],
    ['C'],
    'violation: stuck, unfinished',
  ],
];

describe('crash-stop systems with one role that sends to two peers', () => {
  // A sends a() twice to B before z() to C, and B waits for C's y() first: queues of 2 are
  // needed (the least k is 2). A may crash anywhere; C and B then take its crash branch.
  test('a crash-stop system that is 2-exhaustive, not 1-exhaustive', () => {
    const efsms = [
      efsm('A', [
        [0, '!', 'B', 'a', 1],
        [1, '!', 'B', 'a', 2],
        [2, '!', 'C', 'z', 3],
      ]),
      efsm('B', [
        [0, '?', 'C', 'y', 1],
        [1, '?', 'A', 'a', 2],
        [1, 'crash', 'A', '', 4],
        [2, '?', 'A', 'a', 3],
        [2, 'crash', 'A', '', 4],
      ]),
      efsm('C', [
        [0, '?', 'A', 'z', 1],
        [0, 'crash', 'A', '', 1],
        [1, '!', 'B', 'y', 2],
      ]),
    ];
    const spec = system(['B', 'C'], ['A', 'B', 'C']);
    const r = verifySystem(spec, efsms, { allViolations: true });
    expect(r.exhaustive).toBe(2);
    expect(kinds(r)).toBe('verified: ');
    expect(kinds(verifySystem(spec, efsms, { allViolations: true, capacity: 6 }))).toBe(
      'verified: ',
    );
  });

  test.each(cases)(
    '%s: the verdict for every queue length is that of queues of 6',
    (_, efsms, reliable, want) => {
      const r = verifySystem(system(reliable), efsms, { fair: true, allViolations: true });
      expect(r.exhaustive).toBe(1);
      expect(kinds(r)).toBe(want);
      const big = verifySystem(system(reliable), efsms, {
        fair: true,
        allViolations: true,
        capacity: 6,
      });
      expect(big.maxQueue).toBe(6);
      expect(kinds(big)).toBe(want);
    },
  );
});
