import { main, type CliIo } from '@mpst/cli';
import { memoryHost } from '@mpst/scribble';
import { describe, expect, test } from 'vitest';

/** Runs the CLI in-process over an in-memory file system. */
function run(argv: string[], files: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const written: Record<string, string> = {};
  const io: CliIo = {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    host: memoryHost(files),
    writeFile: (p, t) => (written[p] = t),
    color: false,
  };
  const code = main(argv, io);
  return { code, stdout, stderr, written };
}

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
    expect(r.stdout).toContain('p.scr:2:20: error[MPST101]: role `C` is not declared in protocol `P`');
    expect(r.stdout).toContain('2 |   m(Int) from A to C;');
    expect(r.stdout).toContain('  |                    ^');
  });

  test('--format json carries codes and spans', () => {
    const r = run(['check', '--format', 'json', 'p.scr'], { 'p.scr': BAD });
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { summary: { errors: number }; diagnostics: { code: string; span: { line: number; column: number } }[] };
    expect(report.summary.errors).toBe(1);
    expect(report.diagnostics.find((d) => d.code === 'MPST101')).toMatchObject({ span: { line: 2, column: 20 } });
  });

  test('-I resolves imports', () => {
    const files = {
      'lib/m/Lib.scr': 'module m.Lib;\nglobal protocol L(role A, role B) { x() from A to B; }\n',
      'app/Main.scr': 'module Main;\nimport m.Lib;\nglobal protocol M(role A, role B) { do m.Lib.L(A, B); }\n',
    };
    expect(run(['check', 'app/Main.scr', '-I', 'lib'], files).code).toBe(0);
    expect(run(['check', 'app/Main.scr'], files).code).toBe(1);
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
    expect(r.stdout).toBe('global protocol P(role A, role B) {\n  m(Int) from A to B; // note\n}\n');
  });

  test('--write rewrites only changed files; --check reports them', () => {
    expect(run(['format', '--write', 'p.scr'], { 'p.scr': UGLY }).written['p.scr']).toContain('  m(Int) from A to B;');
    expect(run(['format', '--write', 'p.scr'], { 'p.scr': GOOD }).written).toEqual({});
    expect(run(['format', '--check', 'p.scr'], { 'p.scr': UGLY }).code).toBe(1);
    expect(run(['format', '--check', 'p.scr'], { 'p.scr': GOOD }).code).toBe(0);
  });

  test('never rewrites a file with syntax errors', () => {
    const r = run(['format', '--write', 'p.scr'], { 'p.scr': 'global protocol P(role A) { m( from A to B; }' });
    expect(r.code).toBe(1);
    expect(r.written).toEqual({});
    expect(r.stderr).toContain('has syntax errors; not formatted');
  });
});

describe('help', () => {
  test.each([['--help'], ['help'], ['help', 'check'], ['check', '--help'], ['format', '-h']])('mpst %s', (...argv) => {
    const r = run(argv);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: mpst/);
    expect(r.stdout).toMatch(/Examples:/);
  });

  test('no arguments prints help to stderr with exit 2', () => {
    const r = run([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Commands:');
  });
});
