/**
 * Conformance of `checkFiles` (loading, name resolution and static checks) against the shared
 * corpus, one test per file:
 *   - scribble-java good files and accepted demos: no error diagnostics;
 *   - scribble-java bad files whose expected error is a syntax, name, `do`, import, module or
 *     static well-formedness error: rejected, and when scribble-java gave a line, some error
 *     diagnostic starts on that line of that file;
 *   - nuScr examples outside `errors/`: no error diagnostics.
 * Bad files whose error comes from later phases (projection, safety, liveness, choice
 * enabling...), rejected demos and nuScr `errors/` files are run and counted in the summary
 * (reports/conformance-scribble.md) but not asserted here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { checkFiles, parse, type Diagnostic } from '@mpst/scribble';
import { nodeHost } from '@mpst/scribble/node';
import {
  corpusRoot,
  demoCases,
  missingCorpusNotice,
  nuscrCases,
  readText,
  repoRoot,
  scribbleJavaCases,
  type ScribbleJavaCase,
} from '../../../../tools/corpus.js';

const root = corpusRoot();
if (!root) console.warn(missingCorpusNotice('check conformance'));
const sj = path.join(root ?? '', 'scribble-java');
const REPORT = path.join(repoRoot, 'reports/conformance-scribble.md');

/** Bad-file categories that this phase (parse + names + static checks) must reject. */
function assertedHere(c: ScribbleJavaCase): boolean {
  return (
    /^(names:|do:|import:|module-name\/|wf:self-communication|wf:unused-role)/.test(c.category) ||
    (c.category === 'other' && c.rel === 'bad/syntax/disamb/protocoldecl/Test01.scr')
  );
}

// ---- results for the summary ------------------------------------------------------------------

interface Outcome {
  /** Path shown in the report, e.g. `good/misc/Foo.scr` or `nuscr/examples/annot/Adder.nuscr`. */
  readonly shown: string;
  readonly folder: string;
  readonly expected: 'accept' | 'reject';
  readonly accepted: boolean;
  /** Asserted by a test here (false: counted only). */
  readonly asserted: boolean;
  readonly category: string;
  readonly firstError: string | undefined;
}
const outcomes: Outcome[] = [];
/** Bad files for which scribble-java gave a line: was an error (or its note) on that line? */
const lineChecks: { rel: string; direct: boolean; viaNote: boolean }[] = [];

function errorsOf(ds: readonly Diagnostic[]): Diagnostic[] {
  return ds.filter((d) => d.severity === 'error');
}

function show(ds: readonly Diagnostic[]): string {
  return ds
    .map(
      (d) =>
        `${d.span.file}:${String(d.span.line)}:${String(d.span.column)} ${d.code} ${d.severity} ${d.message}`,
    )
    .join('\n');
}

/** Runs checkFiles on one corpus file and records the outcome for the summary. */
function run(
  abs: string,
  importPaths: string[],
  o: {
    shown: string;
    folder: string;
    expected: 'accept' | 'reject';
    asserted: boolean;
    category?: string;
  },
): Diagnostic[] {
  const { diagnostics } = checkFiles([abs], nodeHost, { importPaths });
  const errors = errorsOf(diagnostics);
  const first = errors[0];
  outcomes.push({
    ...o,
    category: o.category ?? '',
    accepted: errors.length === 0,
    firstError: first
      ? `${path.relative(root ?? '', first.span.file)}:${String(first.span.line)} ${first.code} ${first.message}`
      : undefined,
  });
  return [...diagnostics];
}

function folderOf(rel: string, segments: number): string {
  const parts = rel.split('/').slice(0, -1);
  return parts.slice(0, segments).join('/');
}

/**
 * The file and line scribble-java reported, from `observed_first_line` such as
 * `bad.x.Y(line 14:11): Rec variable not bound: X`. The module prefix names the file the line is
 * in: this file when it is this file's own module name, else the module's file under the corpus.
 */
