/** The docs' samples and tables are tested, so they cannot drift from the code. */
import * as scribble from '@mpst/scribble';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test, vi } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');

describe('docs', () => {
  test('docs/diagnostics.md lists exactly DIAGNOSTIC_CODES', () => {
    const md = readFileSync(join(ROOT, 'docs/diagnostics.md'), 'utf8');
    const rows = [...md.matchAll(/^\| (MPST\d{3}) \| (.*?) *\|$/gm)].map((m) => [m[1], m[2]]);
    expect(rows).toEqual(Object.entries(scribble.DIAGNOSTIC_CODES));
  });

  test('the README usage sample runs and prints what its comments say', () => {
    const readme = readFileSync(join(ROOT, 'packages/scribble/README.md'), 'utf8');
    const sample = /```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const body = sample.replace(/^import .*$/m, '');
    const logs: string[] = [];
    const log = vi.fn((...args: unknown[]) => logs.push(args.map(String).join(' ')));
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- runs the README's own sample
    const run = new Function(
      'scribble',
      'console',
      `const { checkText, format, parse, renderDiagnostics } = scribble;\n${body}`,
    ) as (api: typeof scribble, console: { log: typeof log }) => void;
    run(scribble, { log });
    const expected = [...sample.matchAll(/console\.log\(.*\); \/\/ (.*)$/gm)].map((m) => m[1]);
    expect(logs.slice(0, expected.length)).toEqual(expected);
    expect(logs.join('\n')).toContain('error[MPST101]');
  });

  test('shipped docs and ARCHITECTURE.md point nowhere outside the repository', () => {
    // Package READMEs and sources (their comments ship in dist/*.d.ts) and ARCHITECTURE.md are
    // read without the workspace around them: no `REFERENCE.md §n` citations, no `../shared`.
    const packages = join(ROOT, 'packages');
    const files = ['ARCHITECTURE.md'];
    for (const pkg of readdirSync(packages)) {
      files.push(`packages/${pkg}/README.md`);
      for (const f of readdirSync(join(packages, pkg, 'src'), {
        recursive: true,
        encoding: 'utf8',
      }))
        if (f.endsWith('.ts')) files.push(`packages/${pkg}/src/${f}`);
    }
    const hits = files.flatMap((f) =>
      readFileSync(join(ROOT, f), 'utf8')
        .split('\n')
        .flatMap((line, i) =>
          /REFERENCE\.md|\.\.\/shared/.test(line) ? [`${f}:${String(i + 1)}: ${line.trim()}`] : [],
        ),
    );
    expect(hits).toEqual([]);
  });

  test('no document promises as future what exists', () => {
    const stale: [string, RegExp][] = [
      ['tutorials/paxos/README.md', /arrives? with the verifier/],
      ['packages/scribble/test/conformance/check.test.ts', /expected for now/],
    ];
    for (const [f, re] of stale) expect(readFileSync(join(ROOT, f), 'utf8'), f).not.toMatch(re);
  });
});
