/** The README's samples compile: the generating one as is, the implementing one against the module it generates. */
import fs from 'node:fs';
import { expect, test } from 'vitest';
import { showErrors, typeCheck } from '../../../tools/typecheck.js';
import { filesOf, generateText } from './helpers.js';

const readme = fs.readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');

test('the README has a generating and an implementing sample, and both compile', () => {
  expect(blocks).toHaveLength(2);
  const protocol = /`(global protocol Ping[\s\S]*?)`,/.exec(blocks[0] ?? '')?.[1] ?? '';
  const generated = generateText('Ping.nuscr', protocol);
  expect(generated.files.map((f) => [f.fileName, f.states])).toEqual([
    ['Ping.C.ts', 3],
    ['Ping.S.ts', 3],
  ]);
  const errors = typeCheck({
    // The strict options have no DOM or Node types; the sample only logs.
    'generate.ts': `declare const console: { log(...args: unknown[]): void };\n${blocks[0] ?? ''}`,
    'client.ts': blocks[1] ?? '',
    ...filesOf(generated),
  });
  expect(showErrors(errors)).toBe('');
});
