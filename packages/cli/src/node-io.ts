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
      writeFileSync(path, text);
    },
    color: process.stdout.isTTY && process.env['NO_COLOR'] === undefined,
  };
}
