/**
 * What a new user meets when something is wrong on the command line or on disk: each message
 * says what and why, in one or two lines, and the exit code reflects every file.
 */
import { main, processIo, type CliIo } from '@mpst/cli';
import { memoryHost } from '@mpst/scribble';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { run } from './run.js';

const GOOD = 'global protocol P(role A, role B) { m() from A to B; }\n';
const BAD = 'global protocol P(role A, role B) { m() from A to C; }\n';

describe('files that cannot be read say why', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'mpst-cli-files-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs `mpst` in-process on the real file system (processIo), output captured. */
  function runOnDisk(argv: string[]): { code: number; stdout: string; stderr: string } {
    let stdout = '';
    let stderr = '';
    const io: CliIo = {
      ...processIo(),
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      color: false,
    };
    return { code: main(argv, io), stdout, stderr };
  }

  test('a missing file: ENOENT, a folder: EISDIR (real file system)', () => {
    mkdirSync(path.join(dir, 'folder.scr'));
    const missing = path.join(dir, 'missing.scr');
    const folder = path.join(dir, 'folder.scr');
    const r = runOnDisk(['check', missing, folder]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `mpst: cannot read file '${missing}': ENOENT: no such file\n` +
        `mpst: cannot read file '${folder}': EISDIR: is a directory\n`,
    );
    for (const cmd of ['project', 'fsm', 'desugar', 'verify', 'diagram', 'format']) {
      const one = runOnDisk([cmd, folder]);
      expect(one.code, cmd).toBe(2);
      expect(one.stderr, cmd).toBe(`mpst: cannot read file '${folder}': EISDIR: is a directory\n`);
    }
  });

  test('--out naming a file, not a folder: ENOTDIR (real file system)', () => {
    const file = path.join(dir, 'taken');
    writeFileSync(file, 'keep me');
    const files = path.join(dir, 'p.scr');
    writeFileSync(files, GOOD);
    for (const cmd of ['project', 'fsm', 'codegen']) {
      const r = runOnDisk([cmd, files, '--out', file]);
      expect(r.code, cmd).toBe(2);
      expect(r.stderr, cmd).toBe(`mpst: cannot write in '${file}': ENOTDIR: not a folder\n`);
    }
    expect(readFileSync(file, 'utf8')).toBe('keep me');
  });

  // Node's recursive mkdir spins for ever where mkdir answers ENOENT under a folder that
  // exists (procfs). Run in a child process with a time limit, so that a hang fails the test.
  test.skipIf(!existsSync('/proc/self'))('--out under /proc: an error, not a hang', () => {
    const file = path.join(dir, 'p.scr');
    writeFileSync(file, GOOD);
    const bin = fileURLToPath(new URL('../bin/mpst.js', import.meta.url));
    const r = spawnSync(process.execPath, [bin, 'project', file, '--out', '/proc/mpst-x/y'], {
      encoding: 'utf8',
      timeout: 10_000,
    });
    expect(r.signal).toBeNull();
    expect(r.status).toBe(2);
    expect(r.stderr).toBe("mpst: cannot write in '/proc/mpst-x/y': ENOENT: no such folder\n");
  });

  test('no permission (simulated: tests run as root)', () => {
    const r = run(
      ['check', 'secret.scr'],
      {},
      { readErrors: { 'secret.scr': 'EACCES: permission denied' } },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("mpst: cannot read file 'secret.scr': EACCES: permission denied\n");
  });

  test('check: the readable files are still checked, and the exit code reflects all', () => {
    const files = { 'good.scr': GOOD, 'bad.scr': BAD };
    const r = run(['check', 'good.scr', 'missing.scr', 'bad.scr', '--no-verify'], files);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("mpst: cannot read file 'missing.scr': ENOENT: no such file\n");
    expect(r.stdout).toContain('bad.scr:1:');
    expect(r.stdout).toContain('✗ checked 2 files: 1 error, 1 warning');
    // Only readable, well-formed files: 2 all the same.
    expect(run(['check', 'good.scr', 'missing.scr'], files).code).toBe(2);
    expect(run(['check', 'good.scr', 'missing.scr'], files).stdout).toContain('✓ checked 1 file');
  });

  test('check --format json: MPST121 with the reason as a note, and the other files checked', () => {
    const r = run(['check', 'missing.scr', 'bad.scr', '--format', 'json'], { 'bad.scr': BAD });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('');
    const j = JSON.parse(r.stdout) as {
      files: string[];
      diagnostics: { code: string; message: string; notes?: { message: string }[] }[];
    };
    expect(j.files).toEqual(['missing.scr', 'bad.scr']);
    expect(j.diagnostics[0]).toMatchObject({
      code: 'MPST121',
      message: 'cannot read file `missing.scr`',
      notes: [{ message: 'ENOENT: no such file' }],
    });
    expect(j.diagnostics.map((d) => d.code)).toContain('MPST101');
  });

  test('format: every file is handled; the exit code is the worst', () => {
    const files = { 'a.scr': 'global protocol P(role A, role B) {  m() from A to B; }\n' };
    const r = run(['format', 'missing.scr', 'a.scr'], files);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("mpst: cannot read file 'missing.scr': ENOENT: no such file\n");
    expect(r.stdout).toContain('m() from A to B;');
  });
});

