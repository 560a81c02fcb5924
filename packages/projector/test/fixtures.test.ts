/**
 * Fixture + snapshot tests for the projector: every `.scr`/`.nuscr` file in fixtures/ is
 * analysed (checks, elaboration, well-formedness, projection, EFSMs) and the result is compared
 * with `<file>.expected.txt` beside it: the rendered diagnostics, then for each analysed protocol
 * its desugared global protocol (`printGlobal`), then for every role its local protocol
 * (`printLocalProtocol`) and its EFSM (`efsmToDot`).
 *
 * Files named `_error_*` must be rejected; `_error_MPSTnnn_*` files isolate one diagnostic:
 * every error they produce has that code. All other files must be accepted (warnings allowed).
 * Update the snapshots with `npx vitest run packages/projector/test/fixtures.test.ts -u`.
 */
import {
  analyzeFiles,
  efsmToDot,
  printGlobal,
  printLocalProtocol,
  type AnalysisResult,
  type Efsm,
} from '@mpst/projector';
import { memoryHost, renderDiagnostics, type ModuleHost } from '@mpst/scribble';
import { nodeHost } from '@mpst/scribble/node';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';

const FIXTURES = join(import.meta.dirname, 'fixtures');

/** Reads fixture files by paths relative to fixtures/, so snapshots hold no machine paths. */
const host: ModuleHost = { readFile: (p) => nodeHost.readFile(join(FIXTURES, p)) };

const fixtures = readdirSync(FIXTURES)
  .filter((name) => /\.(scr|nuscr)$/.test(name))
  .sort();

/** The snapshot text: diagnostics, then per protocol its global, and per role local + EFSM. */
function render(result: AnalysisResult): string {
  const sources = new Map(result.program.modules.map((m) => [m.path, m.module.file]));
  const out = [
    '== diagnostics',
    renderDiagnostics(result.diagnostics, { source: (f) => sources.get(f) }).trimEnd() || '(none)',
  ];
  for (const p of result.protocols) {
    out.push(
      `== global ${p.name} (desugared)`,
      p.protocol ? printGlobal(p.protocol).trimEnd() : '(elaboration failed)',
    );
    for (const r of p.roles) {
      out.push(
        `== local ${p.name} at ${r.role}`,
        printLocalProtocol(p, r.role).trimEnd() || '(projection failed)',
      );
      out.push(`== efsm ${p.name} at ${r.role}`, r.efsm ? efsmToDot(r.efsm).trimEnd() : '(none)');
    }
  }
  return `${out.join('\n')}\n`;
}

/** Structural sanity of an EFSM: ids 0..n-1, the initial state exists, transitions join existing states. */
function expectWellFormed(efsm: Efsm): void {
  const ids = efsm.states.map((s) => s.id);
  expect(ids).toEqual(ids.map((_, i) => i));
  expect(ids).toContain(efsm.initial);
  for (const t of efsm.transitions) {
    expect(ids, `${efsm.role}: transition ${t.label} from ${String(t.from)}`).toContain(t.from);
    expect(ids, `${efsm.role}: transition ${t.label} to ${String(t.to)}`).toContain(t.to);
  }
  for (const s of efsm.states) {
    expect(
      s.terminal,
      `${efsm.role}: state ${String(s.id)} terminal iff no outgoing transition`,
    ).toBe(!efsm.transitions.some((t) => t.from === s.id));
  }
}

