import {
  parse,
  tokenize,
  SourceFile,
  type Interaction,
  type MessageTransfer,
} from '@mpst/scribble';
import { describe, expect, test } from 'vitest';

function body(text: string): readonly Interaction[] {
  const { module, diagnostics } = parse(text, 't.scr');
  expect(diagnostics).toEqual([]);
  const p = module.protocols[0];
  if (!p) throw new Error('no protocol');
  return p.body.interactions;
}

describe('lexer', () => {
  test('keywords never split identifiers', () => {
    const { tokens } = tokenize(new SourceFile('t', 'done() doit record fromA'));
    expect(tokens.map((t) => t.text)).toEqual(['done', '(', ')', 'doit', 'record', 'fromA', '']);
  });

  test('nuScr comments: nested (* *), (*) line comments, pragmas', () => {
    const { tokens, comments } = tokenize(
      new SourceFile('t', '(*# P #*) (* a (* b *) c *) x (*) rest\ny'),
    );
    expect(tokens.map((t) => t.kind)).toEqual([
      'pragmaStart',
      'ident',
      'pragmaEnd',
      'ident',
      'ident',
      'eof',
    ]);
    expect(comments.map((c) => c.text)).toEqual(['(* a (* b *) c *)', '(*) rest']);
  });

  test('bad characters and unterminated comments are diagnostics, not exceptions', () => {
    const { diagnostics } = tokenize(new SourceFile('t', 'a # b /* open'));
    expect(diagnostics.map((d) => d.code)).toEqual(['MPST001', 'MPST002']);
    expect(diagnostics[0]?.span).toMatchObject({ line: 1, column: 3 });
  });
});