describe('diagram --svg checks the output folder before rendering', () => {
  test('a folder that cannot be written: exit 2 at once, the protocol not even read', () => {
    let reads = 0;
    const host = memoryHost({ 'p.scr': GOOD });
    const r = run(
      ['diagram', 'p.scr', '--svg', 'out/p.svg'],
      {},
      {
        unwritable: { out: 'ENOENT: no such folder' },
      },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("mpst diagram: cannot write in 'out': ENOENT: no such folder\n");
    expect(r.folders).toEqual(['out']);
    // The real check, on disk: a missing folder.
    let stderr = '';
    const io: CliIo = {
      ...processIo(),
      host: { readFile: (p) => (reads++, host.readFile(p)) },
      stdout: () => undefined,
      stderr: (t) => (stderr += t),
    };
    const missing = path.join(tmpdir(), 'mpst-no-such-folder-4711', 'p.svg');
    expect(main(['diagram', 'p.scr', '--svg', missing], io)).toBe(2);
    expect(stderr).toBe(
      `mpst diagram: cannot write in '${path.dirname(missing)}': ENOENT: no such folder\n`,
    );
    expect(reads).toBe(0);
  });
});

describe('command-line mistakes get our own short messages', () => {
  test('an unknown option: no unbalanced quote, and the option meant', () => {
    const r = run(['check', 'p.scr', '--no-verfy'], { 'p.scr': GOOD });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "mpst check: unknown option --no-verfy; did you mean `--no-verify`?\nRun 'mpst check --help' for usage.\n",
    );
    const far = run(['fsm', 'p.scr', '--zzz'], { 'p.scr': GOOD });
    expect(far.stderr).toBe("mpst fsm: unknown option --zzz\nRun 'mpst fsm --help' for usage.\n");
    expect(run(['verify', 'p.scr', '-x'], { 'p.scr': GOOD }).stderr).toContain(
      'unknown option -x\n',
    );
  });

  test('an option without its value, or a flag with one', () => {
    expect(run(['check', 'p.scr', '--format']).stderr).toContain(
      'mpst check: --format needs a value\n',
    );
    expect(run(['check', 'p.scr', '--fair=yes']).stderr).toContain(
      'mpst check: --fair takes no value\n',
    );
    // Options with a short name too: Node names both ('-r, --role <value>').
    expect(run(['project', 'p.scr', '--role']).stderr).toBe(
      "mpst project: --role needs a value\nRun 'mpst project --help' for usage.\n",
    );
    expect(run(['check', 'p.scr', '-I']).stderr).toContain(
      'mpst check: --import-path needs a value\n',
    );
    expect(run(['format', 'p.scr', '--write=yes']).stderr).toContain(
      'mpst format: --write takes no value\n',
    );
  });

  test('an unknown command: "did you mean", not the whole help', () => {
    const r = run(['chek', 'p.scr']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "mpst: unknown command 'chek'; did you mean `check`?\nRun 'mpst --help' for usage.\n",
    );
    const far = run(['compile', 'p.scr']);
    expect(far.stderr).toBe(
      "mpst: unknown command 'compile'; the commands are check, desugar, project, fsm, diagram, " +
        "format, verify, codegen, refactor\nRun 'mpst --help' for usage.\n",
    );
    expect(run(['help', 'projct']).stderr).toContain('did you mean `project`?');
  });
});

