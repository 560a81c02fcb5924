/**
 * Random protocols whose roles, labels and payload names are awkward for generated TypeScript
 * (keywords, members of Object.prototype, the module's own names): for each, every role's
 * module and an implementation of every role that takes each transition of its state machine
 * compile together under strict tsc (one program for all), and the implementations run to the
 * end on the simulator. The implementation is written from the role's model (state names,
 * keys), so a key the module names differently from the state machine fails to compile, and
 * one that leads to the wrong message fails at run time (the endpoint checks every message).
 */
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { simulate, type Endpoint, type EndpointSpec } from '@mpst/runtime';
import { memoryHost } from '@mpst/scribble';
import { analyzeFiles } from '@mpst/projector';
import { generate } from '@mpst/codegen';
import { roleModel, type RoleModel } from '../src/model.js';
import { TypeResolver } from '../src/types.js';
import { showErrors, typeCheck } from '../../../tools/typecheck.js';
import { moduleDir, writeModules } from './helpers.js';

const ROLES = ['constructor', 'then', '__proto__', 'toString', 'Step', 'End', 'run', 'class', 'A'];
const LABELS = [
  '__proto__',
  'constructor',
  'toString',
  'valueOf',
  'then',
  'defaults',
  'crash',
  'handle',
  'next',
  'end',
  'step',
  'Step',
  'Then',
  'class',
  'default',
  'Handlers',
  'own',
  'RECEIVES',
  'm',
];
const PAYLOADS = [
  '',
  'Int',
  'x: Int, y: String',
  'Bool',
  'next: Int',
  'default: Int, Int',
  'this: Bool',
];

/** Statements over role indices; labels are numbered when printed (unique per protocol). */
type Stmt =
  | { readonly kind: 'msg'; readonly from: number; readonly to: number; readonly payload: number }
  | { readonly kind: 'choice'; readonly at: number; readonly branches: readonly Stmt[][] };

function statements(roles: number, depth: number): fc.Arbitrary<Stmt[]> {
  const role = fc.nat(roles - 1);
  const msg: fc.Arbitrary<Stmt> = fc
    .record({ from: role, to: role, payload: fc.nat(PAYLOADS.length - 1) })
    .filter((m) => m.from !== m.to)
    .map((m) => ({ kind: 'msg', ...m }));
  if (depth === 0) return fc.array(msg, { minLength: 1, maxLength: 2 });
  const choice: fc.Arbitrary<Stmt> = fc
    .record({
      at: role,
      branches: fc.array(statements(roles, depth - 1), { minLength: 2, maxLength: 2 }),
    })
    .map((c) => ({ kind: 'choice', ...c }));
  return fc.array(fc.oneof({ weight: 3, arbitrary: msg }, { weight: 1, arbitrary: choice }), {
    minLength: 1,
    maxLength: 3,
  });
}

/** nuScr text: in each branch the chooser first tells every other role which branch it is. */
function render(
  names: readonly string[],
  body: readonly Stmt[],
  loop: boolean,
  shift: number,
): string {
  let n = shift;
  const label = (): string => {
    const k = n++;
    return k - shift < LABELS.length ? (LABELS[k % LABELS.length] ?? 'm') : `l${String(k)}`;
  };
  const lines = (list: readonly Stmt[], ind: string): string =>
    list
      .map((s) => {
        if (s.kind === 'msg') {
          const payload = PAYLOADS[s.payload] ?? '';
          return `${ind}${label()}(${payload}) from ${names[s.from] ?? ''} to ${names[s.to] ?? ''};\n`;
        }
        const tell = (): string =>
          names
            .filter((_, i) => i !== s.at)
            .map((r) => `${ind}  ${label()}() from ${names[s.at] ?? ''} to ${r};\n`)
            .join('');
        const arms = s.branches.map((b) => `${tell()}${lines(b, `${ind}  `)}`);
        return `${ind}choice at ${names[s.at] ?? ''} {\n${arms.join(`${ind}} or {\n`)}${ind}}\n`;
      })
      .join('');
  const roles = names.map((r) => `role ${r}`).join(', ');
  if (!loop) return `global protocol P(${roles}) {\n${lines(body, '  ')}}\n`;
  const again = names.slice(1).map((r) => `      ${label()}() from ${names[0] ?? ''} to ${r};\n`);
  const stop = names.slice(1).map((r) => `      ${label()}() from ${names[0] ?? ''} to ${r};\n`);
  return (
    `global protocol P(${roles}) {\n  rec L {\n    choice at ${names[0] ?? ''} {\n${again.join('')}` +
    `${lines(body, '      ')}      continue L;\n    } or {\n${stop.join('')}    }\n  }\n}\n`
  );
}

const protocols = fc
  .record({
    roles: fc.integer({ min: 2, max: 3 }),
    first: fc.nat(ROLES.length - 1),
    shift: fc.nat(40),
  })
  .chain(({ roles, first, shift }) =>
    fc.record({ body: statements(roles, 1), loop: fc.boolean() }).map(({ body, loop }) => {
      const names = Array.from(
        { length: roles },
        (_, i) => ROLES[(first + i) % ROLES.length] ?? 'A',
      );
      return render(names, body, loop, shift);
    }),
  );

