/**
 * End to end: the generated modules and the correct implementations of the type tests
 * (fixtures/types/*.ok.ts, the same code tsc accepts there) run on @mpst/runtime's
 * deterministic simulator, with injected faults for the crash and default handlers, and over
 * TCP and WebSocket through the runtime's hub (a closed connection as the crash). The
 * TypeScript is transpiled to a temporary directory under the repository's tmp/ (so the
 * modules' `@mpst/runtime` import resolves to the workspace package) and imported.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import {
  LinearityError,
  simulate,
  type Endpoint,
  type EndpointSpec,
  type FaultPlan,
  type SimulationResult,
} from '@mpst/runtime';
import { connectTcp, connectWs, Hub, listenTcp, listenWs } from '@mpst/runtime/node';
import { showErrors, typeCheck } from '../../../tools/typecheck.js';
import { filesOf, generateText, moduleDir, writeModules } from './helpers.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const out = moduleDir('codegen-e2e-');

/** A generated role module, as the tests use it. */
interface RoleModule {
  readonly spec: EndpointSpec;
  readonly run: (endpoint: Endpoint, start: unknown) => Promise<void>;
}

/** Generates `protocol`'s modules, transpiles them with its ok fixture, imports all. */
async function load(protocol: string, file: string) {
  const generated = generateText(
    file,
    fs.readFileSync(path.join(fixtures, 'protocols', file), 'utf8'),
  );
  const sources: Record<string, string> = {
    ...filesOf(generated),
    [`${protocol}.ok.ts`]: fs.readFileSync(
      path.join(fixtures, 'types', `${protocol}.ok.ts`),
      'utf8',
    ),
  };
  const dir = path.join(out, protocol);
  fs.mkdirSync(dir, { recursive: true });
  const importJs = writeModules(dir, sources);
  const roles: Record<string, RoleModule> = {};
  for (const f of generated.files) roles[f.role] = (await importJs(f.fileName)) as RoleModule;
  const impl = (await importJs(`${protocol}.ok.ts`)) as Record<string, unknown>;
  return { roles, impl };
}

const specs = (roles: Record<string, RoleModule>): EndpointSpec[] =>
  Object.values(roles).map((m) => m.spec);
const statuses = (r: SimulationResult): Record<string, string> =>
  Object.fromEntries(r.outcomes.map((o) => [o.role, o.error ?? o.status]));
const messages = (r: SimulationResult): string[] =>
  r.trace.events.flatMap((e) => (e.kind === 'receive' ? [`${e.from}->${e.to}:${e.message}`] : []));

