import { describe, expect, test } from 'vitest';
import type { Efsm, EfsmTransition } from '@mpst/projector';
import { determinise } from '@mpst/codegen';

const send = (from: number, to: number, label: string): EfsmTransition => ({
  from,
  to,
  action: { kind: 'send', peer: 'B', message: { label, payload: [] } },
  label: `B!${label}()`,
});

function machine(states: number, transitions: EfsmTransition[]): Efsm {
  const from = new Set(transitions.map((t) => t.from));
  return {
    protocol: 'P',
    role: 'A',
    initial: 0,
    states: Array.from({ length: states }, (_, id) => ({ id, terminal: !from.has(id) })),
    transitions,
  };
}

describe('determinise', () => {
  test('a deterministic machine is returned as it is', () => {
    const m = machine(3, [send(0, 1, 'a'), send(0, 2, 'b'), send(1, 2, 'c')]);
    const d = determinise(m, undefined);
    expect(d.changed).toBe(false);
    expect(d.efsm).toBe(m);
  });

  test('one label to two states becomes one transition to their union', () => {
    // 0 -a-> 1 -b-> 3, 0 -a-> 2 -c-> 3: after `a`, either `b` or `c`.
    const m = machine(4, [send(0, 1, 'a'), send(0, 2, 'a'), send(1, 3, 'b'), send(2, 3, 'c')]);
    const d = determinise(m, undefined);
    expect(d.changed).toBe(true);
    expect(d.conflict).toBeUndefined();
    expect(d.efsm.transitions.map((t) => `${String(t.from)}-${t.label}->${String(t.to)}`)).toEqual([
      '0-B!a()->1',
      '1-B!b()->2',
      '1-B!c()->2',
    ]);
    expect(d.efsm.states).toEqual([
      { id: 0, terminal: false },
      { id: 1, terminal: false },
      { id: 2, terminal: true },
    ]);
  });

  test('a set that may both end and go on is a conflict', () => {
    // 0 -a-> 1 (end), 0 -a-> 2 -b-> 1.
    const m = machine(3, [send(0, 1, 'a'), send(0, 2, 'a'), send(2, 1, 'b')]);
    expect(determinise(m, undefined).conflict).toEqual({ transition: 2 });
  });
});
