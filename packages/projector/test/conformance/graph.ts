/**
 * Labelled directed graphs for the conformance tests: a tiny Graphviz dot reader (enough for
 * scribble-java's and nuScr's EFSM output), restriction to the reachable part, and an
 * isomorphism check from the initial states.
 *
 * scribble-java writes
 *
 *     digraph G {
 *     compound = true;
 *     "17" [ label="17: " ];
 *     "17" -> "19" [ label="A?1()" ];
 *     }
 *
 * and nuScr (ocamlgraph) writes `0 [label="...", ];`, `5;` and `0 -> 5 [label="A?m()", ];`, with
 * labels that may span lines. In both, the initial state is the first node statement.
 */

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly label: string;
}

export interface LabelledGraph {
  readonly initial: string;
  /** Every node, in the order first mentioned. */
  readonly nodes: readonly string[];
  readonly edges: readonly GraphEdge[];
}

// ---- dot reader -------------------------------------------------------------------------------

type Token =
  | { readonly kind: 'id'; readonly text: string }
  | { readonly kind: 'punct'; readonly text: string };

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] ?? '';
    if (/\s/.test(c)) {
      i++;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
    } else if (c === '"') {
      let s = '';
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < text.length) {
          const n = text[i + 1] ?? '';
          // `\"` and `\\` are escapes; dot keeps other backslash sequences (`\n`, `\l`) as text.
          s += n === '"' || n === '\\' ? n : `\\${n}`;
          i += 2;
        } else {
          s += text[i] ?? '';
          i++;
        }
      }
      if (i >= text.length) throw new Error('dot: unterminated string');
      i++;
      out.push({ kind: 'id', text: s });
    } else if (c === '-' && (text[i + 1] === '>' || text[i + 1] === '-')) {
      out.push({ kind: 'punct', text: `-${text[i + 1] ?? ''}` });
      i += 2;
    } else if ('{}[];,='.includes(c)) {
      out.push({ kind: 'punct', text: c });
      i++;
    } else if (/[\w.-]/.test(c)) {
      let j = i;
      while (
        j < text.length &&
        /[\w.-]/.test(text[j] ?? '') &&
        !(text[j] === '-' && (text[j + 1] === '>' || text[j + 1] === '-'))
      )
        j++;
      out.push({ kind: 'id', text: text.slice(i, j) });
      i = j;
    } else {
      throw new Error(`dot: unexpected character ${JSON.stringify(c)} at offset ${String(i)}`);
    }
  }
  return out;
}

/**
 * Reads a dot digraph (no subgraphs). Nodes come from node statements and edge ends; the
 * initial node is the first node statement's node (else the first edge's source).
 */
export function parseDot(text: string): LabelledGraph {
  const toks = tokenize(text);
  let p = 0;
  const peek = (k = 0): Token | undefined => toks[p + k];
  const isPunct = (t: Token | undefined, s: string): boolean => t?.kind === 'punct' && t.text === s;
  const expectPunct = (s: string): void => {
    if (!isPunct(peek(), s))
      throw new Error(
        `dot: expected '${s}', got ${JSON.stringify(peek()?.text ?? 'end of input')}`,
      );
    p++;
  };
  const id = (): string => {
    const t = peek();
    if (t?.kind !== 'id')
      throw new Error(`dot: expected an id, got ${JSON.stringify(t?.text ?? 'end of input')}`);
    p++;
    return t.text;
  };
  const attrs = (): Map<string, string> => {
    const m = new Map<string, string>();
    while (isPunct(peek(), '[')) {
      p++;
      while (!isPunct(peek(), ']')) {
        const k = id();
        expectPunct('=');
        m.set(k, id());
        if (isPunct(peek(), ',') || isPunct(peek(), ';')) p++;
      }
      p++;
    }
    return m;
  };

  if (peek()?.text === 'strict') p++;
  const kw = id();
  if (kw !== 'digraph' && kw !== 'graph') throw new Error(`dot: expected digraph, got ${kw}`);
  if (peek()?.kind === 'id') p++;
  expectPunct('{');

  const nodes: string[] = [];
  const seen = new Set<string>();
  const addNode = (n: string): void => {
    if (!seen.has(n)) {
      seen.add(n);
      nodes.push(n);
    }
  };
  const edges: GraphEdge[] = [];
  let firstNodeStmt: string | undefined;
  while (!isPunct(peek(), '}')) {
    if (isPunct(peek(), ';')) {
      p++;
      continue;
    }
    const a = id();
    if (isPunct(peek(), '=')) {
      p++; // graph attribute `compound = true`
      id();
    } else if ((a === 'graph' || a === 'node' || a === 'edge') && isPunct(peek(), '[')) {
      attrs();
    } else if (isPunct(peek(), '->') || isPunct(peek(), '--')) {
      const chain = [a];
      while (isPunct(peek(), '->') || isPunct(peek(), '--')) {
        p++;
        chain.push(id());
      }
      const label = attrs().get('label') ?? '';
      chain.forEach(addNode);
      for (let k = 0; k + 1 < chain.length; k++)
        edges.push({ from: chain[k] ?? '', to: chain[k + 1] ?? '', label });
    } else {
      attrs();
      addNode(a);
      firstNodeStmt ??= a;
    }
    if (isPunct(peek(), ';')) p++;
  }
  const initial = firstNodeStmt ?? edges[0]?.from ?? nodes[0];
  if (initial === undefined) throw new Error('dot: empty graph');
  return { initial, nodes, edges };
}

