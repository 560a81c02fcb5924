/**
 * The projector against nuScr: its cram tests (`nuscr/cram-tests/{core,refinements}/**\/run.t`,
 * listed in `nuscr/expectations-cram.tsv`) and the verdicts on its examples.
 *
 * Cram commands (codegen/, `--gencode-*`, `--generate-sexp`, the mpstk/tex/protobuf printers
 * and `--show-global-type` outputs are skipped):
 *   - `--fsm R@P` with exit 0: our EFSM of R is isomorphic to nuScr's dot, after merging every
 *     end state into one on both sides (nuScr keeps one end state per branch), with labels
 *     compared by peer, direction, label and number of payload items (`nuscrLabelsMatch`):
 *     nuScr prints refined payloads in its own normal form and appends recursion-variable
 *     updates `[count + 1]`;
 *   - `--project R@P` with exit 0: our local type has the same canonical form as nuScr's text
 *     (local-text.ts: payloads by count, `(silent)` lines and `(end)` ignored, choice branches
 *     unordered, recursion labels by binding depth), and so does our printed local protocol
 *     (`printLocalProtocol`) read back with the same reader;
 *   - exit 124 (a user error in nuScr), including plain `nuscr File.nuscr` and
 *     `--show-global-type` commands: we report an error diagnostic. nuScr's "not implemented"
 *     errors are not user errors (its own harness passes them either way): counted, not asserted.
 * Examples (`nuscr/examples/**`, without the files nuScr's harness skips): every file outside
 * an `errors` directory is accepted (no error diagnostic), every file in one is rejected —
 * except that, as in nuScr's harness, a file on which nuScr reports "not implemented" passes
 * either way (the corpus README asks to treat those as valid Scribble, so it is reported).
 *
 * Deliberate differences are listed in `nuscr-differences.tsv` (case, expected, ours, reason;
 * `case` is the test name as printed: the cram label or `nuscr/examples/...`). A listed case
 * must still differ from nuScr, with exactly the row's expected/ours values (the reason is in
 * the assertion message); every unlisted case must agree. So the list cannot rot.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import {
  corpusRoot,
  folderOf,
  listFiles,
  missingCorpusNotice,
  readTsv,
  readText,
  type TsvRow,
} from '../../../../tools/corpus.js';
import { canonicalListing, isomorphic, lineDiff, mergeTerminals, parseDot } from './graph.js';
import { efsmGraph, nuscrLabelsMatch } from './labels.js';
import { canonical, treeOfLocal, treeOfText } from './local-text.js';
import { errorLines, failure, GuardedAnalyzer, type Guarded } from './guarded.js';
import { pct, table, writeSection } from './report.js';

const root = corpusRoot();
if (!root) console.warn(missingCorpusNotice('projector nuScr'));
const nuscr = path.join(root ?? '', 'nuscr');
const DIFFERENCES = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  'nuscr-differences.tsv',
);

/** A row of `nuscr-differences.tsv`. */
interface Listed {
  /** nuScr's side: `accept` or `reject`. */
  readonly expected: string;
  /** Ours: `accept`, `reject` or `other output`. */
  readonly ours: string;
  readonly reason: string;
}
const differenceRows = readTsv(DIFFERENCES);
const listed = new Map<string, Listed>(
  differenceRows.map((r) => [
    r.case ?? '',
    { expected: r.expected ?? '', ours: r.ours ?? '', reason: r.reason ?? '' },
  ]),
);

// ---- cram transcripts -------------------------------------------------------------------------

interface CramCommand {
  /** e.g. `cram-tests/core/merge-send.t`. */
  readonly test: string;
  readonly command: string;
  readonly output: readonly string[];
  readonly exit: number;
}

/** Reads a cram `run.t`: `  $ cmd` lines, their indented output, `  [N]` exit codes. */
function parseRunT(test: string, text: string): CramCommand[] {
  const out: CramCommand[] = [];
  let cur: { command: string; output: string[]; exit: number } | undefined;
  const flush = (): void => {
    if (cur) out.push({ test, ...cur });
    cur = undefined;
  };
  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith('  $ ')) {
      flush();
      cur = { command: line.slice(4).trim(), output: [], exit: 0 };
    } else if (cur && line.startsWith('  ')) {
      const m = /^ {2}\[(\d+)\]$/.exec(line);
      if (m) cur.exit = Number(m[1]);
      else cur.output.push(line.slice(2));
    } else flush();
  }
  flush();
  return out;
}

