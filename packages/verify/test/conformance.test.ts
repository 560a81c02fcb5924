/**
 * The verifier on the peers' corpora (read in place; skipped with a visible notice when absent).
 *
 * scribble-java: every file its harness runs (expectations.tsv, expected accept or reject) is
 * checked, projected and verified as `mpst check` does it — scribble-java's model (queues of
 * capacity 1), every property (safety, progress, eventual reception), fair and unfair output
 * choice — and the verdict (rejected: an error diagnostic or a violation) must equal
 * scribble-java's. Files whose expectations note says "accepted with -fair" must also be
 * accepted with `fair: true`, and "still rejected with -fair" ones rejected. The verdicts that
 * still differ are listed, with the reason, in `verdict-differences.tsv`; each listed one is
 * asserted to still differ (remove the row when it agrees), every other one to agree; an
 * accepted file must be `verified` (an inconclusive run does not count as accepting it).
 *
 * scribble-java demos (not run by its harness; observed verdicts in expectations-demos.tsv,
 * each run with its demo's import root): same rule, same differences file.
 *
 * Teatrino: every example except `Log.nuscr` (a negative parser test) is crash-safe — no
 * violation of any property in any crash scenario its reliability annotations allow.
 *
 * Summary with per-folder agreement: reports/packages/verify/conformance-verify.md.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeHost } from '@mpst/scribble/node';
import { afterAll, describe, expect, test } from 'vitest';
import { SCRIBBLE_JAVA_MODEL, verifyFiles, type FileVerification } from '@mpst/verify';
import {
  corpusRoot,
  demoCases,
  folderOf,
  listFiles,
  missingCorpusNotice,
  parseTsv,
  readTsv,
  repoRoot,
} from '../../../tools/corpus.js';

const root = corpusRoot();
if (!root) console.warn(missingCorpusNotice('verify'));
if (!root) test.skip(missingCorpusNotice('verify'), () => {});
const sj = path.join(root ?? '', 'scribble-java');
const teatrino = path.join(root ?? '', 'teatrino/scribble');
const here = path.dirname(fileURLToPath(import.meta.url));
/** scribble-java's model (one-message queues), as `mpst check` uses it. */
const SCRIBBLE_JAVA = SCRIBBLE_JAVA_MODEL;

/** `path` + `mode` (default or fair) → why our verdict differs from scribble-java's. */
const differences = new Map(
  parseTsv(fs.readFileSync(path.join(here, 'verdict-differences.tsv'), 'utf8')).map((r) => [
    `${r.path ?? ''} ${r.mode ?? ''}`,
    r.reason ?? '',
  ]),
);

/**
 * scribble-java's error category (expectations.tsv, a class of its first error line) → the
 * error codes and violation kinds of ours that say the same (`other` names no category).
 */
const CATEGORY: Readonly<Record<string, readonly string[]>> = {
  'safety(stuck/orphan/wait-for/unfinished)': ['stuck', 'orphan', 'deadlock', 'unfinished'],
  'liveness:role-progress': ['progress'],
  'liveness:eventual-reception': ['reception'],
  'reachability(projection)': ['error MPST205'],
  'wf:role-enabling(choice)': ['error MPST202'],
  'wf:consistent-external-choice-subject': ['error MPST203'],
  'wf:unused-role': ['error MPST110'],
  'wf:self-communication': ['error MPST109'],
  'efsm:nondet-payloads': ['error MPST204'],
  'names:duplicate-visible-module': ['error MPST123'],
  'names:unbound-recvar': ['error MPST107'],
  'names:unbound-role': ['error MPST101'],
  'names:protocol-not-visible': ['error MPST103'],
  'names:duplicate-type/sig-decl': ['error MPST113'],
  'names:duplicate-protocol': ['error MPST102'],
  'names:duplicate-param-decl': ['error MPST100'],
  'names:cannot-disambiguate': ['error MPST115'],
  'do:arity': ['error MPST104'],
  'do:arg-kind': ['error MPST105'],
  'do:duplicate-role-args': ['error MPST106'],
  'import:module-not-found': ['error MPST121'],
  'module-name/path-mismatch(INCIDENTAL)': ['error MPST120'],
};

/** `path` → the kinds of our rejection that differ from scribble-java's category (category-differences.tsv). */
const categoryDifferences = new Map(
  parseTsv(fs.readFileSync(path.join(here, 'category-differences.tsv'), 'utf8')).map((r) => [
    r.path ?? '',
    r.ours ?? '',
  ]),
);

