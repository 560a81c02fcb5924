import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { planRefactoring } from '../src/index.js';

const CORPUS = join(process.env['MPST_CORPUS'] ?? '/work/shared/corpus', 'teatrino', 'scribble');

/**
 * Each all-reliable Teatrino example with the unreliable roles of its hand-written
 * crash-tolerant variant(s). `expected`: the verdict we reach today (`unhandled` cases carry a
 * precise MPST402 explanation, asserted in the snapshot).
 */
const CASES = [
  {
    all: 'a_PingPongAll',
    protocol: 'PingPongAll',
    variant: 'b_PingPongNone',
    unreliable: ['P', 'Q'],
    expected: 'verified',
  },
  {
    all: 'c_AdderAll',
    protocol: 'AdderAll',
    variant: 'd_AdderNone',
    unreliable: ['Cl', 'S'],
    expected: 'verified',
  },
  {
    all: 'e_TwoBuyerAll',
    protocol: 'TwoBuyerAll',
    variant: 'f_TwoBuyerR',
    unreliable: ['P', 'Q'],
    expected: 'verified',
  },
  {
    all: 'g_OAuthAll',
    protocol: 'OAuthAll',
    variant: 'h_OAuthSA',
    unreliable: ['Cl'],
    expected: 'unhandled',
    note:
      'S learns which branch A chose only through Cl: once Cl has crashed S cannot tell, so S would need ' +
      'one crash continuation for both branches. The hand-written variant gets it by changing the ' +
      'failure-free runs too (S sends `quit` to A after `received`); our edits only add handling and ' +
      'never change failure-free runs, so this point is reported (MPST402). With that one addition ' +
      'the refactoring verifies (see the test below).',
  },
  {
    all: 'g_OAuthAll',
    protocol: 'OAuthAll',
    variant: 'i_OAuthS',
    unreliable: ['Cl', 'A'],
    expected: 'unhandled',
    note:
      'S learns which branch A chose only through Cl: once Cl has crashed S cannot tell, so S would need ' +
      'one crash continuation for both branches. The hand-written variant gets it by changing the ' +
      'failure-free runs too (S sends `quit` to A after `received`); our edits only add handling and ' +
      'never change failure-free runs, so this point is reported (MPST402). With that one addition ' +
      'and A unreliable too, more points follow (A may crash before `put`) and the 12 re-plans the ' +
      'planner allows itself find no combination that projects: still MPST402.',
  },
  {
    all: 'k_TravelAll',
    protocol: 'TravelAll',
    variant: 'l_TravelAS',
    unreliable: ['Cl'],
    expected: 'verified',
  },
  {
    all: 'k_TravelAll',
    protocol: 'TravelAll',
    variant: 'm_TravelA',
    unreliable: ['Cl', 'S'],
    expected: 'verified',
  },
  {
    all: 'n_LoggerAll',
    protocol: 'LoggerAll',
    variant: 'o_LoggerIC',
    unreliable: ['L'],
    expected: 'verified',
  },
  {
    all: 'n_LoggerAll',
    protocol: 'LoggerAll',
    variant: 'p_LoggerI',
    unreliable: ['L', 'Cl'],
    expected: 'verified',
  },
  {
    all: 'q_CBreakerAll',
    protocol: 'CBreakerAll',
    variant: 'r_CBreakerAS',
    unreliable: ['R'],
    expected: 'verified',
  },
] as {
  all: string;
  protocol: string;
  variant: string;
  unreliable: string[];
  expected: string;
  note?: string;
}[];

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
      expect(plan.verdict).toBe(c.expected);
      if (plan.verdict !== 'verified')
        expect(plan.diagnostics.map((d) => d.code)).toContain('MPST402');
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
        ...explainDifferences(plan.output, hand),
        ...(c.note ? [`- why not handled: ${c.note}`] : []),
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
 * (default communications vs explicit crash branches), and labels only one side uses.
 */
function explainDifferences(ours: string, hand: string): string[] {
  const count = (t: string, re: RegExp): number => t.match(re)?.length ?? 0;
  const labels = (t: string): Set<string> =>
    new Set(
      [...t.matchAll(/(\w+)(?:\([^)]*\))?\s+from\s+\w+\s+to/g)]
        .map((m) => m[1] ?? '')
        .filter((l) => l !== 'crash'), // `crash from X to Y` is a notice, not a label
    );
  const mine = labels(ours);
  const theirs = labels(hand);
  return [
    `- default communications: ours ${count(ours, /\bdefault\b/g)}, hand-written ${count(hand, /\bdefault\b/g)} ` +
      '(a default is our extension: the receiver goes on as in the default branch, so no new labels are needed)',
    `- crash branches (\`crash from\`): ours ${count(ours, /crash from/g)}, hand-written ${count(hand, /crash from/g)}`,
    `- labels only we use: ${[...mine].filter((l) => !theirs.has(l)).join(', ') || 'none'}`,
    `- labels only the hand-written variant uses: ${[...theirs].filter((l) => !mine.has(l)).join(', ') || 'none'} ` +
      '(recovery messages the author chose, e.g. `fatal`, `ko`)',
  ];
}

describe.skipIf(!existsSync(CORPUS))('Teatrino OAuth: why MPST402, and what fixes it', () => {
  test('with the one failure-free message the hand-written variant adds, it verifies', () => {
    const text = readFileSync(join(CORPUS, 'g_OAuthAll.nuscr'), 'utf8');
    // h_OAuthSA's `quit from S to A` after `received`: A then hears from S in both branches.
    const quit = text.replace(
      '    received(Int) from S to Cl;\n',
      '    received(Int) from S to Cl;\n    quit() from S to A;\n',
    );
    expect(quit).not.toBe(text);
    const plan = planRefactoring(quit, 'OAuthAll', { unreliable: ['Cl'] }, { file: 'OAuth.nuscr' });
    expect(plan.verdict).toBe('verified');
    // The default at `ko` fixes what S does after Cl's crash (`received`), so `ok` could not be
    // handled: the planner falls back to a crash branch there, and says so.
    const ko = plan.decisions.find((d) => d.id === 'OAuthAll: S waits for ko from Cl#1');
    expect(ko?.options[ko.chosen]?.kind).toBe('crash-branch');
    expect(ko?.reason).toMatch(/^fallback to option \d \(rank \d\): with option 0 a later point/);
    expect(ko?.source).toBe('MPST207 + MPST402');
  }, 30_000);
});
