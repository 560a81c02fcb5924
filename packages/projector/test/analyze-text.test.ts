/**
 * `analyzeText`: one protocol text checked, elaborated and projected in memory. (The root
 * README's sample, which draws too, runs in packages/mermaid/test/readme-library.test.ts.)
 */
import { analyzeFiles, analyzeText } from '@mpst/projector';
import { memoryHost } from '@mpst/scribble';
import { describe, expect, test } from 'vitest';

const SHOP = `global protocol Shop(role Buyer, role Seller) {
  quote(price: Int) from Seller to Buyer;
  choice at Buyer { accept() from Buyer to Seller; } or { reject() from Buyer to Seller; }
}`;

describe('analyzeText', () => {
  test('gives the same result as analyzeFiles over a memory host', () => {
    const a = analyzeText(SHOP);
    const b = analyzeFiles(['input.nuscr'], memoryHost({ 'input.nuscr': SHOP }));
    expect(a.protocols.map((p) => p.roles.map((r) => r.efsm))).toEqual(
      b.protocols.map((p) => p.roles.map((r) => r.efsm)),
    );
  });

  test('errors are positioned in the default file, or in options.path', () => {
    const bad = 'global protocol P(role A, role B) {\n  m() from A to C;\n}';
    const undeclared = analyzeText(bad).diagnostics.find((d) => d.code === 'MPST101');
    expect(undeclared?.span).toMatchObject({
      file: 'input.nuscr',
      line: 2,
      column: 17,
    });
    const files = analyzeText(bad, { path: 'p.nuscr' }).diagnostics.map((d) => d.span.file);
    expect(new Set(files)).toEqual(new Set(['p.nuscr']));
  });

  test('a scribble-java text is named after its module, and its imports come from options.files', () => {
    const text = `module shop.Main;
import shop.Types;
type <java> "java.lang.Integer" from "rt.jar" as Int;
global protocol Main(role A, role B) { do shop.Types.Ask(A, B); }`;
    const types = `module shop.Types;
global protocol Ask(role X, role Y) { ask() from X to Y; }`;
    const r = analyzeText(text, { files: { 'shop/Types.scr': types }, protocol: 'Main' });
    expect(r.diagnostics).toEqual([]);
    expect(r.program.modules.map((m) => m.path)).toEqual(['shop/Main.scr', 'shop/Types.scr']);
    expect(r.protocols[0]?.roles.map((x) => x.efsm?.transitions.map((t) => t.label))).toEqual([
      ['B!ask()'],
      ['A?ask()'],
    ]);
  });

  test('options.keep drops what is not wanted, and the diagnostics stay the same', () => {
    // Mixed states (MPST210) are found on the EFSM: it is built even when it is not kept.
    const mixed = `global protocol M(role A, role B, role C) {
  rec X { choice at A { a() from A to B; continue X; } or { b() from A to C; c() from B to C; } }
}`;
    for (const text of [SHOP, mixed]) {
      const all = analyzeText(text);
      const none = analyzeText(text, { keep: { local: false, efsm: false } });
      const efsm = analyzeText(text, { keep: { local: false } });
      expect(none.diagnostics).toEqual(all.diagnostics);
      expect(efsm.diagnostics).toEqual(all.diagnostics);
      const roles = (r: typeof all) => r.protocols.flatMap((p) => p.roles);
      expect(roles(none).map((r) => [r.local, r.efsm])).toEqual(
        roles(all).map(() => [undefined, undefined]),
      );
      expect(roles(efsm).map((r) => [r.local, r.efsm])).toEqual(
        roles(all).map((r) => [undefined, r.efsm]),
      );
    }
    expect(analyzeText(mixed).diagnostics.map((d) => d.code)).toContain('MPST210');
  });
});
