// A file that cannot be written is a usage error (exit 2) with a message, never a stack trace.
import { describe, expect, test } from 'vitest';
import { fixture } from './run.js';
import { memoryHost } from '@mpst/scribble';
import { main, type CliIo } from '@mpst/cli';

function runRefusingWrites(
  argv: string[],
  files: Record<string, string>,
): { code: number; stderr: string } {
  let stderr = '';
  const io: CliIo = {
    stdout: () => undefined,
    stderr: (t) => (stderr += t),
    host: memoryHost(files),
    writeFile: (p) => `cannot write '${p}': EACCES`,
    color: false,
  };
  return { code: main(argv, io), stderr };
}

describe('write errors', () => {
  test('format --write', () => {
    const r = runRefusingWrites(['format', '--write', 'p.nuscr'], {
      'p.nuscr': 'global protocol P(role A, role B) {  m() from A to B; }\n',
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("mpst format: cannot write 'p.nuscr': EACCES\n");
  });

  test('refactor -o, --write and --plan: the reason once, and nothing else written', () => {
    const files = { 'Log.scr': fixture('Log.scr') };
    const out = runRefusingWrites(
      ['refactor', 'Log.scr', '--unreliable', 'C', '-o', 'o.scr'],
      files,
    );
    expect(out.code).toBe(2);
    expect(out.stderr).toContain("mpst refactor: cannot write 'o.scr': EACCES\n");
    expect(out.stderr).not.toContain('cannot write o.scr');
    const plan = runRefusingWrites(
      ['refactor', 'Log.scr', '--unreliable', 'C', '--plan', 'p.json'],
      files,
    );
    expect(plan.code).toBe(2);
    expect(plan.stderr).toContain("mpst refactor: cannot write 'p.json': EACCES\n");
    const write = runRefusingWrites(['refactor', 'Log.scr', '--unreliable', 'C', '--write'], files);
    expect(write.code).toBe(2);
    expect(write.stderr).toContain(
      "mpst refactor: cannot write 'Log.scr.bak': EACCES (the backup); nothing changed\n",
    );
  });
});
