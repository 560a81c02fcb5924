import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { memoryHost } from '@mpst/scribble';
import { verifyFiles } from '@mpst/verify';
import { applyPlan, planRefactoring, type Plan } from '../src/index.js';

const CORPUS = join(process.env['MPST_CORPUS'] ?? '/work/shared/corpus', 'teatrino', 'scribble');

/**
 * Each all-reliable Teatrino example with the unreliable roles of its hand-written
 * crash-tolerant variant(s); every one verifies. `note`: what a reader comparing with the
 * hand-written variant should know beyond the computed differences (checked by hand).
 */
const OAUTH_NOTE =
  'S learns which branch A chose only through Cl: once Cl has crashed S cannot tell, so S needs one ' +
  'crash continuation for both branches (the projector refuses anything else, MPST210), and no option ' +
  'that only adds handling gives it. The second pass takes the option that changes failure-free runs ' +
  "(marked so in the decision): S handles Cl's crash the same way after `ko` and after `ok` " +
  '(`fatal()` to A), and tells A `done()` after `ko` in the failure-free run, where A would otherwise ' +
  'not know whether to wait for S. The hand-written variant does the same with one label, `quit` from ' +
  'S to A after `received` and in every crash branch of Cl (ours sends `done()` right after `ko` ' +
  'arrives, before `received`).';
const CASES: readonly {
  all: string;
  protocol: string;
  variant: string;
  unreliable: string[];
  note?: string;
}[] = [
  {
    all: 'a_PingPongAll',
    protocol: 'PingPongAll',
    variant: 'b_PingPongNone',
    unreliable: ['P', 'Q'],
  },
  { all: 'c_AdderAll', protocol: 'AdderAll', variant: 'd_AdderNone', unreliable: ['Cl', 'S'] },
  { all: 'e_TwoBuyerAll', protocol: 'TwoBuyerAll', variant: 'f_TwoBuyerR', unreliable: ['P', 'Q'] },
  {
    all: 'g_OAuthAll',
    protocol: 'OAuthAll',
    variant: 'h_OAuthSA',
    unreliable: ['Cl'],
    note: OAUTH_NOTE,
  },
  {
    all: 'g_OAuthAll',
    protocol: 'OAuthAll',
    variant: 'i_OAuthS',
    unreliable: ['Cl', 'A'],
    note:
      OAUTH_NOTE +
      ' With A unreliable too, A may crash after telling Cl: Cl tells S `fatal()` (a crash branch ' +
      'of `choice at A`), and that receive from Cl gets the same crash continuation as the other ' +
      'two (the hand-written variant: `fatal from Cl to S`, and `quit from S to A` when Cl crashed).',
  },
  {
    all: 'g_OAuthAll',
    protocol: 'OAuthAll',
    variant: 'j_OAuthNone',
    unreliable: ['Cl', 'A', 'S'],
    note:
      OAUTH_NOTE +
      " With every role unreliable, what S sends A may be lost to S's crash as well. After `ko` " +
      'a missing `done()` or `fatal()` counts as received (A ends either way). After `ok`, A ' +
      'cannot tell whether it missed `get` or `fatal()`, so both receives get the same crash ' +
      'branch, a second uniform decision that adds no message: A just stops (nobody waits on A ' +
      "there), and Cl, which waits for `put` from S, learns of S's crash in the same branch. The " +
      'hand-written variant ends the same way: `choice at S { quit from S to A; } or { crash ' +
      'from S to A; }`.',
  },
  { all: 'k_TravelAll', protocol: 'TravelAll', variant: 'l_TravelAS', unreliable: ['Cl'] },
  { all: 'k_TravelAll', protocol: 'TravelAll', variant: 'm_TravelA', unreliable: ['Cl', 'S'] },
  { all: 'n_LoggerAll', protocol: 'LoggerAll', variant: 'o_LoggerIC', unreliable: ['L'] },
  { all: 'n_LoggerAll', protocol: 'LoggerAll', variant: 'p_LoggerI', unreliable: ['L', 'Cl'] },
  { all: 'q_CBreakerAll', protocol: 'CBreakerAll', variant: 'r_CBreakerAS', unreliable: ['R'] },
  {
    all: 'q_CBreakerAll',
    protocol: 'CBreakerAll',
    variant: 's_CBreakerASRec',
    unreliable: ['R'],
    note:
      'The same refactoring as for r_CBreakerAS (same roles unreliable). The hand-written variant ' +
      'differs from r_CBreakerAS in what S does once R has crashed: it loops in a new `rec t1` ' +
      '(A keeps enquiring, S answers `permOpen` and `fail` without asking R), where ours keeps ' +
      'the loop `t0` as it is: a missing `ok` counts as `ko`, a missing `put` as received, and ' +
      'a crash during the half-open probe ends the protocol with `fatal()` to A.',
  },
];

