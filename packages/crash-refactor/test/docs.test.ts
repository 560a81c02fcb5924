/** The README's sample runs and prints what its comments say. */
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { expect, test } from 'vitest';
import * as refactor from '@mpst/crash-refactor';

test('README sample', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const sample = /```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  const body = ts.transpileModule(sample.replace(/^import [^;]*;$/gm, ''), {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
  }).outputText;
  const logs: unknown[] = [];
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- runs the README's own sample
  const run = new Function('planRefactoring', 'applyPlan', 'console', body) as (
    ...args: unknown[]
  ) => void;
  run(refactor.planRefactoring, refactor.applyPlan, { log: (x: unknown) => logs.push(x) });
  expect(logs[0]).toBe('verified');
  expect(logs[1]).toContain('global protocol Prepare(reliable role P, role A) {');
  expect(logs[1]).toContain('} or default {\n    nack(Ballot) from A to P;');
  expect(logs[2]).toBe(5);
  expect(logs[3]).toBe(true);
});
