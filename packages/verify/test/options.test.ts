/**
 * Invalid input to verifySystem is a result, not an exception: verdict `invalid`, with one
 * coded error per problem (checkVerifyOptions gives the same list without verifying).
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Efsm, EfsmTransition } from '@mpst/projector';
import { describe, expect, test } from 'vitest';
import {
  checkVerifyOptions,
  renderResult,
  SCRIBBLE_JAVA_MAX_STATES,
  SCRIBBLE_JAVA_MODEL,
  verifySystem,
  type Property,
  type VerifyOptions,
} from '@mpst/verify';

const SPEC = {
  qualifiedName: 'P',
  roles: ['A', 'B'],
  crashStop: false,
  reliable: new Set<string>(),
};

/** A sends ping() to B as often as it likes, then bye(). */
function machine(role: 'A' | 'B'): Efsm {
  const peer = role === 'A' ? 'B' : 'A';
  const dir = role === 'A' ? '!' : '?';
  const kind = role === 'A' ? 'send' : 'receive';
  return {
    protocol: 'P',
    role,
    initial: 0,
    states: [
      { id: 0, terminal: false },
      { id: 1, terminal: true },
    ],
    transitions: [
      {
        from: 0,
        to: 0,
        action: { kind, peer, message: { label: 'ping', payload: [] } },
        label: `${peer}${dir}ping()`,
      },
      {
        from: 0,
        to: 1,
        action: { kind, peer, message: { label: 'bye', payload: [] } },
        label: `${peer}${dir}bye()`,
      },
    ],
  };
}
const EFSMS = [machine('A'), machine('B')];

function codes(options: VerifyOptions, efsms: readonly Efsm[] = EFSMS): string[] {
  const r = verifySystem(SPEC, efsms, options);
  const errors = r.invalid ?? [];
  expect(checkVerifyOptions(SPEC, efsms, options)).toEqual(errors);
  expect(r.verdict).toBe(errors.length > 0 ? 'invalid' : r.verdict);
  return errors.map((e) => e.code);
}