describe('projector fixtures', () => {
  test('there are fixtures of both dialects and error fixtures', () => {
    expect(fixtures.some((f) => f.endsWith('.scr'))).toBe(true);
    expect(fixtures.some((f) => f.endsWith('.nuscr'))).toBe(true);
    expect(fixtures.some((f) => f.startsWith('_error_'))).toBe(true);
  });

  for (const rel of fixtures) {
    test(rel, async () => {
      const result = analyzeFiles([rel], host, { importPaths: ['.'] });
      expect(result.program.modules[0], `fixture ${rel} did not load`).toBeDefined();
      const errors = result.diagnostics.filter((d) => d.severity === 'error');
      if (rel.startsWith('_error_')) {
        expect(errors.length).toBeGreaterThan(0);
        const code = /^_error_(MPST\d{3})/.exec(rel)?.[1];
        if (code !== undefined) expect(errors.map((d) => d.code)).toEqual(errors.map(() => code));
      } else {
        expect(errors).toEqual([]);
        expect(result.protocols.length).toBeGreaterThan(0);
      }
      for (const d of result.diagnostics) {
        expect(d.code).toMatch(/^MPST\d{3}$/);
        expect(d.span.line).toBeGreaterThanOrEqual(1);
      }
      for (const p of result.protocols) {
        for (const r of p.roles) {
          if (!r.efsm) continue;
          expect(r.efsm.role).toBe(r.role);
          expectWellFormed(r.efsm);
        }
      }
      await expect(render(result)).toMatchFileSnapshot(join(FIXTURES, `${rel}.expected.txt`));
      // Keeping no role result (`mpst check --no-verify`: the EFSMs are checked as arrays,
      // without transition data) reports exactly the same.
      const bare = analyzeFiles([rel], host, {
        importPaths: ['.'],
        keep: { local: false, efsm: false },
      });
      expect(bare.diagnostics).toEqual(result.diagnostics);
      for (const p of bare.protocols)
        for (const r of p.roles) expect([r.local, r.efsm]).toEqual([undefined, undefined]);
    });
  }

  test('minimalDfa identifies trace-equivalent EFSMs and separates others', () => {
    const send = (from: number, to: number, label: string): Efsm['transitions'][number] => ({
      from,
      to,
      label: `B!${label}()`,
      action: { kind: 'send', peer: 'B', message: { label, payload: [] } },
    });
    const machine = (n: number, transitions: Efsm['transitions']): Efsm => ({
      protocol: 'P',
      role: 'A',
      initial: 0,
      states: Array.from({ length: n }, (_, id) => ({
        id,
        terminal: !transitions.some((t) => t.from === id),
      })),
      transitions,
    });
    // x then (y | z), with and without a shared join state.
    const shared = machine(4, [send(0, 1, 'x'), send(1, 2, 'y'), send(1, 2, 'z'), send(2, 3, 'w')]);
    const copied = machine(5, [
      send(0, 1, 'x'),
      send(1, 2, 'y'),
      send(1, 3, 'z'),
      send(2, 4, 'w'),
      send(3, 4, 'w'),
    ]);
    const other = machine(5, [
      send(0, 1, 'x'),
      send(1, 2, 'y'),
      send(1, 3, 'z'),
      send(2, 4, 'w'),
      send(3, 3, 'w'),
    ]);
    const early = machine(4, [send(0, 1, 'x'), send(1, 2, 'y'), send(1, 3, 'z'), send(2, 3, 'w')]);
    expect(minimalDfa(copied)).toBe(minimalDfa(shared));
    expect(minimalDfa(other)).not.toBe(minimalDfa(shared));
    expect(minimalDfa(early)).not.toBe(minimalDfa(shared));
  });

  // The desugared text of a module-less (nuScr) protocol is Scribble: with the file's other
  // protocols desugared beside it (those a call names), it parses, re-checks without
  // errors, and every role's EFSM accepts the same traces with the same end points (print.test.ts
  // and conformance/print-roundtrip.test.ts check the stronger property: isomorphic EFSMs).
  for (const rel of fixtures.filter((f) => !f.startsWith('_error_'))) {
    const result = analyzeFiles([rel], host, { importPaths: ['.'] });
    if (result.program.modules[0]?.module.moduleDecl) continue;
    const pragmas = result.program.modules[0]?.module.pragmas.map((x) => x.name.text) ?? [];
    // nuScr wants nested protocols before global ones.
    const all = result.protocols
      .flatMap((o) => (o.protocol ? [o.protocol] : []))
      .sort((a, b) => Number(!a.nested) - Number(!b.nested));
    for (const p of result.protocols) {
      test(`${rel}: desugared ${p.name} re-checks`, () => {
        if (!p.protocol) throw new Error(`${p.name} did not elaborate`);
        const header = pragmas.length > 0 ? `(*# ${pragmas.join(', ')} #*)\n` : '';
        const text = header + all.map((o) => printGlobal(o)).join('\n');
        const again = analyzeFiles(['Desugared.nuscr'], memoryHost({ 'Desugared.nuscr': text }));
        expect(
          again.diagnostics.filter((d) => d.severity === 'error'),
          text,
        ).toEqual([]);
        const q = again.protocols.find((x) => x.name === p.name);
        expect(q?.roles.map((r) => r.role)).toEqual(p.roles.map((r) => r.role));
        for (const r of p.roles) {
          const s = q?.roles.find((x) => x.role === r.role);
          expect(s?.efsm && minimalDfa(s.efsm), `EFSM of ${r.role}`).toBe(
            r.efsm && minimalDfa(r.efsm),
          );
        }
      });
    }
  }
});

