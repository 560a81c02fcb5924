/** The README's first sample runs and prints what it says. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, vi } from 'vitest';
import * as projector from '@mpst/projector';
import * as runtime from '@mpst/runtime';
import * as scribble from '@mpst/scribble';

test('README usage sample', async () => {
  const readme = readFileSync(join(import.meta.dirname, '../README.md'), 'utf8');
  const sample = /```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  const body = sample.replace(/^import .*$/gm, '');
  const logs: string[] = [];
  const log = vi.fn((...args: unknown[]) => logs.push(args.map(String).join(' ')));
  type AsyncFn = new (...args: string[]) => (...a: unknown[]) => Promise<void>;
  const proto = Object.getPrototypeOf(async function () {
    await Promise.resolve();
  }) as { constructor: AsyncFn };
  const AsyncFunction = proto.constructor;
  const run = new AsyncFunction(
    'projector',
    'scribble',
    'runtime',
    'console',
    `const { analyzeFiles } = projector; const { memoryHost } = scribble;
     const { randomPlan, simulate } = runtime;\n${body}`,
  );
  await run(projector, scribble, runtime, { log });
  expect(logs[0]).toBe('backup says 42');
  expect(logs[1]).toBe('true S:done W:crashed B:done');
  expect(logs[2]).toBe('send crash lost timeout send receive send receive');
  // Then the random plans: whenever W crashed, the backup answered.
  expect(logs.length).toBeGreaterThan(3);
  expect(new Set(logs.slice(3))).toEqual(new Set(['backup says 42']));
});
