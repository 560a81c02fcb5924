/**
 * Every word that can be a name is a name (docs/language.md, "Keywords"): each keyword of each
 * dialect (scribble-java, nuScr, Teatrino, ours) used as a message label, a role name and a
 * payload type name, in each position its dialect allows. Generated table: keyword x case. Each
 * case must parse without a diagnostic, keep the word where it was written, pass the checks,
 * project onto every role (an EFSM for each) and survive the formatter unchanged.
 */
import { analyzeFiles } from '@mpst/projector';
import { format, memoryHost, parse, type Module } from '@mpst/scribble';
import { describe, expect, test } from 'vitest';

/** scribble-java's keywords (its ANTLR grammar, Scribble.g, at commit 723660a). */
const SCRIBBLE_JAVA = `module import type data sig protocol global local explicit aux role self as connect
  disconnect wrap and from to choice at or rec continue do`;
/** nuScr's keywords (its lexer, lib/syntaxtree/lexer.ml, at commit ba4c7b2). */
const NUSCR = `at aux calls choice continue do false from global len nested new not or protocol rec role
  to true`;
/** Teatrino's additions to nuScr's. */
const TEATRINO = 'crash reliable';
/** Ours: `foreach ... in` and default communications. */
const OURS = 'foreach in default';

const KEYWORDS = [
  ...new Set(`${SCRIBBLE_JAVA} ${NUSCR} ${TEATRINO} ${OURS}`.split(/\s+/).filter(Boolean)),
].sort();

interface Case {
  readonly name: string;
  /** The file (its name tells the dialect: `Kw.scr` with `module Kw;` is scribble-java). */
  readonly path: string;
  readonly text: (k: string) => string;
  /** The labels the EFSMs must show (`peer!label` / `peer?label` without payload). */
  readonly labels?: (k: string) => readonly string[];
  /** Words this case cannot take, each with its reason (the exceptions of docs/language.md). */
  readonly except?: Readonly<Record<string, string>>;
}

const JAVA_HEAD = (types: string): string =>
  `module Kw;\n${types}type <java> "java.lang.Integer" from "rt.jar" as Int;\n`;

