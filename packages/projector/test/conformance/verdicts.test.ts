/**
 * Accept/reject verdicts of the projector (analyzeFiles: static checks, elaboration,
 * well-formedness, projection, EFSMs) and Teatrino's crash handling, one test per file:
 *   - scribble-java bad files (expectations.tsv, expected reject) whose error scribble-java
 *     finds by projection or choice well-formedness — categories `wf:role-enabling(choice)`,
 *     `wf:consistent-external-choice-subject`, `reachability(projection)`,
 *     `efsm:nondet-payloads` — are rejected (safety/liveness ones need the model checker of
 *     @mpst/verify and are not asserted here);
 *   - scribble-java good files (expected accept) are still accepted;
 *   - Teatrino: every `teatrino/scribble/*.nuscr` except `Log.nuscr` is accepted (`Log.nuscr`
 *     is documented as a negative parser test, and must be rejected), and in each role's EFSM,
 *     wherever the role receives from a peer that may crash (the protocol is crash-stop — it
 *     declares a `reliable` role or uses `crash` — and the peer is not declared `reliable`),
 *     the same state also has a crash-detection transition (`kind: 'crash'`) from that peer.
 *     Conversely no crash transition names a reliable peer. Which roles are reliable is read
 *     with @mpst/scribble's `parse`, independently of the projector.
 * Summary: reports/conformance-projector.md.
 */
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { parse, type Block } from '@mpst/scribble';
import {
  corpusRoot,
  folderOf,
  listFiles,
  missingCorpusNotice,
  readTsv,
  readText,
} from '../../../../tools/corpus.js';
import { errorLines, failure, GuardedAnalyzer } from './guarded.js';
import { pct, table, writeSection } from './report.js';

const root = corpusRoot();
if (!root) console.warn(missingCorpusNotice('projector verdicts'));
const sj = path.join(root ?? '', 'scribble-java');
const teatrino = path.join(root ?? '', 'teatrino');

const ASSERTED_CATEGORIES = [
  'wf:role-enabling(choice)',
  'wf:consistent-external-choice-subject',
  'reachability(projection)',
  'efsm:nondet-payloads',
];

const analyzer = new GuardedAnalyzer();

interface Outcome {
  readonly corpus: 'scribble-java' | 'teatrino';
  readonly rel: string;
  readonly folder: string;
  readonly expected: 'accept' | 'reject';
  readonly category: string;
  readonly accepted: boolean;
  readonly firstError: string;
}
const outcomes: Outcome[] = [];
const crashChecks: {
  rel: string;
  protocol: string;
  role: string;
  receives: number;
  violations: string[];
}[] = [];

if (!root) test.skip(missingCorpusNotice('projector verdicts'), () => {});

describe.skipIf(!root)('scribble-java verdicts', () => {
  const rows = root ? readTsv(path.join(sj, 'expectations.tsv')) : [];
  const good = rows.filter((r) => r.expected === 'accept').map((r) => r.path ?? '');
  const bad = rows.filter(
    (r) => r.expected === 'reject' && ASSERTED_CATEGORIES.includes(r.category ?? ''),
  );

  test('file counts', () => {
    expect(good.length).toBe(190);
    expect(bad.length).toBe(60);
  });

  /** Analyses one scribble-java file and records its outcome for the summary. */
  async function run(rel: string, expected: 'accept' | 'reject', category: string) {
    const r = await analyzer.analyze([path.join(sj, rel)], { importPaths: [sj] });
    const errors = errorLines(r, (f) => path.relative(sj, f));
    outcomes.push({
      corpus: 'scribble-java',
      rel,
      folder: folderOf(rel, 2),
      expected,
      category,
      accepted: r.kind === 'ok' && errors.length === 0,
      firstError: r.kind === 'ok' ? (errors[0] ?? '') : failure(r),
    });
    return { r, errors };
  }

  test.each(bad.map((r) => [r.path ?? '', r.category ?? '', r.observed_first_line ?? ''] as const))(
    '%s is rejected (%s)',
    async (rel, category, observed) => {
      const { r, errors } = await run(rel, 'reject', category);
      expect(r.kind, failure(r)).toBe('ok');
      expect(errors.length, `accepted; scribble-java: ${observed}`).toBeGreaterThan(0);
    },
  );

  test.each(good)('%s is accepted', async (rel) => {
    const { r, errors } = await run(rel, 'accept', '');
    expect(r.kind, failure(r)).toBe('ok');
    expect(errors).toEqual([]);
  });
});

