/**
 * Garbage input gets a bounded, readable answer: at most 100 errors per file of every kind
 * (lexical ones included) and one MPST012, runs of unexpected characters as one error, control
 * characters escaped in messages and code frames, a file that is not text as one MPST004, and
 * keyword typos with a positioned "did you mean". Inputs are seeded (garbage-kit.mjs), the same
 * as bench/garbage-input.mjs, which prints the figures through `mpst check`.
 */
import {
  checkText,
  limitDiagnostics,
  parse,
  renderDiagnostics,
  SourceFile,
  tokenize,
} from '@mpst/scribble';
import { nodeHost } from '@mpst/scribble/node';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { randomAscii, randomBytes } from './garbage-kit.mjs';

/** What the node host (and `readFileSync(path, 'utf8')`) makes of bytes. */
const decode = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');

/** Parses and renders with code frames, as `mpst check` prints. */
function render(text: string): { count: number; codes: string[]; output: string } {
  const file = new SourceFile('g.scr', text);
  const { diagnostics } = parse(file);
  const output = renderDiagnostics(diagnostics, { source: () => file });
  return { count: diagnostics.length, codes: diagnostics.map((d) => d.code), output };
}

// eslint-disable-next-line no-control-regex -- looking for raw control characters is the point
const RAW_CONTROLS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

