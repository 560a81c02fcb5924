/// <reference types="node" />
/**
 * Node-only helpers (file system access). Import from `@mpst/scribble/node`; the main entry
 * stays free of Node built-ins so the toolchain also runs in browsers.
 */
import { readFileSync } from 'node:fs';
import type { ModuleHost } from './program.js';

/**
 * A {@link ModuleHost} that reads files from disk; missing files read as undefined. This is
 * where bytes become text: decoded as UTF-8, never failing, with U+FFFD for bytes that are not
 * UTF-8. The parser then reports a text with NUL or U+FFFD once, as not a text file (MPST004),
 * at the first such character, instead of an error per byte run; hosts that decode the same way
 * (browsers' `TextDecoder`, `readFileSync(path, 'utf8')`) get the same error.
 */
export const nodeHost: ModuleHost = {
  readFile(path: string): string | undefined {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  },
};
