/// <reference types="node" />
/**
 * Node-only helpers (file system access). Import from `@mpst/scribble/node`; the main entry
 * stays free of Node built-ins so the toolchain also runs in browsers.
 */
import { readFileSync } from 'node:fs';
import type { ModuleHost } from './program.js';

/** A {@link ModuleHost} that reads files from disk (UTF-8); missing files read as undefined. */
export const nodeHost: ModuleHost = {
  readFile(path: string): string | undefined {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  },
};