/** A literal of a payload's TypeScript type. */
const valueOf = (text: string): string =>
  text === 'number' ? '1' : text === 'string' ? "'s'" : 'true';

/**
 * An implementation of one role: a function per state; a send state sends the message of its
 * first transition, or in a loop the one closest to the end once `b.n` rounds are used up; a
 * receive state handles every message.
 */
function implementation(model: RoleModel, module: string): string {
  const toEnd = new Map<number, number>(
    model.states.filter((s) => s.kind === 'end').map((s) => [s.id, 0]),
  );
  for (let changed = true; changed; ) {
    changed = false;
    for (const t of model.efsm.transitions) {
      const d = (toEnd.get(t.to) ?? Infinity) + 1;
      if (d < (toEnd.get(t.from) ?? Infinity)) {
        toEnd.set(t.from, d);
        changed = true;
      }
    }
  }
  const out = [`import * as M from './${module}.js';`, 'interface B { n: number }'];
  for (const s of model.states) {
    if (s.kind === 'end') {
      out.push(`export const s${String(s.id)} = (_b: B): M.End => M.end;`);
    } else if (s.kind === 'send') {
      const nearest = [...s.edges].sort(
        (x, y) => (toEnd.get(x.to) ?? 1e9) - (toEnd.get(y.to) ?? 1e9),
      )[0];
      const call = (e: (typeof s.edges)[number]): string => {
        const args = [...e.params.map((p) => valueOf(p.type.text)), `() => s${String(e.to)}(b)`];
        return `M.${s.name}[${JSON.stringify(e.key)}](${args.join(', ')})`;
      };
      const first = s.edges[0];
      if (!first || !nearest) continue;
      out.push(
        `export const s${String(s.id)} = (b: B): M.${s.name} =>`,
        `  b.n-- > 0 ? ${call(first)} : ${call(nearest)};`,
      );
    } else {
      const handlers = s.edges
        .filter((e) => e.defaultOf === undefined)
        .map((e) => `${JSON.stringify(e.key)}: () => () => s${String(e.to)}(b)`);
      const defaults = s.edges.flatMap((e) => {
        const m = s.edges.find((x) => x.key === e.defaultOf);
        return m
          ? [
              `${JSON.stringify(m.key)}: () => [${m.params.map((p) => valueOf(p.type.text)).join(', ')}] as const`,
            ]
          : [];
      });
      if (defaults.length > 0) handlers.push(`defaults: { ${defaults.join(', ')} }`);
      out.push(
        `export const s${String(s.id)} = (b: B): M.${s.name} => M.${s.name}.handle({ ${handlers.join(', ')} });`,
      );
    }
  }
  out.push(
    `export const start = (rounds: number): M.${model.initial.name} => s${String(model.initial.id)}({ n: rounds });`,
    '',
  );
  return out.join('\n');
}

const dir = moduleDir('codegen-property-');

interface Role {
  readonly role: string;
  readonly module: string;
  readonly text: string;
  readonly impl: string;
}

test('random protocols with awkward names: every role compiles, and runs to the end', async () => {
  const texts = fc.sample(protocols, { numRuns: 400, seed: 7 });
  const cases: { text: string; roles: Role[] }[] = [];
  for (const text of texts) {
    const analysis = analyzeFiles(['P.nuscr'], memoryHost({ 'P.nuscr': text }));
    // Many random texts are not well-formed (a role that cannot learn a choice): skipped.
    if (analysis.diagnostics.some((d) => d.severity === 'error')) continue;
    const p = analysis.protocols[0];
    if (!p?.protocol) continue;
    const generated = generate(analysis);
    expect(generated.diagnostics, text).toEqual([]);
    const types = new TypeResolver(analysis.program);
    const roles = p.roles.map(({ role }): Role => {
      const model = roleModel(p, role, types, []);
      const file = generated.files.find((f) => f.role === role);
      if (!model || !file) throw new Error(`no module for ${role} of\n${text}`);
      const module = `p${String(cases.length)}.${file.fileName.replace(/\.ts$/, '')}`;
      return { role, module, text: file.text, impl: implementation(model, module) };
    });
    cases.push({ text, roles });
    if (cases.length === 30) break;
  }
  expect(cases.length).toBe(30);
  const files: Record<string, string> = {};
  for (const c of cases)
    for (const r of c.roles) {
      files[`${r.module}.ts`] = r.text;
      files[`${r.module}.impl.ts`] = r.impl;
    }
  expect(showErrors(typeCheck(files))).toBe('');
  const load = writeModules(dir, files);
  for (const c of cases) {
    const specs: EndpointSpec[] = [];
    // Keyed by role names such as `__proto__`: no prototype.
    const code = Object.create(null) as Record<string, (ep: Endpoint) => Promise<void>>;
    for (const r of c.roles) {
      const m = (await load(r.module)) as {
        spec: EndpointSpec;
        run: (ep: Endpoint, start: unknown) => Promise<void>;
      };
      const impl = (await load(`${r.module}.impl`)) as { start: (rounds: number) => unknown };
      specs.push(m.spec);
      code[r.role] = (ep) => m.run(ep, impl.start(2));
    }
    const result = await simulate(specs, code, { seed: 1, maxSteps: 2_000 });
    const failed = result.outcomes.filter((o) => o.status !== 'done');
    expect(failed, c.text).toEqual([]);
  }
}, 120_000);