// ---- Teatrino ---------------------------------------------------------------------------------

interface Declared {
  readonly reliable: ReadonlySet<string>;
  readonly crashStop: boolean;
}

/** What the file declares, per protocol: reliable roles, and whether crash-stop semantics apply. */
function declared(abs: string): Map<string, Declared> {
  const { module } = parse(readText(abs), abs);
  const out = new Map<string, Declared>();
  const usesCrash = (b: Block): boolean =>
    b.interactions.some((i) => {
      switch (i.kind) {
        case 'CrashNotice':
          return true;
        case 'MessageTransfer':
          return i.default !== undefined;
        case 'Choice':
          return i.branches.some((br) => br.default !== undefined || usesCrash(br.body));
        case 'Recursion':
        case 'Foreach':
          return usesCrash(i.body);
        default:
          return false;
      }
    });
  for (const p of module.protocols) {
    const reliable = new Set(p.roles.filter((r) => r.reliable).map((r) => r.name.text));
    out.set(p.name.text, { reliable, crashStop: reliable.size > 0 || usesCrash(p.body) });
  }
  return out;
}

describe.skipIf(!root)('Teatrino', () => {
  const files = root
    ? listFiles(path.join(teatrino, 'scribble'), ['.nuscr']).map((f) => `scribble/${f}`)
    : [];

  test('21 protocol files and Log.nuscr', () => {
    expect(files.length).toBe(22);
    expect(files).toContain('scribble/Log.nuscr');
  });

  test.each(files)('teatrino/%s', async (rel) => {
    const abs = path.join(teatrino, rel);
    const r = await analyzer.analyze([abs], { importPaths: [path.dirname(abs)] });
    const errors = errorLines(r, (f) => path.relative(teatrino, f));
    const negative = rel.endsWith('/Log.nuscr');
    outcomes.push({
      corpus: 'teatrino',
      rel,
      folder: 'teatrino/scribble',
      expected: negative ? 'reject' : 'accept',
      category: negative ? 'syntax (incomplete first protocol)' : '',
      accepted: r.kind === 'ok' && errors.length === 0,
      firstError: r.kind === 'ok' ? (errors[0] ?? '') : failure(r),
    });
    expect(r.kind, failure(r)).toBe('ok');
    if (r.kind !== 'ok') return;
    if (negative) {
      expect(errors.length, 'Log.nuscr (incomplete first protocol) accepted').toBeGreaterThan(0);
      return;
    }
    expect(errors).toEqual([]);
    const decl = declared(abs);
    expect(r.protocols.length).toBeGreaterThan(0);
    const problems: string[] = [];
    for (const p of r.protocols) {
      const d = decl.get(p.name);
      if (!d) {
        problems.push(`${p.name}: not in the parsed file`);
        continue;
      }
      if (p.crashStop !== d.crashStop)
        problems.push(
          `${p.name}: crashStop is ${String(p.crashStop)}, the declarations say ${String(d.crashStop)}`,
        );
      if ([...p.reliable].sort().join() !== [...d.reliable].sort().join())
        problems.push(
          `${p.name}: reliable roles ${p.reliable.join(',')} vs declared ${[...d.reliable].join(',')}`,
        );
      const mayCrash = (peer: string): boolean => d.crashStop && !d.reliable.has(peer);
      for (const role of p.roles) {
        if (!role.efsm) {
          problems.push(`${p.name}@${role.role}: no EFSM`);
          continue;
        }
        const ts = role.efsm.transitions;
        const violations: string[] = [];
        let receives = 0;
        for (const t of ts) {
          if (t.action.kind === 'receive' && mayCrash(t.action.peer)) {
            receives++;
            const peer = t.action.peer;
            if (
              !ts.some(
                (u) => u.from === t.from && u.action.kind === 'crash' && u.action.peer === peer,
              )
            ) {
              violations.push(
                `state ${String(t.from)}: receives ${t.label} but has no ${peer}?crash transition`,
              );
            }
          }
          if (t.action.kind === 'crash' && !mayCrash(t.action.peer)) {
            violations.push(
              `state ${String(t.from)}: ${t.label}, but ${t.action.peer} cannot ` +
                `crash (reliable, or not a crash-stop protocol)`,
            );
          }
        }
        crashChecks.push({ rel, protocol: p.name, role: role.role, receives, violations });
        problems.push(...violations.map((v) => `${p.name}@${role.role}: ${v}`));
      }
    }
    expect(problems).toEqual([]);
  });
});

