#!/usr/bin/env node
// Prints one line that changes whenever the conformance corpus does: a SHA-256 over every file's
// path and content (about 1,700 files, 9 MB: a fraction of a second). nx.json uses it as a
// runtime input of every `test` target, so a changed, added or removed corpus re-runs the tests
// instead of replaying them from the cache. Prints `absent <dir>` when there is no corpus.
// The directory is found as tools/corpus.ts finds it: $MPST_CORPUS, else ../shared/corpus.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const fromEnv = process.env.MPST_CORPUS;
const dir =
  fromEnv !== undefined && fromEnv !== ''
    ? path.resolve(fromEnv)
    : path.resolve(root, '../shared/corpus');

if (!existsSync(dir)) {
  console.log(`absent ${dir}`);
} else {
  const hash = createHash('sha256');
  const files = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
  for (const file of files) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(path.join(dir, file)));
  }
  console.log(`${String(files.length)} files ${hash.digest('hex')}`);
}
