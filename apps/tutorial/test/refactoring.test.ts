/**
 * The refactoring panel's pure part, in Node: a plan for a tutorial step with a role made
 * unreliable, its before/after diagrams, and a changed decision applied again (applyPlan).
 */
import { describe, expect, test } from 'vitest';
import { changesFailureFreeRuns, choose, refactorText } from '../src/refactoring.js';
import { discoverSteps } from '../src/steps.js';
import { tutorialFiles } from './site.js';

const { steps } = discoverSteps(tutorialFiles());
const step = steps[0];

describe('refactoring in the page', () => {
  test('the first step with its acceptor unreliable: a verified plan, diagrams, editable decisions', () => {
    if (!step) throw new Error('no step');
    const protocol = step.protocolFile.replace(/\.scr$/, '');
    const input = { file: step.protocolFile, text: step.protocol, protocol, unreliable: ['A'] };
    const first = refactorText(input);
    expect(first.plan.diagnostics).toEqual([]);
    expect(first.plan.verdict).toBe('verified');
    expect(first.plan.output).toContain('reliable role P');
    expect(first.plan.decisions.length).toBeGreaterThan(0);
    expect(first.diff?.added).toBeGreaterThan(0);
    expect(first.diff?.before).toMatch(/^sequenceDiagram/m);
    expect(first.diff?.after).toContain('rgb(200, 240, 200)');

    // The learner picks another option at the first decision: the plan is applied again.
    const d = first.plan.decisions[0];
    if (!d) throw new Error('no decision');
    const other = d.options.findIndex((_, i) => i !== d.chosen);
    expect(other).toBeGreaterThanOrEqual(0);
    const second = refactorText({ ...input, plan: choose(first.plan, d.id, other) });
    expect(second.plan.decisions[0]?.chosen).toBe(other);
    expect(second.plan.output).not.toBe(first.plan.output);
    expect(second.plan.diagnostics.filter((x) => x.code === 'MPST405')).toEqual([]);
  });

  test('a decision whose option changes failure-free runs is marked (the panel says so)', () => {
    // Teatrino's OAuth: S learns A's choice only through Cl; with Cl unreliable only telling A
    // `done()` in a failure-free run verifies.
    const text = `global protocol OAuth(role Cl, role A, role S) {
  start(Int) from Cl to S;
  choice at A {
    ko(Int) from A to Cl;
    ko(Int) from Cl to S;
    received(Int) from S to Cl;
  } or {
    ok(Int) from A to Cl;
    ok(Int) from Cl to S;
    get(Int) from S to A;
    put(Int) from A to S;
  }
}
`;
    const r = refactorText({ file: 'OAuth.nuscr', text, protocol: 'OAuth', unreliable: ['Cl'] });
    expect(r.plan.verdict).toBe('verified');
    const marked = r.plan.decisions.filter(changesFailureFreeRuns);
    expect(marked.map((d) => d.id)).toEqual(['OAuth: S waits for ok from Cl#1']);
    expect(r.plan.decisions.filter((d) => !changesFailureFreeRuns(d)).length).toBeGreaterThan(0);
  });

  test('a plan for another text is refused (MPST405), the text unchanged', () => {
    if (!step) throw new Error('no step');
    const protocol = step.protocolFile.replace(/\.scr$/, '');
    const input = { file: step.protocolFile, text: step.protocol, protocol, unreliable: ['A'] };
    const { plan } = refactorText(input);
    const edited = `${step.protocol}\n// edited\n`;
    const r = refactorText({ ...input, text: edited, plan });
    expect(r.plan.diagnostics.map((x) => x.code)).toEqual(['MPST405']);
    expect(r.plan.output).toBe(edited);
  });
});