const CASES: readonly Case[] = [
  {
    name: 'nuScr: message label with payload, first in a choice branch and after it',
    path: 'Kw.nuscr',
    text: (k) => `global protocol P(role A, role B) {
  ${k}(Int) from A to B;
  choice at A { ${k}(x: Int) from A to B; } or { other() from A to B; }
  ${k}() from B to A;
}`,
    labels: (k) => ['B!' + k, 'A?' + k],
  },
  {
    name: 'nuScr: message label without payload',
    path: 'Kw.nuscr',
    text: (k) => `global protocol P(role A, role B) {
  ${k} from A to B;
  rec X { choice at B { ${k} from B to A; continue X; } or { stop from B to A; } }
}`,
    labels: (k) => ['B!' + k, 'A!' + k],
    except: { crash: '`crash from C to L;` is the crash notice (Teatrino); write `crash()`' },
  },
  {
    name: 'nuScr: role name (sender, receiver, chooser, do and calls arguments)',
    path: 'Kw.nuscr',
    text: (k) => `(*# NestedProtocols #*)
nested protocol Sub(role X, role Y) { ping() from X to Y; }
global protocol P(role A, role ${k}) {
  m(Int) from A to ${k};
  choice at ${k} { yes() from ${k} to A; } or { no() from ${k} to A; }
  ${k} calls Sub(${k}, A);
  n() from ${k} to A;
}`,
  },
  {
    name: 'nuScr: payload type name (plain and named payloads)',
    path: 'Kw.nuscr',
    text: (k) => `global protocol P(role A, role B) {
  m(${k}) from A to B;
  n(x: ${k}, ${k}: Int) from B to A;
}`,
  },
  {
    name: 'nuScr: recursion label and protocol name',
    path: 'Kw.nuscr',
    text: (k) => `aux global protocol ${k}(role A, role B) { m() from A to B; }
global protocol P(role A, role B) {
  rec ${k} { choice at A { more() from A to B; continue ${k}; } or { do ${k}(A, B); } }
}`,
  },
  {
    name: 'Teatrino: role name of a crash-stop role, label of a crash branch',
    path: 'Kw.nuscr',
    text: (k) => `global protocol P(reliable role A, role ${k}) {
  choice at ${k} { ${k}() from ${k} to A; } or { crash from ${k} to A; }
}`,
  },
  {
    name: 'scribble-java: message label with payload',
    path: 'Kw.scr',
    text: (k) => `${JAVA_HEAD('')}global protocol P(role A, role B) {
  ${k}(Int) from A to B;
  choice at A { ${k}() from A to B; } or { other(Int) from A to B; }
}`,
    labels: (k) => ['B!' + k],
  },
  {
    name: 'scribble-java: message signature name',
    path: 'Kw.scr',
    text: (
      k,
    ) => `${JAVA_HEAD(`sig <java> "pkg.M" from "m.jar" as ${k};\n`)}global protocol P(role A, role B) {
  ${k} from A to B;
}`,
  },
  {
    name: 'scribble-java: role name',
    path: 'Kw.scr',
    text: (k) => `${JAVA_HEAD('')}aux global protocol Q(role X, role Y) { q() from X to Y; }
global protocol P(role A, role ${k}) {
  m(Int) from A to ${k};
  choice at ${k} { yes() from ${k} to A; } or { no() from ${k} to A; }
  do Q(${k}, A);
}`,
  },
  {
    name: 'scribble-java: payload type name and type parameter',
    path: 'Kw.scr',
    text: (
      k,
    ) => `${JAVA_HEAD(`type <java> "pkg.T" from "t.jar" as ${k};\n`)}aux global protocol Q<type ${k}>(role X, role Y) {
  q(${k}) from X to Y;
}
global protocol P(role A, role B) {
  m(${k}, Int) from A to B;
  do Q<${k}>(B, A);
}`,
  },
  {
    name: 'scribble-java: explicit connections with the word as label and roles',
    path: 'Kw.scr',
    text: (k) => `${JAVA_HEAD('')}explicit global protocol P(role A, role ${k}) {
  ${k}() connect A to ${k};
  m(Int) from A to ${k};
  disconnect A and ${k};
}`,
  },
];

/** Every `peer!label`/`peer?label` of every EFSM (labels without payload). */
function efsmLabels(result: ReturnType<typeof analyzeFiles>): Set<string> {
  const out = new Set<string>();
  for (const p of result.protocols)
    for (const r of p.roles)
      for (const t of r.efsm?.transitions ?? []) out.add(t.label.replace(/\(.*$/, ''));
  return out;
}

function roundTrip(module: Module): void {
  const printed = format(module);
  const again = parse(printed, module.file.path);
  expect(again.diagnostics).toEqual([]);
  expect(format(again.module)).toBe(printed);
}

describe.each(CASES)('$name', (c) => {
  test.each(KEYWORDS.filter((k) => !c.except?.[k]))('%s', (k) => {
    const text = c.text(k);
    const parsed = parse(text, c.path);
    expect(parsed.diagnostics).toEqual([]);
    roundTrip(parsed.module);
    const result = analyzeFiles([c.path], memoryHost({ [c.path]: text }));
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.protocols.length).toBeGreaterThan(0);
    for (const p of result.protocols) {
      expect(p.protocol).toBeDefined();
      for (const r of p.roles) expect(r.efsm, `${p.name}@${r.role}`).toBeDefined();
    }
    const labels = efsmLabels(result);
    for (const l of c.labels?.(k) ?? []) expect(labels).toContain(l);
  });
});

describe('the exceptions docs/language.md lists', () => {
  test('`crash from C to L;` is a crash notice, never a message labelled `crash`', () => {
    const { module, diagnostics } = parse(
      'global protocol P(reliable role L, role C) { choice at C { crash() from C to L; } or { crash from C to L; } }',
    );
    expect(diagnostics).toEqual([]);
    const choice = module.protocols[0]?.body.interactions[0];
    expect(choice?.kind).toBe('Choice');
    if (choice?.kind !== 'Choice') return;
    expect(choice.branches.map((b) => b.body.interactions[0]?.kind)).toEqual([
      'MessageTransfer',
      'CrashNotice',
    ]);
  });
});
