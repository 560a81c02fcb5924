/**
 * Our EFSMs against scribble-java's, one test per (protocol, role) pair of
 * `scribble-java/reference-output/index.tsv` (516 pairs from 183 good files).
 *
 * For each pair: `analyzeFiles([<file>], nodeHost, { importPaths: [<corpus>/scribble-java],
 * protocol })`, then the role's `efsm` must be isomorphic, from the initial states and over the
 * reachable states only, to scribble-java's `-fsm` dot (default, non-minimised EFSM with `do`
 * inlined). Labels are compared with `scribbleJavaLabelsMatch` (labels.ts): payload types by
 * their last name segment, scribble-java's unsubstituted `type` parameters as wildcards,
 * `EMPTY_OP` as the empty label; peers, directions, operators and payload counts exactly.
 *
 * Deliberate differences are listed in `reference-differences.tsv` (path, protocol, role,
 * reason). Every pair not listed must be isomorphic. Every listed pair must still differ, and
 * only in representation: not isomorphic, but trace equivalent (same traces and end points
 * once both machines are determinised), with the reachable state counts its reason states
 * (`ours N states vs scribble-java M`). So the list cannot rot: a listed pair that becomes
 * isomorphic, behaviourally different, or differently shaped fails until its row is updated.
 * Summary: reports/conformance-projector.md.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import {
  corpusRoot,
  folderOf,
  missingCorpusNotice,
  readTsv,
  readText,
} from '../../../../tools/corpus.js';
import {
  canonicalListing,
  dedupeEdges,
  isomorphic,
  lineDiff,
  mapLabels,
  parseDot,
  reachable,
  traceDifference,
} from './graph.js';
import { efsmGraph, lastSegment, parseLabel, scribbleJavaLabelsMatch } from './labels.js';
import { errorLines, failure, GuardedAnalyzer, type Guarded } from './guarded.js';
import { pct, table, writeSection } from './report.js';

const root = corpusRoot();
if (!root) console.warn(missingCorpusNotice('projector reference'));
const sj = path.join(root ?? '', 'scribble-java');
const refDir = path.join(sj, 'reference-output');
const DIFFERENCES = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  'reference-differences.tsv',
);

interface Pair {
  readonly path: string;
  readonly protocol: string;
  readonly role: string;
  readonly fsmFile: string;
}

const key = (p: { path: string; protocol: string; role: string }): string =>
  `${p.path} ${p.protocol}@${p.role}`;

const pairs: Pair[] = root
  ? readTsv(path.join(refDir, 'index.tsv'))
      .filter((r) => r.fsm_status === 'ok')
      .map((r) => ({
        path: r.path ?? '',
        protocol: r.protocol ?? '',
        role: r.role ?? '',
        fsmFile: r.fsm_file ?? '',
      }))
  : [];
const differenceRows = readTsv(DIFFERENCES);
const listed = new Map(
  differenceRows.map(
    (r) =>
      [
        key({ path: r.path ?? '', protocol: r.protocol ?? '', role: r.role ?? '' }),
        r.reason ?? '',
      ] as const,
  ),
);
/** The reachable state counts a reason states: `ours N states vs scribble-java M`. */
const STATE_COUNTS = /\bours (\d+) states? vs scribble-java (\d+)\b/;
function statedCounts(reason: string): { ours: number; ref: number } | undefined {
  const m = STATE_COUNTS.exec(reason);
  return m ? { ours: Number(m[1]), ref: Number(m[2]) } : undefined;
}

// ---- running ----------------------------------------------------------------------------------

const analyzer = new GuardedAnalyzer();
const cache = new Map<string, Promise<Guarded>>();
function analyze(rel: string, protocol: string): Promise<Guarded> {
  const k = `${rel} ${protocol}`;
  let r = cache.get(k);
  if (!r) {
    r = analyzer.analyze([path.join(sj, rel)], { importPaths: [sj], protocol });
    cache.set(k, r);
  }
  return r;
}

/**
 * `equivalent`: not isomorphic, but the same traces (and the same points where the role may
 * end) once both machines are determinised; `differs`: not even that.
 */
type Verdict = 'isomorphic' | 'equivalent' | 'differs' | 'rejected' | 'no-efsm' | 'error';
interface Outcome {
  readonly pair: Pair;
  readonly verdict: Verdict;
  readonly detail: string;
  /** scribble-java's dot repeats an edge (same source, label, target); compared as a set. */
  readonly refHadDuplicates?: boolean;
  /** Our EFSM repeats a transition (same source, label, target). */
  readonly oursHadDuplicates?: boolean;
  /** Reachable states of our EFSM and of scribble-java's (when both exist). */
  readonly oursStates?: number;
  readonly refStates?: number;
}
const outcomes: Outcome[] = [];