// ---- operations -------------------------------------------------------------------------------

function outEdges(g: LabelledGraph): Map<string, GraphEdge[]> {
  const m = new Map<string, GraphEdge[]>();
  for (const n of g.nodes) m.set(n, []);
  for (const e of g.edges) {
    const l = m.get(e.from);
    if (l) l.push(e);
    else m.set(e.from, [e]);
  }
  return m;
}

/** The part of `g` reachable from its initial node (nodes in BFS order). */
export function reachable(g: LabelledGraph): LabelledGraph {
  const out = outEdges(g);
  const seen = new Set<string>([g.initial]);
  const order = [g.initial];
  // `order` grows while it is walked (breadth-first).
  for (const n of order) {
    for (const e of out.get(n) ?? []) {
      if (!seen.has(e.to)) {
        seen.add(e.to);
        order.push(e.to);
      }
    }
  }
  return { initial: g.initial, nodes: order, edges: g.edges.filter((e) => seen.has(e.from)) };
}

/**
 * Drops repeated edges (same source, label and target): an EFSM's transitions are a set.
 * scribble-java lists such an edge once per choice branch that produces it (e.g. good/wfchoice/merge/Test01, C receives
 * `3()` from B in both branches of A's choice: two identical edges).
 */
export function dedupeEdges(g: LabelledGraph): LabelledGraph {
  const seen = new Set<string>();
  const edges = g.edges.filter((e) => {
    const k = JSON.stringify([e.from, e.label, e.to]);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  return edges.length === g.edges.length ? g : { ...g, edges };
}

/**
 * Trace equivalence with termination: the two graphs, determinised (subset construction), are
 * bisimilar, with a subset "terminal" when it holds a state without outgoing edges. Labels are
 * matched with `eq`, which must pair each label group of one side with exactly one of the
 * other. Returns '' when equivalent, else a shortest distinguishing trace and why.
 */
export function traceDifference(
  a0: LabelledGraph,
  b0: LabelledGraph,
  eq: (la: string, lb: string) => boolean = (x, y) => x === y,
): string {
  const outA = outEdges(a0);
  const outB = outEdges(b0);
  const key = (xs: readonly string[]): string => JSON.stringify([...new Set(xs)].sort());
  const queue: { xs: string[]; ys: string[]; trace: string[] }[] = [
    { xs: [a0.initial], ys: [b0.initial], trace: [] },
  ];
  const seen = new Set<string>();
  const group = (out: Map<string, GraphEdge[]>, xs: readonly string[]): Map<string, string[]> => {
    const m = new Map<string, string[]>();
    for (const x of xs)
      for (const e of out.get(x) ?? []) m.set(e.label, [...(m.get(e.label) ?? []), e.to]);
    return m;
  };
  // `queue` grows while it is walked (breadth-first).
  for (const { xs, ys, trace } of queue) {
    const k = `${key(xs)}|${key(ys)}`;
    if (seen.has(k)) continue;
    seen.add(k);
    const at = trace.length === 0 ? 'initially' : `after ${trace.join(' ')}`;
    const termA = xs.some((x) => (outA.get(x) ?? []).length === 0);
    const termB = ys.some((y) => (outB.get(y) ?? []).length === 0);
    if (termA !== termB) return `${at}: ${termA ? 'first' : 'second'} can end, the other cannot`;
    const ga = group(outA, xs);
    const gb = group(outB, ys);
    const usedB = new Set<string>();
    for (const [la, ta] of ga) {
      const matches = [...gb.keys()].filter((lb) => eq(la, lb));
      if (matches.length !== 1)
        return `${at}: ${la} is ${matches.length === 0 ? 'only in the first' : 'ambiguous'}`;
      const lb = matches[0] ?? '';
      usedB.add(lb);
      queue.push({ xs: ta, ys: gb.get(lb) ?? [], trace: [...trace, la] });
    }
    const extra = [...gb.keys()].filter((lb) => !usedB.has(lb));
    if (extra.length > 0) return `${at}: ${extra.join(', ')} only in the second`;
  }
  return '';
}

/** Renames every label with `f` (same nodes and edges). */
export function mapLabels(g: LabelledGraph, f: (label: string) => string): LabelledGraph {
  return { ...g, edges: g.edges.map((e) => ({ ...e, label: f(e.label) })) };
}

/**
 * Merges every reachable node without outgoing edges into one node `⊥` (nuScr keeps one end
 * state per branch; all of them mean "finished").
 */
export function mergeTerminals(g0: LabelledGraph): LabelledGraph {
  const g = reachable(g0);
  const hasOut = new Set(g.edges.map((e) => e.from));
  const ren = (n: string): string => (hasOut.has(n) ? n : '⊥');
  const nodes = [...new Set(g.nodes.map(ren))];
  return { initial: ren(g.initial), nodes, edges: g.edges.map((e) => ({ ...e, to: ren(e.to) })) };
}

/**
 * A canonical listing: nodes renumbered s0, s1, ... in BFS order from the initial node, edges
 * visited in label order, one line per edge `sI --label--> sJ` (plus `sI (end)` for nodes
 * without outgoing edges). Isomorphic deterministic graphs list equally; used for diffs.
 */
export function canonicalListing(g0: LabelledGraph): string[] {
  const g = reachable(g0);
  const out = outEdges(g);
  const num = new Map<string, number>([[g.initial, 0]]);
  const order = [g.initial];
  const lines: string[] = [];
  for (let i = 0; i < order.length; i++) {
    const n = order[i] ?? '';
    const es = [...(out.get(n) ?? [])].sort((x, y) =>
      x.label < y.label ? -1 : x.label > y.label ? 1 : 0,
    );
    if (es.length === 0) lines.push(`s${String(i)} (end)`);
    for (const e of es) {
      if (!num.has(e.to)) {
        num.set(e.to, order.length);
        order.push(e.to);
      }
      lines.push(`s${String(i)} --${e.label}--> s${String(num.get(e.to))}`);
    }
  }
  return lines;
}

/** A unified-style line diff (`- ` only in `a`, `+ ` only in `b`, two lines of context). */
export function lineDiff(a: readonly string[], b: readonly string[]): string {
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      const row = lcs[i] ?? [];
      row[j] =
        a[i] === b[j]
          ? (lcs[i + 1]?.[j + 1] ?? 0) + 1
          : Math.max(lcs[i + 1]?.[j] ?? 0, row[j + 1] ?? 0);
    }
  }
  const ops: { op: ' ' | '-' | '+'; line: string }[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      ops.push({ op: ' ', line: a[i] ?? '' });
      i++;
      j++;
    } else if (i < n && (j >= m || (lcs[i + 1]?.[j] ?? 0) >= (lcs[i]?.[j + 1] ?? 0))) {
      ops.push({ op: '-', line: a[i] ?? '' });
      i++;
    } else {
      ops.push({ op: '+', line: b[j] ?? '' });
      j++;
    }
  }
  const keep = ops.map((_, k) => ops.slice(Math.max(0, k - 2), k + 3).some((x) => x.op !== ' '));
  const out: string[] = [];
  let skipped = false;
  ops.forEach((o, k) => {
    if (keep[k]) {
      out.push(`${o.op} ${o.line}`);
      skipped = false;
    } else if (!skipped) {
      out.push('  ...');
      skipped = true;
    }
  });
  return out.join('\n');
}