/**
 * Teatrino files that are not cases, and why (written to fixtures/teatrino/README.md; the test
 * checks that every corpus file is a case or listed here, and the claims it can check).
 */
const NOT_CASES: readonly { file: string; why: string }[] = [
  {
    file: 'Log',
    why:
      'a scratch file, not a pair: it does not parse (`crash from` without roles, MPST010) and ' +
      'declares `Log` and `ULog` twice each (MPST102); one `ULog` marks S `reliable` and still ' +
      'has `crash from S to M` (MPST118). There is no `LogAll` file to start from.',
  },
  {
    file: 'Sec2_SimplerLogging',
    why:
      'a paper example (Sec. 2) with Cl unreliable and no all-reliable version in the corpus; ' +
      'its roles are those of `LoggerAll`, but not its messages (`trigger`, `read`, `report`), ' +
      'so n_LoggerAll is not its starting point. Deriving a reliable version ourselves would ' +
      'compare us with our own text, not with Teatrino.',
  },
  {
    file: 'Sec6_SimpleLogger',
    why:
      'a paper example (Sec. 6, protocol `LessSimpleLogger`) with U unreliable and no ' +
      'all-reliable version in the corpus, for the same reason.',
  },
];

/** The unreliable roles a hand-written variant declares (every role not marked `reliable`). */
function unreliableOf(text: string): string[] {
  const header = /protocol\s+\w+\s*\(([^)]*)\)/.exec(text)?.[1] ?? '';
  return header
    .split(',')
    .map((r) => r.trim())
    .filter((r) => !r.startsWith('reliable'))
    .map((r) => r.replace(/^role\s+/, ''));
}