async function compare(p: Pair): Promise<Outcome> {
  const r = await analyze(p.path, p.protocol);
  if (r.kind !== 'ok') return { pair: p, verdict: 'error', detail: failure(r) };
  const errors = errorLines(r, (f) => path.relative(sj, f));
  const efsm = r.protocols
    .find((x) => x.name === p.protocol)
    ?.roles.find((x) => x.role === p.role)?.efsm;
  const shownErrors = errors.join('\n');
  if (errors.length > 0 && !efsm)
    return { pair: p, verdict: 'rejected', detail: `rejected a good file:\n${shownErrors}` };
  if (!efsm)
    return {
      pair: p,
      verdict: 'no-efsm',
      detail: `no EFSM for ${p.protocol}@${p.role} (protocols: ${r.protocols.map((x) => x.name).join(', ')})`,
    };
  const raw = parseDot(readText(path.join(refDir, p.fsmFile)));
  const ref = dedupeEdges(raw);
  const refHadDuplicates = ref !== raw;
  const ourRaw = efsmGraph(efsm);
  const ours = dedupeEdges(ourRaw);
  const oursHadDuplicates = ours !== ourRaw;
  const eq = scribbleJavaLabelsMatch(new Set(r.typeParams));
  const iso = isomorphic(ours, ref, eq);
  const sizes = {
    oursStates: reachable(ours).nodes.length,
    refStates: reachable(ref).nodes.length,
  };
  if (iso.isomorphic && errors.length === 0)
    return {
      pair: p,
      verdict: 'isomorphic',
      detail: '',
      refHadDuplicates,
      oursHadDuplicates,
      ...sizes,
    };
  if (iso.isomorphic)
    return {
      pair: p,
      verdict: 'rejected',
      detail: `EFSM isomorphic, but error diagnostics on a good file:\n${shownErrors}`,
      ...sizes,
    };
  const traces = traceDifference(ours, ref, eq);
  const detail = [
    traces === ''
      ? 'not isomorphic, but trace equivalent (same traces and end points once determinised)'
      : `not trace equivalent (ours first): ${traces}`,
    `isomorphism check (ours first): ${iso.reason}`,
    'diff of canonical listings (- scribble-java, + ours; labels shown normalised):',
    lineDiff(canonicalListing(mapLabels(ref, display)), canonicalListing(mapLabels(ours, display))),
  ].join('\n');
  return {
    pair: p,
    verdict: traces === '' ? 'equivalent' : 'differs',
    detail,
    refHadDuplicates,
    oursHadDuplicates,
    ...sizes,
  };
}

/** A label as compared: `EMPTY_OP` dropped, payload types by last segment. */
function display(label: string): string {
  const l = parseLabel(label);
  if (!l || l.dir === 'crash') return label;
  return `${l.peer}${l.dir}${l.op}(${l.payloads.map(lastSegment).join(', ')})`;
}

// ---- tests ------------------------------------------------------------------------------------

if (!root) test.skip(missingCorpusNotice('projector reference'), () => {});

describe.skipIf(!root)('EFSMs against scribble-java reference output', () => {
  test('the index has the 516 pairs of the corpus README, and every listed difference is one of them', () => {
    expect(pairs.length).toBe(516);
    const all = new Set(pairs.map(key));
    expect([...listed.keys()].filter((k) => !all.has(k))).toEqual([]);
  });

  test('every row of reference-differences.tsv is unique and states a reason with the state counts', () => {
    expect(listed.size, 'a (path, protocol, role) is listed twice').toBe(differenceRows.length);
    const bad = [...listed]
      .filter(([, reason]) => statedCounts(reason) === undefined)
      .map(([k]) => k);
    expect(bad, 'reason without `ours N states vs scribble-java M`').toEqual([]);
  });

  test.each(pairs.map((p) => [p.path, `${p.protocol}@${p.role}`, p] as const))(
    '%s %s',
    async (_path, _pr, p) => {
      const o = await compare(p);
      outcomes.push(o);
      const reason = listed.get(key(p));
      if (reason !== undefined) {
        expect(
          o.verdict,
          `listed in reference-differences.tsv (${reason}) but now isomorphic: remove the row`,
        ).not.toBe('isomorphic');
        expect(
          o.verdict,
          `listed in reference-differences.tsv as a representation difference ` +
            `(${reason}), but not trace equivalent:\n${o.detail}`,
        ).toBe('equivalent');
        const stated = statedCounts(reason);
        expect(
          { ours: o.oursStates, ref: o.refStates },
          `state counts differ from the row's reason (${reason}): update the row\n${o.detail}`,
        ).toEqual(stated);
      } else {
        expect(o.verdict, o.detail).toBe('isomorphic');
      }
    },
  );

  test('efsmToDot output reads back as the same machine (dot printer round trip)', async () => {
    let checked = 0;
    const bad: string[] = [];
    for (const pending of cache.values()) {
      const r = await pending;
      if (r.kind !== 'ok') continue;
      for (const pr of r.protocols) {
        for (const role of pr.roles) {
          if (!role.efsm) continue;
          checked++;
          const back = parseDot(role.dot);
          const iso = isomorphic(back, efsmGraph(role.efsm));
          if (!iso.isomorphic || back.initial !== String(role.efsm.initial))
            bad.push(`${pr.name}@${role.role}: ${iso.reason}`);
        }
      }
    }
    expect(bad).toEqual([]);
    expect(checked).toBeGreaterThan(0);
  });
});

