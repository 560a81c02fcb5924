/**
 * A role still in its first state, which only accepts a connection, with nothing queued, has
 * not been connected: it counts as done (scribble-java's explicit connections). Anyone waiting
 * for it while nobody can connect it is still reported.
 */
import type { Efsm } from '@mpst/projector';
import { describe, expect, test } from 'vitest';
import { verifySystem } from '@mpst/verify';

const spec = {
  qualifiedName: 'Hand',
  roles: ['A', 'C'],
  crashStop: false,
  reliable: new Set<string>(),
};
const accept = (peer: string): Efsm['transitions'][number] => ({
  from: 0,
  to: 1,
  action: { kind: 'accept', peer, message: { label: '', payload: [] } },
  label: `${peer}??()`,
});
const states = (n: number): Efsm['states'] =>
  Array.from({ length: n }, (_, id) => ({ id, terminal: id === n - 1 }));

describe('roles never connected', () => {
  test('alone, a role that was never connected is not unfinished', () => {
    const a: Efsm = { protocol: 'Hand', role: 'A', initial: 0, states: states(1), transitions: [] };
    const c: Efsm = {
      protocol: 'Hand',
      role: 'C',
      initial: 0,
      states: states(2),
      transitions: [accept('A')],
    };
    expect(verifySystem(spec, [a, c], { capacity: 1 }).verdict).toBe('verified');
  });

  test('a role waiting for a message from a role nobody connects is unfinished', () => {
    const a: Efsm = {
      protocol: 'Hand',
      role: 'A',
      initial: 0,
      states: states(2),
      transitions: [
        {
          from: 0,
          to: 1,
          action: { kind: 'receive', peer: 'C', message: { label: 'x', payload: [] } },
          label: 'C?x()',
        },
      ],
    };
    const c: Efsm = {
      protocol: 'Hand',
      role: 'C',
      initial: 0,
      states: states(2),
      transitions: [accept('A')],
    };
    const r = verifySystem(spec, [a, c], { capacity: 1 });
    expect(r.verdict).toBe('violation');
    expect(r.violations.map((v) => v.kind)).toContain('unfinished');
    expect(r.violations.find((v) => v.kind === 'unfinished')?.message).toContain(
      'C (not connected)',
    );
  });
});
