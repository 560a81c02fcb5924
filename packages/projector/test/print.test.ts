/**
 * The printers (`printGlobal` for `mpst desugar`, `printLocal` for `mpst project`) write the
 * IR's DAG as it was written: a continuation shared by the branches of a choice once, after the
 * block; where no block can end at a shared node, an auxiliary protocol called with `do`.
 * Properties (see roundtrip.ts): the text is linear in the IR, the global text re-elaborates to
 * a protocol whose projections have isomorphic EFSMs (scribble-java and nuScr modes), the local
 * text reads back as the local type; on random protocols (fast-check) and fixed ones.
 */
import {
  actionDirection,
  analyzeFiles,
  buildEfsm,
  END,
  LEND,
  localTypeToJson,
  printGlobal,
  printLocal,
  printLocalProtocol,
  project,
  type ElaboratedProtocol,
  type Efsm,
  type GlobalType,
  type LocalAction,
  type LocalType,
  type LocalTypeJson,
  type ProtocolResult,
} from '@mpst/projector';
import { memoryHost, type SourceFile } from '@mpst/scribble';
import { nodeHost } from '@mpst/scribble/node';
import fc from 'fast-check';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { isomorphic } from './conformance/graph.js';
import { efsmGraph } from './conformance/labels.js';
import { globalRoundTrip, localRoundTrip, roundTrips } from './roundtrip.js';

const REPO = join(import.meta.dirname, '../../..');

function analyze(text: string, file = 'P.nuscr') {
  return analyzeFiles([file], memoryHost({ [file]: text }));
}

/** The one protocol `name` of an analysis, which must have no errors. */
function protocolOf(text: string, name: string): ProtocolResult {
  const r = analyze(text);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const p = r.protocols.find((x) => x.name === name);
  if (!p?.protocol) throw new Error(`${name} did not elaborate`);
  return p;
}

/** k two-way choices one after another, then one message. */
function choicesInSequence(k: number): string {
  const body = Array.from(
    { length: k },
    (_, i) => `  choice at A { l${String(i)}() from A to B; } or { r${String(i)}() from A to B; }`,
  );
  return `global protocol Seq(role A, role B) {\n${body.join('\n')}\n  done() from A to B;\n}\n`;
}

function elaborated(p: ProtocolResult): ElaboratedProtocol {
  if (!p.protocol) throw new Error(`${p.name} did not elaborate`);
  return p.protocol;
}

const lineCount = (text: string): number => text.split('\n').length - 1;

describe('choices in sequence print once each (issue: 2^k copies before)', () => {
  // Per choice: `choice at A {`, a message, `} or {`, a message, `}`; plus header, done, `}`.
  test.each([12, 20])('k = %i: 5k + 3 lines, global and local', (k) => {
    const p = protocolOf(choicesInSequence(k), 'Seq');
    expect(lineCount(printGlobal(elaborated(p)))).toBe(5 * k + 3);
    expect(lineCount(printLocalProtocol(p, 'B'))).toBe(5 * k + 3);
    expect(lineCount(printLocalProtocol(p, 'A'))).toBe(5 * k + 3);
  });

  test('k = 1,000: linear size, and the text round-trips', () => {
    const k = 1000;
    const source = choicesInSequence(k);
    const p = protocolOf(source, 'Seq');
    const global = printGlobal(elaborated(p));
    expect(lineCount(global)).toBe(5 * k + 3);
    // The desugared text is the source, re-indented: no longer than twice it.
    expect(global.length).toBeLessThan(2 * source.length);
    for (const role of ['A', 'B']) {
      const local = printLocalProtocol(p, role);
      expect(lineCount(local)).toBe(5 * k + 3);
      expect(local.length).toBeLessThan(2 * source.length);
    }
    expect(roundTrips(p, 'nuscr')).toEqual([]);
  });

  test('reads as written', () => {
    const p = protocolOf(choicesInSequence(2), 'Seq');
    expect(printLocalProtocol(p, 'B')).toBe(
      [
        'local protocol Seq_B at B(role A, self B) {',
        '  choice at A {',
        '    l0() from A;',
        '  } or {',
        '    r0() from A;',
        '  }',
        '  choice at A {',
        '    l1() from A;',
        '  } or {',
        '    r1() from A;',
        '  }',
        '  done() from A;',
        '}',
        '',
      ].join('\n'),
    );
  });
});

