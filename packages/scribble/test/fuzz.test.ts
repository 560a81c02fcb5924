/**
 * Robustness of the parser on mutated protocols (fast-check). Seeds are a few inline protocols
 * (so this runs without the corpus) plus every corpus file when the corpus is present.
 * Mutations: delete a range, duplicate a range, insert a Scribble token, swap two ranges,
 * truncate. Property: parse never throws and every diagnostic and AST span is well formed
 * (see checkParse in fuzz-kit.mjs). The property runs in a worker thread so that a parser hang
 * fails this test with the offending input instead of blocking the runner.
 *
 * MPST_FUZZ_RUNS=<n> changes the number of cases (default 2000), MPST_FUZZ_SEED=<n> fixes the
 * fast-check seed (fast-check prints the seed and the shrunk counterexample on failure).
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, test } from 'vitest';
import { parse } from '@mpst/scribble';
import { corpusRoot, listFiles, readText } from '../../../tools/corpus.js';
import {
  INLINE_SEEDS,
  TOKENS,
  applyMutation,
  applyMutations,
  checkParse,
  type Mutation,
} from './fuzz-kit.mjs';

const NUM_RUNS = Number(process.env.MPST_FUZZ_RUNS ?? 2000);
const SEED =
  process.env.MPST_FUZZ_SEED === undefined ? undefined : Number(process.env.MPST_FUZZ_SEED);
/** Generous bound for the whole run (typically 1-3 s); only a hang or a pathological slowdown hits it. */
const WHOLE_RUN_LIMIT_MS = 60_000;

const root = corpusRoot();
const seeds: { name: string; text: string }[] = INLINE_SEEDS.map((text, i) => ({
  name: `inline seed ${String(i)}`,
  text,
}));
if (root) {
  for (const rel of listFiles(root, ['.scr', '.nuscr']))
    seeds.push({ name: rel, text: readText(path.join(root, rel)) });
} else {
  console.warn(
    `[fuzz] conformance corpus not found: fuzzing the ` +
      `${String(seeds.length)} inline seeds only (set MPST_CORPUS to add the corpus files).`,
  );
}

describe('fuzz kit', () => {
  test.each(INLINE_SEEDS.map((s, i) => [i, s] as const))(
    'inline seed %i parses cleanly',
    (_i, text) => {
      expect(parse(text, 'seed.scr').diagnostics).toEqual([]);
      expect(checkParse(parse, text, 'seed.scr')).toEqual([]);
    },
  );

  test('mutations do what they say', () => {
    const t = 'abcdefghij';
    expect(applyMutation(t, { kind: 'delete', at: 2, len: 3 })).toBe('abfghij');
    expect(applyMutation(t, { kind: 'duplicate', at: 0, len: 2, to: 10 })).toBe('abcdefghijab');
    expect(applyMutation(t, { kind: 'insert', at: 1, token: TOKENS.indexOf(';') })).toBe(
      'a;bcdefghij',
    );
    expect(
      applyMutation(t, { kind: 'insert', at: 1, token: TOKENS.indexOf('rec'), spaced: true }),
    ).toBe('a rec bcdefghij');
    expect(applyMutation(t, { kind: 'swap', at: 0, len: 2, at2: 5, len2: 3 })).toBe('fghcdeabij');
    expect(applyMutation(t, { kind: 'swap', at: 5, len: 3, at2: 0, len2: 2 })).toBe('fghcdeabij');
    // Overlapping ranges are made disjoint.
    expect(applyMutation(t, { kind: 'swap', at: 0, len: 4, at2: 2, len2: 4 })).toBe('efabcdghij');
    expect(applyMutation(t, { kind: 'truncate', at: 4 })).toBe('abcd');
    // raw numbers are reduced modulo the length, so every mutation applies to every text
    const big = 0x7fffffff;
    const all: Mutation[] = [
      { kind: 'delete', at: big, len: big },
      { kind: 'duplicate', at: big, len: big, to: big },
      { kind: 'insert', at: big, token: big },
      { kind: 'swap', at: big, len: big, at2: 3, len2: big },
      { kind: 'truncate', at: big },
    ];
    for (const m of all) {
      expect(typeof applyMutation(t, m)).toBe('string');
      expect(typeof applyMutation('', m)).toBe('string');
    }
    expect(
      applyMutations(t, [
        { kind: 'delete', at: 0, len: 1 },
        { kind: 'truncate', at: 3 },
      ]),
    ).toBe('bcd');
  });

  test('checkParse reports a bad span', () => {
    const fake = () => ({
      module: parse('', 'x').module,
      diagnostics: [
        {
          code: 'MPST010' as const,
          severity: 'error' as const,
          message: 'm',
          span: { file: 'x', start: 3, end: 99, line: 0, column: 1, endLine: 1, endColumn: 1 },
        },
      ],
    });
    expect(checkParse(fake, 'abc', 'x').join('\n')).toMatch(/out of range[\s\S]*line 0/);
  });
});

/**
 * Inputs that random mutations rarely produce: huge runs of bad characters, unterminated
 * constructs, very long lists and deep nesting. Each must satisfy the same properties.
 */
