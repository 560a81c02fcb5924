/**
 * Locating the shared conformance corpus (scribble-java, nuScr and Teatrino test files) and
 * reading its expectation tables.
 *
 * The corpus lives outside the repository (`<repo>/../shared/corpus`, or `$MPST_CORPUS`).
 * Tests that need it skip with a visible notice when it is missing, so `npm test` passes on a
 * fresh clone; CI sets `MPST_REQUIRE_CORPUS=1` to turn a missing corpus into a failure.
 * The nuScr files are GPL: tests read them in place, never copy them into the repository.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is `tools/corpus.ts`). Shared by every package's corpus tests. */
export const repoRoot: string = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Where the corpus is looked for: `$MPST_CORPUS`, else `<repo>/../shared/corpus`. */
export function corpusCandidate(): string {
  const fromEnv = process.env.MPST_CORPUS;
  return fromEnv !== undefined && fromEnv !== ''
    ? path.resolve(fromEnv)
    : path.resolve(repoRoot, '../shared/corpus');
}

/**
 * The corpus root directory, or undefined when it is missing. Throws when it is missing and
 * `MPST_REQUIRE_CORPUS=1`.
 */
export function corpusRoot(): string | undefined {
  const dir = corpusCandidate();
  if (fs.existsSync(dir) && fs.statSync(dir).isDirectory()) return dir;
  if (process.env.MPST_REQUIRE_CORPUS === '1') {
    throw new Error(
      `MPST_REQUIRE_CORPUS=1 but the conformance corpus was not found at ${dir}. ` +
        'Set MPST_CORPUS to the directory that holds scribble-java/, nuscr/ and teatrino/.',
    );
  }
  return undefined;
}

/** The notice printed (and used as a skipped test's title) when the corpus is missing. */
export function missingCorpusNotice(suite: string): string {
  return (
    `[${suite}] conformance corpus not found at ${corpusCandidate()}: corpus tests SKIPPED. ` +
    'Set MPST_CORPUS=<dir> to run them (MPST_REQUIRE_CORPUS=1 makes this an error).'
  );
}

/** One row of a TSV file, keyed by the header's column names (missing cells are ''). */
export type TsvRow = Readonly<Record<string, string>>;

/** Parses tab-separated text whose first line is the header. Blank lines and `#` comment lines are ignored. */
export function parseTsv(text: string): TsvRow[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.startsWith('#'));
  const header = (lines.shift() ?? '').split('\t');
  return lines.map((line) => {
    const cells = line.split('\t');
    const row: Record<string, string> = {};
    header.forEach((name, i) => {
      row[name] = cells[i] ?? '';
    });
    return row;
  });
}

/** Reads a TSV expectations file such as `scribble-java/expectations.tsv`. */
export function readTsv(file: string): TsvRow[] {
  return parseTsv(fs.readFileSync(file, 'utf8'));
}

/**
 * Every file under `dir` (recursively) whose name ends with one of `exts`, as sorted paths relative
 * to `dir` with `/`.
 */
export function listFiles(dir: string, exts: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) walk(r);
      else if (exts.some((x) => e.name.endsWith(x))) out.push(r);
    }
  };
  walk('');
  return out.sort();
}

/** Reads a corpus file as UTF-8. */
export function readText(file: string): string {
  return fs.readFileSync(file, 'utf8');
}

// ---- the file sets of the conformance tests ---------------------------------------------------

/** A scribble-java harness file (good/ or bad/), with its expectations row. */
export interface ScribbleJavaCase {
  /** Path relative to `<corpus>/scribble-java`, e.g. `good/misc/Foo.scr`. */
  readonly rel: string;
  readonly expected: 'accept' | 'reject';
  readonly category: string;
  readonly observedFirstLine: string;
}

/**
 * The good/ and bad/ files the upstream harness runs (expected accept or reject; IGNORE'd and
 * `none` rows excluded).
 */
export function scribbleJavaCases(root: string): ScribbleJavaCase[] {
  return readTsv(path.join(root, 'scribble-java/expectations.tsv'))
    .filter((r) => r.expected === 'accept' || r.expected === 'reject')
    .map((r) => ({
      rel: r.path ?? '',
      expected: r.expected as 'accept' | 'reject',
      category: r.category ?? '',
      observedFirstLine: r.observed_first_line ?? '',
    }));
}

/** A scribble-java demo, with its import root. */
export interface DemoCase {
  /** Path relative to `<corpus>/scribble-java`, e.g. `demos/fib/src/fib/Fib.scr`. */
  readonly rel: string;
  /** The demo's import root relative to `<corpus>/scribble-java`, e.g. `demos/fib/src`. */
  readonly importRoot: string;
  readonly observed: 'accept' | 'reject';
  readonly observedFirstLine: string;
}

/** Every demo listed in `expectations-demos.tsv`. */
export function demoCases(root: string): DemoCase[] {
  return readTsv(path.join(root, 'scribble-java/expectations-demos.tsv')).map((r) => {
    const rel = r.path ?? '';
    const demo = rel.split('/')[1] ?? '';
    return {
      rel,
      importRoot: `demos/${demo}/src`,
      observed: r.observed_default === 'accept' ? 'accept' : 'reject',
      observedFirstLine: r.observed_first_line ?? '',
    };
  });
}

/** A nuScr example run by the upstream harness. */
export interface NuscrCase {
  /** Path relative to `<corpus>/nuscr`, e.g. `examples/annot/Adder.nuscr`. */
  readonly rel: string;
  /** True when a directory on the path is named `errors` (a negative test). */
  readonly negative: boolean;
  readonly expected: 'accept' | 'reject';
  /** nuScr's observed result (`accept`, `reject` or `unimplemented`) and first output line. */
  readonly observed: string;
  readonly observedFirstLine: string;
}

/** Every `examples/**\/*.nuscr` file that the nuScr harness runs (files it skips are left out). */
export function nuscrCases(root: string): NuscrCase[] {
  const rows = new Map(
    readTsv(path.join(root, 'nuscr/expectations-examples.tsv')).map((r) => [r.path ?? '', r]),
  );
  return listFiles(path.join(root, 'nuscr/examples'), ['.nuscr'])
    .map((f) => `examples/${f}`)
    .filter((rel) => rows.get(rel)?.expected !== 'skip')
    .map((rel) => {
      const negative = rel.split('/').slice(0, -1).includes('errors');
      const row = rows.get(rel);
      return {
        rel,
        negative,
        expected: negative ? 'reject' : 'accept',
        observed: row?.observed ?? '',
        observedFirstLine: row?.observed_first_line ?? '',
      };
    });
}

/** The Teatrino protocol files, relative to `<corpus>/teatrino`. */
export function teatrinoFiles(root: string): string[] {
  return listFiles(path.join(root, 'teatrino/scribble'), ['.nuscr']).map((f) => `scribble/${f}`);
}

/** The first `segments` directory names of a corpus-relative path (for per-folder summaries). */
export function folderOf(rel: string, segments: number): string {
  return rel.split('/').slice(0, -1).slice(0, segments).join('/');
}
