import {
  accessSync,
  constants,
  lstatSync,
  mkdirSync,
  readFileSync,
  readSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import type { CliIo } from './io.js';

/** A one-line reason for a failed file operation: `ENOENT: no such file`, … */
export function describeFsError(e: unknown, what: 'file' | 'folder' = 'file'): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return `ENOENT: no such ${what}`;
    case 'EISDIR':
      return 'EISDIR: is a directory';
    case 'ENOTDIR':
      return 'ENOTDIR: a part of the path is not a directory';
    case 'EACCES':
    case 'EPERM':
      return `${code}: permission denied`;
    case 'EROFS':
      return 'EROFS: read-only file system';
    default:
      return code ?? (e as Error).message;
  }
}

/** The real process: stdout/stderr, disk files, colour on a terminal unless NO_COLOR is set. */
export function processIo(): CliIo {
  // Why each failed read failed, so that messages can say it without reading the file again.
  const failures = new Map<string, string>();
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    host: {
      readFile(path) {
        try {
          return readFileSync(path, 'utf8');
        } catch (e) {
          failures.set(path, describeFsError(e));
          return undefined;
        }
      },
    },
    readError: (path) => failures.get(path) ?? 'ENOENT: no such file',
    writeFile: (path, text) => {
      try {
        writeFileSync(path, text);
        return undefined;
      } catch (e) {
        return `cannot write '${path}': ${describeFsError(e)}`;
      }
    },
    writableDir: (dir, create) => {
      try {
        if (create) makeFolders(dir);
        if (!statSync(dir).isDirectory()) return `cannot write in '${dir}': ENOTDIR: not a folder`;
        accessSync(dir, constants.W_OK);
        return undefined;
      } catch (e) {
        return `cannot write in '${dir}': ${describeFsError(e, 'folder')}`;
      }
    },
    color: process.stdout.isTTY && process.env['NO_COLOR'] === undefined,
    stdinIsTty: process.stdin.isTTY,
    readLine: readStdinLine,
  };
}

/**
 * `mkdir -p`, one level at a time from the deepest folder that exists: Node's recursive mkdir
 * spins for ever where mkdir answers ENOENT under a folder that exists (procfs, `/proc/x`);
 * a plain mkdir reports it. (`lstat`: a dangling link exists, and mkdir under it says ENOENT.)
 */
function makeFolders(dir: string): void {
  const missing: string[] = [];
  for (let d = path.resolve(dir); !lstatSync(d, { throwIfNoEntry: false }); d = path.dirname(d)) {
    missing.push(d);
    if (path.dirname(d) === d) break;
  }
  for (const d of missing.reverse()) mkdirSync(d);
}

/**
 * One line from stdin, read synchronously (the commands are synchronous; a prompt waits for
 * the answer anyway): byte by byte up to the newline, so nothing after it is consumed.
 */
function readStdinLine(): string | undefined {
  const bytes: number[] = [];
  const buf = Buffer.alloc(1);
  for (;;) {
    let n: number;
    try {
      n = readSync(0, buf, 0, 1, null);
    } catch (e) {
      // A non-blocking stdin has no byte yet: wait for one.
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN') continue;
      return undefined;
    }
    if (n === 0) return bytes.length > 0 ? Buffer.from(bytes).toString('utf8') : undefined;
    if (buf[0] === 0x0a) return Buffer.from(bytes).toString('utf8').replace(/\r$/, '');
    bytes.push(buf[0] ?? 0);
  }
}
