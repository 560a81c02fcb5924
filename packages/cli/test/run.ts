import { main, type CliIo } from '@mpst/cli';
import { memoryHost } from '@mpst/scribble';
import { readFileSync } from 'node:fs';

/** The result of one in-process `mpst` run. */
export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly written: Record<string, string>;
  /** Folders the command made sure it could write in. */
  readonly folders: readonly string[];
}

/** File-system faults to simulate (tests run as root, where permissions do not bite). */
export interface Faults {
  /** Why reading a path fails (the path must not be among the files): `EACCES: permission denied`. */
  readonly readErrors?: Record<string, string>;
  /** Folders that cannot be written in, with the reason. */
  readonly unwritable?: Record<string, string>;
}

/**
 * Runs the CLI in-process over an in-memory file system. `terminal`: stdin is a terminal on
 * which the user types these lines (then end of input).
 */
export function run(
  argv: string[],
  files: Record<string, string> = {},
  faults: Faults = {},
  terminal?: readonly string[],
): RunResult {
  const typed = [...(terminal ?? [])];
  let stdout = '';
  let stderr = '';
  const written: Record<string, string> = {};
  const folders: string[] = [];
  const io: CliIo = {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    host: memoryHost(files),
    writeFile: (p, t) => {
      written[p] = t;
      return undefined;
    },
    color: false,
    readError: (p) => faults.readErrors?.[p] ?? 'ENOENT: no such file',
    writableDir: (dir) => {
      folders.push(dir);
      const why = faults.unwritable?.[dir];
      return why === undefined ? undefined : `cannot write in '${dir}': ${why}`;
    },
    stdinIsTty: terminal !== undefined,
    readLine: () => typed.shift(),
  };
  const code = main(argv, io);
  return { code, stdout, stderr, written, folders };
}

/** The text of a file under test/fixtures/. */
export function fixture(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
}
