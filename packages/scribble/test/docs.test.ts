/** The docs' samples and tables are tested, so they cannot drift from the code. */
import * as scribble from '@mpst/scribble';
import { readFileSync } from 'node:fs';
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
});
