/** `mpst refactor`: plan, apply, output targets, stale plans, usage errors. */
import { describe, expect, test } from 'vitest';
import { fixture, run } from './run.js';

const LOGGER = fixture('Log.scr');

const OAUTH = `global protocol OAuth(role Cl, role A, role S) {
  start(Int) from Cl to S;
  login(Int) from Cl to A;
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

describe('mpst refactor', () => {
  test('without a plan: the top-ranked options, the protocol on stdout, the report on stderr', () => {
    const r = run(['refactor', 'Log.scr', '--unreliable', 'C'], { 'Log.scr': LOGGER });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      LOGGER.replace('role L', 'reliable role L').replace('} or {', '} or default {'),
    );
    expect(r.stderr).toContain(
      'Log.scr:5:7 [Log: L waits for put from C#1] make the `stop` branch',
    );
    expect(r.stderr).toContain('verdict: verified');
    expect(r.stderr).toContain('after (added in green, 1 interaction(s)):\nsequenceDiagram');
  });

  test('--plan writes a reviewable plan; --apply follows an edited one; --write keeps a backup', () => {
    const files: Record<string, string> = { 'Log.scr': LOGGER };
    const p = run(['refactor', 'Log.scr', '--unreliable', 'C', '--plan', 'plan.json'], files);
    expect(p.code).toBe(0);
    expect(p.stdout).toBe('');
    const plan = JSON.parse(p.written['plan.json'] ?? '') as {
      decisions: { chosen: number; options: { kind: string }[]; reason: string }[];
      output?: string;
    };
    expect(plan.output).toBeUndefined();
    expect(plan.decisions[0]?.options.map((o) => o.kind)).toEqual([
      'default-branch',
      'crash-branch',
      'crash-branch',
      'default-message',
      'crash-branch',
      'crash-branch',
    ]);
    const decision = plan.decisions[0];
    if (decision) decision.chosen = 1;
    files['plan.json'] = JSON.stringify(plan);
    const a = run(['refactor', 'Log.scr', '--apply', 'plan.json', '--write'], files);
    expect(a.code).toBe(0);
    expect(a.written['Log.scr.bak']).toBe(LOGGER);
    expect(a.written['Log.scr']).toContain('    } or {\n      crash from C to L;\n    }');
    expect(a.written['Log.scr']).toContain('put() from C to L; // keep me');
    expect(a.stderr).toContain('chosen in the plan');
  });

  test('an option that changes failure-free runs is marked in the plan and the report, and applies', () => {
    // Teatrino's OAuth: S learns A's choice only through Cl, so once Cl has crashed S cannot
    // tell the branches apart; only telling A `done()` in a failure-free run makes it verify.
    const files: Record<string, string> = { 'OAuth.nuscr': OAUTH };
    const p = run(['refactor', 'OAuth.nuscr', '--unreliable', 'Cl', '--plan', 'plan.json'], files);
    expect(p.code).toBe(0);
    expect(p.stderr).toContain(
      '1 decision(s) change failure-free runs (no plan that only adds handling verifies): ' +
        'review [OAuth: S waits for ok from Cl#1]',
    );
    const plan = JSON.parse(p.written['plan.json'] ?? '') as {
      decisions: { options: { kind: string; changesFailureFreeRuns?: true }[]; chosen: number }[];
    };
    const marked = plan.decisions.map((d) => d.options[d.chosen]?.changesFailureFreeRuns ?? false);
    expect(marked.filter(Boolean)).toHaveLength(1);
    files['plan.json'] = p.written['plan.json'] ?? '';
    const a = run(['refactor', 'OAuth.nuscr', '--apply', 'plan.json'], files);
    expect(a.code).toBe(0);
    expect(a.stdout).toContain('ko(Int) from Cl to S;\n      done() from S to A;\n');
    expect(a.stderr).toContain('change failure-free runs');
  });

  test('a plan for another version of the file is an error and nothing is written', () => {
    const files: Record<string, string> = { 'Log.scr': LOGGER };
    const p = run(['refactor', 'Log.scr', '--unreliable', 'C', '--plan', 'plan.json'], files);
    files['plan.json'] = p.written['plan.json'] ?? '';
    files['Log.scr'] = LOGGER.replace('stop()', 'halt()');
    const a = run(['refactor', 'Log.scr', '--apply', 'plan.json', '-o', 'out.scr'], files);
    expect(a.code).toBe(1);
    expect(a.written).toEqual({});
    expect(a.stderr).toContain('error[MPST405]: the plan was made for another version of Log.scr');
  });

  test('a FILE that cannot be read says why, as in the other commands', () => {
    const missing = run(['refactor', 'Nope.scr', '--unreliable', 'C']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe("mpst: cannot read file 'Nope.scr': ENOENT: no such file\n");
    const folder = run(
      ['refactor', 'dir', '--unreliable', 'C'],
      {},
      {
        readErrors: { dir: 'EISDIR: is a directory' },
      },
    );
    expect(folder.code).toBe(2);
    expect(folder.stderr).toBe("mpst: cannot read file 'dir': EISDIR: is a directory\n");
  });

  test('a protocol with errors: the errors themselves, at their place', () => {
    const broken =
      'global protocol P(role A, role B) {\n  m() from A to B\n  n() from B to A;\n}\n';
    const r = run(['refactor', 'P.scr', '--unreliable', 'A'], { 'P.scr': broken });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error[MPST400]: `P` must check and project without errors');
    expect(r.stderr).toContain('P.scr:2:18: error[MPST010]: expected `;`');
  });

  test('output folders are checked before the work: nothing printed, nothing written', () => {
    const f = { 'Log.scr': LOGGER };
    const why = { unwritable: { out: 'ENOENT: no such folder' } };
    for (const target of [
      ['--mmd', 'out'],
      ['--svg', 'out'],
      ['-o', 'out/Log.scr'],
      ['--plan', 'out/plan.json'],
    ]) {
      const r = run(['refactor', 'Log.scr', '--unreliable', 'C', ...target], f, why);
      expect(r.code, target.join(' ')).toBe(2);
      expect(r.stderr, target.join(' ')).toBe(
        "mpst refactor: cannot write in 'out': ENOENT: no such folder\n",
      );
      expect(r.stdout).toBe('');
      expect(r.written).toEqual({});
    }
    // --mmd and --svg name a folder, made when missing (as --out of project, fsm, codegen).
    const made = run(['refactor', 'Log.scr', '--unreliable', 'C', '--mmd', 'pictures'], f);
    expect(made.code).toBe(0);
    expect(made.folders).toEqual(['pictures']);
    expect(Object.keys(made.written)).toEqual([
      'pictures/Log.before.mmd',
      'pictures/Log.after.mmd',
    ]);
  });

  test('syntax errors that hide every protocol are shown (exit 1), not "no global protocol"', () => {
    const r = run(['refactor', 'B.scr', '--unreliable', 'A'], { 'B.scr': 'global protocol {\n' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('B.scr:1:17: error[MPST010]');
    expect(r.stderr).not.toContain('no global protocol');
    const none = run(['refactor', 'T.scr', '--unreliable', 'A'], { 'T.scr': 'module T;\n' });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('T.scr has no global protocol to refactor');
  });

  test('a module that imports another: the import is read, and the diagrams drawn', () => {
    const files = {
      'src/shop/Types.scr':
        'module shop.Types;\ntype <java> "java.lang.Integer" from "rt.jar" as Int;\n',
      'src/shop/Order.scr':
        'module shop.Order;\nimport shop.Types;\n' +
        'global protocol Order(role A, role B) {\n' +
        '  order(shop.Types.Int) from A to B;\n  ok() from B to A;\n}\n',
    };
    const r = run(['refactor', 'src/shop/Order.scr', '--unreliable', 'A'], files);
    expect(r.stderr).toContain('verdict: verified');
    expect(r.stderr).toContain('after (added in green');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('import shop.Types;\n');
  });

  test('usage errors', () => {
    const f = { 'Log.scr': LOGGER };
    expect(run(['refactor', 'Log.scr'], f).stderr).toContain('say what may fail');
    expect(
      run(['refactor', 'Log.scr', '--unreliable', 'C', '--unreliable-link', 'C-L'], f).stderr,
    ).toContain("--unreliable-link takes FROM->TO, not 'C-L'");
    expect(run(['refactor', 'Nope.scr', '--unreliable', 'C'], f).code).toBe(2);
    const denied = run(['refactor', 'Log.scr', '--apply', 'plan.json'], f, {
      readErrors: { 'plan.json': 'EACCES: permission denied' },
    });
    expect(denied.code).toBe(2);
    expect(denied.stderr).toContain(
      "mpst refactor: cannot read the plan 'plan.json': EACCES: permission denied\n",
    );
    // Options the command would ignore are refused: the user meant something by them.
    expect(
      run(['refactor', 'Log.scr', '--unreliable', 'C', '--plan', 'p.json', '-o', 'o.scr'], f)
        .stderr,
    ).toContain(
      'mpst refactor: --plan writes the plan instead of the protocol: leave out -o and --write\n',
    );
    expect(
      run(['refactor', 'Log.scr', '--unreliable', 'C', '--plan', 'p.json', '--write'], f).code,
    ).toBe(2);
    // --dry-run writes nothing: not the pictures either.
    for (const pictures of ['--mmd', '--svg']) {
      const dry = run(['refactor', 'Log.scr', '--unreliable', 'C', '--dry-run', pictures, 'd'], f);
      expect(dry.code, pictures).toBe(2);
      expect(dry.stderr).toContain(
        'mpst refactor: --dry-run writes nothing: leave out -o, --write, --plan, --svg and --mmd\n',
      );
      expect(dry.written).toEqual({});
      expect(dry.folders).toEqual([]);
    }
    const applying = run(['refactor', 'Log.scr', '--apply', 'p.json', '--unreliable', 'C'], f);
    expect(applying.code).toBe(2);
    expect(applying.stderr).toContain(
      "mpst refactor: --apply follows the plan's failure model and backups: " +
        'leave out --unreliable, --unreliable-link, --backup and --protocol\n',
    );
    const bad = run(['refactor', 'Log.scr', '--unreliable', 'Z'], f);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('error[MPST401]: no role `Z` in `Log`');
  });
});
