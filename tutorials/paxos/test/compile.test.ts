/**
 * Every step's (and example's) generated API and hand-written role code compile under the
 * workspace's strict settings (test/tsconfig.json, the one `npm run typecheck` uses): one
 * TypeScript program for all of them, its errors reported per folder.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { beforeAll, describe, expect, test } from 'vitest';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { defaultFolders, ROOT } from '../../../tools/generate-artifacts.mjs';

const folders = defaultFolders();
let errors: { file: string; text: string }[] = [];

beforeAll(() => {
  const config = fileURLToPath(new URL('./tsconfig.json', import.meta.url));
  const parsed = ts.getParsedCommandLineOfConfigFile(
    config,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  if (!parsed) throw new Error(`cannot read ${config}`);
  const roots = parsed.fileNames.filter((f) =>
    folders.some((d) => f.startsWith(path.join(ROOT, d) + path.sep)),
  );
  const program = ts.createProgram(roots, { ...parsed.options, noEmit: true });
  errors = ts.getPreEmitDiagnostics(program).map((d) => ({
    file: d.file ? path.relative(ROOT, d.file.fileName) : '',
    text: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
  }));
}, 120_000);

describe('generated API and role code compile (strict)', () => {
  test('there are step folders with TypeScript', () => {
    expect(folders.length).toBeGreaterThanOrEqual(4);
  });

  test.each(folders)('%s', (folder) => {
    expect(errors.filter((e) => e.file.startsWith(`${folder}/`) || e.file === '')).toEqual([]);
  });
});
