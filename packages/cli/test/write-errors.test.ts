// A file that cannot be written is a usage error (exit 2) with a message, never a stack trace.
import { describe, expect, test } from 'vitest';
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
});
