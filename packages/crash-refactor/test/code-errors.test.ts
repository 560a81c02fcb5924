/**
 * What the code adaptation refuses, each with its MPST41x code at the place in the role code;
 * a refused adaptation returns the code unchanged (nothing half-adapted).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { adaptRoleCode, readApi, type TextFile } from '@mpst/crash-refactor/code';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'code');
const api = (c: string, v: 'old' | 'new', m: string): TextFile => ({
  fileName: m,
  text: fs.readFileSync(path.join(dir, c, v, m), 'utf8'),
});
const oldC = api('relay-continue', 'old', 'Relay.C.ts');
const newC = api('relay-continue', 'new', 'Relay.C.ts');

/** Adapts `text` (a client of Relay) and returns `code line:column text-at-span` per error. */
function refusals(text: string, before = oldC, after = newC): string[] {
  const r = adaptRoleCode({ fileName: 'client.ts', text }, before, after);
  if (r.diagnostics.length > 0) expect(r.text).toBe(text);
  return r.diagnostics.map(
    (d) =>
      `${d.code} ${String(d.span.line)}:${String(d.span.column)} ${text.slice(d.span.start, d.span.end)}`,
  );
}

const HEAD = `import * as C from './Relay.C.js';\n`;

test('MPST412: a crash handler whose continuation no rule gives (the loop is not named by its type)', () => {
  const code = `${HEAD}export const loop = () =>
  C.Loop_send_req.req(1, C.Loop_recv_ok_done.handle({
    ok: (n) => C.Loop_send_log.log(n, loop), done: () => C.Loop_send_done.done(C.end) }));
`;
  expect(refusals(code)).toEqual(['MPST412 3:26 C.Loop_recv_ok_done']);
  const r = adaptRoleCode({ fileName: 'client.ts', text: code }, oldC, newC);
  expect(r.diagnostics[0]?.message).toContain(
    'after sending fatal(), Loop_send_req sends a payload, and no step of it is named in scope',
  );
});

test('MPST414: a state that gains a handler, used other than through handle()', () => {
  const code = `${HEAD}const recv = C.Loop_recv_ok_done;
export const loop = (): C.Loop_send_req =>
  C.Loop_send_req.req(1, recv.handle({
    ok: (n) => C.Loop_send_log.log(n, loop), done: () => C.Loop_send_done.done(C.end) }));
`;
  expect(refusals(code)).toEqual(['MPST414 2:14 C.Loop_recv_ok_done']);
});

test('MPST415: a handler the new API no longer has is not dropped', () => {
  const adapted = fs.readFileSync(path.join(dir, 'relay-abort', 'adapted', 'client.ts'), 'utf8');
  // Backwards: from the refactored API to the reliable one, `crash` would have to go.
  const found = refusals(adapted, api('relay-abort', 'new', 'Relay.C.ts'), oldC);
  expect(found).toEqual([
    'MPST415 13:9 crash: () => C.Loop_send_fatal.fatal(C.end)',
    // and the state that handler goes on with does not exist there
    'MPST411 13:24 Loop_send_fatal',
  ]);
});

test('MPST413: no zero value for a payload type the rules do not know', () => {
  const oldP = api('paxos-proposer', 'old', 'Paxos.P1.ts');
  const newP = api('paxos-proposer', 'new', 'Paxos.P1.ts');
  const odd = {
    ...newP,
    text: newP.text.replaceAll('readonly [p0: number]', 'readonly [p0: Date]'),
  };
  const code = `import * as P1 from './Paxos.P1.js';
export const start = P1.Prepare_A1_send_prepare.prepare(1, P1.Prepare_A1_recv_promise_nack.handle({
  promise: () => P1.Prepare_A2_send_prepare.prepare(1, P1.Prepare_A2_recv_promise_nack.handle(h)),
  nack: () => P1.Prepare_A2_send_prepare.prepare(1, P1.Prepare_A2_recv_promise_nack.handle(h)),
}));
declare const h: P1.Prepare_A2_recv_promise_nack_Handlers;
`;
  const r = adaptRoleCode({ fileName: 'p.ts', text: code }, oldP, odd);
  expect(r.diagnostics.map((d) => `${d.code} ${String(d.span.line)}`)).toEqual([
    'MPST413 2',
    'MPST413 3',
    'MPST413 4',
    // `h` is typed with the handlers interface but has no literal to add `defaults` to
    'MPST414 6',
  ]);
  expect(r.diagnostics[0]?.message).toContain('no rule gives a value of type `Date`');
});