describe('pathological inputs', () => {
  const P = 'global protocol P(role A, role B) {';
  const n = 100_000;
  const fine: [string, string][] = [
    ['100k bad characters', '$'.repeat(n)],
    ['100k emoji', '\u{1F600}'.repeat(n)],
    ['100k unterminated strings', '"\n'.repeat(n)],
    ['100k unterminated block comments', '/*'.repeat(n)],
    ['100k nested (* comments', '(*'.repeat(n)],
    ['100k stray *)', '*)'.repeat(n)],
    ['100k semicolons in a body', P + ';'.repeat(n) + '}'],
    ['100k junk tokens in a body', P + ') '.repeat(n) + '}'],
    ['100k broken headers', 'global protocol P( '.repeat(n / 10)],
    ['a 100k-part dotted module name', `module ${'a.'.repeat(n)}b;`],
    ['25k roles', `global protocol P(${'role A, '.repeat(n / 4)}role B) {}`],
    ['50k receivers', `${P} m() from A to ${'B, '.repeat(n / 2)}C; }`],
    ['50k payload types', `${P} m(${'Int, '.repeat(n / 2)}Int) from A to B; }`],
    ['20k `or` branches', `${P} choice at A { } ${'or { } '.repeat(n / 5)}}`],
    ['25k comparisons', `${P} m(x: Int{${'x < '.repeat(n / 4)}x}) from A to B; }`],
    [
      '1,000 nested rec blocks',
      P + 'rec X {'.repeat(1000) + 'm() from A to B;' + '}'.repeat(1000) + '}',
    ],
    ['1,000 unclosed choice blocks', P + 'choice at A {'.repeat(1000)],
    [
      '1,000 nested parentheses',
      `${P} m(x: Int{${'('.repeat(1000)}x${')'.repeat(1000)}}) from A to B; }`,
    ],
    // Deep nesting stops with MPST013 instead of exhausting the stack; long lists are looped,
    // not spread into push().
    [
      '10,000 nested rec blocks',
      P + 'rec X {'.repeat(10_000) + 'm() from A to B;' + '}'.repeat(10_000) + '}',
    ],
    ['10,000 unclosed choice blocks', P + 'choice at A {'.repeat(10_000)],
    [
      '10,000 nested parentheses in a refinement',
      `${P} m(x: Int{${'('.repeat(10_000)}x${')'.repeat(10_000)}}) from A to B; }`,
    ],
    ['10,000 nested `nested protocol` headers', 'nested protocol Q(role A) {'.repeat(10_000)],
    ['200,000 pragmas', `(*# ${'A, '.repeat(200_000)}B #*)`],
    ['200,000 role arguments of `do`', `${P} do Q(${'A, '.repeat(200_000)}A); }`],
  ];
  test.each(fine)('%s', (_name, text) => {
    expect(checkParse(parse, text, 'p.scr')).toEqual([]);
  });
});

interface CaseMsg {
  kind: 'case';
  seed: string;
  mutations: Mutation[];
}
interface DoneMsg {
  kind: 'done';
  failed: boolean;
  numRuns: number;
  cases: number;
  seed: number;
  ms: number;
  report: string | undefined;
}

test(
  `the parser survives ${String(NUM_RUNS)} mutated protocols`,
  async () => {
    const worker = new Worker(new URL('./fuzz-worker.mjs', import.meta.url), {
      workerData: { seeds, numRuns: NUM_RUNS, seed: SEED },
    });
    let last: CaseMsg | undefined;
    const started = Date.now();
    const outcome = await new Promise<
      DoneMsg | { kind: 'timeout' } | { kind: 'error'; error: unknown }
    >((resolve) => {
      const timer = setTimeout(() => resolve({ kind: 'timeout' }), WHOLE_RUN_LIMIT_MS);
      worker.on('message', (m: CaseMsg | DoneMsg) => {
        if (m.kind === 'case') last = m;
        else {
          clearTimeout(timer);
          resolve(m);
        }
      });
      worker.on('error', (error) => {
        clearTimeout(timer);
        resolve({ kind: 'error', error });
      });
    });
    await worker.terminate();
    if (outcome.kind === 'timeout') {
      expect.fail(
        `the fuzz run did not finish within ${String(WHOLE_RUN_LIMIT_MS)} ms (parser hang?). Last case started: ` +
          JSON.stringify(last),
      );
    }
    if (outcome.kind === 'error') throw outcome.error;
    expect(outcome.failed, outcome.report).toBe(false);
    expect(outcome.numRuns).toBe(NUM_RUNS);
    expect(Date.now() - started).toBeLessThan(WHOLE_RUN_LIMIT_MS);
    console.log(
      `[fuzz] ${String(outcome.numRuns)} mutated protocols from ${String(seeds.length)} seeds parsed in ` +
        `${(outcome.ms / 1000).toFixed(2)} s, no violations (fast-check seed ${String(outcome.seed)})`,
    );
  },
  WHOLE_RUN_LIMIT_MS + 30_000,
);