describe('invalid options are a result with codes', () => {
  test('valid options: no errors, a verdict', () => {
    expect(codes({ capacity: 1, unreliableLinks: [{ from: 'A', to: 'B' }] })).toEqual([]);
    expect(verifySystem(SPEC, EFSMS, { capacity: 1 }).verdict).toBe('verified');
  });

  test('links: unknown role, self link, duplicate', () => {
    expect(codes({ unreliableLinks: [{ from: 'A', to: 'Z' }] })).toEqual(['unknown-role']);
    expect(codes({ unreliableLinks: [{ from: 'A', to: 'A' }] })).toEqual(['self-link']);
    expect(
      codes({
        unreliableLinks: [
          { from: 'A', to: 'B' },
          { from: 'A', to: 'B' },
        ],
      }),
    ).toEqual(['duplicate-link']);
  });

  test('bound, capacity and maxStates must be integers >= 1', () => {
    expect(codes({ bound: 0 })).toEqual(['bound']);
    expect(codes({ capacity: 0 })).toEqual(['capacity']);
    expect(codes({ capacity: 1.5 })).toEqual(['capacity']);
    expect(codes({ maxStates: 0 })).toEqual(['max-states']);
    const r = verifySystem(SPEC, EFSMS, { bound: 0 });
    expect(r.states).toBe(0);
    expect(r.invalid?.[0]?.message).toMatch(/bound/);
    expect(renderResult(r)).toBe(
      'P: INVALID INPUT — nothing verified\nbound: bound must be an integer >= 1, not 0\n',
    );
  });

  test('EFSMs: a role without one, a peer that is not a role, a missing state', () => {
    expect(codes({}, [machine('A')])).toEqual(['missing-efsm']);
    const stray = {
      ...machine('A'),
      transitions: [
        {
          ...machine('A').transitions[0]!,
          action: { kind: 'send' as const, peer: 'Z', message: { label: 'ping', payload: [] } },
        },
      ],
    };
    expect(codes({}, [stray, machine('B')])).toEqual(['malformed-efsm']);
    const holey = { ...machine('B'), initial: 7 };
    expect(codes({}, [machine('A'), holey])).toEqual(['malformed-efsm']);
  });

  test('properties: an unknown name or none at all (nothing would be checked)', () => {
    expect(codes({ properties: ['bogus' as Property] })).toEqual(['unknown-property']);
    expect(codes({ properties: ['safety', 'liveness' as Property] })).toEqual(['unknown-property']);
    expect(codes({ properties: [] })).toEqual(['unknown-property']);
    expect(codes({ properties: ['progress'] })).toEqual([]);
  });

  test('roles: one listed twice', () => {
    const spec = { ...SPEC, roles: ['A', 'B', 'B'] };
    const r = verifySystem(spec, EFSMS);
    expect(r.verdict).toBe('invalid');
    expect(r.invalid).toEqual([
      { code: 'duplicate-role', message: "'P' lists role 'B' more than once" },
    ]);
  });

  test('EFSMs: two for one role, one for a role the protocol does not have', () => {
    expect(codes({}, [...EFSMS, { ...machine('B'), transitions: [] }])).toEqual(['duplicate-efsm']);
    expect(codes({}, [...EFSMS, { ...machine('B'), role: 'C' }])).toEqual(['stray-efsm']);
  });

  test('EFSM transitions: the role itself as peer, an unknown action kind, a message action without a message', () => {
    const a = machine('A');
    const first = a.transitions[0]!;
    const withAction = (action: unknown): Efsm => ({
      ...a,
      transitions: [
        { ...first, action: action as EfsmTransition['action'] },
        ...a.transitions.slice(1),
      ],
    });
    expect(
      codes({}, [
        withAction({ kind: 'send', peer: 'A', message: { label: 'ping', payload: [] } }),
        machine('B'),
      ]),
    ).toEqual(['self-peer']);
    expect(codes({}, [withAction({ kind: 'bogus', peer: 'B' }), machine('B')])).toEqual([
      'unknown-action',
    ]);
    expect(codes({}, [withAction({ kind: 'send', peer: 'B' }), machine('B')])).toEqual([
      'malformed-action',
    ]);
    expect(
      codes({}, [
        withAction({ kind: 'receive', peer: 'B', message: { label: 'ping' } }),
        machine('B'),
      ]),
    ).toEqual(['malformed-action']);
    expect(
      codes({}, [
        withAction({ kind: 'request', peer: 'B', message: { label: 1, payload: [] } }),
        machine('B'),
      ]),
    ).toEqual(['malformed-action']);
    expect(
      codes({}, [
        withAction({ kind: 'accept', peer: 'B', message: { label: 'x', payload: [3] } }),
        machine('B'),
      ]),
    ).toEqual(['malformed-action']);
    // Actions without a message are fine as they are.
    expect(codes({}, [withAction({ kind: 'disconnect', peer: 'B' }), machine('B')])).toEqual([]);
    // No peer at all (JSON input): not a role, whichever transition it is on (the first too).
    expect(
      codes({}, [
        withAction({ kind: 'send', message: { label: 'ping', payload: [] } }),
        machine('B'),
      ]),
    ).toEqual(['malformed-efsm']);
    expect(codes({}, [withAction({ kind: 'disconnect' }), machine('B')])).toEqual([
      'malformed-efsm',
    ]);
  });

  test('EFSM states: ids listed twice or not 0..n-1, terminal flags that contradict the transitions', () => {
    const b = machine('B');
    expect(
      codes({}, [machine('A'), { ...b, states: [...b.states, { id: 0, terminal: true }] }]),
    ).toEqual(['state-ids']);
    const shifted = {
      ...b,
      initial: 1,
      states: [
        { id: 1, terminal: false },
        { id: 2, terminal: true },
      ],
      transitions: b.transitions.map((t) => ({ ...t, from: t.from + 1, to: t.to + 1 })),
    };
    expect(codes({}, [machine('A'), shifted])).toEqual(['state-ids']);
    expect(
      codes({}, [
        machine('A'),
        {
          ...b,
          states: [
            { id: 0, terminal: true },
            { id: 1, terminal: true },
          ],
        },
      ]),
    ).toEqual(['malformed-efsm']);
    expect(
      codes({}, [
        machine('A'),
        {
          ...b,
          states: [
            { id: 0, terminal: false },
            { id: 1, terminal: false },
          ],
        },
      ]),
    ).toEqual(['malformed-efsm']);
    const r = verifySystem(SPEC, [
      machine('A'),
      {
        ...b,
        states: [
          { id: 0, terminal: true },
          { id: 1, terminal: true },
        ],
      },
    ]);
    expect(r.invalid?.[0]?.message).toBe(
      "the EFSM of 'B': state 0 is terminal but has outgoing transitions",
    );
  });

  test('a transition from or to a state the EFSM does not have', () => {
    const b = machine('B');
    expect(
      codes({}, [
        machine('A'),
        { ...b, transitions: [...b.transitions, { ...b.transitions[0]!, to: 5 }] },
      ]),
    ).toEqual(['malformed-efsm']);
  });

  test('every problem is reported, one error per kind and role', () => {
    const a = machine('A');
    const bad: Efsm = {
      ...a,
      transitions: a.transitions.map((t) => ({
        ...t,
        action: { kind: 'bogus', peer: 'A' } as unknown as EfsmTransition['action'],
      })),
    };
    expect(codes({ properties: [] }, [bad, machine('B')])).toEqual([
      'unknown-property',
      'self-peer',
      'unknown-action',
    ]);
  });

  test('a bound of 1 that cuts sends is inconclusive, never verified', () => {
    const r = verifySystem(SPEC, EFSMS, { bound: 1 });
    expect(r.verdict).toBe('inconclusive');
    expect(r.incomplete?.message).toMatch(/inconclusive beyond bound 1/);
  });
});

describe("`mpst check`'s model", () => {
  test('one state limit, named once: the model and the command take it from one constant', () => {
    expect(SCRIBBLE_JAVA_MODEL).toEqual({ capacity: 1, maxStates: SCRIBBLE_JAVA_MAX_STATES });
    expect(SCRIBBLE_JAVA_MAX_STATES).toBe(1_000_000);
    const check = fs.readFileSync(
      fileURLToPath(new URL('../../cli/src/commands/check.ts', import.meta.url)),
      'utf8',
    );
    expect(check).toContain('...SCRIBBLE_JAVA_MODEL');
    expect(check).not.toMatch(/maxStates:\s*[\d_]/);
  });
});