describe('the Paxos tutorial', () => {
  const file = join(REPO, 'tutorials/paxos/protocols/Paxos.scr');
  const r = analyzeFiles([file], nodeHost, {});
  const paxos = r.protocols.find((p) => p.name === 'Paxos');

  test("acceptor A1's projection reads as a person would write it (print/Paxos.A1.expected)", async () => {
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    if (!paxos) throw new Error('no Paxos');
    const text = printLocalProtocol(paxos, 'A1');
    // Its 9-state machine: one line per transition, a few per choice (was ~190 lines).
    expect(lineCount(text)).toBeLessThan(40);
    await expect(text).toMatchFileSnapshot('./print/Paxos.A1.expected');
  });

  test('every role and the desugared protocol round-trip', () => {
    if (!paxos) throw new Error('no Paxos');
    expect(roundTrips(paxos, 'scribble-java')).toEqual([]);
  });
});

// ---- DAGs that blocks cannot express ----------------------------------------------------------

const file = { path: 'hand.nuscr', text: '' } as unknown as SourceFile;
const at = { file, span: { start: 0, end: 0 } };
const msg = (label: string, from: string, to: string, cont: GlobalType): GlobalType => ({
  kind: 'message',
  from,
  to,
  message: { label, payload: [] },
  cont,
  origin: at,
});

describe('a shared continuation no block ends at becomes an auxiliary protocol', () => {
  test('global: k() is reached from two branches of three (the third ends)', () => {
    const k = msg('k', 'A', 'B', msg('k2', 'B', 'A', END));
    const body: GlobalType = {
      kind: 'choice',
      at: 'A',
      branches: [msg('a', 'A', 'B', k), msg('b', 'A', 'B', k), msg('c', 'A', 'B', END)],
      origin: at,
      defaultBranch: undefined,
    };
    const p: ElaboratedProtocol = {
      name: 'Hand',
      qualifiedName: 'Hand',
      roles: ['A', 'B'],
      explicit: false,
      aux: false,
      reliable: new Set(),
      crashStop: false,
      body,
      origin: at,
    };
    const text = printGlobal(p);
    expect(text).toBe(
      [
        'global protocol Hand(role A, role B) {',
        '  choice at A {',
        '    a() from A to B;',
        '    do Hand__1(A, B);',
        '  } or {',
        '    b() from A to B;',
        '    do Hand__1(A, B);',
        '  } or {',
        '    c() from A to B;',
        '  }',
        '}',
        '',
        'aux global protocol Hand__1(role A, role B) {',
        '  k() from A to B;',
        '  k2() from B to A;',
        '}',
        '',
      ].join('\n'),
    );
    // `do` inlines a copy per call: the same traces, not the same shared states.
    const again = protocolOf(text, 'Hand');
    expect(printLocalProtocol(again, 'B')).toContain('k2() to A;');
  });

  test('local: the same, and a join after a choice when every branch reaches it', () => {
    const recv = (label: string): LocalAction => ({
      kind: 'receive',
      peer: 'A',
      message: { label, payload: [] },
    });
    const pre = (label: string, cont: LocalType): LocalType => ({
      kind: 'prefix',
      action: recv(label),
      cont,
      origin: undefined,
    });
    const k = pre('k', pre('k2', LEND));
    const local: LocalType = {
      kind: 'choice',
      branches: [
        { action: recv('a'), cont: k, origin: undefined },
        { action: recv('b'), cont: pre('x', k), origin: undefined },
        { action: recv('c'), cont: LEND, origin: undefined },
      ],
    };
    const p = { name: 'Hand', roles: ['A', 'B'] } as unknown as ElaboratedProtocol;
    expect(printLocal(p, 'B', local)).toBe(
      [
        'local protocol Hand_B at B(role A, self B) {',
        '  choice at A {',
        '    a() from A;',
        '    do Hand_B__1(A, B);',
        '  } or {',
        '    b() from A;',
        '    x() from A;',
        '    do Hand_B__1(A, B);',
        '  } or {',
        '    c() from A;',
        '  }',
        '}',
        '',
        'local protocol Hand_B__1 at B(role A, self B) {',
        '  k() from A;',
        '  k2() from A;',
        '}',
        '',
      ].join('\n'),
    );
    expect(localRoundTrip(p, 'B', local)).toEqual([]);
    // Without the branch that ends, k() is where the branches meet: written after the choice.
    const joined: LocalType = { kind: 'choice', branches: local.branches.slice(0, 2) };
    expect(printLocal(p, 'B', joined)).toContain('  }\n  k() from A;\n  k2() from A;\n}');
    expect(localRoundTrip(p, 'B', joined)).toEqual([]);
  });
});

