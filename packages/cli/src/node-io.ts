import { nodeHost } from '@mpst/scribble/node';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CliIo } from './io.js';

/** The real process: stdout/stderr, disk files, colour on a terminal unless NO_COLOR is set. */
export function processIo(): CliIo {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    host: nodeHost,
    writeFile: (path, text) => {
      try {
        // Output directories (`mpst codegen --out DIR`) are created as needed.
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, text);
        return undefined;
      } catch (e) {
        return `cannot write '${path}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
      }
    },
    color: process.stdout.isTTY && process.env['NO_COLOR'] === undefined,
  };
}
