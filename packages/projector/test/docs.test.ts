/** The README's sample runs and prints what it says. */
import * as projector from '@mpst/projector';
import * as scribble from '@mpst/scribble';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, vi } from 'vitest';

test('README usage sample', () => {
  const readme = readFileSync(join(import.meta.dirname, '../README.md'), 'utf8');
  const sample = /```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  const body = sample.replace(/^import .*$/gm, '');
  const logs: string[] = [];
  const log = vi.fn((...args: unknown[]) => logs.push(args.map(String).join(' ')));
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- runs the README's own sample
  const run = new Function(
    'projector',
    'scribble',
    'console',
    `const { analyzeFiles, efsmToDot, printLocalProtocol } = projector; const { memoryHost } = scribble;\n${body}`,
  ) as (p: typeof projector, s: typeof scribble, c: { log: typeof log }) => void;
  run(projector, scribble, { log });
  expect(logs[0]).toContain('local protocol Ping_B at B(role A, self B)');
  expect(logs[0]).toContain('ping() from A;');
  expect(logs[1]).toContain('"0" -> "1" [ label="A?ping()" ];');
  expect(logs.at(-1)).toBe('0');
});
