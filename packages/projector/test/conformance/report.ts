/**
 * The projector conformance report, `reports/packages/projector/conformance-projector.md`. Each
 * suite (test file) writes its own section to `…/projector-sections/<suite>.md` in its afterAll, then
 * rebuilds the report from every section file present, so suites running in parallel workers
 * do not overwrite each other. Each section says when it was written, so a section left over
 * from an earlier partial run is recognisable. (.ci/run prints report files whose name
 * contains "conformance": the sections' names don't, so only the assembled report is printed.)
 */
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../../../tools/corpus.js';

// Under reports/<project root>/: the Nx `test` target's output, restored with a cached run.
export const REPORT = path.join(repoRoot, 'reports/packages/projector/conformance-projector.md');
const SECTIONS = path.join(repoRoot, 'reports/packages/projector/projector-sections');
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

/** Stores the section, rewrites the assembled report and prints the section's summary line. */
export function writeSection(suite: string, markdown: string): void {
  const text = `${markdown.trimEnd()}\n\n_Section written ${new Date().toISOString()}._\n`;
  const summary = /^\*\*Summary: (.*)\*\*$/m.exec(markdown)?.[1] ?? 'section written';
  console.log(`[projector conformance: ${suite}] ${summary} (${path.relative(repoRoot, REPORT)})`);
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