describe.skipIf(!existsSync(CORPUS))(
  'Teatrino: all-reliable examples refactored like the hand-written variants',
  () => {
    test.each(CASES)("$all with $variant's unreliable roles", async (c) => {
      const text = readFileSync(join(CORPUS, `${c.all}.nuscr`), 'utf8');
      const hand = readFileSync(join(CORPUS, `${c.variant}.nuscr`), 'utf8');
      expect(unreliableOf(hand)).toEqual(c.unreliable);
      const plan = planRefactoring(
        text,
        c.protocol,
        { unreliable: c.unreliable },
        { file: `${c.all}.nuscr` },
      );
      expect(plan.verdict).toBe('verified');
      // Every comment and every untouched line of the original survives.
      for (const line of text.split('\n').filter((l) => /\(\*|\/\//.test(l)))
        expect(plan.output).toContain(line);
      const report = [
        `# ${c.all} refactored with unreliable ${c.unreliable.join(', ')} (hand-written: ${c.variant})`,
        `verdict: ${plan.verdict}`,
        ...plan.diagnostics.map((d) => `${d.code}: ${d.message}`),
        '',
        '## decisions (what was added where, and why)',
        ...plan.decisions.map(
          (d) =>
            `- line ${d.location.line}: ${d.id}: ${d.options[d.chosen]?.description ?? 'none'}\n  why: ${d.reason}`,
        ),
        '',
        '## differences from the hand-written variant',
        ...explainDifferences(plan, text, hand),
        ...(c.note ? [`- note: ${c.note}`] : []),
        '',
        '## refactored',
        plan.output,
      ].join('\n');
      await expect(report).toMatchFileSnapshot(`fixtures/teatrino/${c.all}.${c.variant}.txt`);
    });
  },
);

/**
 * The differences a reader should know, in words: how the failures are handled on each side
 * (default communications vs explicit crash branches), the labels each side adds to the
 * all-reliable original (and the original's labels the hand-written file spells otherwise),
 * and which of our decisions change failure-free runs.
 */
function explainDifferences(plan: Plan, all: string, hand: string): string[] {
  const ours = plan.output;
  const count = (t: string, re: RegExp): number => t.match(re)?.length ?? 0;
  const labels = (t: string): Set<string> =>
    new Set(
      [...t.matchAll(/(\w+)(?:\([^)]*\))?\s+from\s+\w+\s+to/g)]
        .map((m) => m[1] ?? '')
        .filter((l) => l !== 'crash'), // `crash from X to Y` is a notice, not a label
    );
  const [original, mine, theirs] = [labels(all), labels(ours), labels(hand)];
  const added = (t: Set<string>): string =>
    [...t].filter((l) => !original.has(l)).join(', ') || 'none';
  const lost = [...original].filter((l) => !theirs.has(l));
  const changing = plan.decisions.filter((d) => d.options[d.chosen]?.changesFailureFreeRuns);
  return [
    `- default communications: ours ${count(ours, /\bdefault\b/g)}, hand-written ${count(hand, /\bdefault\b/g)} ` +
      '(a default is our extension: the receiver goes on as in the default branch, so no new labels are needed)',
    `- crash branches (\`crash from\`): ours ${count(ours, /crash from/g)}, hand-written ${count(hand, /crash from/g)}`,
    `- labels we add: ${added(mine)}`,
    `- labels the hand-written variant adds: ${added(theirs)}`,
    ...(lost.length > 0
      ? [
          `- labels of the all-reliable original the hand-written file does not use: ${lost.join(', ')} ` +
            "(Teatrino's two files differ there; we keep the original's)",
        ]
      : []),
    changing.length === 0
      ? '- failure-free runs: unchanged (every addition is failure handling)'
      : `- failure-free runs: changed by ${changing.map((d) => `\`${d.id}\``).join(', ')} ` +
        '(an option marked `changes failure-free runs`, taken because no plan that only adds handling verifies)',
  ];
}

describe.skipIf(!existsSync(CORPUS))('Teatrino corpus: cases and files that are not cases', () => {
  test('every file is a case or says why not (fixtures/teatrino/README.md)', async () => {
    const files = readdirSync(CORPUS)
      .filter((f) => f.endsWith('.nuscr'))
      .map((f) => f.replace(/\.nuscr$/, ''))
      .sort();
    const covered = new Set([
      ...CASES.flatMap((c) => [c.all, c.variant]),
      ...NOT_CASES.map((n) => n.file),
    ]);
    expect(files.filter((f) => !covered.has(f))).toEqual([]);
    // The claims the reasons make that a test can check: Log does not parse; the two paper
    // examples verify as written but none of their protocols has every role reliable.
    const log = verifyFiles(['Log.nuscr'], memoryHost({ 'Log.nuscr': corpus('Log') }));
    expect(log.diagnostics.map((d) => d.code)).toEqual(
      expect.arrayContaining(['MPST010', 'MPST102', 'MPST118']),
    );
    for (const f of ['Sec2_SimplerLogging', 'Sec6_SimpleLogger']) {
      expect(unreliableOf(corpus(f)).length).toBeGreaterThan(0);
      expect(files.some((g) => g.endsWith('All') && sameRolesAndLabels(corpus(g), corpus(f)))).toBe(
        false,
      );
    }
    const readme = [
      '# Teatrino corpus: refactoring fixtures',
      '',
      'Each `<all>.<variant>.txt` is the all-reliable Teatrino example `<all>` refactored with the',
      'unreliable roles of its hand-written crash-tolerant variant `<variant>`, with the decisions,',
      'the verdict (every case verifies), the differences from the hand-written variant and the output.',
      'Written by `test/teatrino.test.ts` (review, then `-u`).',
      '',
      '## Corpus files that are not cases',
      '',
      ...NOT_CASES.map((n) => `- \`${n.file}.nuscr\`: ${n.why}`),
      '',
    ].join('\n');
    await expect(readme).toMatchFileSnapshot('fixtures/teatrino/README.md');
  });
});