describe('ping-pong (2 roles, recursion)', () => {
  test('C pings three times and says bye; S answers each ping', async () => {
    const { roles, impl } = await load('PingPong', 'PingPong.nuscr');
    const client = impl.client as (n: number) => unknown;
    const server = impl.server as () => unknown;
    for (const seed of [1, 2, 3]) {
      const r = await simulate(
        specs(roles),
        { C: (ep) => roles.C!.run(ep, client(3)), S: (ep) => roles.S!.run(ep, server()) },
        { seed },
      );
      expect(statuses(r)).toEqual({ C: 'done', S: 'done' });
      const labels = messages(r).map((m) => m.replace(/\(.*/, ''));
      expect(labels).toEqual([
        ...Array<string[]>(3).fill(['C->S:ping', 'S->C:pong']).flat(),
        'C->S:bye',
      ]);
    }
  });
});

describe('linearity', () => {
  test('a step used in another state than its own (by a cast) rejects with LinearityError', async () => {
    const { roles, impl } = await load('PingPong', 'PingPong.nuscr');
    const server = impl.server as () => unknown;
    const c = roles.C as RoleModule & { Loop_recv_pong: { handle: (h: object) => unknown } };
    // The step of C's state 1 (waiting for `pong`), used as C's start (state 0): TypeScript
    // refuses this without the cast.
    const late = c.Loop_recv_pong.handle({ pong: () => undefined });
    const errors: unknown[] = [];
    const r = await simulate(
      specs(roles),
      {
        C: (ep) => c.run(ep, late).catch((e: unknown) => void errors.push(e)),
        S: (ep) => roles.S!.run(ep, server()),
      },
      { seed: 1 },
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(LinearityError);
    expect(String(errors[0])).toContain('C: the step of state 1 was used in state 0');
    expect(r.outcomes.find((o) => o.role === 'C')?.status).toBe('failed');
  });
});

describe('fetch (3 roles, a choice inside a choice, recursion)', () => {
  test('C gets what W has, and misses what it has not', async () => {
    const { roles, impl } = await load('Fetch', 'Fetch.nuscr');
    const client = impl.client as (keys: readonly number[], seen: string[]) => unknown;
    const server = impl.server as () => unknown;
    const store = impl.store as (data: ReadonlyMap<number, string>) => unknown;
    const seen: string[] = [];
    const data = new Map([
      [1, 'one'],
      [3, 'three'],
    ]);
    const r = await simulate(
      specs(roles),
      {
        C: (ep) => roles.C!.run(ep, client([1, 2, 3], seen)),
        S: (ep) => roles.S!.run(ep, server()),
        W: (ep) => roles.W!.run(ep, store(data)),
      },
      { seed: 7 },
    );
    expect(statuses(r)).toEqual({ C: 'done', S: 'done', W: 'done' });
    expect(seen).toEqual(['one', 'three']);
    expect(
      messages(r)
        .filter((m) => m.startsWith('S->C'))
        .map((m) => m.replace(/\(.*/, '')),
    ).toEqual(['S->C:hit', 'S->C:miss', 'S->C:hit']);
  });
});

describe('vote (crash-stop, default branches), with injected faults', () => {
  async function vote(plan: FaultPlan, vote = true) {
    const { roles, impl } = await load('Vote', 'Vote.nuscr');
    const log: string[] = [];
    const seen: boolean[] = [];
    const coordinator = impl.coordinator as (log: string[]) => unknown;
    const voter = impl.voter as (vote: boolean) => unknown;
    const observer = impl.observer as (seen: boolean[]) => unknown;
    const r = await simulate(
      specs(roles),
      {
        C: (ep) => roles.C!.run(ep, coordinator(log)),
        A: (ep) => roles.A!.run(ep, voter(vote)),
        B: (ep) => roles.B!.run(ep, observer(seen)),
      },
      { seed: 3, plan },
    );
    return { r, log, seen };
  }

  test('no fault: the messages as written', async () => {
    const { r, log, seen } = await vote({ faults: [] });
    expect(statuses(r)).toEqual({ C: 'done', A: 'done', B: 'done' });
    expect(log).toEqual(['yes 7', 'acknowledged']);
    expect(seen).toEqual([true]);
  });

  test('A crashes before voting: C takes the default branch `no` with its default payload', async () => {
    const { r, log, seen } = await vote({ faults: [{ kind: 'crash', role: 'A', atAction: 0 }] });
    expect(statuses(r)).toEqual({ C: 'done', A: 'crashed', B: 'done' });
    expect(log).toEqual(['no -1', 'acknowledged']);
    expect(seen).toEqual([false]);
  });

  test('B crashes before acknowledging: C runs its crash handler', async () => {
    const { r, log, seen } = await vote(
      { faults: [{ kind: 'crash', role: 'B', atAction: 1 }] },
      false,
    );
    expect(statuses(r)).toEqual({ C: 'done', A: 'done', B: 'crashed' });
    expect(log).toEqual(['no 7', 'B: crashed']);
    expect(seen).toEqual([false]);
  });

  test('the link C→B fails: B takes the default `result` (its own default payload) and goes on', async () => {
    const { r, log, seen } = await vote({
      faults: [{ kind: 'link', from: 'C', to: 'B', atTime: 0 }],
    });
    expect(statuses(r)).toEqual({ C: 'done', A: 'done', B: 'done' });
    expect(seen).toEqual([false]);
    expect(log).toEqual(['yes 7', 'acknowledged']);
    expect(r.trace.events.some((e) => e.kind === 'timeout' && e.role === 'B')).toBe(true);
  });
});

describe('payload validation', () => {
  test('a received payload of the wrong shape is a ProtocolViolation (MPST552), not a crash', async () => {
    const text = [
      'module Bal;',
      'type <ts> "number" from "builtin" as Ballot;',
      'global protocol P(role A, role B) { prepare(Ballot) from A to B; }',
    ].join('\n');
    const generated = generateText('Bal.scr', text);
    const dir = path.join(out, 'Bal');
    fs.mkdirSync(dir, { recursive: true });
    const importJs = writeModules(dir, filesOf(generated));
    const modules: Record<string, RoleModule> = {};
    for (const f of generated.files) modules[f.role] = (await importJs(f.fileName)) as RoleModule;
    const a = modules.A!.spec;
    const b = modules.B! as RoleModule & {
      recv_prepare: { handle: (h: object) => unknown };
      end: unknown;
    };
    expect(a.types?.Ballot?.(3)).toBe(true);
    expect(a.types?.Ballot?.('3')).toBe(false);
    // A's own endpoint would refuse to send it: A is given a spec that accepts any Ballot.
    const lax: EndpointSpec = { ...a, types: { Ballot: () => true } };
    const got: unknown[] = [];
    const r = await simulate(
      [lax, b.spec],
      {
        A: (ep) => ep.send('B', 'prepare', ['three']),
        B: (ep) =>
          b.run(
            ep,
            b.recv_prepare.handle({
              prepare: (n: unknown) => {
                got.push(n);
                return b.end;
              },
            }),
          ),
      },
      { seed: 1 },
    );
    expect(got).toEqual([]);
    expect(statuses(r).B).toMatch(/^MPST552/);
  });
});

/**
 * Generates the modules of one in-memory protocol, transpiles them with `extra` user modules
 * (file name → TypeScript), and imports all (by role, and `extra` by file name).
 */
async function loadText(name: string, text: string, extra: Record<string, string> = {}) {
  const generated = generateText(`${name}.nuscr`, text);
  expect(generated.diagnostics).toEqual([]);
  const dir = path.join(out, name);
  fs.mkdirSync(dir, { recursive: true });
  const sources = { ...filesOf(generated), ...extra };
  const importJs = writeModules(dir, sources);
  const modules: Record<string, RoleModule> = {};
  for (const f of generated.files) modules[f.role] = (await importJs(f.fileName)) as RoleModule;
  const user: Record<string, unknown> = {};
  for (const file of Object.keys(extra)) user[file] = await importJs(file);
  return { modules, user, sources };
}

describe('roles and labels named like members of Object.prototype', () => {
  /** A generated module's exports, untyped (the names come from the protocol). */
  type Exports = Record<string, Record<string, (...args: unknown[]) => unknown>> & RoleModule;

  // `__proto__` is received, and `constructor` (a role that may crash) is detected crashed.
  const text = `global protocol Names(reliable role A, role constructor) {
    __proto__(x: Int) from A to constructor;
    choice at constructor { toString() from constructor to A; } or { crash from constructor to A; }
  }`;

  test('label `__proto__` and the crash of role `constructor` reach their handlers', async () => {
    const m = (await loadText('Names', text)).modules;
    const a = m.A as Exports;
    const c = m['constructor' as string] as Exports; // (as string: not Object's constructor)
    const log: string[] = [];
    const start = {
      A: () =>
        a.send_proto!.proto!(
          7,
          a.recv_toString!.handle!({
            toString: () => (log.push('A: toString'), a.end),
            crash: (reason: unknown) => (log.push(`A: constructor ${String(reason)}`), a.end),
          }),
        ),
      constructor: () =>
        c.recv_proto!.handle!({
          proto: (x: unknown) => (
            log.push(`constructor: ${String(x)}`),
            // (a computed key: TypeScript would read `.toString` as Object's method)
            c.send_toString!['to' + 'String']!(c.end)
          ),
        }),
    };
    const specs = [a.spec, c.spec];
    const code = {
      A: (ep: Endpoint) => a.run(ep, start.A()),
      constructor: (ep: Endpoint) => c.run(ep, start.constructor()),
    };
    const r = await simulate(specs, code, { seed: 1 });
    expect(statuses(r)).toEqual({ A: 'done', constructor: 'done' });
    expect(log).toEqual(['constructor: 7', 'A: toString']);
    log.length = 0;
    const crashed = await simulate(specs, code, {
      seed: 1,
      plan: { faults: [{ kind: 'crash', role: 'constructor', atAction: 1 }] },
    });
    expect(statuses(crashed)).toEqual({ A: 'done', constructor: 'crashed' });
    expect(log).toEqual(['constructor: 7', 'A: constructor crashed']);
  });
});

describe('handlers given as a class instance', () => {
  const protocol = `global protocol Tally(role A, role B) {
    rec L { choice at A { add(n: Int) from A to B; continue L; } or { stop() from A to B; } }
  }`;
  // B's handlers as a class that implements the generated interface: methods (on the
  // prototype, using \`this\`), not own properties. TypeScript accepts it, so \`run\` must too.
  const tally = `import * as B from './Tally.B.js';
export class Tally implements B.L_recv_add_stop_Handlers {
  total = 0;
  add(n: number): B.L_recv_add_stop {
    this.total += n;
    return B.L_recv_add_stop.handle(this);
  }
  stop(): B.End {
    return B.end;
  }
}
`;

  test('compiles, and run calls its methods with the instance as `this`', async () => {
    const { modules, user, sources } = await loadText('Tally', protocol, { 'tally.ts': tally });
    expect(showErrors(typeCheck(sources))).toBe('');
    const a = modules.A as RoleModule &
      Record<string, Record<string, (...x: unknown[]) => unknown>>;
    const b = modules.B as RoleModule & Record<string, { handle: (h: object) => unknown }>;
    const Tally = (user['tally.ts'] as { Tally: new () => { total: number } }).Tally;
    const send = (n: number): unknown =>
      n === 0 ? a.L_send_add_stop!.stop!(a.end) : a.L_send_add_stop!.add!(n, () => send(n - 1));
    const t = new Tally();
    const r = await simulate(
      [a.spec, b.spec],
      { A: (ep) => a.run(ep, send(3)), B: (ep) => b.run(ep, b.L_recv_add_stop!.handle(t)) },
      { seed: 1 },
    );
    expect(statuses(r)).toEqual({ A: 'done', B: 'done' });
    expect(t.total).toBe(6);
  });
});

describe.each(['tcp', 'ws'] as const)(
  'over %s (a hub on 127.0.0.1, one connection per role)',
  (kind) => {
    async function session(
      name: string,
      roles: Record<string, RoleModule>,
      reliable: readonly string[],
    ) {
      const hub = new Hub();
      const server = kind === 'tcp' ? await listenTcp(hub) : await listenWs(hub);
      const spec = Object.values(roles)[0]!.spec;
      hub.openSession(name, {
        protocol: spec.protocol,
        roles: [...spec.roles],
        reliable: [...reliable],
      });
      const clients = await Promise.all(
        Object.keys(roles).map(() =>
          kind === 'tcp'
            ? connectTcp({ port: server.port })
            : connectWs({ url: `ws://127.0.0.1:${server.port}` }),
        ),
      );
      const endpoints = await Promise.all(
        Object.values(roles).map((m, i) => clients[i]!.join(m.spec, name)),
      );
      const close = async () => {
        for (const c of clients) c.close();
        await server.close();
      };
      return { endpoints, clients, close };
    }

    test('ping-pong and the 3-role Fetch run to the end', async () => {
      const ping = await load('PingPong', 'PingPong.nuscr');
      const p = await session('pp', ping.roles, []);
      try {
        const [c, s] = p.endpoints;
        await Promise.all([
          ping.roles.C!.run(c!, (ping.impl.client as (n: number) => unknown)(5)),
          ping.roles.S!.run(s!, (ping.impl.server as () => unknown)()),
        ]);
        expect([c!.done, s!.done]).toEqual([true, true]);
      } finally {
        await p.close();
      }
      const fetch = await load('Fetch', 'Fetch.nuscr');
      const f = await session('fetch', fetch.roles, []);
      try {
        const seen: string[] = [];
        const [c, s, w] = f.endpoints;
        await Promise.all([
          fetch.roles.C!.run(
            c!,
            (fetch.impl.client as (k: number[], s: string[]) => unknown)([2, 1], seen),
          ),
          fetch.roles.S!.run(s!, (fetch.impl.server as () => unknown)()),
          fetch.roles.W!.run(
            w!,
            (fetch.impl.store as (d: Map<number, string>) => unknown)(new Map([[1, 'one']])),
          ),
        ]);
        expect(seen).toEqual(['one']);
      } finally {
        await f.close();
      }
    }, 20_000);

    test('vote: A’s connection closes before it votes, so C takes the default branch', async () => {
      const { roles, impl } = await load('Vote', 'Vote.nuscr');
      const v = await session('vote', roles, ['C']);
      try {
        const log: string[] = [];
        const seen: boolean[] = [];
        const [c, a, b] = v.endpoints;
        expect([c!.role, a!.role, b!.role]).toEqual(['C', 'A', 'B']);
        v.clients[1]!.close(); // A crashes: its connection is gone
        await Promise.all([
          roles.C!.run(c!, (impl.coordinator as (l: string[]) => unknown)(log)),
          roles.B!.run(b!, (impl.observer as (s: boolean[]) => unknown)(seen)),
        ]);
        expect(log).toEqual(['no -1', 'acknowledged']);
        expect(seen).toEqual([false]);
      } finally {
        await v.close();
      }
    }, 20_000);
  },
);