/** Every error code (`error MPSTnnn`) and violation kind of a result, sorted, comma separated. */
function kindsOf(r: FileVerification): string {
  const errors = r.diagnostics.filter((d) => d.severity === 'error').map((d) => `error ${d.code}`);
  const kinds = r.results.flatMap((x) => x.violations.map((v) => v.kind));
  return [...new Set([...errors, ...kinds])].sort().join(', ');
}

interface Row {
  readonly file: string;
  readonly mode: 'default' | 'fair';
  readonly expected: 'accept' | 'reject';
  readonly category: string;
  readonly rejected: boolean;
  readonly outcome: string;
  /** Every error code and violation kind (see kindsOf). */
  readonly kinds: string;
}
const rows: Row[] = [];
const crash: { file: string; outcome: string }[] = [];

function outcome(r: FileVerification): { rejected: boolean; text: string } {
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0)
    return { rejected: true, text: `error ${errors[0]?.code ?? ''}: ${errors[0]?.message ?? ''}` };
  const v = r.results.flatMap((x) => x.violations);
  if (v[0])
    return {
      rejected: true,
      text: `${v[0].kind}${v[0].unfair === true ? ' (unfair choice)' : ''}: ${v[0].message}`,
    };
  return {
    rejected: false,
    text: r.results
      .map(
        (x) =>
          `${x.verdict} (${String(x.states)} states${x.unfairStates > 0 ? `, ${String(x.unfairStates)} unfair` : ''})`,
      )
      .join(', '),
  };
}

describe.skipIf(!root)('scribble-java: verdicts agree', () => {
  const tsv = root
    ? readTsv(path.join(sj, 'expectations.tsv')).filter(
        (r) => r.expected === 'accept' || r.expected === 'reject',
      )
    : [];
  const cases = tsv.map((r) => ({
    rel: r.path ?? '',
    expected: r.expected as 'accept' | 'reject',
    category: r.category ?? '',
    note: r.note ?? '',
  }));
  const fairCases = cases.filter((c) => c.note.includes('with -fair'));

  const demos = root ? demoCases(root) : [];

  test('file counts', () => {
    expect(cases.filter((c) => c.expected === 'accept')).toHaveLength(190);
    expect(cases.filter((c) => c.expected === 'reject')).toHaveLength(162);
    expect(fairCases).toHaveLength(13);
    expect(demos).toHaveLength(43);
    for (const key of differences.keys()) {
      const [file, mode] = key.split(' ');
      expect(
        [...cases.map((c) => c.rel), ...demos.map((d) => d.rel)],
        `verdict-differences.tsv: ${key}`,
      ).toContain(file);
      expect(['default', 'fair']).toContain(mode);
    }
    // Each row of category-differences.tsv is a rejected file whose category we compare.
    for (const file of categoryDifferences.keys()) {
      const c = cases.find((x) => x.rel === file);
      expect(c?.expected, `category-differences.tsv: ${file}`).toBe('reject');
      expect(CATEGORY[c?.category ?? ''], `category-differences.tsv: ${file}`).toBeDefined();
    }
    expect(categoryDifferences.size).toBe(16);
  });

  const check = (
    rel: string,
    mode: 'default' | 'fair',
    expected: 'accept' | 'reject',
    category: string,
    importRoot = sj,
  ): void => {
    const r = verifyFiles([path.join(sj, rel)], nodeHost, {
      importPaths: [importRoot],
      ...SCRIBBLE_JAVA,
      fair: mode === 'fair',
    });
    const o = outcome(r);
    const kinds = kindsOf(r);
    rows.push({
      file: rel,
      mode,
      expected,
      category,
      rejected: o.rejected,
      outcome: o.text,
      kinds,
    });
    // The kind of a rejection, where scribble-java's expectations name one: not just whether.
    const allowed = mode === 'default' && o.rejected ? CATEGORY[category] : undefined;
    if (allowed) {
      const listed = categoryDifferences.get(rel);
      if (listed !== undefined) {
        expect(kinds, `category-differences.tsv lists ${rel}: update the row`).toBe(listed);
        expect(allowed.some((k) => kinds.split(', ').includes(k))).toBe(false);
      } else {
        const same = allowed.filter((k) => kinds.split(', ').includes(k));
        expect(same, `scribble-java: ${category}; ours: ${kinds}`).not.toEqual([]);
      }
    }
    const reason = differences.get(`${rel} ${mode}`);
    if (reason !== undefined)
      expect(
        o.rejected,
        `listed in verdict-differences.tsv (${reason}) but now agrees: remove the row`,
      ).toBe(expected === 'accept');
    else {
      expect(o.rejected ? 'reject' : 'accept', o.text).toBe(expected);
      // Accepted means verified: an inconclusive run (cut by maxStates or the unfair model's
      // size) has no violation but proves nothing, and must not count as agreement.
      if (expected === 'accept')
        for (const x of r.results)
          expect(`${x.protocol}: ${x.verdict}`, x.incomplete?.message).toBe(
            `${x.protocol}: verified`,
          );
    }
  };

  test.each(cases)('$rel', ({ rel, expected, category }) =>
    check(rel, 'default', expected, category),
  );
  test.each(fairCases)('$rel with fair choice', ({ rel, note, category }) =>
    check(rel, 'fair', note.includes('accepted with -fair') ? 'accept' : 'reject', category),
  );
  test.each(demos)('$rel', ({ rel, observed, observedFirstLine, importRoot }) =>
    check(rel, 'default', observed, observedFirstLine, path.join(sj, importRoot)),
  );
  // scribble-java's safety category lumps stuck, orphan and wait-for errors together: our
  // kinds of every rejection are pinned in a snapshot, so that one turning into another shows.
  test('the kinds of every rejection (snapshot)', async () => {
    const lines = rows
      .filter((r) => r.rejected)
      .map((r) => `${r.file}\t${r.mode}\t${r.kinds}`)
      .sort();
    expect(lines.length).toBe(rows.filter((r) => r.rejected).length);
    await expect(`${lines.join('\n')}\n`).toMatchFileSnapshot('__snapshots__/rejection-kinds.tsv');
  });
});

