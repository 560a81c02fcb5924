/**
 * Unit tests of the label and local-type helpers of the conformance tests (labels.ts,
 * local-text.ts): what the normalisations accept and, as importantly, what they still tell
 * apart.
 */
import { describe, expect, test } from 'vitest';
import type { LocalType } from '@mpst/projector';
import { nuscrLabelsMatch, parseLabel, scribbleJavaLabelsMatch, splitTopLevel } from './labels.js';
import { canonical, treeOfLocal, treeOfText } from './local-text.js';

describe('labels', () => {
  test('parseLabel reads every direction, EMPTY_OP, crash and nuScr suffixes', () => {
    expect(parseLabel('B!m(Int, a.b.T)')).toEqual({
      peer: 'B',
      dir: '!',
      op: 'm',
      payloads: ['Int', 'a.b.T'],
    });
    expect(parseLabel('B?EMPTY_OP(T)')).toEqual({ peer: 'B', dir: '?', op: '', payloads: ['T'] });
    expect(parseLabel('B!!c()')?.dir).toBe('!!');
    expect(parseLabel('B??c()')?.dir).toBe('??');
    expect(parseLabel('B-/-()')?.dir).toBe('-/-');
    expect(parseLabel('B?crash')).toEqual({ peer: 'B', dir: 'crash', op: '', payloads: [] });
    expect(parseLabel('A?Decr()[count - 1]')).toEqual({
      peer: 'A',
      dir: '?',
      op: 'Decr',
      payloads: [],
    });
    expect(parseLabel('P?accept(c: (c:int{c = x, y}))')?.payloads).toEqual([
      'c: (c:int{c = x, y})',
    ]);
    expect(parseLabel('nonsense')).toBeUndefined();
  });

  test('splitTopLevel keeps refinements with < and > whole', () => {
    expect(splitTopLevel('x: int{x > 0}, y: int{y < x}')).toEqual([
      'x: int{x > 0}',
      'y: int{y < x}',
    ]);
    expect(splitTopLevel('')).toEqual([]);
  });

  test('scribble-java equivalence: last name segment, type parameters, EMPTY_OP; nothing else', () => {
    const eq = scribbleJavaLabelsMatch(new Set(['T']));
    expect(eq('B!2(String)', 'B!2(good.syntax.disamb.payloads.Test01.String)')).toBe(true);
    expect(eq('B!(String)', 'B!EMPTY_OP(T)')).toBe(true);
    expect(eq('B!(String)', 'B!EMPTY_OP(U)')).toBe(false);
    expect(eq('B!m(Int)', 'B?m(Int)')).toBe(false);
    expect(eq('B!m(Int)', 'C!m(Int)')).toBe(false);
    expect(eq('B!m(Int)', 'B!n(Int)')).toBe(false);
    expect(eq('B!m(Int)', 'B!m(Int, Int)')).toBe(false);
    expect(eq('B!m(Int)', 'B!m(Bool)')).toBe(false);
  });

  test('nuScr equivalence: payloads by count only', () => {
    expect(nuscrLabelsMatch('P!propose(int)', 'P!propose(initialPrice: int)')).toBe(true);
    expect(nuscrLabelsMatch('A?Decr()', 'A?Decr()[count - 1]')).toBe(true);
    expect(nuscrLabelsMatch('A?Decr()', 'A?Incr()')).toBe(false);
    expect(nuscrLabelsMatch('A?m(int)', 'A?m()')).toBe(false);
    expect(nuscrLabelsMatch('A?m()', 'A!m()')).toBe(false);
  });
});

describe('local types as text', () => {
  const nuscr = [
    'Foo() to B;',
    'rec Loop {',
    '  choice at A {',
    '    (silent) x(int);',
    '    Bar(x: int) from A;',
    '    continue Loop;',
    '  } or {',
    '    Qux() from A;',
    '    (end)',
    '  }',
    '}',
  ].join('\n');

  test('nuScr output and our printed local protocol read into the same canonical form', () => {
    const ours = [
      'local protocol Example_C at C(role A, role B, self C) {',
      '  Foo() to B;',
      '  rec X {',
      '    choice at A {',
      '      Qux() from A;',
      '    } or {',
      '      Bar(Int) from A;',
      '      continue X;',
      '    }',
      '  }',
      '}',
    ].join('\n');
    expect(canonical(treeOfText(nuscr))).toBe('B!Foo/0.μ0.{A?Bar/1.#0 | A?Qux/0.end}');
    expect(canonical(treeOfText(ours))).toBe(canonical(treeOfText(nuscr)));
  });

  test('differences that matter are kept: direction, peer, payload count, loop target', () => {
    const c = (t: string): string => canonical(treeOfText(t));
    expect(c('m() to B;')).not.toBe(c('m() from B;'));
    expect(c('m() to B;')).not.toBe(c('m() to C;'));
    expect(c('m(x: int) to B;')).not.toBe(c('m() to B;'));
    expect(c('rec X { a() to B; rec Y { b() to B; continue X; } }')).not.toBe(
      c('rec X { a() to B; rec Y { b() to B; continue Y; } }'),
    );
    // Directly nested recursions denote one state; unused ones vanish; SMT query lines are skipped.
    expect(c('rec X { rec Y { a() to B; continue X; } }')).toBe(
      c('rec Z { a() to B; continue Z; }'),
    );
    expect(c('rec X { a() to B; }')).toBe(c('a() to B;'));
    expect(c('(declare-const x Int)\n(check-sat)\n\na() to B;\n(end)')).toBe('B!a/0.end');
  });

  test('a LocalType value reads into the same form', () => {
    const end: LocalType = { kind: 'end' };
    const loop: LocalType = {
      kind: 'rec',
      label: 'L',
      body: {
        kind: 'choice',
        branches: [
          {
            action: { kind: 'receive', peer: 'A', message: { label: 'Bar', payload: ['Int'] } },
            cont: { kind: 'var', label: 'L' },
            origin: undefined,
          },
          {
            action: { kind: 'receive', peer: 'A', message: { label: 'Qux', payload: [] } },
            cont: end,
            origin: undefined,
          },
        ],
      },
    };
    const local: LocalType = {
      kind: 'choice',
      branches: [
        {
          action: { kind: 'send', peer: 'B', message: { label: 'Foo', payload: [] } },
          cont: loop,
          origin: undefined,
        },
      ],
    };
    expect(canonical(treeOfLocal(local))).toBe(canonical(treeOfText(nuscr)));
    const crash: LocalType = {
      kind: 'choice',
      branches: [{ action: { kind: 'crash', peer: 'A' }, cont: end, origin: undefined }],
    };
    expect(canonical(treeOfLocal(crash))).toBe(canonical(treeOfText('crash from A;')));
  });

  test('unreadable text is an error', () => {
    expect(() => treeOfText('choice at A { a() to B; ')).toThrow();
    expect(() => treeOfText('a() to B; b() to B')).toThrow(/without ; or \{/);
  });
});