function expectedLocation(c: ScribbleJavaCase): { file: string; line: number } | undefined {
  const m = /^([\w.]+)\(line (\d+):(\d+)\)/.exec(c.observedFirstLine);
  if (!m) return undefined;
  const line = Number(m[2]);
  if (line <= 0) return undefined;
  const abs = path.join(sj, c.rel);
  const own = parse(readText(abs), abs).module.moduleDecl?.name.text;
  if (m[1] === own) return { file: abs, line };
  const other = path.join(sj, `${(m[1] ?? '').split('.').join('/')}.scr`);
  return fs.existsSync(other) ? { file: other, line } : undefined;
}

/** The expectations.tsv category matching a demo's scribble-java message. */
function demoCategory(message: string): string {
  if (message.startsWith('Safety violation')) return 'safety(stuck/orphan/wait-for/unfinished)';
  if (message.startsWith('Role progress violation')) return 'liveness:role-progress';
  if (message.startsWith('Eventual reception violation')) return 'liveness:eventual-reception';
  if (message.startsWith('Inconsistent external choice subjects'))
    return 'wf:consistent-external-choice-subject';
  if (message.startsWith('Source role not enabled')) return 'wf:role-enabling(choice)';
  if (message.startsWith('Illegal sequence'))
    return 'wf:illegal-sequence (statement after continue)';
  return message.replace(/[:(].*$/, '').trim();
}

if (!root) test.skip(missingCorpusNotice('check conformance'), () => {});

describe.skipIf(!root)('scribble-java harness files', () => {
  const cases = root ? scribbleJavaCases(root) : [];
  const good = cases.filter((c) => c.expected === 'accept');
  const badAsserted = cases.filter((c) => c.expected === 'reject' && assertedHere(c));
  const badLater = cases.filter((c) => c.expected === 'reject' && !assertedHere(c));

  test('file counts match the corpus README', () => {
    expect(good.length).toBe(190);
    expect(badAsserted.length + badLater.length).toBe(162);
  });

  test.each(good.map((c) => c.rel))('%s: no errors', (rel) => {
    const ds = run(path.join(sj, rel), [sj], {
      shown: rel,
      folder: folderOf(rel, 2),
      expected: 'accept',
      asserted: true,
    });
    expect(errorsOf(ds), show(ds)).toEqual([]);
  });

  test.each(badAsserted.map((c) => [c.rel, c.category, c] as const))(
    '%s is rejected (%s)',
    (rel, category, c) => {
      const ds = run(path.join(sj, rel), [sj], {
        shown: rel,
        folder: folderOf(rel, 2),
        expected: 'reject',
        asserted: true,
        category,
      });
      const errors = errorsOf(ds);
      expect(
        errors.length,
        `no error diagnostic; scribble-java said: ${c.observedFirstLine}\n${show(ds)}`,
      ).toBeGreaterThan(0);
      const at = expectedLocation(c);
      if (at) {
        const on = (s: { file: string; line: number } | undefined): boolean =>
          s !== undefined && path.resolve(s.file) === at.file && s.line === at.line;
        // scribble-java reports a duplicate declaration at the first one; we report the second
        // and point at the first with a "first declared here" note: a note on the line counts too.
        const direct = errors.some((d) => on(d.span));
        const viaNote = !direct && errors.some((d) => (d.notes ?? []).some((n) => on(n.span)));
        lineChecks.push({ rel, direct, viaNote });
        expect(
          direct || viaNote,
          `expected an error on line ${String(at.line)} of ` +
            `${path.relative(sj, at.file)} (scribble-java: ${c.observedFirstLine});\ngot:\n${show(errors)}`,
        ).toBe(true);
      }
    },
  );

  test(
    `the ${String(badLater.length)} bad files of later phases run without ` +
      `throwing (counted in the summary, not asserted)`,
    () => {
      for (const c of badLater) {
        run(path.join(sj, c.rel), [sj], {
          shown: c.rel,
          folder: folderOf(c.rel, 2),
          expected: 'reject',
          asserted: false,
          category: c.category,
        });
      }
    },
  );
});

describe.skipIf(!root)('scribble-java demos', () => {
  const demos = root ? demoCases(root) : [];
  const accepted = demos.filter((d) => d.observed === 'accept');
  const rejected = demos.filter((d) => d.observed === 'reject');

  test.each(accepted.map((d) => [d.rel, d.importRoot] as const))(
    '%s: no errors',
    (rel, importRoot) => {
      const ds = run(path.join(sj, rel), [path.join(sj, importRoot)], {
        shown: rel,
        folder: folderOf(rel, 2),
        expected: 'accept',
        asserted: true,
      });
      expect(errorsOf(ds), show(ds)).toEqual([]);
    },
  );

  test(
    `the ${String(rejected.length)} demos scribble-java rejects run ` +
      `without throwing (counted, not asserted)`,
    () => {
      for (const d of rejected) {
        const category = demoCategory(d.observedFirstLine);
        run(path.join(sj, d.rel), [path.join(sj, d.importRoot)], {
          shown: d.rel,
          folder: folderOf(d.rel, 2),
          expected: 'reject',
          asserted: false,
          category,
        });
      }
    },
  );
});

describe.skipIf(!root)('nuScr examples', () => {
  const cases = root ? nuscrCases(root) : [];
  const valid = cases.filter((c) => !c.negative);
  const negative = cases.filter((c) => c.negative);
  const nuscr = path.join(root ?? '', 'nuscr');

  test.each(valid.map((c) => c.rel))('nuscr/%s: no errors', (rel) => {
    const abs = path.join(nuscr, rel);
    const ds = run(abs, [path.dirname(abs)], {
      shown: `nuscr/${rel}`,
      folder: folderOf(`nuscr/${rel}`, 3),
      expected: 'accept',
      asserted: true,
    });
    expect(errorsOf(ds), show(ds)).toEqual([]);
  });

  test(`the ${String(negative.length)} files under errors/ run without throwing (counted, not asserted)`, () => {
    for (const c of negative) {
      const abs = path.join(nuscr, c.rel);
      run(abs, [path.dirname(abs)], {
        shown: `nuscr/${c.rel}`,
        folder: folderOf(`nuscr/${c.rel}`, 3),
        expected: 'reject',
        asserted: false,
        category: `nuScr errors/: ${
          c.observed === 'unimplemented'
            ? 'unimplemented'
            : c.observedFirstLine
                .replace(/^User error: /, '')
                .replace(/[:(].*$/, '')
                .replace(/ at \d+$/, '')
                .trim()
        }`,
      });
    }
  });
});

// ---- the summary ------------------------------------------------------------------------------

function pct(n: number, d: number): string {
  return d === 0 ? '–' : `${((100 * n) / d).toFixed(1)}%`;
}

interface Tally {
  files: number;
  expAccept: number;
  accepted: number;
  expReject: number;
  rejected: number;
}

function tally(os: readonly Outcome[]): Tally {
  const t: Tally = { files: 0, expAccept: 0, accepted: 0, expReject: 0, rejected: 0 };
  for (const o of os) {
    t.files++;
    if (o.expected === 'accept') {
      t.expAccept++;
      if (o.accepted) t.accepted++;
    } else {
      t.expReject++;
      if (!o.accepted) t.rejected++;
    }
  }
  return t;
}

function row(name: string, t: Tally): string {
  const agree = t.accepted + t.rejected;
  return (
    `| ${name} | ${String(t.files)} | ${String(t.expAccept)} | ` +
    `${String(t.accepted)} | ${String(t.expReject)} | ` +
    `${String(t.rejected)} | ${String(agree)}/${String(t.files)} ` +
    `(${pct(agree, t.files)}) |`
  );
}

function corpusOf(o: Outcome): string {
  if (o.shown.startsWith('nuscr/')) return 'nuScr examples';
  if (o.shown.startsWith('demos/')) return 'scribble-java demos';
  return 'scribble-java good/ + bad/';
}

function summary(all: readonly Outcome[]): string {
  const lines: string[] = [];
  lines.push('# Scribble conformance: `checkFiles` against the shared corpus', '');
  lines.push(
    'Accepted = no error-severity diagnostic from `checkFiles` (parse, ' +
      'module loading, name resolution and static checks).',
    'Expected = the upstream harness verdict (scribble-java ' +
      '`expectations.tsv` / `expectations-demos.tsv`; nuScr: files under ' +
      '`errors/` must be rejected).',
    'This suite runs `@mpst/scribble` alone: rejections that need projection or model checking (safety, liveness,',
    'reachability, choice enabling, ...) are made by `@mpst/projector` and `@mpst/verify`, whose suites assert them',
    '(packages/verify/test/conformance.test.ts compares every scribble-java verdict, bad/safety and bad/liveness',
    'included). Here they are counted, not asserted: a low "rejected" figure for such a folder is by design.',
    '',
  );
  lines.push(
    '| folder | files | expected accept | accepted | expected reject | rejected | agreement |',
  );
  lines.push('|---|---:|---:|---:|---:|---:|---:|');
  const corpora = [...new Set(all.map(corpusOf))];
  for (const c of corpora) {
    const os = all.filter((o) => corpusOf(o) === c);
    const folders = [...new Set(os.map((o) => o.folder))].sort();
    for (const f of folders) lines.push(row(f, tally(os.filter((o) => o.folder === f))));
    lines.push(row(`**${c}**`, tally(os)));
  }
  lines.push(row('**all**', tally(all)));
  lines.push('');

  const asserted = all.filter((o) => o.asserted);
  const at = tally(asserted);
  lines.push(
    `Asserted by tests: ${String(asserted.length)} files, ` +
      `${String(at.accepted + at.rejected)} agree (${pct(at.accepted + at.rejected, asserted.length)}).`,
    '',
  );

  const rejects = all.filter((o) => o.expected === 'reject');
  if (rejects.length > 0) {
    lines.push('## Expected rejections by category', '');
    lines.push('| category | files | rejected | asserted here |');
    lines.push('|---|---:|---:|---|');
    const cats = [...new Set(rejects.map((o) => o.category || '(none)'))].sort();
    for (const cat of cats) {
      const os = rejects.filter((o) => (o.category || '(none)') === cat);
      lines.push(
        `| ${cat} | ${String(os.length)} | ` +
          `${String(os.filter((o) => !o.accepted).length)} | ` +
          `${os.some((o) => o.asserted) ? 'yes' : 'no'} |`,
      );
    }
    lines.push('');
  }

  if (lineChecks.length > 0) {
    const direct = lineChecks.filter((l) => l.direct).length;
    const viaNote = lineChecks.filter((l) => l.viaNote);
    const missed = lineChecks.filter((l) => !l.direct && !l.viaNote);
    lines.push(
      `Error lines: of ${String(lineChecks.length)} asserted bad files for which scribble-java reports a line, ` +
        `${String(direct)} have an error on that line, ${String(viaNote.length)} only a note there ` +
        `(${viaNote.map((l) => `\`${l.rel}\``).join(', ') || 'none'}), ${String(missed.length)} neither` +
        `${missed.length > 0 ? ` (${missed.map((l) => `\`${l.rel}\``).join(', ')})` : ''}.`,
      '',
    );
  }

  const wrong = all.filter((o) => (o.expected === 'accept') === !o.accepted);
  const wrongAsserted = wrong.filter((o) => o.asserted);
  lines.push('## Disagreements on asserted files', '');
  if (wrongAsserted.length === 0) lines.push('None.', '');
  else {
    for (const o of wrongAsserted)
      lines.push(
        `- \`${o.shown}\`: expected ${o.expected}${o.firstError ? `; first error: ${o.firstError}` : ''}`,
      );
    lines.push('');
  }
  const later = wrong.filter((o) => !o.asserted);
  lines.push(`Not yet rejected (later phases): ${String(later.length)} files.`, '');
  if (later.length > 0) {
    lines.push('<details><summary>files</summary>', '');
    for (const o of later) lines.push(`- \`${o.shown}\` (${o.category || o.expected})`);
    lines.push('', '</details>', '');
  }
  return lines.join('\n');
}

afterAll(() => {
  if (!root || outcomes.length === 0) return;
  const text = summary(outcomes);
  console.log(text);
  fs.mkdirSync(path.dirname(REPORT), { recursive: true });
  fs.writeFileSync(REPORT, text);
});