describe.skipIf(!root)('Teatrino: crash-safe', () => {
  const files = root ? listFiles(teatrino, ['.nuscr']).filter((f) => f !== 'Log.nuscr') : [];
  test.each(files)('%s', (rel) => {
    const r = verifyFiles([path.join(teatrino, rel)], nodeHost, SCRIBBLE_JAVA);
    const o = outcome(r);
    crash.push({ file: rel, outcome: o.text });
    expect(o.rejected, o.text).toBe(false);
    expect(r.results.length).toBeGreaterThan(0);
    for (const x of r.results) expect(x.verdict).toBe('verified');
  });
});

/** `path` → why `mpst verify`'s defaults (unbounded queues) leave it inconclusive (unbounded-inconclusive.tsv). */
const unboundedInconclusive = new Map(
  parseTsv(fs.readFileSync(path.join(here, 'unbounded-inconclusive.tsv'), 'utf8')).map((r) => [
    r.path ?? '',
    r.reason ?? '',
  ]),
);
const unbounded: { file: string; ks: readonly (number | undefined)[] }[] = [];

describe.skipIf(!root)('unbounded queues (`mpst verify` defaults): conclusive', () => {
  const good = root
    ? readTsv(path.join(sj, 'expectations.tsv'))
        .filter((r) => r.expected === 'accept')
        .map((r) => ({ rel: r.path ?? '', dir: sj, importRoot: sj }))
    : [];
  const tea = root
    ? listFiles(teatrino, ['.nuscr'])
        .filter((f) => f !== 'Log.nuscr')
        .map((f) => ({ rel: `teatrino/${f}`, dir: teatrino, importRoot: teatrino }))
    : [];
  test('file counts', () => {
    expect(good).toHaveLength(190);
    expect(tea).toHaveLength(21);
    const all = new Set([...good, ...tea].map((c) => c.rel));
    for (const file of unboundedInconclusive.keys())
      expect(all.has(file), `unbounded-inconclusive.tsv: ${file}`).toBe(true);
    expect(unboundedInconclusive.size).toBe(0);
  });
  // The defaults but a smaller state limit: the listed files fall back to queues cut at 64
  // messages, whose state spaces only the limit ends.
  test.each([...good, ...tea])('$rel', ({ rel, dir, importRoot }) => {
    const file = path.join(dir, rel.replace(/^teatrino\//, ''));
    const r = verifyFiles([file], nodeHost, { importPaths: [importRoot], maxStates: 50_000 });
    unbounded.push({
      file: rel,
      // Per protocol: k when k-exhaustive, 0 when verified without (finite), else undefined.
      ks: r.results.map((x) => (x.verdict === 'verified' ? (x.exhaustive ?? 0) : undefined)),
    });
    const reason = unboundedInconclusive.get(rel);
    // (Files that only import others declare no protocol: nothing to verify.)
    for (const x of r.results) {
      if (reason !== undefined) {
        expect(x.verdict, `listed in unbounded-inconclusive.tsv (${reason})`).toBe('inconclusive');
        expect(x.incomplete?.message).toMatch(/k-exhaustivity does not apply/);
      } else {
        // Verified for every queue length: k-exhaustive, or (when the theory does not apply)
        // a state space that no cut at 64 messages touched.
        expect(`${x.protocol}: ${x.verdict}`, x.incomplete?.message).toBe(
          `${x.protocol}: verified`,
        );
      }
    }
  });
});

/** The report's line on `mpst verify`'s defaults. */
function unboundedLine(): string {
  const count = (f: (k: number | undefined) => boolean): string =>
    String(unbounded.filter((u) => u.ks.length > 0 && u.ks.every(f)).length);
  const files = unbounded.filter((u) => u.ks.length > 0).length;
  return (
    `- Unbounded queues (\`mpst verify\` defaults): ${count((k) => k !== undefined)}/${String(files)} ` +
    'scribble-java good files and Teatrino examples with a protocol verified for every queue length ' +
    `(${count((k) => k !== undefined && k > 0)} k-exhaustive, ${count((k) => k === 1)} with k = 1; ` +
    'the others of them with a finite state space; the inconclusive ones are listed in ' +
    'packages/verify/test/unbounded-inconclusive.tsv).'
  );
}

afterAll(() => {
  if (!root || rows.length === 0) return;
  const agrees = (r: Row): boolean => r.rejected === (r.expected === 'reject');
  const byFolder = new Map<string, Row[]>();
  for (const r of rows) {
    const k = `${r.mode === 'fair' ? '(fair) ' : ''}${folderOf(r.file, r.file.startsWith('demos/') ? 2 : 3)}`;
    byFolder.set(k, [...(byFolder.get(k) ?? []), r]);
  }
  const stat = (rs: readonly Row[]): string =>
    `${String(rs.filter(agrees).length)}/${String(rs.length)}`;
  const def = rows.filter((r) => r.mode === 'default' && !r.file.startsWith('demos/'));
  const demoRows = rows.filter((r) => r.file.startsWith('demos/'));
  const fair = rows.filter((r) => r.mode === 'fair');
  const differ = rows.filter((r) => !agrees(r));
  const lines = [
    '# @mpst/verify conformance',
    '',
    "scribble-java's model: queues of capacity 1; every property (safety, " +
      'progress, eventual reception); fair and unfair output choice (fair ' +
      'only in the `(fair)` rows). A file is rejected when it has an error ' +
      'diagnostic (static checks, projection) or a violation.',
    '',
    `- scribble-java harness files, default: **${stat(def)} verdicts ` +
      `agree** (good accepted ` +
      `${stat(def.filter((r) => r.expected === 'accept'))}, bad rejected ` +
      `${stat(def.filter((r) => r.expected === 'reject'))}).`,
    `- \`bad/**/unfair\` files with fair choice (\`-fair\`): ${stat(fair)} agree.`,
    `- scribble-java demos (expectations-demos.tsv): ${stat(demoRows)} agree.`,
    `- Teatrino examples (except Log.nuscr): ` +
      `${String(crash.filter((c) => c.outcome.startsWith('verified')).length)}/${String(crash.length)} ` +
      `verified crash-safe.`,
    unboundedLine(),
    '',
    '## Agreement per folder',
    '',
    '| folder | agree |',
    '|---|---:|',
    ...[...byFolder.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, rs]) => `| ${k} | ${stat(rs)} |`),
    '',
    `## Verdicts that differ (${String(differ.length)}; reasons in packages/verify/test/verdict-differences.tsv)`,
    '',
    '| file | mode | expected | ours | reason |',
    '|---|---|---|---|---|',
    ...differ.map(
      (r) =>
        `| ${r.file} | ${r.mode} | ${r.expected} | ` +
        `${r.outcome.replace(/\|/g, '\\|')} | ` +
        `${(differences.get(`${r.file} ${r.mode}`) ?? 'UNLISTED').replace(/\|/g, '\\|')} |`,
    ),
    '',
    '## Rejected files: why',
    '',
    '| file | category (scribble-java) | ours |',
    '|---|---|---|',
    ...[...def, ...demoRows]
      .filter((r) => r.expected === 'reject' && r.rejected)
      .sort((x, y) => x.file.localeCompare(y.file))
      .map(
        (r) => `| ${r.file} | ${r.category} | ${r.outcome.slice(0, 160).replace(/\|/g, '\\|')} |`,
      ),
    '',
    '## Teatrino',
    '',
    '| file | outcome |',
    '|---|---|',
    ...crash
      .sort((x, y) => x.file.localeCompare(y.file))
      .map((b) => `| ${b.file} | ${b.outcome.replace(/\|/g, '\\|')} |`),
    '',
  ];
  const report = path.join(repoRoot, 'reports/packages/verify/conformance-verify.md');
  fs.mkdirSync(path.dirname(report), { recursive: true });
  fs.writeFileSync(report, lines.join('\n'));
  console.log(
    `[verify conformance] ${stat(def)} scribble-java verdicts agree, demos ${stat(demoRows)} ` +
      `(${path.relative(repoRoot, report)})`,
  );
});