// ---- isomorphism ------------------------------------------------------------------------------

export interface IsoResult {
  readonly isomorphic: boolean;
  /** Why not (the pair of states where matching failed, deepest attempt), when not. */
  readonly reason: string;
  /** Node of `a` → node of `b`, when isomorphic. */
  readonly mapping: ReadonlyMap<string, string> | undefined;
}

interface SearchState {
  readonly fwd: Map<string, string>;
  readonly bwd: Map<string, string>;
  readonly queue: [string, string][];
}

/**
 * Whether the parts of `a` and `b` reachable from their initial nodes are isomorphic as
 * edge-labelled graphs, with labels compared by `eq` (default: equal strings). A simultaneous
 * BFS pairs states and matches their outgoing edges by label; where a state has several
 * edges that could match the same edge (equal labels), it backtracks over the possible
 * matchings.
 */
export function isomorphic(
  a0: LabelledGraph,
  b0: LabelledGraph,
  eq: (la: string, lb: string) => boolean = (x, y) => x === y,
): IsoResult {
  const a = reachable(a0);
  const b = reachable(b0);
  if (a.nodes.length !== b.nodes.length) {
    return {
      isomorphic: false,
      reason: `${String(a.nodes.length)} reachable states vs ${String(b.nodes.length)}`,
      mapping: undefined,
    };
  }
  if (a.edges.length !== b.edges.length) {
    return {
      isomorphic: false,
      reason: `${String(a.edges.length)} reachable transitions vs ${String(b.edges.length)}`,
      mapping: undefined,
    };
  }
  const outA = outEdges(a);
  const outB = outEdges(b);
  let best = { depth: -1, reason: '' };
  /** Records why a branch of the search failed (the deepest one is reported). */
  const fail = (s: SearchState, reason: string): false => {
    if (s.fwd.size > best.depth) best = { depth: s.fwd.size, reason };
    return false;
  };
  const show = (es: readonly GraphEdge[]): string => `[${es.map((e) => e.label).join(', ')}]`;

  /** Pairs x with y; false on a conflict with the pairs made so far. */
  const assign = (s: SearchState, x: string, y: string): boolean => {
    const fx = s.fwd.get(x);
    if (fx !== undefined) return fx === y;
    if (s.bwd.has(y)) return false;
    s.fwd.set(x, y);
    s.bwd.set(y, x);
    s.queue.push([x, y]);
    return true;
  };

  const solve = (s: SearchState): Map<string, string> | false => {
    for (;;) {
      const pair = s.queue.shift();
      if (!pair) return s.fwd;
      const [x, y] = pair;
      const ex = outA.get(x) ?? [];
      const ey = outB.get(y) ?? [];
      const where = `state ${x} ${show(ex)} vs ${y} ${show(ey)}`;
      if (ex.length !== ey.length)
        return fail(s, `${where}: ${String(ex.length)} vs ${String(ey.length)} transitions`);
      const compatible = (t: string, u: string): boolean => {
        const ft = s.fwd.get(t);
        if (ft !== undefined) return ft === u;
        return !s.bwd.has(u);
      };
      const cands = ex.map((e) =>
        ey.flatMap((f, j) => (eq(e.label, f.label) && compatible(e.to, f.to) ? [j] : [])),
      );
      const empty = cands.findIndex((c) => c.length === 0);
      if (empty >= 0) {
        const e = ex[empty];
        const labelled = ey.some((f) => e !== undefined && eq(e.label, f.label));
        return fail(
          s,
          `${where}: ${labelled ? 'targets of' : 'no match for'} ${e?.label ?? ''}` +
            (labelled ? ' cannot be paired consistently' : ''),
        );
      }
      const forced =
        cands.every((c) => c.length === 1) && new Set(cands.map((c) => c[0])).size === cands.length;
      if (forced) {
        for (let k = 0; k < ex.length; k++) {
          const to = ey[cands[k]?.[0] ?? -1]?.to;
          if (to === undefined || !assign(s, ex[k]?.to ?? '', to))
            return fail(s, `${where}: inconsistent targets`);
        }
        continue;
      }
      // Several candidates: try every perfect matching, most constrained edge first.
      const order = ex
        .map((_, k) => k)
        .sort((p, q) => (cands[p]?.length ?? 0) - (cands[q]?.length ?? 0));
      const used = new Set<number>();
      const chosen = new Map<number, number>();
      const stats = { matchings: 0 };
      const enumerate = (d: number): Map<string, string> | false => {
        if (d === order.length) {
          stats.matchings++;
          const t: SearchState = {
            fwd: new Map(s.fwd),
            bwd: new Map(s.bwd),
            queue: s.queue.map((q) => [q[0], q[1]]),
          };
          for (const [k, j] of chosen) {
            if (!assign(t, ex[k]?.to ?? '', ey[j]?.to ?? ''))
              return fail(t, `${where}: inconsistent targets`);
          }
          return solve(t);
        }
        const k = order[d] ?? 0;
        for (const j of cands[k] ?? []) {
          if (used.has(j)) continue;
          used.add(j);
          chosen.set(k, j);
          const found = enumerate(d + 1);
          chosen.delete(k);
          used.delete(j);
          if (found) return found;
        }
        return false;
      };
      const found = enumerate(0);
      if (!found && stats.matchings === 0)
        return fail(s, `${where}: labels cannot be matched one to one`);
      return found;
    }
  };

  const start: SearchState = { fwd: new Map(), bwd: new Map(), queue: [] };
  assign(start, a.initial, b.initial);
  const mapping = solve(start);
  return mapping
    ? { isomorphic: true, reason: '', mapping }
    : { isomorphic: false, reason: best.reason, mapping: undefined };
}
