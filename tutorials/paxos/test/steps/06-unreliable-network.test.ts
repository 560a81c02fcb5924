/**
 * Step 6: step 5's protocol refactored by `mpst refactor` (acceptors may crash, then the links
 * from the acceptors to the proposers may fail) and step 5's role code adapted by the tool.
 * Besides the checks of every step: the committed files are what refactoring/make.sh produces —
 * the reviewed plan applied to step 5's protocol, the adapted role code (only Prettier's
 * formatting added) and its diff, the before/after pictures — and the verifier's claims in the
 * README hold.
 */
import fs from 'node:fs';
import path from 'node:path';
import { applyPlan, type Plan } from '@mpst/crash-refactor';
import { unifiedDiff } from '@mpst/crash-refactor/code';
import { refactoringDiff } from '@mpst/mermaid';
import { analyzeFiles } from '@mpst/projector';
import { memoryHost } from '@mpst/scribble';
import { SCRIBBLE_JAVA_MODEL, verifyFiles } from '@mpst/verify';
import { format, resolveConfig } from 'prettier';
import { describe, expect, test } from 'vitest';
import { adaptedRoleCode } from './adapt.js';
import { STEPS, stepSuite } from './suite.js';

stepSuite({
  folder: '06-unreliable-network',
  load: () => import('../../steps/06-unreliable-network/roles.js'),
});

const here = path.join(STEPS, '06-unreliable-network');
const before = path.join(STEPS, '05-two-proposers');
const read = (dir: string, f: string): string => fs.readFileSync(path.join(dir, f), 'utf8');
const plan = (name: string): Plan =>
  JSON.parse(read(here, `refactoring/${name}.plan.json`)) as Plan;
const NAME = 'TwoProposers';
const PROTOCOL = `${NAME}.scr`;

describe('06-unreliable-network: made by mpst refactor from step 5', () => {
  const step5 = read(before, PROTOCOL);

  test('the protocol is the reviewed plan applied to step 5 and verifies with acceptors crashing', () => {
    const applied = applyPlan(step5, plan('acceptors'), { file: PROTOCOL });
    expect(applied.diagnostics).toEqual([]);
    expect(applied.verdict).toBe('verified');
    expect(applied.output).toBe(read(here, PROTOCOL));
    // Every decision made a refusal the default: a crashed acceptor counts as a nack.
    expect(applied.decisions.map((d) => d.options[d.chosen]?.kind)).toEqual(
      applied.decisions.map(() => 'default-branch'),
    );
  });

  test('the before/after pictures are refactoringDiff of the two protocols', () => {
    const elaborated = (text: string) =>
      analyzeFiles([PROTOCOL], memoryHost({ [PROTOCOL]: text }), { protocol: NAME }).protocols[0]
        ?.protocol;
    const a = elaborated(step5);
    const b = elaborated(read(here, PROTOCOL));
    if (!a || !b) throw new Error('a protocol does not elaborate');
    const diff = refactoringDiff(a, b);
    expect(read(here, `refactoring/${NAME}.before.mmd`)).toBe(`${diff.before}\n`);
    expect(read(here, `refactoring/${NAME}.after.mmd`)).toBe(`${diff.after}\n`);
  });

  test("the role code is step 5's adapted by the tool (then formatted), and the diff is committed", async () => {
    const original = read(before, 'roles.ts');
    const text = adaptedRoleCode(
      PROTOCOL,
      NAME,
      { before: step5, after: read(here, PROTOCOL) },
      original,
    );
    expect(unifiedDiff(original, text, 'roles.ts')).toBe(read(here, 'refactoring/roles.diff'));
    const file = path.join(here, 'roles.ts');
    const formatted = await format(text, { ...(await resolveConfig(file)), filepath: file });
    expect(formatted).toBe(read(here, 'roles.ts'));
  });

  test('links: the plan for failing acceptor→proposer links needs no new handling', () => {
    const links = plan('links');
    expect(links.failureModel.unreliableLinks).toHaveLength(6);
    expect(links.decisions).toEqual([]);
    // Six failing links: the verifier stops at its state budget (README: what is bounded).
    expect(links.verdict).toBe('inconclusive');
  });

  test("links: with A1's links to both proposers failing (and every acceptor crashing) it verifies", () => {
    const v = verifyFiles([PROTOCOL], memoryHost({ [PROTOCOL]: read(here, PROTOCOL) }), {
      ...SCRIBBLE_JAVA_MODEL,
      unreliableLinks: [
        { from: 'A1', to: 'P1' },
        { from: 'A1', to: 'P2' },
      ],
    });
    expect(v.results.map((r) => r.verdict)).toEqual(['verified']);
    console.info(`[06] A1's links failing: ${String(v.results[0]?.states)} states`);
  }, 120_000);
});
