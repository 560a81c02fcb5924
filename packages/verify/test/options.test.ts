/**
 * Invalid input to verifySystem is a result, not an exception: verdict `invalid`, with one
 * coded error per problem (checkVerifyOptions gives the same list without verifying).
 */
import type { Efsm } from '@mpst/projector';
import { describe, expect, test } from 'vitest';
import { checkVerifyOptions, renderResult, verifySystem, type VerifyOptions } from '@mpst/verify';

const SPEC = { qualifiedName: 'P', roles: ['A', 'B'], crashStop: false, reliable: new Set<string>() };

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
      { from: 0, to: 0, action: { kind, peer, message: { label: 'ping', payload: [] } }, label: `${peer}${dir}ping()` },
      { from: 0, to: 1, action: { kind, peer, message: { label: 'bye', payload: [] } }, label: `${peer}${dir}bye()` },
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
    expect(codes({ unreliableLinks: [{ from: 'A', to: 'B' }, { from: 'A', to: 'B' }] })).toEqual(['duplicate-link']);
  });

  test('bound, capacity and maxStates must be integers >= 1', () => {
    expect(codes({ bound: 0 })).toEqual(['bound']);
    expect(codes({ capacity: 0 })).toEqual(['capacity']);
    expect(codes({ capacity: 1.5 })).toEqual(['capacity']);
    expect(codes({ maxStates: 0 })).toEqual(['max-states']);
    const r = verifySystem(SPEC, EFSMS, { bound: 0 });
    expect(r.states).toBe(0);
    expect(r.invalid?.[0]?.message).toMatch(/bound/);
    expect(renderResult(r)).toBe('P: INVALID INPUT — nothing verified\nbound: bound must be an integer >= 1, not 0\n');
  });

  test('EFSMs: a role without one, a peer that is not a role, a missing state', () => {
    expect(codes({}, [machine('A')])).toEqual(['missing-efsm']);
    const stray = { ...machine('A'), transitions: [{ ...machine('A').transitions[0]!, action: { kind: 'send' as const, peer: 'Z', message: { label: 'ping', payload: [] } } }] };
    expect(codes({}, [stray, machine('B')])).toEqual(['malformed-efsm']);
    const holey = { ...machine('B'), initial: 7 };
    expect(codes({}, [machine('A'), holey])).toEqual(['malformed-efsm']);
  });

  test('a bound of 1 that cuts sends is inconclusive, never verified', () => {
    const r = verifySystem(SPEC, EFSMS, { bound: 1 });
    expect(r.verdict).toBe('inconclusive');
    expect(r.incomplete?.message).toMatch(/inconclusive beyond bound 1/);
  });
});