/**
 * The minimal deterministic automaton of an EFSM (subset construction, then Moore partition
 * refinement; terminal states accept), printed with states numbered breadth-first in label
 * order: equal strings mean the same traces with the same end points.
 */
function minimalDfa(efsm: Efsm): string {
  const succ = new Map<number, Map<string, number[]>>();
  for (const t of efsm.transitions) {
    const row = succ.get(t.from) ?? new Map<string, number[]>();
    row.set(t.label, [...(row.get(t.label) ?? []), t.to]);
    succ.set(t.from, row);
  }
  const terminal = new Set(efsm.states.filter((s) => s.terminal).map((s) => s.id));
  // Subset construction.
  const sets: number[][] = [[efsm.initial]];
  const index = new Map([[String(efsm.initial), 0]]);
  const delta: Map<string, number>[] = [];
  // (An array iterator sees elements pushed while iterating: `sets` is the work queue.)
  for (const current of sets) {
    const row = new Map<string, number[]>();
    for (const s of current)
      for (const [label, tos] of succ.get(s) ?? [])
        row.set(label, [...(row.get(label) ?? []), ...tos]);
    const out = new Map<string, number>();
    for (const [label, tos] of row) {
      const set = [...new Set(tos)].sort((a, b) => a - b);
      const key = set.join(',');
      let j = index.get(key);
      if (j === undefined) {
        j = sets.length;
        index.set(key, j);
        sets.push(set);
      }
      out.set(label, j);
    }
    delta.push(out);
  }
  const accepting = sets.map((set) => set.some((s) => terminal.has(s)));
  // Moore refinement: a state's class is its acceptance, then its labels and successors' classes.
  let cls: number[] = accepting.map((a) => (a ? 1 : 0));
  for (;;) {
    const sigs = delta.map(
      (row, i) =>
        `${String(cls[i])}|${[...row]
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([l, j]) => `${l}>${String(cls[j])}`)
          .join(';')}`,
    );
    const ids = new Map<string, number>();
    const next = sigs.map((sig) => ids.get(sig) ?? (ids.set(sig, ids.size), ids.size - 1));
    if (new Set(next).size === new Set(cls).size) break;
    cls = next;
  }
  // Canonical numbering of the classes, breadth-first from the initial one.
  const order = new Map([[cls[0], 0]]);
  const queue = [0];
  const lines: string[] = [];
  for (const i of queue) {
    const row = [...(delta[i] ?? [])].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [label, j] of row) {
      if (!order.has(cls[j])) {
        order.set(cls[j], order.size);
        queue.push(j);
      }
      lines.push(`${String(order.get(cls[i]))} ${label} ${String(order.get(cls[j]))}`);
    }
    if (accepting[i]) lines.push(`${String(order.get(cls[i]))} end`);
  }
  return lines.join('\n');
}
