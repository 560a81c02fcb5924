/**
 * Unit tests of the conformance helpers in graph.ts: the dot reader and the isomorphism
 * check, on small hand-made graphs.
 */
import { describe, expect, test } from 'vitest';
import {
  canonicalListing,
  dedupeEdges,
  isomorphic,
  lineDiff,
  mergeTerminals,
  parseDot,
  reachable,
  traceDifference,
  type LabelledGraph,
} from './graph.js';

/** `g('0', '0 a 1', '1 b 0')`: initial node first, then `from label to` triples. */
function g(initial: string, ...edges: string[]): LabelledGraph {
  const es = edges.map((e) => {
    const [from = '', label = '', to = ''] = e.split(' ');
    return { from, to, label };
  });
  const nodes = [...new Set([initial, ...es.flatMap((e) => [e.from, e.to])])];
  return { initial, nodes, edges: es };
}

describe('parseDot', () => {
  test('scribble-java format: quoted ids, first node is initial, labels kept verbatim', () => {
    const dot = [
      'digraph G {',
      'compound = true;',
      '"6" [ label="6: " ];',
      '"6" -> "8" [ label="B!0()" ];',
      '"7" [ label="7: " ];',
      '"8" [ label="8: " ];',
      '"8" -> "7" [ label="B?m(a.b.T, Int)" ];',
      '"8" -> "6" [ label="B!!c()" ];',
      '}',
    ].join('\n');
    const gr = parseDot(dot);
    expect(gr.initial).toBe('6');
    expect(gr.nodes).toEqual(['6', '8', '7']);
    expect(gr.edges).toEqual([
      { from: '6', to: '8', label: 'B!0()' },
      { from: '8', to: '7', label: 'B?m(a.b.T, Int)' },
      { from: '8', to: '6', label: 'B!!c()' },
    ]);
  });

  test('nuScr format: bare ids, trailing commas, labels over several lines, `n;` node statements', () => {
    const dot = [
      'digraph G {',
      '  0 [label="count<B>: int =',
      '0", ];',
      '  5;',
      '  ',
      '  0 -> 0 [label="A?Decr()[count - 1]", ];',
      '  0 -> 5 [label="P?accept(c: (c:int{c = x}))",',
      '          ];',
      '  }',
    ].join('\n');
    const gr = parseDot(dot);
    expect(gr.initial).toBe('0');
    expect(gr.edges.map((e) => e.label)).toEqual([
      'A?Decr()[count - 1]',
      'P?accept(c: (c:int{c = x}))',
    ]);
  });

  test('escaped quotes in labels', () => {
    expect(parseDot('digraph { "a" -> "b" [label="x\\"y"]; }').edges[0]?.label).toBe('x"y');
  });

  test('malformed input is an error, not a silent empty graph', () => {
    expect(() => parseDot('digraph G { "a" -> }')).toThrow(/expected an id/);
    expect(() => parseDot('nonsense')).toThrow();
  });
});

