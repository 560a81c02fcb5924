import { describe, expect, test } from 'vitest';
import { run } from './run.js';

const GOOD = 'global protocol P(role A, role B) {\n  m(Int) from A to B;\n}\n';
const BAD = 'global protocol P(role A, role B) {\n  m(Int) from A to C;\n}\n';
const UGLY = 'global protocol P(role A,role B){m(Int) from A to B; // note\n}';

describe('mpst check', () => {
  test('exit 0 when well-formed', () => {
    const r = run(['check', 'p.scr'], { 'p.scr': GOOD });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('checked 1 file: 0 errors, 0 warnings');
  });

  test('exit 1 with a positioned, framed error', () => {
    const r = run(['check', 'p.scr'], { 'p.scr': BAD });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'p.scr:2:20: error[MPST101]: role `C` is not declared in protocol `P`',
    );
    expect(r.stdout).toContain('2 |   m(Int) from A to C;');
    expect(r.stdout).toContain('  |                    ^');
  });

  test('--format json carries codes and spans', () => {
    const r = run(['check', '--format', 'json', 'p.scr'], { 'p.scr': BAD });
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as {
      summary: { errors: number };
      diagnostics: { code: string; span: { line: number; column: number } }[];
    };
    expect(report.summary.errors).toBe(1);
    expect(report.diagnostics.find((d) => d.code === 'MPST101')).toMatchObject({
      span: { line: 2, column: 20 },
    });
  });

  test('-I resolves imports', () => {
    const files = {
      'lib/m/Lib.scr': 'module m.Lib;\nglobal protocol L(role A, role B) { x() from A to B; }\n',
      'app/Main.scr':
        'module Main;\nimport m.Lib;\nglobal protocol M(role A, role B) { do m.Lib.L(A, B); }\n',
    };
    expect(run(['check', 'app/Main.scr', '-I', 'lib'], files).code).toBe(0);
    expect(run(['check', 'app/Main.scr'], files).code).toBe(1);
  });

  test('projects every role: an ill-formed choice is an error at its source, naming the role', () => {
    // C acts in one branch only, and nothing tells it which branch A chose.
    const ILL =
      'global protocol P(role A, role B, role C) {\n  choice at A {\n    ' +
      'a() from A to B;\n    c() from C to B;\n  } or {\n    b() from A to B;\n  }\n}\n';
    const r = run(['check', 'p.scr'], { 'p.scr': ILL });
    expect(r.code).toBe(1);
    // At the interaction where C acts, with a note at the choice C is not told about.
    expect(r.stdout).toMatch(
      /^p\.scr:4:5: error\[MPST210\]: cannot project `P` onto role `C`: `C` sends `c\(\)` to `B` in one branch/m,
    );
    expect(r.stdout).toContain('4 |     c() from C to B;');
    expect(r.stdout).toContain('= note: the choice whose branch `C` is not told (p.scr:2:3)');
    expect(r.stdout).toContain('checked 1 file: 1 error, 0 warnings');
    const json = run(['check', '--format', 'json', 'p.scr'], { 'p.scr': ILL });
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as {
      diagnostics: { code: string; message: string; span: { line: number } }[];
    };
    expect(report.diagnostics).toEqual([
      expect.objectContaining({
        code: 'MPST210',
        span: expect.objectContaining({ line: 4 }) as unknown,
      }),
    ]);
    expect(report.diagnostics[0]?.message).toContain('`C`');
  });

  test('in a scribble-java module the same choice fails the enabling rule, at the interaction', () => {
    const ILL =
      'module p;\nglobal protocol P(role A, role B, role C) {\n  choice at ' +
      'A {\n    a() from A to B;\n    c() from C to B;\n  } or {\n    b() ' +
      'from A to B;\n  }\n}\n';
    const r = run(['check', 'p.scr'], { 'p.scr': ILL });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /^p\.scr:5:5: error\[MPST202\]: cannot project `P` onto role `C`: `C` is not enabled/m,
    );
  });

  test('--no-verify skips model checking (check-verify.test.ts tests it)', () => {
    const r = run(['check', '--no-verify', 'p.scr'], { 'p.scr': GOOD });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('checked 1 file: 0 errors, 0 warnings');
    expect(run(['check', '--no-verify', 'p.scr'], { 'p.scr': BAD }).code).toBe(1);
    expect(run(['help', 'check']).stdout).toContain('--no-verify            Skip model checking');
  });

  test('exit 2 for usage and I/O errors', () => {
    expect(run(['check']).code).toBe(2);
    expect(run(['check', 'missing.scr']).stderr).toContain("cannot read file 'missing.scr'");
    expect(run(['check', 'missing.scr']).code).toBe(2);
    expect(run(['check', '--format', 'xml', 'p.scr'], { 'p.scr': GOOD }).code).toBe(2);
    expect(run(['check', '--bogus', 'p.scr'], { 'p.scr': GOOD }).code).toBe(2);
    expect(run(['frobnicate']).code).toBe(2);
  });
});

describe('mpst format', () => {
  test('prints canonical text and keeps comments', () => {
    const r = run(['format', 'p.scr'], { 'p.scr': UGLY });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      'global protocol P(role A, role B) {\n  m(Int) from A to B; // note\n}\n',
    );
  });

  test('--write rewrites only changed files; --check reports them', () => {
    expect(run(['format', '--write', 'p.scr'], { 'p.scr': UGLY }).written['p.scr']).toContain(
      '  m(Int) from A to B;',
    );
    expect(run(['format', '--write', 'p.scr'], { 'p.scr': GOOD }).written).toEqual({});
    expect(run(['format', '--check', 'p.scr'], { 'p.scr': UGLY }).code).toBe(1);
    expect(run(['format', '--check', 'p.scr'], { 'p.scr': GOOD }).code).toBe(0);
  });

  test('never rewrites a file with syntax errors', () => {
    const r = run(['format', '--write', 'p.scr'], {
      'p.scr': 'global protocol P(role A) { m( from A to B; }',
    });
    expect(r.code).toBe(1);
    expect(r.written).toEqual({});
    expect(r.stderr).toContain('has syntax errors; not formatted');
  });
});

describe('help', () => {
  test.each([
    ['--help'],
    ['help'],
    // `help` is listed among the commands, so it has help too.
    ['help', 'help'],
    ['help', '--help'],
    ['help', 'check'],
    ['check', '--help'],
    ['format', '-h'],
    ['help', 'desugar'],
    ['desugar', '--help'],
    ['help', 'project'],
    ['project', '-h'],
    ['help', 'fsm'],
    ['fsm', '--help'],
  ])('mpst %s', (...argv) => {
    const r = run(argv);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: mpst/);
    expect(r.stdout).toMatch(/Examples:/);
  });

  test('the main help lists every command', () => {
    const help = run(['--help']).stdout;
    for (const cmd of ['check', 'desugar', 'project', 'fsm', 'format', 'help'])
      expect(help).toMatch(new RegExp(`^  ${cmd} `, 'm'));
  });

  test('no arguments prints help to stderr with exit 2', () => {
    const r = run([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Commands:');
  });
});