// ---- random protocols -------------------------------------------------------------------------

type Stmt =
  | { readonly t: 'msg'; readonly from: number; readonly to: number }
  | { readonly t: 'choice'; readonly at: number; readonly branches: readonly Branch[] }
  | { readonly t: 'rec'; readonly body: readonly Stmt[] }
  | { readonly t: 'do'; readonly perm: readonly number[] };
interface Branch {
  readonly body: readonly Stmt[];
  /** End the branch with `continue` to an enclosing `rec` (0: innermost), if there is one. */
  readonly jump: number | undefined;
}

const message: fc.Arbitrary<Stmt> = fc.record({
  t: fc.constant('msg' as const),
  from: fc.nat(2),
  to: fc.nat(1),
});
const call: fc.Arbitrary<Stmt> = fc.record({
  t: fc.constant('do' as const),
  perm: fc.constantFrom([0, 1, 2], [1, 0, 2], [2, 1, 0], [1, 2, 0]),
});

function block(depth: number, calls: boolean): fc.Arbitrary<Stmt[]> {
  if (depth === 0) return fc.array(message, { minLength: 1, maxLength: 2 });
  const inner = block(depth - 1, calls);
  const stmt = fc.oneof(
    { weight: 3, arbitrary: message },
    {
      weight: 3,
      arbitrary: fc.record({
        t: fc.constant('choice' as const),
        at: fc.nat(2),
        branches: fc.array(
          fc.record({
            body: fc.oneof(fc.constant([]), inner),
            jump: fc.option(fc.nat(1), { nil: undefined }),
          }),
          { minLength: 2, maxLength: 3 },
        ),
      }),
    },
    { weight: 2, arbitrary: fc.record({ t: fc.constant('rec' as const), body: inner }) },
    ...(calls ? [{ weight: 1, arbitrary: call }] : []),
  );
  return fc.array(stmt, { minLength: 1, maxLength: 3 });
}

/** Renders statements; every label is unique, so that merges are about structure only. */
class Renderer {
  #n = 0;
  readonly lines: string[] = [];