type Mode = 'fsm' | 'project' | 'verdict';
interface CramCase {
  readonly test: string;
  readonly command: string;
  readonly mode: Mode;
  readonly file: string;
  readonly role: string | undefined;
  readonly protocol: string | undefined;
  readonly exit: number;
  readonly firstLine: string;
  readonly output: readonly string[];
}

function cramCases(): CramCase[] {
  const transcripts = new Map<string, CramCommand[]>();
  const out: CramCase[] = [];
  for (const r of readTsv(path.join(nuscr, 'expectations-cram.tsv'))) {
    const test = r.test ?? '';
    const command = r.command ?? '';
    if (!/^cram-tests\/(core|refinements)\//.test(test)) continue;
    if (
      /--(gencode|generate-sexp|show-global-type-|project-|show-global-type-mpstk)|>|^dune/.test(
        command,
      )
    )
      continue;
    const words = command.split(/\s+/);
    if (words[0] !== 'nuscr') continue;
    const file = words.find((w) => w.endsWith('.nuscr')) ?? '';
    const exit = Number(r.expected_exit);
    let mode: Mode = 'verdict';
    let target: string | undefined;
    for (let i = 1; i < words.length; i++) {
      const m = /^--(fsm|project)(?:=(.*))?$/.exec(words[i] ?? '');
      if (m) {
        mode = m[1] === 'fsm' ? 'fsm' : 'project';
        target = m[2] ?? words[i + 1];
      }
    }
    const showGlobal = words.includes('--show-global-type');
    // Output comparisons only for --fsm/--project; other commands only for their error verdict.
    if (mode === 'verdict' && exit === 0) continue;
    if (showGlobal && exit === 0) continue;
    let cmds = transcripts.get(test);
    if (!cmds) {
      cmds = parseRunT(test, readText(path.join(nuscr, test, 'run.t')));
      transcripts.set(test, cmds);
    }
    const t = cmds.find((c) => c.command === command);
    if (!t) throw new Error(`${test}: command not in run.t: ${command}`);
    const [role, protocol] = target?.split('@') ?? [];
    out.push({
      test,
      command,
      mode,
      file: path.join(test, file),
      role,
      protocol:
        protocol ?? (showGlobal ? words[words.indexOf('--show-global-type') + 1] : undefined),
      exit,
      firstLine: r.first_expected_output_line ?? '',
      output: t.output,
    });
  }
  return out;
}

const UNIMPLEMENTED = /I'm sorry, it is unfortunate|is not implemented/;

/** nuScr's error line (the first `nuscr: ...` line of the output, else the first line). */
function nuscrError(c: CramCase): string {
  return c.output.find((l) => l.startsWith('nuscr: ')) ?? c.firstLine;
}

/**
 * Errors that come from nuScr's refinement types (`RefinementTypes` pragma): variable
 * knowledge, ill-formed refinements, SMT satisfiability/progress, `(silent)` variables in merge.
 */
const REFINEMENT_ERROR = new RegExp(
  [
    'refinement',
    'Refinements',
    'know the value of the variable',
    'Ill-formed payload type',
    'Type Error',
    'Unable to merge: \\(silent\\)',
  ].join('|'),
);

// ---- running ----------------------------------------------------------------------------------

const analyzer = new GuardedAnalyzer();

function analyze(rel: string, protocol?: string): Promise<Guarded> {
  const abs = path.join(nuscr, rel);
  return analyzer.analyze([abs], {
    importPaths: [path.dirname(abs)],
    ...(protocol !== undefined ? { protocol } : {}),
  });
}

const errorsOf = (r: Guarded): string[] => errorLines(r, (f) => path.relative(nuscr, f));

type CramVerdict = 'agree' | 'differs' | 'tolerated';
interface CramOutcome {
  readonly c: CramCase;
  readonly verdict: CramVerdict;
  /**
   * What we do: `accept` (no error diagnostic; for --fsm/--project, and the same output),
   * `reject`, `other output` (accepted, but a different EFSM or local type), `no projection`,
   * or `threw`/`timeout`.
   */
  readonly ours: string;
  readonly detail: string;
  /** For --project: our printed local protocol read back agrees with our local type. */
  readonly printed?: boolean;
}
const cramOutcomes: CramOutcome[] = [];

async function runCram(c: CramCase): Promise<CramOutcome> {
  const r = await analyze(c.file, c.protocol);
  if (r.kind !== 'ok') return { c, verdict: 'differs', ours: r.kind, detail: failure(r) };
  const errors = errorsOf(r);
  const verdict = errors.length > 0 ? 'reject' : 'accept';
  if (c.exit !== 0) {
    if (UNIMPLEMENTED.test(nuscrError(c))) {
      return {
        c,
        verdict: 'tolerated',
        ours: verdict,
        detail: `nuScr: not implemented; we ${errors.length > 0 ? `reject:\n${errors.join('\n')}` : 'accept'}`,
      };
    }
    return errors.length > 0
      ? { c, verdict: 'agree', ours: verdict, detail: errors.join('\n') }
      : {
          c,
          verdict: 'differs',
          ours: verdict,
          detail: `nuScr rejects (${nuscrError(c)}); we accept`,
        };
  }
  if (errors.length > 0)
    return {
      c,
      verdict: 'differs',
      ours: verdict,
      detail: `nuScr accepts; we reject:\n${errors.join('\n')}`,
    };
  const pr = r.protocols.find((p) => p.name === c.protocol);
  const rr = pr?.roles.find((x) => x.role === c.role);
  if (!pr || !rr?.local || !rr.efsm)
    return {
      c,
      verdict: 'differs',
      ours: 'no projection',
      detail: `no projection of ${c.protocol ?? ''}@${c.role ?? ''}`,
    };
  if (c.mode === 'fsm') {
    const theirs = mergeTerminals(parseDot(c.output.join('\n')));
    const ours = mergeTerminals(efsmGraph(rr.efsm));
    const iso = isomorphic(ours, theirs, nuscrLabelsMatch);
    return iso.isomorphic
      ? { c, verdict: 'agree', ours: 'accept', detail: '' }
      : {
          c,
          verdict: 'differs',
          ours: 'other output',
          detail:
            `not isomorphic (ours first): ${iso.reason}\n- nuScr, + ours:\n` +
            lineDiff(canonicalListing(theirs), canonicalListing(ours)),
        };
  }
  const theirs = canonical(treeOfText(c.output.join('\n')));
  const ours = canonical(treeOfLocal(rr.local));
  const text = rr.printed;
  let printed: string;
  try {
    printed = canonical(treeOfText(text));
  } catch (e) {
    printed = `unreadable: ${e instanceof Error ? e.message : String(e)}`;
  }
  const detail = `nuScr: ${theirs}\nours:  ${ours}\nprinted: ${printed}\n${text}`;
  return {
    c,
    verdict: theirs === ours ? 'agree' : 'differs',
    ours: theirs === ours ? 'accept' : 'other output',
    detail,
    printed: printed === ours,
  };
}

interface ExampleOutcome {
  readonly rel: string;
  readonly expected: 'accept' | 'reject';
  readonly accepted: boolean;
  readonly tolerated: boolean;
  /** nuScr's own result on the file (`accept`, `reject`, `unimplemented`). */
  readonly nuscr: string;
  readonly detail: string;
}
const exampleOutcomes: ExampleOutcome[] = [];

// ---- tests ------------------------------------------------------------------------------------

const cases = root ? cramCases() : [];
/** The test name of a cram command, as printed (and as `nuscr-differences.tsv` names it). */
const label = (c: CramCase): string =>
  `${c.test.replace(/^cram-tests\//, '')}: ${c.command} (exit ${String(c.exit)})`;
const exampleRows = new Map<string, TsvRow>(
  root ? readTsv(path.join(nuscr, 'expectations-examples.tsv')).map((r) => [r.path ?? '', r]) : [],
);
const files = root
  ? listFiles(path.join(nuscr, 'examples'), ['.nuscr'])
      .map((f) => `examples/${f}`)
      .filter((rel) => exampleRows.get(rel)?.expected !== 'skip')
  : [];
const exampleName = (rel: string): string => `nuscr/${rel}`;

/** The assertion message for a listed case. */
const listedMessage = (row: Listed): string =>
  `listed in nuscr-differences.tsv (expected ${row.expected}, ours ${row.ours}): ${row.reason}`;

if (!root) test.skip(missingCorpusNotice('projector nuScr'), () => {});

describe.skipIf(!root)('nuscr-differences.tsv', () => {
  test('every row names a case of this suite once, with a reason and valid expected/ours values', () => {
    const known = new Set([...cases.map(label), ...files.map(exampleName)]);
    expect(
      differenceRows.map((r) => r.case).filter((c) => !known.has(c ?? '')),
      'rows naming no case of this suite',
    ).toEqual([]);
    expect(listed.size, 'a case is listed twice').toBe(differenceRows.length);
    const bad = differenceRows.filter(
      (r) =>
        (r.reason ?? '').trim() === '' ||
        !['accept', 'reject'].includes(r.expected ?? '') ||
        !['accept', 'reject', 'other output'].includes(r.ours ?? '') ||
        r.expected === r.ours,
    );
    expect(
      bad,
      'rows without a reason, or with expected/ours not one of accept/reject/other output, or equal',
    ).toEqual([]);
  });
});

describe.skipIf(!root)('nuScr cram tests', () => {
  test('the cram command set is the expected one', () => {
    expect(cases.filter((c) => c.mode === 'fsm').length).toBe(3);
    expect(cases.filter((c) => c.mode === 'project').length).toBe(45);
  });

  test.each(cases.map((c) => [label(c), c] as const))('%s', async (_l, c) => {
    const o = await runCram(c);
    cramOutcomes.push(o);
    const row = listed.get(label(c));
    if (row) {
      expect(
        o.verdict,
        `${listedMessage(row)}; but now ` +
          `${o.verdict === 'agree' ? 'we agree with nuScr' : 'nuScr\'s "not implemented" is tolerated'}: ` +
          `remove the row\n${o.detail}`,
      ).toBe('differs');
      expect(
        { expected: c.exit === 0 ? 'accept' : 'reject', ours: o.ours },
        `${listedMessage(row)}; the difference changed: update the row\n${o.detail}`,
      ).toEqual({
        expected: row.expected,
        ours: row.ours,
      });
    } else {
      expect(o.verdict, o.detail).not.toBe('differs');
    }
    if (o.printed !== undefined)
      expect(
        o.printed,
        `printLocalProtocol read back differs from the local type:\n${o.detail}`,
      ).toBe(true);
  });
});

describe.skipIf(!root)('nuScr examples: verdicts', () => {
  test("75 examples, as in nuScr's harness", () => {
    expect(files.length).toBe(75);
  });

  test('the errors/ files nuScr does not implement are the two we accept, each listed', () => {
    const unimplemented = files.filter(
      (rel) =>
        rel.split('/').slice(0, -1).includes('errors') &&
        exampleRows.get(rel)?.observed === 'unimplemented',
    );
    const names = [
      'examples/nested-protocols/parser/errors/ContAfterChoice.nuscr',
      'examples/nested-protocols/parser/errors/ContAfterRec.nuscr',
    ];
    expect(unimplemented).toEqual(names);
    for (const rel of names)
      expect(listed.get(exampleName(rel)), rel).toMatchObject({
        expected: 'reject',
        ours: 'accept',
      });
  });

  test.each(files)('nuscr/%s', async (rel) => {
    const negative = rel.split('/').slice(0, -1).includes('errors');
    const row = listed.get(exampleName(rel));
    // nuScr's "not implemented" is tolerated, unless the row lists what we do instead.
    const tolerated = exampleRows.get(rel)?.observed === 'unimplemented' && row === undefined;
    const r = await analyze(rel);
    const errors = errorsOf(r);
    const accepted = r.kind === 'ok' && errors.length === 0;
    const expected = negative ? 'reject' : 'accept';
    exampleOutcomes.push({
      rel,
      expected,
      accepted,
      tolerated: negative && tolerated,
      nuscr: exampleRows.get(rel)?.observed ?? '',
      detail: r.kind === 'ok' ? errors.join('\n') : failure(r),
    });
    expect(r.kind, failure(r)).toBe('ok');
    if (row) {
      expect(
        accepted === (expected === 'accept'),
        `${listedMessage(row)}; but now we agree with nuScr: remove the row\n${errors.join('\n')}`,
      ).toBe(false);
      expect(
        { expected, ours: accepted ? 'accept' : 'reject' },
        `${listedMessage(row)}; the difference changed: update the row`,
      ).toEqual({ expected: row.expected, ours: row.ours });
      return;
    }
    if (negative && tolerated)
      expect(
        accepted,
        `an errors/ file nuScr does not implement, accepted: list it in nuscr-differences.tsv`,
      ).toBe(false);
    else if (negative)
      expect(
        accepted,
        `in an errors/ directory but accepted (nuScr: ${String(exampleRows.get(rel)?.observed_first_line)})`,
      ).toBe(false);
    else expect(errors, `rejected a valid example`).toEqual([]);
  });
});

// ---- summary ----------------------------------------------------------------------------------

afterAll(async () => {
  await analyzer.close();
  if (!root || (cramOutcomes.length === 0 && exampleOutcomes.length === 0)) return;
  const lines = ['## nuScr (`nuscr.test.ts`)', ''];
  lines.push(
    'Cram commands of `cram-tests/{core,refinements}`: `--fsm` compared ' +
      'up to isomorphism (end states merged, labels by ' +
      'peer/direction/label/payload count),',
    '`--project` by canonical local-type structure (payloads by count, ' +
      '`(silent)` and `(end)` ignored, branches unordered), exit-124 commands by',
    'verdict (we must report an error). nuScr\'s "not implemented" errors are tolerated (counted, not asserted).',
    '',
  );
  const kinds: [string, (o: CramOutcome) => boolean][] = [
    ['--fsm (exit 0)', (o) => o.c.mode === 'fsm' && o.c.exit === 0],
    ['--project (exit 0)', (o) => o.c.mode === 'project' && o.c.exit === 0],
    ['error expected (exit 124)', (o) => o.c.exit !== 0],
  ];
  const refinementError = (o: CramOutcome): boolean =>
    o.c.exit !== 0 && REFINEMENT_ERROR.test(nuscrError(o.c));
  const cramListed = (o: CramOutcome): Listed | undefined =>
    o.verdict === 'differs' ? listed.get(label(o.c)) : undefined;
  const exampleDiffers = (o: ExampleOutcome): boolean =>
    (o.expected === 'accept') !== o.accepted && !o.tolerated;
  const exampleListed = (o: ExampleOutcome): Listed | undefined =>
    exampleDiffers(o) ? listed.get(exampleName(o.rel)) : undefined;
  {
    const agree = cramOutcomes.filter((o) => o.verdict === 'agree').length;
    const tol = cramOutcomes.filter((o) => o.verdict === 'tolerated').length;
    const lst = cramOutcomes.filter((o) => cramListed(o) !== undefined).length;
    const unexplained = cramOutcomes.filter(
      (o) => o.verdict === 'differs' && cramListed(o) === undefined,
    ).length;
    const exAgree = exampleOutcomes.filter((o) => !exampleDiffers(o)).length;
    const exTol = exampleOutcomes.filter((o) => o.tolerated).length;
    const exListed = exampleOutcomes.filter((o) => exampleListed(o) !== undefined).length;
    const exUnexplained = exampleOutcomes.filter(
      (o) => exampleDiffers(o) && exampleListed(o) === undefined,
    ).length;
    lines.push(
      `**Summary: cram: ${String(cramOutcomes.length)} commands: ` +
        `${String(agree)} agree, ${String(tol)} tolerated (nuScr "not ` +
        `implemented"), ` +
        `${String(lst)} listed differences, ${String(unexplained)} ` +
        `unexplained; examples: ${String(exampleOutcomes.length)} files: ` +
        `${String(exAgree)} agree (${String(exTol)} of them tolerated), ` +
        `${String(exListed)} listed differences, ${String(exUnexplained)} unexplained. ` +
        'Listed = in `nuscr-differences.tsv`, each asserted to still differ.**',
      '',
    );
  }
  const cramRow = (name: string, os: readonly CramOutcome[]): (string | number)[] => {
    const agree = os.filter((o) => o.verdict === 'agree').length;
    const tol = os.filter((o) => o.verdict === 'tolerated').length;
    const differ = os.filter((o) => o.verdict === 'differs');
    return [
      name,
      os.length,
      `${String(agree)} (${pct(agree, os.length - tol)})`,
      tol,
      differ.filter((o) => cramListed(o) !== undefined).length,
      differ.filter((o) => cramListed(o) === undefined).length,
      differ.filter(refinementError).length,
    ];
  };
  lines.push(
    table(
      [
        'cram commands',
        'commands',
        'agree',
        'tolerated (nuScr unimplemented)',
        'listed differences',
        'unexplained',
        'differ: refinement-type errors',
      ],
      [
        ...kinds.map(([n, f]) => cramRow(n, cramOutcomes.filter(f))),
        cramRow('**all**', cramOutcomes),
      ],
    ),
    '',
  );
  const printedBad = cramOutcomes.filter((o) => o.printed === false);
  lines.push(
    `\`printLocalProtocol\` read back = our local type: ` +
      `${String(cramOutcomes.filter((o) => o.printed === true).length)} of ` +
      `${String(cramOutcomes.filter((o) => o.printed !== undefined).length)}.`,
    '',
  );
  const bad = cramOutcomes.filter((o) => o.verdict !== 'agree' || o.printed === false);
  if (bad.length > 0) {
    lines.push('### Cram commands that differ or are tolerated', '');
    for (const o of bad) {
      const row = cramListed(o);
      const notes = [
        printedBad.includes(o) ? 'printed text differs' : '',
        refinementError(o) ? 'refinement-type error' : '',
        o.verdict === 'differs' ? (row ? 'listed' : '**unexplained**') : '',
      ].filter((x) => x !== '');
      lines.push(
        `<details><summary><code>${o.c.test}</code>: ` +
          `<code>${o.c.command}</code>: ${o.verdict}${notes.length > 0 ? ` (${notes.join(', ')})` : ''}</summary>`,
        '',
      );
      if (row) lines.push(`Listed: expected ${row.expected}, ours ${row.ours}. ${row.reason}`, '');
      lines.push('```text', o.detail, '```', '', '</details>', '');
    }
  }
  if (exampleOutcomes.length > 0) {
    const folders = [...new Set(exampleOutcomes.map((o) => folderOf(o.rel, 2)))].sort();
    const exRow = (name: string, os: readonly ExampleOutcome[]): (string | number)[] => {
      const acc = os.filter((o) => o.expected === 'accept');
      const rej = os.filter((o) => o.expected === 'reject');
      const agree = os.filter((o) => !exampleDiffers(o)).length;
      return [
        name,
        os.length,
        acc.length,
        acc.filter((o) => o.accepted).length,
        rej.length,
        rej.filter((o) => !o.accepted).length,
        os.filter((o) => o.tolerated).length,
        `${String(agree)}/${String(os.length)} (${pct(agree, os.length)})`,
        os.filter((o) => exampleListed(o) !== undefined).length,
        os.filter((o) => exampleDiffers(o) && exampleListed(o) === undefined).length,
      ];
    };
    lines.push('### nuScr examples: verdicts', '');
    lines.push(
      table(
        [
          'folder',
          'files',
          'expected accept',
          'accepted',
          'expected reject (errors/)',
          'rejected',
          'tolerated',
          'agreement (incl. tolerated)',
          'listed differences',
          'unexplained',
        ],
        [
          ...folders.map((f) =>
            exRow(
              f,
              exampleOutcomes.filter((o) => folderOf(o.rel, 2) === f),
            ),
          ),
          exRow('**all**', exampleOutcomes),
        ],
      ),
      '',
    );
    const wrong = exampleOutcomes.filter((o) => (o.expected === 'accept') !== o.accepted);
    if (wrong.length > 0) {
      lines.push('Disagreements:', '');
      for (const o of wrong) {
        const row = exampleListed(o);
        const note = o.tolerated
          ? ' (tolerated: nuScr says not implemented)'
          : o.nuscr === 'unimplemented'
            ? ' (nuScr itself says "not implemented" on this file)'
            : '';
        const status = o.tolerated ? '' : row ? ` **listed**: ${row.reason}` : ' **unexplained**';
        lines.push(
          `- \`nuscr/${o.rel}\`: expected ${o.expected}${note}` +
            `${o.detail ? `; ${o.detail.split('\n')[0] ?? ''}` : ''}.${status}`,
        );
      }
      lines.push('');
    }
  }
  writeSection('nuscr', lines.join('\n'));
});