describe('isomorphic', () => {
  const base = g('0', '0 B!a() 1', '0 B!b() 2', '1 B?c() 3', '2 B?d() 3', '3 B!e() 0');

  test('isomorphic with renamed ids', () => {
    const renamed = g('x', 'x B!b() z', 'z B?d() w', 'x B!a() y', 'y B?c() w', 'w B!e() x');
    const r = isomorphic(base, renamed);
    expect(r.isomorphic, r.reason).toBe(true);
    expect(r.mapping?.get('0')).toBe('x');
    expect(r.mapping?.get('3')).toBe('w');
  });

  test('a differing label is found, and the reason names it', () => {
    const other = g('0', '0 B!a() 1', '0 B!b() 2', '1 B?c() 3', '2 B?X() 3', '3 B!e() 0');
    const r = isomorphic(base, other);
    expect(r.isomorphic).toBe(false);
    expect(r.reason).toMatch(/B\?d\(\)/);
  });

  test('an extra state is found', () => {
    const extra = g(
      '0',
      '0 B!a() 1',
      '0 B!b() 2',
      '1 B?c() 3',
      '2 B?d() 4',
      '4 B!e() 0',
      '3 B!e() 0',
    );
    expect(isomorphic(base, extra).isomorphic).toBe(false);
    expect(isomorphic(extra, base).reason).toMatch(/5 reachable states vs 4/);
  });

  test('same shape with a different target is not isomorphic (a loop vs a path)', () => {
    const loop = g('0', '0 a 1', '1 b 1');
    const path = g('0', '0 a 1', '1 b 2');
    expect(isomorphic(loop, path).isomorphic).toBe(false);
    expect(isomorphic(g('0', '0 a 1', '1 b 0'), g('0', '0 a 1', '1 b 1')).isomorphic).toBe(false);
  });

  test('unreachable states are ignored', () => {
    const withJunk = {
      ...base,
      nodes: [...base.nodes, '99'],
      edges: [...base.edges, { from: '99', to: '0', label: 'junk' }],
    };
    expect(isomorphic(withJunk, base).isomorphic).toBe(true);
    expect(reachable(withJunk).nodes).toHaveLength(4);
  });

  test('several edges with the same label: backtracking finds the matching', () => {
    // From 0, two `a` edges: one to a state that does `b`, one to a state that does `c`.
    // Listed in opposite orders, so the first guess pairs them wrongly.
    const x = g('0', '0 a 1', '0 a 2', '1 b 3', '2 c 3');
    const y = g('0', '0 a 2', '0 a 1', '1 b 3', '2 c 3');
    const z = g('p', 'p a q', 'p a r', 'r b s', 'q c s');
    expect(isomorphic(x, y).isomorphic).toBe(true);
    expect(isomorphic(x, z).isomorphic).toBe(true);
    const w = g('0', '0 a 1', '0 a 2', '1 b 3', '2 b 3');
    expect(isomorphic(x, w).isomorphic).toBe(false);
  });

  test('backtracking through later conflicts (the wrong early choice only fails deeper)', () => {
    const x = g('0', '0 a 1', '0 a 2', '1 b 3', '2 b 4', '3 c 0', '4 d 0');
    const y = g('0', '0 a 2', '0 a 1', '1 b 3', '2 b 4', '3 c 0', '4 d 0');
    expect(isomorphic(x, y).isomorphic).toBe(true);
    const bad = g('0', '0 a 1', '0 a 2', '1 b 3', '2 b 4', '3 c 0', '4 c 0');
    expect(isomorphic(x, bad).isomorphic).toBe(false);
  });

  test('a custom label equivalence', () => {
    const x = g('0', '0 B!m(a.b.T) 1');
    const y = g('0', '0 B!m(T) 1');
    expect(isomorphic(x, y).isomorphic).toBe(false);
    expect(isomorphic(x, y, (p, q) => p.replace(/[\w]+\./g, '') === q).isomorphic).toBe(true);
  });

  test('the empty machine (one state)', () => {
    expect(isomorphic(g('0'), g('7')).isomorphic).toBe(true);
    expect(isomorphic(g('0'), g('0', '0 a 0')).isomorphic).toBe(false);
  });
});

describe('mergeTerminals, canonicalListing, lineDiff', () => {
  test('end states merge into one', () => {
    const two = g('0', '0 a 1', '0 b 2');
    const one = g('0', '0 a 1', '0 b 1');
    expect(isomorphic(two, one).isomorphic).toBe(false);
    expect(isomorphic(mergeTerminals(two), one).isomorphic).toBe(true);
  });

  test('canonical listings of isomorphic deterministic graphs are equal; a diff shows the change', () => {
    const x = g('5', '5 B!a() 6', '6 B?c() 5');
    const y = g('1', '1 B!a() 0', '0 B?c() 1');
    expect(canonicalListing(x)).toEqual(canonicalListing(y));
    expect(canonicalListing(x)).toEqual(['s0 --B!a()--> s1', 's1 --B?c()--> s0']);
    const z = g('1', '1 B!a() 0', '0 B?d() 1');
    expect(lineDiff(canonicalListing(x), canonicalListing(z))).toBe(
      '  s0 --B!a()--> s1\n- s1 --B?c()--> s0\n+ s1 --B?d()--> s0',
    );
  });
});

describe('dedupeEdges, traceDifference', () => {
  test('repeated identical edges count once after dedupeEdges', () => {
    const twice = g('0', '0 a 1', '0 a 1');
    expect(isomorphic(twice, g('0', '0 a 1')).isomorphic).toBe(false);
    expect(isomorphic(dedupeEdges(twice), g('0', '0 a 1')).isomorphic).toBe(true);
  });

  test('a non-deterministic machine and its determinisation: not isomorphic, trace equivalent', () => {
    const nondet = g('0', '0 a 1', '0 a 2', '1 b 3', '2 b 3');
    const det = g('0', '0 a 1', '1 b 2');
    expect(isomorphic(nondet, det).isomorphic).toBe(false);
    expect(traceDifference(nondet, det)).toBe('');
    // An unrolled first iteration of a loop.
    expect(traceDifference(g('0', '0 a 1', '1 a 1'), g('0', '0 a 0'))).toBe('');
  });

  test('different traces, or different termination, are reported with a distinguishing trace', () => {
    expect(traceDifference(g('0', '0 a 1', '1 b 2'), g('0', '0 a 1', '1 c 2'))).toBe(
      'after a: b is only in the first',
    );
    expect(traceDifference(g('0', '0 a 1'), g('0', '0 a 1', '1 b 2'))).toBe(
      'after a: first can end, the other cannot',
    );
    expect(traceDifference(g('0', '0 a 0'), g('0', '0 a 1', '1 a 2'))).toMatch(/after a a/);
  });
});