  block(ss: readonly Stmt[], roles: readonly string[], recs: readonly string[], pad: string): void {
    for (const s of ss) {
      const n = String(this.#n++);
      switch (s.t) {
        case 'msg': {
          const from = roles[s.from] ?? '';
          const to = roles[(s.from + 1 + s.to) % 3] ?? '';
          this.lines.push(`${pad}m${n}() from ${from} to ${to};`);
          break;
        }
        case 'do':
          this.lines.push(`${pad}do Sub(${s.perm.map((i) => roles[i] ?? '').join(', ')});`);
          break;
        case 'rec':
          this.lines.push(`${pad}rec R${n} {`);
          this.block(s.body, roles, [`R${n}`, ...recs], `${pad}  `);
          this.lines.push(`${pad}}`);
          break;
        case 'choice': {
          const chooser = roles[s.at] ?? '';
          s.branches.forEach((b, i) => {
            this.lines.push(i === 0 ? `${pad}choice at ${chooser} {` : `${pad}} or {`);
            // The chooser tells every other role first: every role knows the branch.
            for (const r of roles)
              if (r !== chooser)
                this.lines.push(`${pad}  b${n}_${String(i)}() from ${chooser} to ${r};`);
            this.block(b.body, roles, recs, `${pad}  `);
            const target =
              b.jump === undefined ? undefined : recs[Math.min(b.jump, recs.length - 1)];
            if (target !== undefined) this.lines.push(`${pad}  continue ${target};`);
          });
          this.lines.push(`${pad}}`);
          break;
        }
      }
    }
  }
}

function render(main: readonly Stmt[], sub: readonly Stmt[]): string {
  const r = new Renderer();
  r.lines.push('global protocol Main(role A, role B, role C) {');
  r.block(main, ['A', 'B', 'C'], [], '  ');
  r.lines.push('}', '', 'aux global protocol Sub(role P, role Q, role R) {');
  r.block(sub, ['P', 'Q', 'R'], [], '  ');
  r.lines.push('}', '');
  return r.lines.join('\n');
}

/** A local type from its JSON (the inverse of localTypeToJson, for the round trip). */
function fromJson(json: LocalTypeJson): LocalType {
  const made = new Map<number, LocalType>();
  const node = (id: number): LocalType => {
    const known = made.get(id);
    if (known) return known;
    const n = json.nodes[id];
    if (!n) throw new Error(`no node ${String(id)}`);
    // Nodes are made before their successors are filled in: DAG sharing is kept.
    let out: LocalType;
    switch (n.kind) {
      case 'end':
        out = LEND;
        break;
      case 'var':
        out = { kind: 'var', label: n.label };
        break;
      case 'rec': {
        const r = { kind: 'rec' as const, label: n.label, body: LEND as LocalType };
        made.set(id, r);
        r.body = node(n.body);
        return r;
      }
      case 'prefix': {
        const p = {
          kind: 'prefix' as const,
          action: n.action,
          cont: LEND as LocalType,
          origin: undefined,
        };
        made.set(id, p);
        p.cont = node(n.cont);
        return p;
      }
      case 'choice':
        out = {
          kind: 'choice',
          branches: n.branches.map((b) => ({
            action: b.action,
            cont: node(b.cont),
            origin: undefined,
          })),
          ...(n.loops.length > 0 ? { loops: n.loops } : {}),
          ...(n.loopTo.length > 0 ? { loopTo: n.loopTo.map(node) } : {}),
        };
        break;
    }
    made.set(id, out);
    return out;
  };
  return node(json.root);
}

describe('random protocols (fast-check): choices, recursion, continue, sequencing, do', () => {
  test('print round-trips in both projection modes; JSON keeps the local type', () => {
    let projected = 0;
    fc.assert(
      fc.property(block(3, true), block(2, false), (main, sub) => {
        const text = render(main, sub);
        const r = analyze(text);
        if (r.diagnostics.some((d) => d.severity === 'error')) return;
        const result = r.protocols.find((p) => p.name === 'Main');
        const p = result?.protocol;
        if (!result || !p) return;
        projected++;
        expect(roundTrips(result, 'nuscr'), text).toEqual([]);
        for (const role of result.roles) {
          if (!role.local || !role.efsm) continue;
          const json = localTypeToJson(p, role.role, role.local);
          const back = buildEfsm(role.efsm.protocol, role.role, fromJson(json));
          expect(isomorphic(efsmGraph(role.efsm), efsmGraph(back)).isomorphic, text).toBe(true);
        }
        // scribble-java's projection (enabling; same-label edges kept) of the same protocol.
        const efsms = new Map<string, Efsm>();
        for (const role of p.roles) {
          const local = project(p, role, { mode: 'scribble-java' }).local;
          if (!local) return;
          efsms.set(role, buildEfsm(p.qualifiedName, role, local));
          expect(localRoundTrip(p, role, local), text).toEqual([]);
        }
        expect(globalRoundTrip(p, efsms, 'scribble-java'), text).toEqual([]);
      }),
      { numRuns: 300, seed: 15 },
    );
    // Most generated protocols are well-formed: the property is not vacuous.
    expect(projected).toBeGreaterThan(150);
  });
});

describe('actionDirection: one answer for every package', () => {
  test.each<[LocalAction['kind'], ReturnType<typeof actionDirection>]>([
    ['send', 'output'],
    ['request', 'output'],
    ['wrap-client', 'output'],
    ['receive', 'input'],
    ['accept', 'input'],
    ['wrap-server', 'input'],
    ['crash', 'input'],
    ['disconnect', 'local'],
  ])('%s is %s', (kind, direction) => {
    const m = { label: 'm', payload: [] };
    const a = (
      kind === 'send' || kind === 'receive' || kind === 'request' || kind === 'accept'
        ? { kind, peer: 'B', message: m }
        : { kind, peer: 'B' }
    ) as LocalAction;
    expect(actionDirection(a)).toBe(direction);
  });
});
