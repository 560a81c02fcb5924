/**
 * The printers' round trip, shared by the unit, random and corpus tests:
 *   - global: `printGlobal(x)` parses and elaborates again, and projecting the result onto every
 *     role (in x's projection mode) gives EFSMs isomorphic to x's (same shape, not only the same
 *     traces: the text must keep the DAG's sharing, so that states are not duplicated);
 *   - local: `printLocal` read back (test/conformance/local-text.ts) is the local type;
 *   - size: every printed line is one node or edge of the DAG, or a block's brace or `or`, so
 *     the text is linear in the IR (a continuation written once per path would break this).
 */
import {
  buildEfsm,
  elaborate,
  matchProtocols,
  printGlobal,
  printLocal,
  project,
  protocolEntries,
  type ElaboratedProtocol,
  type Efsm,
  type GlobalType,
  type LocalType,
  type ProtocolResult,
} from '@mpst/projector';
import { checkFiles, memoryHost } from '@mpst/scribble';
import { isomorphic } from './conformance/graph.js';
import { efsmGraph } from './conformance/labels.js';
import { canonical, treeOfLocal, treeOfText } from './conformance/local-text.js';

export type Mode = 'scribble-java' | 'nuscr';

/** Nodes plus edges of a DAG (each counted once), from its successors. */
function dagSize<N>(root: N, successors: (n: N) => readonly N[]): number {
  const seen = new Set<N>([root]);
  const stack = [root];
  let edges = 0;
  for (let n = stack.pop(); n !== undefined; n = stack.pop()) {
    for (const s of successors(n)) {
      edges++;
      if (!seen.has(s)) {
        seen.add(s);
        stack.push(s);
      }
    }
  }
  return seen.size + edges;
}

export function globalSize(g: GlobalType): number {
  return dagSize(g, (n): GlobalType[] => {
    switch (n.kind) {
      case 'choice':
        return [...n.branches];
      case 'rec':
        return [n.body];
      case 'seq':
        return [n.first, n.then];
      case 'var':
      case 'end':
        return [];
      default:
        return [n.cont];
    }
  });
}

export function localSize(l: LocalType): number {
  return dagSize(l, (n): LocalType[] => {
    switch (n.kind) {
      case 'choice':
        return [...n.branches.map((b) => b.cont), ...(n.loopTo ?? [])];
      case 'rec':
        return [n.body];
      case 'prefix':
        return [n.cont];
      default:
        return [];
    }
  });
}

const lines = (text: string): number => text.split('\n').length - 1;

/** Problems of printGlobal's round trip for `p`, whose roles project to `efsms` (empty: fine). */
export function globalRoundTrip(
  p: ElaboratedProtocol,
  efsms: ReadonlyMap<string, Efsm>,
  mode: Mode,
  /** The text to parse: by default `printGlobal(p)` (add pragmas and called protocols). */
  text: string = printGlobal(p),
): string[] {
  const problems: string[] = [];
  const printed = printGlobal(p);
  const bound = 3 * globalSize(p.body) + 2;
  if (lines(printed) > bound)
    problems.push(`${String(lines(printed))} lines printed for a DAG of size ${String(bound)}`);
  const { program, diagnostics } = checkFiles(
    ['Printed.nuscr'],
    memoryHost({ 'Printed.nuscr': text }),
  );
  const syntax = diagnostics.filter((d) => d.severity === 'error' && d.code.startsWith('MPST0'));
  if (syntax.length > 0)
    return [...problems, `does not parse: ${syntax[0]?.message ?? ''}\n${text}`];
  const ref = matchProtocols(protocolEntries(program), p.name)[0];
  if (!ref) return [...problems, `no protocol ${p.name} in the text`];
  const again = elaborate(program, ref);
  const errors = again.diagnostics.filter((d) => d.severity === 'error');
  if (!again.protocol || errors.length > 0)
    return [...problems, `does not elaborate: ${errors[0]?.message ?? ''}\n${text}`];
  for (const [role, efsm] of efsms) {
    const local = project(again.protocol, role, { mode }).local;
    if (!local) {
      problems.push(`${role}: the printed protocol does not project\n${text}`);
      continue;
    }
    const other = buildEfsm(efsm.protocol, role, local);
    const iso = isomorphic(efsmGraph(efsm), efsmGraph(other));
    if (!iso.isomorphic) problems.push(`${role}: EFSMs differ (${iso.reason})\n${text}`);
  }
  return problems;
}

/** Local types larger than this (as trees) are not read back: the tree form is exponential. */
const TREE_LIMIT = 20_000;

/** Problems of printLocal for one role (empty: fine). */
export function localRoundTrip(p: ElaboratedProtocol, role: string, local: LocalType): string[] {
  const problems: string[] = [];
  const text = printLocal(p, role, local);
  const bound = 3 * localSize(local) + 2;
  if (lines(text) > bound)
    problems.push(
      `${role}: ${String(lines(text))} lines printed for a DAG of size ${String(bound)}`,
    );
  if (treeSize(local) > TREE_LIMIT) return problems;
  let back: string;
  try {
    back = canonical(treeOfText(text));
  } catch (e) {
    back = `unreadable: ${e instanceof Error ? e.message : String(e)}`;
  }
  const want = canonical(treeOfLocal(local, true));
  if (back !== want) problems.push(`${role}: printed\n${text}reads back as\n${back}\nnot\n${want}`);
  return problems;
}

/** The size of a local type unfolded into a tree (counted on the DAG, with saturation). */
function treeSize(l: LocalType): number {
  const memo = new Map<LocalType, number>();
  const go = (n: LocalType): number => {
    const hit = memo.get(n);
    if (hit !== undefined) return hit;
    let s = 1;
    if (n.kind === 'prefix') s += go(n.cont);
    else if (n.kind === 'rec') s += go(n.body);
    else if (n.kind === 'choice') {
      for (const b of n.branches) s += go(b.cont);
      for (const r of n.loopTo ?? []) s += go(r);
    }
    s = Math.min(s, TREE_LIMIT + 1);
    memo.set(n, s);
    return s;
  };
  return go(l);
}

/**
 * Both round trips for every role of an analysed protocol (`text`: the text to re-parse, see
 * {@link globalRoundTrip}; `null`: only the local one).
 */
export function roundTrips(result: ProtocolResult, mode: Mode, text?: string | null): string[] {
  const p = result.protocol;
  if (!p) return [];
  const efsms = new Map<string, Efsm>();
  const problems: string[] = [];
  for (const r of result.roles) {
    if (!r.local || !r.efsm) continue;
    efsms.set(r.role, r.efsm);
    problems.push(...localRoundTrip(p, r.role, r.local));
  }
  if (text !== null) problems.push(...globalRoundTrip(p, efsms, mode, text));
  return problems;
}