describe('parser', () => {
  test('every node has a span that recovers its exact source text', () => {
    const text = 'global protocol P(role A, role B) {\n  m(Int, x: Str) from A to B;\n}\n';
    const { module } = parse(text, 't.scr');
    const msg = module.protocols[0]?.body.interactions[0] as MessageTransfer;
    expect(module.file.slice(msg.span)).toBe('m(Int, x: Str) from A to B;');
    expect(module.file.slice(msg.message.span)).toBe('m(Int, x: Str)');
    expect(module.file.slice(msg.from.span)).toBe('A');
  });

  test('multicast, empty operator, bare labels and delegation', () => {
    const [a, b, c, d] = body(
      'global protocol P(role A, role B, role C) { m() from A to B, C; ' +
        '(Int) from A to B; quit from B to A; d(Q@B) from A to C; }',
    );
    expect(a).toMatchObject({ kind: 'MessageTransfer', to: [{ text: 'B' }, { text: 'C' }] });
    expect(b).toMatchObject({ message: { kind: 'SignatureLiteral', label: undefined } });
    expect(c).toMatchObject({ message: { kind: 'MessageName', name: { text: 'quit' } } });
    expect(d).toMatchObject({
      message: {
        payloads: [{ kind: 'DelegationPayload', protocol: { text: 'Q' }, role: { text: 'B' } }],
      },
    });
  });

  test('crash-stop and default communications', () => {
    const text = `global protocol P(reliable role S, role C) {
      choice at C { a() from C to S; } or { crash from C to S; }
      choice at C { y() from C to S; } or default { n() from C to S; }
      hb() from C to S default;
    }`;
    const { module, diagnostics } = parse(text, 't.scr');
    expect(diagnostics).toEqual([]);
    const p = module.protocols[0];
    expect(p?.roles.map((r) => [r.name.text, r.reliable])).toEqual([
      ['S', true],
      ['C', false],
    ]);
    const [c1, c2, hb] = p?.body.interactions ?? [];
    expect(c1).toMatchObject({
      kind: 'Choice',
      branches: [{}, { body: { interactions: [{ kind: 'CrashNotice', from: { text: 'C' } }] } }],
    });
    expect(c2).toMatchObject({
      kind: 'Choice',
      branches: [{ default: undefined }, { default: { start: expect.any(Number) as number } }],
    });
    expect(hb).toMatchObject({
      kind: 'MessageTransfer',
      default: { start: expect.any(Number) as number },
    });
  });

  test('message nodes read and serialise like plain objects, fields in their old order', () => {
    // The parser builds message transfers, signatures and names as classes (each its own span,
    // fields set in the constructor): readers and JSON must see plain nodes, fields in order.
    const text =
      'global protocol P(role A, role B, role C) { m(Int) from A to B, C; n() from B to C default; }';
    const at = (s: string): number => text.indexOf(s);
    const [a, b] = body(text);
    const mt = a as MessageTransfer;
    expect(mt.kind).toBe('MessageTransfer');
    expect([mt.span.start, mt.span.end]).toEqual([at('m(Int)'), at(' n()')]);
    expect(mt.default).toBeUndefined();
    expect(mt.annotation).toBeUndefined();
    const label = mt.message.kind === 'SignatureLiteral' ? mt.message.label : undefined;
    expect(label).toMatchObject({ kind: 'Name', text: 'm', start: at('m('), end: at('(Int)') });
    expect(label?.span.end).toBe(at('(Int)'));
    expect(mt.to.map((r) => [r.kind, r.text, text.slice(r.span.start, r.span.end)])).toEqual([
      ['Name', 'B', 'B'],
      ['Name', 'C', 'C'],
    ]);
    const json = JSON.parse(JSON.stringify(mt)) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(['start', 'end', 'message', 'from', 'to', 'kind']);
    expect(Object.keys(json.message as object)).toEqual([
      'start',
      'end',
      'label',
      'payloads',
      'kind',
    ]);
    expect(json.from).toEqual({ start: at('A to'), end: at(' to B'), text: 'A', kind: 'Name' });
    expect(Object.keys(JSON.parse(JSON.stringify(b)) as object)).toEqual([
      'start',
      'end',
      'message',
      'from',
      'to',
      'kind',
      'default',
    ]);
    const d = (b as MessageTransfer).default;
    expect(d && text.slice(d.start, d.end)).toBe('default');
  });

  test('`crash(Int)` with parentheses is an ordinary label', () => {
    const [m] = body('global protocol P(role A, role B) { crash(Int) from A to B; }');
    expect(m).toMatchObject({ kind: 'MessageTransfer', message: { label: { text: 'crash' } } });
  });

  test('reports every syntax error of a file in one run', () => {
    const text = `global protocol P(role A, role B) {
  m() from A to;
  n( from B to A;
  o() from A to B;
  choice at { x() from A to B; }
}
global protocol Q(role A role B) { }
`;
    const { diagnostics, module } = parse(text, 't.scr');
    expect(diagnostics.map((d) => d.span.line)).toEqual([2, 3, 5, 7]);
    // Recovery keeps the good statements and the second protocol.
    expect(module.protocols.map((p) => p.name.text)).toEqual(['P', 'Q']);
    expect(module.protocols[0]?.body.interactions.map((i) => i.kind)).toEqual(['MessageTransfer']);
  });

  test('a missing `;` at a line break is reported once and assumed', () => {
    const { diagnostics, module } = parse(
      'global protocol P(role A, role B) {\n  m() from A to B\n  n() from B to A;\n}',
      't.scr',
    );
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: 'MPST010', span: { line: 2, column: 18 } });
    expect(module.protocols[0]?.body.interactions).toHaveLength(2);
  });

  test('error limit stops runaway files', () => {
    const junk = 'global protocol P(role A, role B) {\n' + ') from A to B;\n'.repeat(500) + '}';
    const { diagnostics } = parse(junk, 't.scr', { maxErrors: 20 });
    expect(diagnostics.at(-1)?.code).toBe('MPST012');
    expect(diagnostics.length).toBe(21);
  });

  test('nested protocols must precede globals and interactions', () => {
    const { diagnostics } = parse(
      'global protocol G(role A, role B) { m() from A to B; }\nnested protocol N(role A, role B) { }',
      't',
    );
    expect(diagnostics.map((d) => d.code)).toEqual(['MPST011']);
  });
});