describe('format --check shows what would change', () => {
  test('a short diff: the changed lines with their line numbers and one line of context', () => {
    const text = [
      '// header',
      'global protocol P(role A, role B) {',
      '    m() from A to B;',
      '  n()  from B to A;',
      '}',
      '',
    ].join('\n');
    const r = run(['format', '--check', 'p.scr'], { 'p.scr': text });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      [
        'p.scr: not formatted',
        '    2   global protocol P(role A, role B) {',
        '    3 -     m() from A to B;',
        '    4 -   n()  from B to A;',
        '      +   m() from A to B;',
        '      +   n() from B to A;',
        '',
      ].join('\n'),
    );
  });

  test('line endings and a byte order mark are named, not shown as identical lines', () => {
    const lines = ['global protocol P(role A, role B) {', '  m() from A to B;', '}', ''];
    const crlf = run(['format', '--check', 'p.scr'], { 'p.scr': lines.join('\r\n') });
    expect(crlf.code).toBe(1);
    expect(crlf.stdout).toBe('p.scr: not formatted\n      ~ line endings: CRLF would become LF\n');
    const both = run(['format', '--check', 'p.scr'], {
      'p.scr': `\ufeff${lines.join('\r\n').replace('  m()', '    m()')}`,
    });
    expect(both.stdout).toBe(
      [
        'p.scr: not formatted',
        '      ~ the byte order mark would be removed',
        '      ~ line endings: CRLF would become LF',
        '    1   global protocol P(role A, role B) {',
        '    2 -     m() from A to B;',
        '      +   m() from A to B;',
        '',
      ].join('\n'),
    );
  });

  test('a file with many changes: at most 12 lines, then a count', () => {
    const body = Array.from({ length: 30 }, (_, i) => `m${String(i)}()   from A to B;`).join('\n');
    const r = run(['format', '--check', 'p.scr'], {
      'p.scr': `global protocol P(role A, role B) {\n${body}\n}\n`,
    });
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1 + 12 + 1);
    expect(lines.at(-1)).toMatch(/^ {6}… \d+ more changed lines$/);
  });
});

describe('check on a file with no global protocol', () => {
  const TYPES = 'module Types;\ntype <java> "java.lang.String" from "rt.jar" as String;\n';

  test('warns MPST125 (nothing was projected or verified), exit 0', () => {
    const r = run(['check', 'Types.scr'], { 'Types.scr': TYPES });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('warning[MPST125]: `Types.scr` declares no global protocol');
    expect(r.stdout).toContain('✓ checked 1 file: 0 errors, 1 warning');
    const j = JSON.parse(
      run(['check', 'Types.scr', '--format', 'json'], { 'Types.scr': TYPES }).stdout,
    ) as {
      summary: { warnings: number };
    };
    expect(j.summary.warnings).toBe(1);
  });

  test('not for an imported module, nor for a file whose syntax errors hide its protocols', () => {
    const files = {
      'Main.scr':
        'module Main;\nimport Types;\nglobal protocol P(role A, role B) { m(String) from A to B; }\n',
      'Types.scr': TYPES,
      'Broken.scr': 'global protocol P(role A {',
    };
    expect(run(['check', 'Main.scr'], files).stdout).not.toContain('MPST125');
    expect(run(['check', 'Broken.scr'], files).stdout).not.toContain('MPST125');
  });
});

describe('verify --format json analyses the file once', () => {
  test('a file with errors is read once, and nothing goes to stderr', () => {
    const reads: string[] = [];
    const host = memoryHost({ 'Bad.nuscr': BAD });
    let stdout = '';
    let stderr = '';
    const io: CliIo = {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      host: { readFile: (p) => (reads.push(p), host.readFile(p)) },
      writeFile: () => undefined,
      color: false,
    };
    expect(main(['verify', 'Bad.nuscr', '--format', 'json'], io)).toBe(1);
    expect(reads).toEqual(['Bad.nuscr']);
    expect(stderr).toBe('');
    expect((JSON.parse(stdout) as { summary: { errors: number } }).summary.errors).toBe(1);
  });
});
