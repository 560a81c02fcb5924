/**
 * Parse-level conformance against the shared corpus: every file that its upstream tool accepts
 * must parse without a single diagnostic (lexical or syntax), one test per file.
 */
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse, type Diagnostic } from '@mpst/scribble';
import {
  corpusRoot,
  demoCases,
  missingCorpusNotice,
  nuscrCases,
  readText,
  scribbleJavaCases,
  teatrinoFiles,
} from '../../../../tools/corpus.js';

const root = corpusRoot();
if (!root) console.warn(missingCorpusNotice('parse conformance'));

function show(ds: readonly Diagnostic[]): string {
  return ds
    .map((d) => `${d.span.file}:${d.span.line}:${d.span.column} ${d.code} ${d.message}`)
    .join('\n');
}

/** Parses `<root>/<rel>` and returns its diagnostics (the path shown in diagnostics is `rel`). */
function parseCorpusFile(rel: string): readonly Diagnostic[] {
  const file = path.join(root ?? '', rel);
  return parse(readText(file), rel).diagnostics;
}

if (!root) test.skip(missingCorpusNotice('parse conformance'), () => {});

describe.skipIf(!root)('scribble-java', () => {
  const cases = root ? scribbleJavaCases(root) : [];
  const good = cases.filter((c) => c.expected === 'accept').map((c) => `scribble-java/${c.rel}`);
  const demos = root
    ? demoCases(root)
        .filter((d) => d.observed === 'accept')
        .map((d) => `scribble-java/${d.rel}`)
    : [];

  test('the expectations cover the harness-run files', () => {
    // README: 190 good tests run by the harness, 34 demos accepted by scribble-java.
    expect(good.length).toBe(190);
    expect(demos.length).toBe(34);
    expect(good.every((f) => f.startsWith('scribble-java/good/'))).toBe(true);
  });

  test.each(good)('%s parses with no diagnostics', (rel) => {
    const ds = parseCorpusFile(rel);
    expect(ds, show(ds)).toEqual([]);
  });

  test.each(demos)('%s parses with no diagnostics', (rel) => {
    const ds = parseCorpusFile(rel);
    expect(ds, show(ds)).toEqual([]);
  });
});

describe.skipIf(!root)('nuScr examples', () => {
  const valid = root
    ? nuscrCases(root)
        .filter((c) => !c.negative)
        .map((c) => `nuscr/${c.rel}`)
    : [];

  test('the harness-run positive examples are all here', () => {
    // README: 81 files, 6 skipped by the harness, 21 under `errors/` => 54 positive tests.
    expect(valid.length).toBe(54);
  });

  test.each(valid)('%s parses with no diagnostics', (rel) => {
    const ds = parseCorpusFile(rel);
    expect(ds, show(ds)).toEqual([]);
  });
});

describe.skipIf(!root)('Teatrino', () => {
  const files = root ? teatrinoFiles(root) : [];
  const valid = files.filter((f) => path.basename(f) !== 'Log.nuscr').map((f) => `teatrino/${f}`);

  test('21 protocol files besides Log.nuscr', () => {
    expect(valid.length).toBe(21);
    expect(files.length).toBe(22);
  });

  test.each(valid)('%s parses with no diagnostics', (rel) => {
    const ds = parseCorpusFile(rel);
    expect(ds, show(ds)).toEqual([]);
  });

  test('teatrino/scribble/Log.nuscr has a syntax error (its first protocol is incomplete)', () => {
    const rel = 'teatrino/scribble/Log.nuscr';
    const ds = parseCorpusFile(rel);
    const syntax = ds.filter((d) => d.severity === 'error' && /^MPST0\d\d$/.test(d.code));
    expect(
      syntax.map((d) => `${String(d.span.line)}:${String(d.span.column)} ${d.code}`),
      show(ds),
    ).toEqual(['11:3 MPST010']);
    const len = readText(path.join(root ?? '', rel)).length;
    for (const d of ds) {
      expect(d.span.file).toBe(rel);
      expect(0 <= d.span.start && d.span.start <= d.span.end && d.span.end <= len).toBe(true);
    }
  });
});
