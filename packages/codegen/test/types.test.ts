/**
 * Type tests: user code against generated modules, compiled with tsc (compiler API, strict).
 * `<Protocol>.ok.ts` fixtures must compile without error. In `<Protocol>.errors.ts` fixtures,
 * every `// @ts-expect-error TEXT` must be needed (compiled as is: no error at all, so no
 * directive is unused) and, compiled with the directives removed, the line after it must have
 * an error whose message contains TEXT (the label or state the violation is about), and no
 * other line may have one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { showErrors, typeCheck } from '../../../tools/typecheck.js';
import { filesOf, generateText } from './helpers.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const read = (rel: string): string => fs.readFileSync(path.join(fixtures, rel), 'utf8');

/** The expectations of an errors fixture: line (1-based) of the code → text its error names. */
function expectations(text: string): Map<number, string> {
  const out = new Map<number, string>();
  text.split('\n').forEach((line, i) => {
    const m = /^\s*\/\/ @ts-expect-error (.+)$/.exec(line);
    if (m?.[1] !== undefined) out.set(i + 2, m[1].trim());
  });
  return out;
}

const PROTOCOLS = [
  { name: 'PingPong', file: 'PingPong.nuscr', roles: 2 },
  { name: 'Fetch', file: 'Fetch.nuscr', roles: 3 },
  { name: 'Vote', file: 'Vote.nuscr', roles: 3 },
];

describe.each(PROTOCOLS)('$name', ({ name, file, roles }) => {
  const generated = generateText(file, read(`protocols/${file}`));

  test('generates one module per role, without diagnostics', () => {
    expect(generated.diagnostics).toEqual([]);
    expect(generated.files).toHaveLength(roles);
  });

  test('the generated modules and a correct implementation compile', () => {
    const errors = typeCheck({ ...filesOf(generated), 'ok.ts': read(`types/${name}.ok.ts`) });
    expect(showErrors(errors)).toBe('');
  });

  test('each violation fails to compile, naming the label or state', () => {
    const source = read(`types/${name}.errors.ts`);
    const expected = expectations(source);
    expect(expected.size).toBeGreaterThanOrEqual(6);
    // As written: every directive suppresses an error (an unused one is itself an error).
    expect(showErrors(typeCheck({ ...filesOf(generated), 'errors.ts': source }))).toBe('');
    // Without the directives: the errors are exactly on the marked lines, with the named text.
    const bare = source.replace(/\/\/ @ts-expect-error .*/g, '//');
    const errors = typeCheck({ ...filesOf(generated), 'errors.ts': bare });
    const unexpected = errors.filter((e) => e.file !== 'errors.ts' || !expected.has(e.line));
    expect(showErrors(unexpected)).toBe('');
    for (const [line, text] of expected) {
      const here = errors.filter((e) => e.line === line);
      expect(here.length, `line ${String(line)} should not compile`).toBeGreaterThan(0);
      expect(
        here.some((e) => e.message.includes(text)),
        `line ${String(line)}: no error mentions "${text}":\n${showErrors(here)}`,
      ).toBe(true);
    }
  });
});

describe('the Paxos acceptor of docs/codegen.md', () => {
  const tutorial = path.join(fixtures, '../../../../tutorials/paxos/protocols/Paxos.scr');
  const generated = generateText('Paxos.scr', fs.readFileSync(tutorial, 'utf8'));
  const acceptor = read('types/Paxos.acceptor.ts');

  test('compiles against the generated module of A1', () => {
    expect(generated.diagnostics).toEqual([]);
    expect(showErrors(typeCheck({ ...filesOf(generated), 'acceptor.ts': acceptor }))).toBe('');
  });

  test('is the one the documentation shows', () => {
    const doc = fs.readFileSync(path.join(fixtures, '../../../../docs/codegen.md'), 'utf8');
    expect(doc).toContain(acceptor.trim());
  });
});

describe('payload types imported under a name the module declares itself', () => {
  // `type <ts> "T" from "./t.js" as Step;` imported `T as Step` beside the module's own `Step`
  // (and `End`, `Endpoint`, `Received`, `Handler`, ...): the module did not compile.
  const names = [
    'Step',
    'Next',
    'Then',
    'End',
    'Handler',
    'Received',
    'Endpoint',
    'LinearityError',
  ];

  test.each(names)('`as %s` compiles, and user code passes a value of the type', (alias) => {
    const text = [
      'module M;',
      `type <ts> "T" from "./t.js" as ${alias};`,
      `global protocol P(role A, role B) { m(${alias}) from A to B; }`,
    ].join('\n');
    const generated = generateText('M.scr', text);
    expect(generated.diagnostics).toEqual([]);
    const user = [
      "import * as A from './P.A.js';",
      "import type { T } from './t.js';",
      'export const send = (t: T): A.send_m => A.send_m.m(t, A.end);',
      '',
    ].join('\n');
    const files = {
      ...filesOf(generated),
      't.ts': 'export interface T { readonly a: number }\n',
      'user.ts': user,
    };
    expect(showErrors(typeCheck(files))).toBe('');
  });
});

describe('state names and the handlers interfaces of receive states', () => {
  // A state receiving `a` or `Handlers` is named `recv_a_Handlers`: the name of the interface of
  // the state that receives `a` alone. The module declared it twice and did not compile.
  test.each([
    ['first', 'a() from A to B; choice at A { a() from A to B; } or { Handlers() from A to B; }'],
    ['last', 'choice at A { a() from A to B; } or { Handlers() from A to B; } a() from A to B;'],
  ])('the state receiving `a` alone comes %s', (_, body) => {
    const generated = generateText('P.nuscr', `global protocol P(role A, role B) { ${body} }`);
    expect(generated.diagnostics).toEqual([]);
    expect(showErrors(typeCheck(filesOf(generated)))).toBe('');
  });
});
