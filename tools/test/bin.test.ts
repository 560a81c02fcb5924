/**
 * npm links a workspace package's `bin` during `npm ci`, before any build: a bin that points
 * into dist/ is silently not linked in a fresh clone, and `npx mpst` then fails.
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

test('every package bin is a committed source file, not a build output', () => {
  const bins: string[] = [];
  for (const dir of readdirSync(path.join(root, 'packages'))) {
    const file = path.join(root, 'packages', dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { bin?: Record<string, string> };
    for (const target of Object.values(pkg.bin ?? {})) {
      bins.push(target);
      expect(target, `${dir}: bin ${target}`).not.toMatch(/(^|\/)dist\//);
      expect(existsSync(path.join(root, 'packages', dir, target)), `${dir}: ${target} exists`).toBe(
        true,
      );
    }
  }
  expect(bins).toContain('./bin/mpst.cjs');
});