describe('garbage input', () => {
  test.each([1, 2, 3, 4, 5])(
    'random ASCII, seed %i: at most 100 errors + MPST012, no raw controls',
    (seed) => {
      // Before: seed 1 gave 1,010 diagnostics and 278,038 bytes through `mpst check`.
      const { count, codes, output } = render(decode(randomAscii(seed)));
      expect(count).toBeLessThanOrEqual(101);
      if (count === 101) expect(codes.at(-1)).toBe('MPST012');
      expect(output).not.toMatch(RAW_CONTROLS);
      expect(output.length).toBeLessThan(32_000);
    },
  );

  test('the error limit counts lexical errors (MPST001) too', () => {
    const text = `global protocol P(role A, role B) {\n${'  m() from A to B; $\n'.repeat(500)}}`;
    const { diagnostics } = parse(text, 't.nuscr');
    expect(diagnostics).toHaveLength(101);
    expect(diagnostics.slice(0, 100).every((d) => d.code === 'MPST001')).toBe(true);
    expect(diagnostics.at(-1)?.code).toBe('MPST012');
  });

  test('every kind counts: 1,000 undeclared roles (MPST101) give 100 diagnostics and one MPST012', () => {
    const text = `global protocol P(role A, role B) {\n${'  m() from A to C;\n'.repeat(1000)}}`;
    const { diagnostics } = checkText(text, 'p.nuscr');
    expect(diagnostics).toHaveLength(101);
    expect(diagnostics.at(-1)).toMatchObject({
      code: 'MPST012',
      message: 'too many errors; 901 more in this file not shown',
      span: { line: 101 },
    });
  });

  test('limitDiagnostics caps each file on its own and keeps a parser MPST012', () => {
    const many = (path: string, n: number) =>
      checkText(`global protocol P(role A, role B) {\n${'  m() from A to C;\n'.repeat(n)}}`, path)
        .diagnostics;
    const both = limitDiagnostics([...many('a.nuscr', 150), ...many('b.nuscr', 20)], 100);
    expect(both.filter((d) => d.span.file === 'a.nuscr')).toHaveLength(101);
    expect(both.filter((d) => d.span.file === 'b.nuscr')).toHaveLength(21);
    const parsed = parse(`global protocol P(role A, role B) {\n${'  $\n'.repeat(300)}}`, 'c');
    expect(limitDiagnostics(parsed.diagnostics).filter((d) => d.code === 'MPST012')).toHaveLength(
      1,
    );
  });

  test('a run of unexpected characters is one error, spaces between them included', () => {
    const { diagnostics } = tokenize(new SourceFile('t', 'a \u0001\u0002$ %\u0007 b # c'));
    expect(diagnostics.map((d) => [d.code, d.message, d.span.column, d.span.endColumn])).toEqual([
      ['MPST001', 'unexpected characters `\\x01\\x02$ %\\x07`', 3, 9],
      ['MPST001', 'unexpected character `#`', 12, 13],
    ]);
  });

  test('control characters are escaped in the message and in the frame, carets aligned', () => {
    const { output } = render(
      'global protocol P(role A, role B) { m() from A to B; \u001b\u0007 }',
    );
    expect(output).toContain('unexpected characters `\\x1b\\x07`');
    expect(output).toContain('| global protocol P(role A, role B) { m() from A to B; \\x1b\\x07 }');
    // The carets start under the escape and cover both (8 shown characters).
    expect(output).toMatch(/\n {2}\| {54}\^{8}\n/);
    expect(output).not.toMatch(RAW_CONTROLS);
  });

  test('a long line shows a window around the span, not the whole line', () => {
    const { output } = render(
      `global protocol P(role A, role B) { ${'m() from A to B; '.repeat(300)}$ }`,
    );
    const frame = output.split('\n')[1 + 1] ?? '';
    expect(frame.length).toBeLessThan(200);
    expect(frame).toContain('…');
    expect(frame).toContain('$ }');
  });

  test.each([1, 2, 3])('random bytes, seed %i: one MPST004, not a text file', (seed) => {
    // Before: seed 1 gave 1,793 diagnostics and 900,192 bytes through `mpst check`.
    const { codes, output } = render(decode(randomBytes(seed)));
    expect(codes).toEqual(['MPST004']);
    expect(output).toContain('not a text file');
    expect(output).not.toMatch(RAW_CONTROLS);
  });

  test('a byte order mark takes no column: positions and carets as an editor shows the line', () => {
    const file = new SourceFile(
      'b.scr',
      '\ufeffglobal protocol P(role A, role B) { m() from A to C; }',
    );
    const { diagnostics } = parse(file);
    expect(diagnostics).toEqual([]);
    const d = checkText(file.text, 'b.scr').diagnostics.find((x) => x.code === 'MPST101');
    // `C` is the 51st character the editor shows on line 1 (the mark is invisible).
    expect(d?.span).toMatchObject({ line: 1, column: 51, endColumn: 52 });
    expect(file.positionAt(0)).toEqual({ line: 1, column: 1 });
    const output = renderDiagnostics(d ? [d] : [], { source: () => file });
    expect(output).not.toContain('\ufeff');
    const [code, carets] = output.split('\n').slice(2, 4);
    expect(code?.indexOf('C;')).toBe(carets?.indexOf('^'));
  });

  test('the node host decodes bytes: NUL, invalid UTF-8 and UTF-16 are not text; a BOM is fine', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mpst-text-'));
    try {
      const cases: [string, Uint8Array | string, string[]][] = [
        ['nul.scr', 'global protocol P(role A, role B) { m() from A to B; }\0', ['MPST004']],
        [
          'latin1.scr',
          Buffer.from('// caf\xe9\nglobal protocol P(role A) { }', 'latin1'),
          ['MPST004'],
        ],
        ['utf16.scr', Buffer.from('\ufeffglobal protocol P(role A) { }', 'utf16le'), ['MPST004']],
        ['bom.scr', '\ufeffglobal protocol P(role A, role B) { m() from A to B; }', []],
      ];
      for (const [name, bytes, codes] of cases) {
        const path = join(dir, name);
        writeFileSync(path, bytes);
        const text = nodeHost.readFile(path) ?? '';
        const { diagnostics } = parse(text, name);
        expect(
          diagnostics.map((d) => d.code),
          name,
        ).toEqual(codes);
      }
      const { diagnostics } = parse(nodeHost.readFile(join(dir, 'latin1.scr')) ?? '', 'latin1.scr');
      expect(diagnostics[0]?.span).toMatchObject({ line: 1, column: 7 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('keyword typos', () => {
  test.each([
    ['glbal protocol P(role A, role B) { m() from A to B; }', 'glbal', 'global'],
    ['global protocl P(role A, role B) { m() from A to B; }', 'protocl', 'protocol'],
    ['global protocol P(role A, role B) { choise at A { m() from A to B; } }', 'choise', 'choice'],
    [
      'global protocol P(role A, role B) { rec X { m() from A to B; contine X; } }',
      'contine',
      'continue',
    ],
    ['global protocol P(role A, role B) { m() from A ot B; }', 'ot', 'to'],
    ['global protocol P(rol A, role B) { m() from A to B; }', 'rol', 'role'],
  ])('%s: did you mean `%s`?', (text, typo, keyword) => {
    const { diagnostics } = parse(text, 't.nuscr');
    expect(diagnostics).toHaveLength(1);
    const fix = diagnostics[0]?.fixes?.[0];
    expect(fix?.message).toBe(`did you mean \`${keyword}\`?`);
    expect(fix?.replacement).toBe(keyword);
    expect(text.slice(fix?.span.start, fix?.span.end)).toBe(typo);
  });

  test('no suggestion for a word that is no near miss', () => {
    const { diagnostics } = parse('global protocol P(role A, role B) { banana at A { } }', 't');
    expect(diagnostics[0]?.fixes).toBeUndefined();
  });
});
