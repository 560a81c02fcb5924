/** `mpst refactor --interactive`: a question per decision point, answered on the terminal. */
import type { Decision } from '@mpst/crash-refactor';
import { describe, expect, test } from 'vitest';
import { promptDecision } from '../src/commands/refactor-prompt.js';
import { fixture, run } from './run.js';

const LOGGER = fixture('Log.scr');

const OAUTH = `global protocol OAuth(role Cl, role A, role S) {
  choice at A {
    ko() from A to Cl;
    ko() from Cl to S;
    received() from S to Cl;
  } or {
    ok() from A to Cl;
    ok() from Cl to S;
    get() from S to A;
    put() from A to S;
  }
}
`;

describe('mpst refactor --interactive', () => {
  test('a decision no handling-only option solves is asked again with the failure-free change', () => {
    // Enter at every prompt (the planner's choice).
    const enters = Array.from({ length: 20 }, () => '');
    const r = run(
      ['refactor', 'OAuth.scr', '--unreliable', 'Cl', '-i'],
      { 'OAuth.scr': OAUTH },
      {},
      enters,
    );
    expect(r.code).toBe(0);
    // First without it (nothing projects), then with it, marked and proposed.
    expect(r.stderr).toContain('the planner found no option that projects');
    expect(r.stderr).toMatch(
      /\n {3}\d\. changes failure-free runs: S learns which branch .*\(planner's choice: first option/,
    );
    expect(r.stdout).toContain('done() from S to A;');
  });

  test("asks at the decision point (location, problem, ranked options, the planner's choice marked)", () => {
    const r = run(['refactor', 'Log.scr', '--unreliable', 'C', '-i'], { 'Log.scr': LOGGER }, {}, [
      '',
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Log.scr:5:7 (Log): `put() from C to L;`');
    expect(r.stderr).toContain('what should L do if C has failed?');
    expect(r.stderr).toMatch(
      /\n {3}1\. make the `stop` branch of `choice at C` the default .*\(planner's choice: top-ranked/,
    );
    expect(r.stderr).toContain('option [1-');
    expect(r.stderr).toContain(', Enter = 1]: ');
    // Enter takes the planner's option: the same output as without --interactive.
    expect(r.stdout).toBe(
      run(['refactor', 'Log.scr', '--unreliable', 'C'], { 'Log.scr': LOGGER }).stdout,
    );
    expect(r.stderr).toContain('confirmed at the prompt');
  });

  test('a number picks that option; a bad answer is asked again', () => {
    const r = run(
      ['refactor', 'Log.scr', '--unreliable', 'C', '--interactive'],
      { 'Log.scr': LOGGER },
      {},
      ['crash please', '9', '2'],
    );
    expect(r.stderr).toContain("'crash please' is not an option: type a number from 1 to");
    expect(r.stderr).toContain("'9' is not an option");
    expect(r.stdout).toContain('    } or {\n      crash from C to L;\n    }');
    expect(r.stderr).toContain('chosen at the prompt (the planner proposed option 0)');
    expect(r.code).toBe(0);
  });

  test('with --plan the answers are written into the plan, which --apply replays', () => {
    const files: Record<string, string> = { 'Log.scr': LOGGER };
    const p = run(
      ['refactor', 'Log.scr', '--unreliable', 'C', '-i', '--plan', 'plan.json'],
      files,
      {},
      ['2'],
    );
    expect(p.code).toBe(0);
    const plan = JSON.parse(p.written['plan.json'] ?? '') as { decisions: { chosen: number }[] };
    expect(plan.decisions[0]?.chosen).toBe(1);
    files['plan.json'] = p.written['plan.json'] ?? '';
    const a = run(['refactor', 'Log.scr', '--apply', 'plan.json'], files);
    expect(a.stdout).toContain('crash from C to L;');
  });

  test("end of input takes the planner's option; no terminal or --apply is a usage error", () => {
    const eof = run(
      ['refactor', 'Log.scr', '--unreliable', 'C', '-i'],
      { 'Log.scr': LOGGER },
      {},
      [],
    );
    expect(eof.code).toBe(0);
    expect(eof.stdout).toContain('} or default {');
    const piped = run(['refactor', 'Log.scr', '--unreliable', 'C', '-i'], { 'Log.scr': LOGGER });
    expect(piped.code).toBe(2);
    expect(piped.stderr).toContain('--interactive asks on a terminal, and stdin is not one');
    const apply = run(
      ['refactor', 'Log.scr', '--apply', 'p.json', '-i'],
      { 'Log.scr': LOGGER },
      {},
      [],
    );
    expect(apply.code).toBe(2);
    expect(apply.stderr).toContain("--apply follows the plan's choices");
  });

  test("the prompt function: three unusable answers take the planner's option", () => {
    const d = {
      id: 'P: B waits for m from A#1',
      crashed: 'A',
      detector: 'B',
      snippet: 'm() from A to B;',
      location: { file: 'P.scr', protocol: 'P', start: 0, end: 0, line: 3, column: 3 },
      source: 'MPST207',
      problem: '`B` receives `m` from `A`, which may crash',
      options: [
        { kind: 'default-message', template: 'default', description: 'one', edits: [] },
        { kind: 'crash-branch', template: 'quorum', description: 'two', edits: [] },
      ],
      chosen: 1,
      reason: 'first option that projects (rank 2)',
      counterexample: ['A crashes', 'B waits'],
    } satisfies Decision;
    let out = '';
    const answers = ['x', '0', '3'];
    const ask = promptDecision({ write: (t) => (out += t), readLine: () => answers.shift() });
    expect(ask(d)).toBeUndefined();
    expect(out).toContain('P.scr:3:3 (P): `m() from A to B;`\n  `B` receives `m` from `A`');
    expect(out).toContain('  | A crashes\n  | B waits\n');
    expect(out).toContain("   2. two  (planner's choice: first option that projects (rank 2))");
    expect(out).toContain("no usable answer: taking the planner's option");
  });
});