test('a handlers expression that is not a literal is spread into one', () => {
  const oldP = api('paxos-proposer', 'old', 'Paxos.P1.ts');
  const newP = api('paxos-proposer', 'new', 'Paxos.P1.ts');
  const code = `import * as P1 from './Paxos.P1.js';
export const reply = (h: Parameters<typeof P1.Prepare_A1_recv_promise_nack.handle>[0]) =>
  P1.Prepare_A1_recv_promise_nack.handle(h);
`;
  const r = adaptRoleCode({ fileName: 'p.ts', text: code }, oldP, newP);
  expect(r.diagnostics).toEqual([]);
  expect(r.text).toContain(
    'P1.Prepare_A1_recv_promise_nack.handle({ ...h, defaults: { nack: () => [0] } });',
  );
});

test('MPST410: not a generated module, or code that does not import it', () => {
  expect(refusals(HEAD, { fileName: 'Relay.C.ts', text: 'export const x = 1;' })).toEqual([
    'MPST410 1:1 ',
  ]);
  expect(refusals(`import * as C from './Other.js';\nexport const c = C;\n`)).toEqual([
    'MPST410 1:1 ',
  ]);
});

test('MPST411: a state used by the code with no counterpart in the new API', () => {
  const newP = api('paxos-proposer', 'new', 'Paxos.P1.ts');
  // Another role's API: nothing corresponds beyond the start state.
  const code = `${HEAD}export const t: C.Loop_recv_ok_done | undefined = undefined;\n`;
  expect(refusals(code, oldC, { ...newP, fileName: 'Relay.C.ts' })).toEqual([
    'MPST411 2:19 Loop_recv_ok_done',
  ]);
});

test('readApi reads the states, handlers and defaults of a generated module', () => {
  const m = readApi('Relay.C.ts', newC.text);
  if (typeof m === 'string') throw new Error(m);
  expect(m.initial).toBe('Loop_send_req');
  const s = m.states.get('Loop_recv_ok_done');
  expect(s?.kind === 'receive' && s.handlers.map((h) => `${h.key}→${h.target ?? ''}`)).toEqual([
    'ok→Loop_send_log',
    'done→Loop_send_done',
    'crash→Loop_send_fatal',
  ]);
});

test('a parameter typed `typeof X` (code shared by roles of one shape) is adapted like X', () => {
  const code = `${HEAD}export const ask = (S: typeof C, loop: () => C.Loop_send_req): C.Loop_recv_ok_done =>
  S.Loop_recv_ok_done.handle({ ok: (n) => S.Loop_send_log.log(n, loop), done: () => S.Loop_send_done.done(S.end) });
`;
  const r = adaptRoleCode({ fileName: 'client.ts', text: code }, oldC, newC);
  expect(r.diagnostics).toEqual([]);
  // `loop`, a parameter typed as a function making the step, is the step the crash goes on with.
  expect(r.text).toContain(
    'done: () => S.Loop_send_done.done(S.end), crash: () => S.Loop_send_fatal.fatal(loop) });',
  );
});

test("a const made by the target state's handle() is a step of it (rule 3)", () => {
  const code = `import * as L from './Relay.L.js';
export function logger(seen: number[]): L.Loop_recv_log_done {
  const listen = L.Loop_recv_log_done.handle({ log: (n) => (seen.push(n), () => listen), done: () => L.end });
  return listen;
}
`;
  const r = adaptRoleCode(
    { fileName: 'logger.ts', text: code },
    api('relay-continue', 'old', 'Relay.L.ts'),
    api('relay-continue', 'new', 'Relay.L.ts'),
  );
  expect(r.diagnostics).toEqual([]);
  expect(r.text).toContain('done: () => L.end, fatal: () => listen });');
  expect(r.text).toContain('const listen = L.Loop_recv_log_done_fatal.handle(');
});
