import { main, type CliIo } from '@mpst/cli';
import { memoryHost } from '@mpst/scribble';
import { readFileSync } from 'node:fs';

/** The result of one in-process `mpst` run. */
export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly written: Record<string, string>;
}

/** Runs the CLI in-process over an in-memory file system. */
export function run(argv: string[], files: Record<string, string> = {}): RunResult {
  let stdout = '';
  let stderr = '';
  const written: Record<string, string> = {};
  const io: CliIo = {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    host: memoryHost(files),
    writeFile: (p, t) => {
      written[p] = t;
      return undefined;
    },
    color: false,
  };
  const code = main(argv, io);
  return { code, stdout, stderr, written };
}

/** The text of a file under test/fixtures/. */
export function fixture(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
}