// ---- summary ----------------------------------------------------------------------------------

afterAll(async () => {
  await analyzer.close();
  if (!root || outcomes.length === 0) return;
  const lines: string[] = ['## EFSMs against scribble-java (`reference.test.ts`)', ''];
  lines.push(
    'Each (protocol, role) pair of ' +
      '`scribble-java/reference-output/index.tsv`: our EFSM vs ' +
      "scribble-java's `-fsm` output, up to isomorphism",
    'from the initial state (reachable states only). Labels: payload ' +
      "types by last name segment, scribble-java's unsubstituted",
    '`type` parameters match anything, `EMPTY_OP` = empty label. "Listed" ' +
      '= in `reference-differences.tsv` (deliberate).',
    '',
  );
  const count = (os: readonly Outcome[], v: Verdict): number =>
    os.filter((o) => o.verdict === v).length;
  const isListed = (o: Outcome): boolean => listed.has(key(o.pair));
  const rowOf = (name: string, os: readonly Outcome[]): (string | number)[] => {
    const iso = count(os, 'isomorphic');
    const lst = os.filter((o) => isListed(o) && o.verdict !== 'isomorphic').length;
    const unexplained = os.filter((o) => !isListed(o) && o.verdict !== 'isomorphic').length;
    return [
      name,
      os.length,
      `${String(iso)} (${pct(iso, os.length)})`,
      lst,
      unexplained,
      count(os, 'equivalent'),
      count(os, 'differs'),
      count(os, 'rejected') + count(os, 'no-efsm'),
      count(os, 'error'),
    ];
  };
  const folders = [...new Set(outcomes.map((o) => folderOf(o.pair.path, 3)))].sort();
  const listedNow = outcomes.filter((o) => isListed(o) && o.verdict !== 'isomorphic').length;
  const unexplainedNow = outcomes.filter((o) => !isListed(o) && o.verdict !== 'isomorphic').length;
  lines.push(
    `**Summary: ${String(outcomes.length)} pairs: ` +
      `${String(count(outcomes, 'isomorphic'))} isomorphic, ` +
      `${String(listedNow)} listed differences ` +
      `(\`reference-differences.tsv\`, each asserted to still differ and to ` +
      `be trace equivalent), ${String(unexplainedNow)} unexplained.**`,
    '',
  );
  lines.push(
    table(
      [
        'folder',
        'pairs',
        'isomorphic',
        'listed differences',
        'unexplained',
        'trace equivalent',
        'traces differ',
        'rejected / no EFSM',
        'threw or hung',
      ],
      [
        ...folders.map((f) =>
          rowOf(
            f,
            outcomes.filter((o) => folderOf(o.pair.path, 3) === f),
          ),
        ),
        rowOf('**all**', outcomes),
      ],
    ),
    '',
  );
  const dups = outcomes.filter(
    (o) => o.refHadDuplicates === true && o.verdict === 'isomorphic',
  ).length;
  lines.push(
    'Columns after "unexplained" split the non-isomorphic pairs (listed ' +
      'or not): "trace equivalent" = same traces and end points once',
    'both machines are determinised (a representation difference), "traces differ" = a behavioural difference,',
    '"rejected" = error diagnostics on a good file, "threw or hung" = analyzeFiles threw or did not finish in time.',
    `Transitions are compared as a set: ${String(dups)} isomorphic pairs ` +
      `are so only because scribble-java's dot repeats an edge (same source, ` +
      `label and target);`,
    `our EFSM repeats a transition in ${String(outcomes.filter((o) => o.oursHadDuplicates === true).length)} pairs.`,
    '',
  );
  const unexplained = outcomes.filter((o) => !isListed(o) && o.verdict !== 'isomorphic');
  lines.push(`### Unexplained differences (${String(unexplained.length)})`, '');
  if (unexplained.length === 0) lines.push('None.', '');
  for (const o of unexplained) {
    lines.push(
      `<details><summary><code>${o.pair.path}</code> ${o.pair.protocol}@${o.pair.role}: ${o.verdict}</summary>`,
      '',
      '```text',
      o.detail,
      '```',
      '',
      '</details>',
      '',
    );
  }
  const lst = outcomes.filter(isListed);
  if (lst.length > 0) {
    lines.push(`### Listed differences (${String(lst.length)})`, '');
    for (const o of lst) {
      lines.push(
        `<details><summary><code>${o.pair.path}</code> ` +
          `${o.pair.protocol}@${o.pair.role} (now: ${o.verdict}): ${listed.get(key(o.pair)) ?? ''}</summary>`,
        '',
        '```text',
        o.detail === '' ? '(isomorphic)' : o.detail,
        '```',
        '',
        '</details>',
        '',
      );
    }
  }
  writeSection('reference', lines.join('\n'));
});
