/**
 * Every TypeScript sample in a README compiles: each ```ts block of the root README and of every
 * workspace package's README (packages/*, apps/*, tutorials/*: new packages are found by
 * themselves) becomes an ES module that `tsc --strict` type-checks against the built packages,
 * as a user would write it after `npm install`. A block that is not meant to compile (output,
 * a fragment) should use another fence language (```text).
 *
 * Needs built dist/ folders (the `tools` project's test target depends on every build).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { workspacePackages, workspaceRoot } from './workspace.js';

interface Sample {
  /** `packages/mermaid/README.md:42` (the fence's line). */
  where: string;
  /** File name of the generated module. */
  file: string;
  code: string;
}

/** The ```ts / ```typescript blocks of one Markdown file. */
export function extractSamples(readme: string, markdown: string): Sample[] {
  const samples: Sample[] = [];
  const lines = markdown.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(ts|typescript)\s*$/.test(lines[i] ?? '')) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i] ?? ''); i++) body.push(lines[i] ?? '');
    const slug = readme.replace(/[^A-Za-z0-9]+/g, '-');
    samples.push({
      where: `${readme}:${String(start + 1)}`,
      file: `${slug}-L${String(start + 1)}.mts`,
      // `export {}` makes every sample a module, so top-level await and names stay local.
      code: `${body.join('\n')}\nexport {};\n`,
    });
  }
  return samples;
}

/**
 * Samples that import a module generated from another sample (`./Ping.C.js`) cannot compile
 * alone: each is compiled by the named test of its own package, which generates that module
 * first. The test below checks that the named file exists and reads its README.
 */
const COMPILED_BY_OWN_TEST: ReadonlyMap<string, string> = new Map([
  ['packages/codegen/README.md:33', 'packages/codegen/test/docs.test.ts'],
]);

const readmes = [
  'README.md',
  ...workspacePackages()
    .map((p) => `${p.dir}/README.md`)
    .filter((f) => existsSync(path.join(workspaceRoot, f))),
];
const samples = readmes.flatMap((f) =>
  extractSamples(f, readFileSync(path.join(workspaceRoot, f), 'utf8')),
);

/** tsc's errors per generated file name. */
const errors = new Map<string, string[]>();
let dir = '';

beforeAll(() => {
  // Inside the workspace, so `@mpst/*` resolves through node_modules to the built packages.
  const tmp = path.join(workspaceRoot, 'tmp');
  mkdirSync(tmp, { recursive: true });
  dir = mkdtempSync(path.join(tmp, 'readme-samples-'));
  for (const s of samples) writeFileSync(path.join(dir, s.file), s.code);
  writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        target: 'ES2022',
        lib: ['ES2023'],
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        types: ['node'],
        noEmit: true,
        skipLibCheck: true,
      },
      include: ['*.mts'],
    }),
  );
  const tsc = path.join(workspaceRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', dir, '--pretty', 'false'], {
    encoding: 'utf8',
  });
  for (const line of `${r.stdout}${r.stderr}`.split('\n')) {
    const m = /^(.+?\.mts)\(\d+,\d+\): error /.exec(line);
    const file = m?.[1] === undefined ? '(tsc)' : path.basename(m[1]);
    if (m === null && !line.includes('error TS')) continue;
    errors.set(file, [...(errors.get(file) ?? []), line]);
  }
}, 120_000);

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

describe('README TypeScript samples compile with tsc --strict', () => {
  test('samples are found (the @mpst/mermaid README has some)', () => {
    expect(samples.some((s) => s.where.startsWith('packages/mermaid/README.md'))).toBe(true);
  });

  test('the extractor reads ```ts and ```typescript blocks only, with their line', () => {
    const md = '# t\n```ts\nconst a = 1;\n```\n```sh\nls\n```\n```typescript\nlet b;\n```\n';
    expect(extractSamples('X.md', md).map((s) => [s.where, s.code])).toEqual([
      ['X.md:2', 'const a = 1;\nexport {};\n'],
      ['X.md:8', 'let b;\nexport {};\n'],
    ]);
  });

  test('tsc ran on the samples alone (no error outside them)', () => {
    expect(errors.get('(tsc)') ?? []).toEqual([]);
  });

  const compiles = samples.filter((s) => !COMPILED_BY_OWN_TEST.has(s.where));
  test.each(compiles.map((s) => [s.where, s] as const))('%s', (_where, sample) => {
    expect(errors.get(sample.file) ?? [], sample.code).toEqual([]);
  });
  test.each([...COMPILED_BY_OWN_TEST])('%s is compiled by %s', (where, testFile) => {
    expect(samples.some((s) => s.where === where)).toBe(true);
    const readme = where.slice(0, where.lastIndexOf(':'));
    const own = readFileSync(path.join(workspaceRoot, testFile), 'utf8');
    expect(own).toContain("'../README.md'");
    expect(readme.startsWith(testFile.slice(0, testFile.indexOf('/test/')))).toBe(true);
  });
});