describe.skipIf(!existsSync(CORPUS))(
  'Teatrino OAuth: the option that changes failure-free runs',
  () => {
    const text = (): string => corpus('g_OAuthAll');
    const model = { unreliable: ['Cl'] };

    test('handling alone cannot do it (MPST402); the second pass can, and marks the change', () => {
      const only = planRefactoring(text(), 'OAuthAll', model, {
        file: 'OAuth.nuscr',
        failureFreeChanges: 'never',
      });
      expect(only.verdict).toBe('unhandled');
      expect(only.diagnostics[0]?.code).toBe('MPST402');
      expect(only.decisions.flatMap((d) => d.options).some((o) => o.changesFailureFreeRuns)).toBe(
        false,
      );
      const plan = planRefactoring(text(), 'OAuthAll', model, { file: 'OAuth.nuscr' });
      expect(plan.verdict).toBe('verified');
      const changing = plan.decisions.filter((d) => d.options[d.chosen]?.changesFailureFreeRuns);
      expect(changing.map((d) => d.id)).toEqual(['OAuthAll: S waits for ok from Cl#1']);
      const [d] = changing;
      const o = d?.options[d.chosen];
      expect(o?.kind).toBe('uniform-crash-branch');
      expect(d?.chosen).toBe((d?.options.length ?? 0) - 1); // ranked last
      expect(o?.description).toMatch(/^changes failure-free runs: /);
      expect(d?.reason).toMatch(/it changes failure-free runs .*: review it/);
      // The one failure-free addition, right after `ko` arrives at S.
      expect(plan.output).toContain('ko(Int) from Cl to S;\n      done() from S to A;\n');
    }, 30_000);

    test('the plan, through JSON, applies to the same text with the same result', () => {
      const plan = planRefactoring(text(), 'OAuthAll', model, { file: 'OAuth.nuscr' });
      const reviewed = JSON.parse(JSON.stringify({ ...plan, output: undefined })) as Plan;
      const applied = applyPlan(text(), reviewed);
      expect(applied.verdict).toBe('verified');
      expect(applied.output).toBe(plan.output);
    }, 30_000);

    test('with the one failure-free message the hand-written variant adds, handling alone verifies', () => {
      // h_OAuthSA's `quit from S to A` after `received`: A then hears from S in both branches.
      const quit = text().replace(
        '    received(Int) from S to Cl;\n',
        '    received(Int) from S to Cl;\n    quit() from S to A;\n',
      );
      expect(quit).not.toBe(text());
      const plan = planRefactoring(quit, 'OAuthAll', model, { file: 'OAuth.nuscr' });
      expect(plan.verdict).toBe('verified');
      expect(plan.decisions.some((d) => d.options[d.chosen]?.changesFailureFreeRuns)).toBe(false);
      // The default at `ko` fixes what S does after Cl's crash (`received`), so `ok` could not be
      // handled: the planner falls back to a crash branch there, and says so.
      const ko = plan.decisions.find((d) => d.id === 'OAuthAll: S waits for ko from Cl#1');
      expect(ko?.options[ko.chosen]?.kind).toBe('crash-branch');
      expect(ko?.reason).toMatch(/^fallback to option \d \(rank \d\): with option 0 a later point/);
      expect(ko?.source).toBe('MPST207 + MPST402');
    }, 30_000);
  },
);

function corpus(name: string): string {
  return readFileSync(join(CORPUS, `${name}.nuscr`), 'utf8');
}

/** Whether two texts have the same role names and message labels (a reliable/unreliable pair). */
function sameRolesAndLabels(a: string, b: string): boolean {
  const key = (t: string): string =>
    [
      ...new Set([
        ...[...t.matchAll(/role\s+(\w+)/g)].map((m) => `role ${m[1] ?? ''}`),
        ...[...t.matchAll(/(\w+)(?:\([^)]*\))?\s+from\s+\w+\s+to/g)]
          .map((m) => m[1] ?? '')
          .filter((l) => l !== 'crash' && l !== 'fatal'),
      ]),
    ]
      .sort()
      .join(' ');
  return key(a) === key(b);
}