// ---- summary ----------------------------------------------------------------------------------

afterAll(async () => {
  await analyzer.close();
  if (!root || outcomes.length === 0) return;
  const lines = ['## Verdicts (`verdicts.test.ts`)', ''];
  lines.push(
    'scribble-java: bad files of the categories found by projection / choice well-formedness must be rejected',
    `(${ASSERTED_CATEGORIES.map((c) => `\`${c}\``).join(', ')}); good files must stay accepted.`,
    'Teatrino: every file but `Log.nuscr` accepted; crash-detection ' +
      'transitions wherever a role receives from a peer that may crash.',
    '',
  );
  const row = (name: string, os: readonly Outcome[]): (string | number)[] => {
    const acc = os.filter((o) => o.expected === 'accept');
    const rej = os.filter((o) => o.expected === 'reject');
    const agree = os.filter((o) => (o.expected === 'accept') === o.accepted).length;
    return [
      name,
      os.length,
      acc.length,
      acc.filter((o) => o.accepted).length,
      rej.length,
      rej.filter((o) => !o.accepted).length,
      `${String(agree)}/${String(os.length)} (${pct(agree, os.length)})`,
    ];
  };
  const folders = [...new Set(outcomes.map((o) => o.folder))].sort();
  const disagree = outcomes.filter((o) => (o.expected === 'accept') !== o.accepted).length;
  lines.push(
    `**Summary: ${String(outcomes.length)} files: ` +
      `${String(outcomes.length - disagree)} agree, 0 listed differences ` +
      `(this suite has no differences list: ` +
      `every verdict is asserted), ${String(disagree)} unexplained.**`,
    '',
  );
  lines.push(
    table(
      [
        'folder',
        'files',
        'expected accept',
        'accepted',
        'expected reject',
        'rejected',
        'agreement',
      ],
      [
        ...folders.map((f) =>
          row(
            f,
            outcomes.filter((o) => o.folder === f),
          ),
        ),
        row('**all**', outcomes),
      ],
    ),
    '',
  );
  const rejects = outcomes.filter((o) => o.corpus === 'scribble-java' && o.expected === 'reject');
  if (rejects.length > 0) {
    lines.push(
      table(
        ['bad-file category', 'files', 'rejected'],
        ASSERTED_CATEGORIES.map((c) => {
          const os = rejects.filter((o) => o.category === c);
          return [c, os.length, os.filter((o) => !o.accepted).length];
        }),
      ),
      '',
    );
  }
  if (crashChecks.length > 0) {
    const withRecv = crashChecks.filter((c) => c.receives > 0);
    lines.push(
      `Teatrino crash transitions: ${String(crashChecks.length)} role EFSMs ` +
        `checked, ${String(withRecv.length)} receive from a peer that may crash ` +
        `(${String(withRecv.reduce((n, c) => n + c.receives, 0))} such ` +
        `receive transitions); ` +
        `${String(crashChecks.filter((c) => c.violations.length > 0).length)} ` +
        `EFSMs with violations.`,
      '',
    );
  }
  const wrong = outcomes.filter((o) => (o.expected === 'accept') !== o.accepted);
  lines.push(`### Disagreements (${String(wrong.length)})`, '');
  if (wrong.length === 0) lines.push('None.');
  for (const o of wrong)
    lines.push(
      `- \`${o.corpus === 'teatrino' ? 'teatrino/' : ''}${o.rel}\`: ` +
        `expected ${o.expected}${o.category ? ` (${o.category})` : ''}${o.firstError ? `; ${o.firstError}` : ''}`,
    );
  const bad = crashChecks.filter((c) => c.violations.length > 0);
  if (bad.length > 0) {
    lines.push('', '### Crash-transition violations', '');
    for (const c of bad)
      lines.push(`- \`teatrino/${c.rel}\` ${c.protocol}@${c.role}: ${c.violations.join('; ')}`);
  }
  lines.push('');
  writeSection('verdicts', lines.join('\n'));
});
