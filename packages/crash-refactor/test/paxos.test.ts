import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { applyPlan, planRefactoring, type Plan } from '../src/index.js';

const PAXOS = fileURLToPath(
  new URL('../../../tutorials/paxos/protocols/Paxos.scr', import.meta.url),
);
const text = readFileSync(PAXOS, 'utf8');
const acceptors = { unreliable: ['A1', 'A2', 'A3'] };

describe('the tutorial Paxos', () => {
  const plan = planRefactoring(text, 'Paxos', acceptors, { file: 'Paxos.scr' });

  test('acceptors unreliable: a missing promise/accepted counts as nack, and it verifies', () => {
    expect(plan.verdict).toBe('verified');
    expect(plan.decisions.map((d) => [d.id, d.options[d.chosen]?.kind])).toEqual([
      ['Prepare: P waits for promise from A#1', 'default-branch'],
      ['Accept: P waits for accepted from A#1', 'default-branch'],
    ]);
    expect(plan.output).toContain('} or default {\n    nack(Ballot) from A to P;');
    expect(plan.output).toContain(
      'global protocol Paxos(reliable role P1, reliable role P2, role A1',
    );
  });

  test('every comment and every line outside the edits is kept byte for byte', () => {
    const kept = plan.output.split('\n');
    for (const line of text.split('\n')) {
      if (line.includes('} or {') || line.startsWith('global protocol Paxos(')) continue;
      expect(kept).toContain(line);
    }
    for (const c of text.match(/\/\/[^\n]*/g) ?? []) expect(plan.output).toContain(c);
  });

  test('a plan applies to its file; a reviewed plan with another choice is followed', () => {
    expect(applyPlan(text, plan).output).toBe(plan.output);
    const edited: Plan = {
      ...plan,
      decisions: plan.decisions.map((d, i) => (i === 0 ? { ...d, chosen: 1 } : d)),
    };
    const applied = applyPlan(text, edited);
    expect(applied.decisions[0]?.chosen).toBe(1);
    expect(applied.decisions[0]?.options[1]?.kind).toBe('crash-branch');
    expect(applied.output).toContain('crash from A to P;');
  });

  test('a plan for another text is a clear MPST405 error and changes nothing', () => {
    const changed = text.replace('nack(Ballot) from A to P;', 'refuse(Ballot) from A to P;');
    const r = applyPlan(changed, plan);
    expect(r.output).toBe(changed);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['MPST405']);
    expect(r.diagnostics[0]?.message).toMatch(/another version of Paxos.scr/);
  });

  test('links acceptor -> proposer unreliable: the same defaults, proved in link-failure mode', () => {
    const links = {
      unreliable: [],
      unreliableLinks: [
        ['A1', 'P1'],
        ['A1', 'P2'],
      ] as [string, string][],
    };
    const r = planRefactoring(text, 'Paxos', links, { file: 'Paxos.scr' });
    expect(r.verdict).toBe('verified');
    expect(r.decisions.map((d) => d.options[d.chosen]?.kind)).toEqual([
      'default-branch',
      'default-branch',
    ]);
    // The link's sender must be allowed to look crashed: only it loses `reliable`.
    expect(r.output).toContain(
      'global protocol Paxos(reliable role P1, reliable role P2, role A1, reliable role A2',
    );
  });

  test('bad failure models are positioned MPST4xx errors', () => {
    const r = planRefactoring(text, 'Paxos', { unreliable: ['Z'] }, { file: 'Paxos.scr' });
    expect(r.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['MPST401', 'no role `Z` in `Paxos`'],
    ]);
    expect(r.diagnostics[0]?.span.line).toBe(55);
    const none = planRefactoring(text, 'Paxos', { unreliable: [] });
    expect(none.diagnostics[0]?.code).toBe('MPST400');
    const bad = planRefactoring('global protocol P(role A) { m() from A to B; }', 'P', {
      unreliable: ['A'],
    });
    expect(bad.diagnostics[0]?.code).toBe('MPST400');
  });

  test('a protocol that does not check: MPST400, then its own errors where they are', () => {
    const broken =
      'global protocol P(role A, role B) {\n  m() from A to B\n  n() from B to A;\n}\n';
    const r = planRefactoring(broken, 'P', { unreliable: ['A'] }, { file: 'P.scr' });
    expect(r.verdict).toBe('unhandled');
    expect(r.diagnostics.map((d) => [d.code, d.span.line, d.span.column])).toEqual([
      ['MPST400', 1, 1],
      ['MPST010', 2, 18],
    ]);
    // A protocol that is not there: the analysis says which ones are.
    const other = planRefactoring(text, 'Paxo', { unreliable: ['A1'] }, { file: 'Paxos.scr' });
    expect(other.diagnostics.map((d) => d.code)).toEqual(['MPST400', 'MPST211']);
    expect(other.diagnostics[1]?.message).toContain('Paxos');
  });
});

describe('a module that imports another', () => {
  const files: Record<string, string> = {
    'src/shop/Types.scr':
      'module shop.Types;\ntype <java> "java.lang.Integer" from "rt.jar" as Int;\n',
    'src/shop/Order.scr':
      'module shop.Order;\nimport shop.Types;\n' +
      'global protocol Order(role A, role B) {\n' +
      '  order(shop.Types.Int) from A to B;\n  ok() from B to A;\n}\n',
  };
  const order = files['src/shop/Order.scr'] ?? '';
  const host = { readFile: (p: string) => files[p] };

  test('`host` reads the imported modules, and the import stays as written', () => {
    const r = planRefactoring(
      order,
      'Order',
      { unreliable: ['A'] },
      { file: 'src/shop/Order.scr', host },
    );
    expect(r.diagnostics).toEqual([]);
    expect(r.verdict).toBe('verified');
    expect(r.output).toContain('import shop.Types;\n');
    expect(applyPlan(order, r, { host }).output).toBe(r.output);
  });

  test('without `host`, the import is not found: MPST400, then MPST121 at the import', () => {
    const r = planRefactoring(
      order,
      'Order',
      { unreliable: ['A'] },
      { file: 'src/shop/Order.scr' },
    );
    expect(r.diagnostics.map((d) => [d.code, d.span.line])).toEqual([
      ['MPST400', 1],
      ['MPST121', 2],
      ['MPST111', 4],
    ]);
  });
});
