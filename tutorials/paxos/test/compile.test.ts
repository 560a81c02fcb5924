/**
 * Every step's generated API, role code and other modules compile under the workspace's strict
 * settings (test/tsconfig.json, the one `npm run typecheck` uses): one TypeScript program for
 * all of them, its errors reported per folder. (The examples have the same test.)
 */
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { defaultFolders } from '../../../tools/generate-artifacts.mjs';
import { compileFolders } from '../../../tools/typecheck.js';

const folders = defaultFolders().filter((f) => f.startsWith('tutorials/paxos/'));
let errors = new Map<string, string[]>();

beforeAll(() => {
  errors = compileFolders(folders, fileURLToPath(new URL('./tsconfig.json', import.meta.url)));
}, 120_000);

describe('generated API and role code compile (strict)', () => {
  test('there are step folders with TypeScript', () => {
    expect(folders.length).toBeGreaterThanOrEqual(9);
  });

  test('no error outside a step folder (the kit, the packages)', () => {
    expect(errors.get('')).toEqual([]);
  });

  test.each(folders)('%s', (folder) => {
    expect(errors.get(folder)).toEqual([]);
  });
});
