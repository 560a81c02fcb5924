import { nodeHost } from '@mpst/scribble/node';
import { writeFileSync } from 'node:fs';
import type { CliIo } from './io.js';

/** The real process: stdout/stderr, disk files, colour on a terminal unless NO_COLOR is set. */
export function processIo(): CliIo {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    host: nodeHost,
    writeFile: (path, text) => {
      try {
        writeFileSync(path, text);
        return undefined;
      } catch (e) {
        return `cannot write '${path}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
      }
    },
    color: process.stdout.isTTY && process.env['NO_COLOR'] === undefined,
  };
}
