/**
 * The projector conformance report, `reports/conformance-projector.md`. Each suite (test file)
 * writes its own section to `reports/projector-sections/<suite>.md` in its afterAll, then
 * rebuilds the report from every section file present, so suites running in parallel workers
 * do not overwrite each other. Each section says when it was written, so a section left over
 * from an earlier partial run is recognisable. (.ci/run prints report files whose name
 * contains "conformance": the sections' names don't, so only the assembled report is printed.)
 */
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../../../tools/corpus.js';

export const REPORT = path.join(repoRoot, 'reports/conformance-projector.md');
const SECTIONS = path.join(repoRoot, 'reports/projector-sections');
const ORDER = ['reference', 'nuscr', 'verdicts'];

export function pct(n: number, d: number): string {
  return d === 0 ? '–' : `${((100 * n) / d).toFixed(1)}%`;
}

export function table(
  header: readonly string[],
  rows: readonly (readonly (string | number)[])[],
  align?: readonly ('l' | 'r')[],
): string {
  const a = align ?? header.map((_, i) => (i === 0 ? 'l' : 'r'));
  return [
    `| ${header.join(' | ')} |`,
    `|${a.map((x) => (x === 'r' ? '---:' : '---')).join('|')}|`,
    ...rows.map((r) => `| ${r.map((c) => String(c).replace(/\|/g, '\\|')).join(' | ')} |`),
  ].join('\n');
}

/** Prints the section, stores it and rewrites the assembled report. */
export function writeSection(suite: string, markdown: string): void {
  const text = `${markdown.trimEnd()}\n\n_Section written ${new Date().toISOString()}._\n`;
  console.log(text);
  fs.mkdirSync(SECTIONS, { recursive: true });
  fs.writeFileSync(path.join(SECTIONS, `${suite}.md`), text);
  const names = fs
    .readdirSync(SECTIONS)
    .filter((f) => f.endsWith('.md'))
    .map((f) => f.slice(0, -3))
    .sort(
      (x, y) => (ORDER.indexOf(x) + 1 || 99) - (ORDER.indexOf(y) + 1 || 99) || x.localeCompare(y),
    );
  const parts = names.map((n) => fs.readFileSync(path.join(SECTIONS, `${n}.md`), 'utf8').trimEnd());
  fs.writeFileSync(
    REPORT,
    `# Projector conformance (@mpst/projector against the shared corpus)\n\n${parts.join('\n\n')}\n`,
  );
}
