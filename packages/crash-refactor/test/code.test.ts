/**
 * Adapting role code to the refactored API (`@mpst/crash-refactor/code`). Each folder of
 * fixtures/code/ holds a protocol before and after `mpst refactor` (old/X.scr, new/X.scr) with
 * the modules `@mpst/codegen` generates for them beside it (kept current by
 * packages/cli/test/refactor-code.test.ts: this package may not use codegen, one layer up is the
 * CLI), and role code written on the old API. The adapted code and its diff are snapshots
 * (adapted/); both versions compile against their API under strict tsc, and nothing of the
 * original code is lost.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';
import { adaptRoleCode, unifiedDiff, type TextFile } from '@mpst/crash-refactor/code';
import { showErrors, typeCheck } from '../../../tools/typecheck.js';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'code');
const read = (...parts: string[]): string => fs.readFileSync(path.join(root, ...parts), 'utf8');

/** `import * as X from './M.js'` → `M.ts`. */
function apiModuleOf(code: string): string {
  const m = /from '\.\/([^']+)\.js'/.exec(code);
  if (!m?.[1]) throw new Error('no generated module imported');
  return `${m[1]}.ts`;
}

/** The tokens and comments of a text, in order (what "nothing lost" compares). */
function tokens(text: string): string[] {
  const scanner = ts.createScanner(
    ts.ScriptTarget.ES2022,
    false,
    ts.LanguageVariant.Standard,
    text,
  );
  const out: string[] = [];
  for (let k = scanner.scan(); k !== ts.SyntaxKind.EndOfFileToken; k = scanner.scan()) {
    if (k === ts.SyntaxKind.WhitespaceTrivia || k === ts.SyntaxKind.NewLineTrivia) continue;
    // Template and regex tokens need parser context; the fixtures have none that matter.
    out.push(scanner.getTokenText());
  }
  return out;
}

/** Whether `small` is a subsequence of `big`. */
function subsequence(small: readonly string[], big: readonly string[]): boolean {
  let j = 0;
  for (const t of small) {
    while (j < big.length && big[j] !== t) j++;
    if (j++ >= big.length) return false;
  }
  return true;
}

const cases = fs
  .readdirSync(root)
  .filter((d) => fs.existsSync(path.join(root, d, 'old')))
  .flatMap((dir) =>
    fs
      .readdirSync(path.join(root, dir))
      .filter((f) => f.endsWith('.ts'))
      .map((file) => ({ dir, file })),
  );

describe.each(cases)('$dir/$file', ({ dir, file }) => {
  const code = read(dir, file);
  const api = apiModuleOf(code);
  const before: TextFile = { fileName: api, text: read(dir, 'old', api) };
  const after: TextFile = { fileName: api, text: read(dir, 'new', api) };
  const result = adaptRoleCode({ fileName: file, text: code }, before, after);

  test('adapts without diagnostics; the result and its diff are the snapshots', async () => {
    expect(result.diagnostics).toEqual([]);
    expect(result.text).not.toBe(code);
    await expect(result.text).toMatchFileSnapshot(path.join(root, dir, 'adapted', file));
    await expect(unifiedDiff(code, result.text, file)).toMatchFileSnapshot(
      path.join(root, dir, 'adapted', `${file}.diff`),
    );
  });

  test('the original compiles on the old API, not on the new; the adapted code on the new', () => {
    expect(showErrors(typeCheck({ [file]: code, [api]: before.text }))).toBe('');
    expect(typeCheck({ [file]: code, [api]: after.text }).length).toBeGreaterThan(0);
    expect(showErrors(typeCheck({ [file]: result.text, [api]: after.text }))).toBe('');
  });

  test('every token and comment of the original is kept (renamed states renamed)', () => {
    const renames = new Map(
      result.changes.flatMap((c) => (c.renamed ? [[c.renamed.from, c.renamed.to] as const] : [])),
    );
    const original = tokens(code).map((t) => renames.get(t) ?? t);
    expect(subsequence(original, tokens(result.text))).toBe(true);
  });

  test('adapting again changes nothing (the new API is its own old API)', () => {
    const again = adaptRoleCode({ fileName: file, text: result.text }, after, after);
    expect(again).toEqual({ text: result.text, changes: [], diagnostics: [] });
  });
});
