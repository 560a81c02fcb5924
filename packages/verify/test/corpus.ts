/**
 * Locating the shared conformance corpus and reading its tables, for the verifier's
 * conformance tests. A trimmed copy of `packages/scribble/test/corpus.ts` (same rules: the
 * corpus lives at `$MPST_CORPUS`, else `<repo>/../shared/corpus`; tests skip with a visible
 * notice when it is missing; `MPST_REQUIRE_CORPUS=1` turns a missing corpus into a failure).
 * Copied rather than imported: a relative import into another package's tests would cross a
 * project boundary. Corpus files are read in place, never copied (the nuScr ones are GPL).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is `packages/verify/test/corpus.ts`). */
export const repoRoot: string = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Where the corpus is looked for: `$MPST_CORPUS`, else `<repo>/../shared/corpus`. */
export function corpusCandidate(): string {
  const fromEnv = process.env.MPST_CORPUS;
  return fromEnv !== undefined && fromEnv !== '' ? path.resolve(fromEnv) : path.resolve(repoRoot, '../shared/corpus');
}

/** The corpus root, or undefined when missing. Throws when missing and `MPST_REQUIRE_CORPUS=1`. */
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

export function readTsv(file: string): TsvRow[] {
  return parseTsv(fs.readFileSync(file, 'utf8'));
}

/** Every file under `dir` (recursively) whose name ends with one of `exts`, sorted, relative, with `/`. */
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

export function readText(file: string): string {
  return fs.readFileSync(file, 'utf8');
}

/** The directory part of a relative path, limited to its first `segments` segments. */
export function folderOf(rel: string, segments: number): string {
  return rel.split('/').slice(0, -1).slice(0, segments).join('/');
}
