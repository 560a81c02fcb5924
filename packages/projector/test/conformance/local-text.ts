/**
 * Local types as text (nuScr's `--project` output, and our `printLocalProtocol`) read into a
 * small tree, and a canonical form to compare local types structurally.
 *
 * nuScr prints
 *
 *     Foo() to B;
 *     rec Loop {
 *       choice at A {
 *         (silent) x(int);
 *         Bar(x: int) from A;
 *         continue Loop;
 *       } or {
 *         Qux() from A;
 *         (end)
 *       }
 *     }
 *
 * and we print the same statements inside `local protocol P_R at R(...) { ... }`, with also
 * `crash from A;`, `request A;`, `accept A;`, `disconnect A;`, `wrap to A;`, `wrap from A;`,
 * and statements after a block (what its branches share: they go on there).
 *
 * Canonical form (both sides go through it), i.e. what the comparison ignores:
 *   - whitespace, `(end)`, the `local protocol` header, the subject of `choice at` (it is
 *     determined by the branches' first actions);
 *   - nuScr's `(silent) x(T);` lines (refinement knowledge of a variable; no communication)
 *     and recursion variables `rec X [...]` / `continue X [...]`;
 *   - payloads, except their number (nuScr prints refined payloads in its own normal form);
 *   - the order of choice branches, nesting of choices at the start of a branch (flattened),
 *     recursion labels (replaced by binding depth; directly nested `rec X { rec Y {` bind one
 *     state, so they share a number), and `rec` whose label is never used.
 */
import type { LocalAction, LocalType } from '@mpst/projector';
import { actionDir, splitTopLevel } from './labels.js';

/** An action as the canonical form sees it: `B!m/1` (peer, direction, label, payload count). */
export type ActionKey = string;

/** The tree both sides are read into. */
export type Tree =
  | { readonly kind: 'choice'; readonly branches: readonly Tree[] }
  | { readonly kind: 'prefix'; readonly action: ActionKey; readonly cont: Tree }
  | { readonly kind: 'rec'; readonly label: string; readonly body: Tree }
  | { readonly kind: 'var'; readonly label: string }
  | { readonly kind: 'end' };

const END: Tree = { kind: 'end' };

export function actionKey(a: LocalAction): ActionKey {
  const base = `${a.peer}${actionDir(a)}`;
  return a.kind === 'send' || a.kind === 'receive' || a.kind === 'request' || a.kind === 'accept'
    ? `${base}${a.message.label}/${String(a.message.payload.length)}`
    : base;
}

/**
 * Our local type as a tree. With `loops`, a choice's loops back (`continue X` merged into it,
 * and loops to recursions it no longer encloses) are alternatives too, as our printer writes
 * them; nuScr has no such states, so its comparison leaves them out.
 */
export function treeOfLocal(l: LocalType, loops = false): Tree {
  const go = (x: LocalType): Tree => treeOfLocal(x, loops);
  switch (l.kind) {
    case 'end':
      return END;
    case 'var':
      return { kind: 'var', label: l.label };
    case 'rec':
      return { kind: 'rec', label: l.label, body: go(l.body) };
    case 'prefix':
      return { kind: 'prefix', action: actionKey(l.action), cont: go(l.cont) };
    case 'choice': {
      const bs = l.branches.map(
        (b): Tree => ({ kind: 'prefix', action: actionKey(b.action), cont: go(b.cont) }),
      );
      if (loops) {
        for (const label of l.loops ?? []) bs.push({ kind: 'var', label });
        for (const r of l.loopTo ?? []) bs.push(go(r));
      }
      return bs.length === 1 ? (bs[0] ?? END) : { kind: 'choice', branches: bs };
    }
  }
}

// ---- reading text -----------------------------------------------------------------------------

type Stmt =
  | { readonly kind: 'simple'; readonly text: string }
  | { readonly kind: 'block'; readonly head: string; readonly blocks: readonly Stmt[][] };

class TextReader {
  private i = 0;
  constructor(private readonly s: string) {}

  private ws(): void {
    for (;;) {
      while (this.i < this.s.length && /\s/.test(this.s[this.i] ?? '')) this.i++;
      if (this.s.startsWith('//', this.i)) {
        while (this.i < this.s.length && this.s[this.i] !== '\n') this.i++;
      } else return;
    }
  }

  private fail(msg: string): never {
    throw new Error(
      `${msg} at offset ${String(this.i)}: ${JSON.stringify(this.s.slice(this.i, this.i + 40))}`,
    );
  }

  /** Statements up to a `}` (not consumed) or the end. */
  block(): Stmt[] {
    const out: Stmt[] = [];
    for (;;) {
      this.ws();
      if (this.i >= this.s.length || this.s[this.i] === '}') return out;
      if (this.s.startsWith('(end)', this.i)) {
        this.i += 5;
        out.push({ kind: 'simple', text: '(end)' });
        continue;
      }
      // A head runs to `;` or `{` outside parentheses and brackets.
      const start = this.i;
      let depth = 0;
      while (this.i < this.s.length) {
        const c = this.s[this.i] ?? '';
        if (c === '(' || c === '[') depth++;
        else if (c === ')' || c === ']') depth--;
        else if (depth === 0 && (c === ';' || c === '{' || c === '}')) break;
        this.i++;
      }
      const head = this.s.slice(start, this.i).trim().replace(/\s+/g, ' ');
      const c = this.s[this.i];
      if (c === ';') {
        this.i++;
        out.push({ kind: 'simple', text: head });
      } else if (c === '{') {
        const blocks: Stmt[][] = [];
        for (;;) {
          this.i++; // `{`
          blocks.push(this.block());
          this.ws();
          if (this.s[this.i] !== '}') this.fail('expected }');
          this.i++;
          this.ws();
          if (this.s.startsWith('or', this.i) && /^or\s*\{/.test(this.s.slice(this.i))) {
            this.i += 2;
            this.ws();
            continue;
          }
          break;
        }
        out.push({ kind: 'block', head, blocks });
      } else this.fail(`statement without ; or {: ${JSON.stringify(head)}`);
    }
  }

  atEnd(): boolean {
    this.ws();
    return this.i >= this.s.length;
  }
}

/** An action key, `undefined` for a line to skip (`(silent)`), or a tree for `continue`/`(end)`. */
function simpleAction(text: string): ActionKey | Tree | undefined {
  if (text.startsWith('(silent)')) return undefined;
  let m = /^continue\s+(\w+)/.exec(text);
  if (m) return { kind: 'var', label: m[1] ?? '' };
  if (text === '(end)') return END;
  m = /^crash from (\w+)$/.exec(text);
  if (m) return `${m[1] ?? ''}crash`;
  m = /^wrap (to|from) (\w+)$/.exec(text);
  if (m) return `${m[2] ?? ''}${m[1] === 'to' ? '(!!)wrap' : '(??)wrap'}`;
  m = /^disconnect (\w+)$/.exec(text);
  if (m) return `${m[1] ?? ''}-/-`;
  // A connection without a message (`request A;`), or with one (`request m(T) to A;`).
  m = /^(request|accept) (\w+)$/.exec(text);
  if (m) return `${m[2] ?? ''}${m[1] === 'request' ? '!!' : '??'}/0`;
  m = /^(request|accept) ([\s\S]*?)\s+(?:to|from)\s+(\w+)$/.exec(text);
  if (m) return messageKey(m[2] ?? '', m[3] ?? '', m[1] === 'request' ? '!!' : '??');
  m = /^([\s\S]*?)\s+(to|from)\s+(\w+)$/.exec(text);
  if (m) return messageKey(m[1] ?? '', m[3] ?? '', m[2] === 'to' ? '!' : '?');
  throw new Error(`unknown local statement: ${text}`);
}

/** The key of message text `label(T1, T2)` exchanged with `peer` in direction `dir`. */
function messageKey(text: string, peer: string, dir: string): ActionKey {
  const msg = text.trim();
  // The invitation of a nested-protocol call is one label: `call(A, P(A,B))`.
  if (/^call\(.*\(.*\)\)$/.test(msg)) return `${peer}${dir}${msg}/0`;
  const open = msg.indexOf('(');
  const label = open < 0 ? msg : msg.slice(0, open).trim();
  const payloads = open < 0 ? [] : splitTopLevel(msg.slice(open + 1, msg.lastIndexOf(')')));
  return `${peer}${dir}${label}/${String(payloads.length)}`;
}

/** Auxiliary local protocols by name (our printer's `do P_R__1(...)` calls them). */
type Decls = ReadonlyMap<string, readonly Stmt[]>;

/**
 * The tree of statements `ss[from..]`, followed by `after` (what follows the enclosing block:
 * a branch that falls off its end goes on there). A block followed by statements is sequential
 * composition, as our printer writes a continuation shared by the branches: its branches go on
 * with those statements; so is a `do` of an auxiliary local protocol.
 */
function treeOfStmts(ss: readonly Stmt[], decls: Decls, from = 0, after: Tree = END): Tree {
  for (let k = from; k < ss.length; k++) {
    const s = ss[k];
    if (!s) break;
    if (s.kind === 'simple') {
      const call = /^do\s+(\w+)\s*\(/.exec(s.text);
      if (call) {
        const body = decls.get(call[1] ?? '');
        if (!body) throw new Error(`no local protocol ${call[1] ?? ''}`);
        return treeOfStmts(body, decls, 0, treeOfStmts(ss, decls, k + 1, after));
      }
      const a = simpleAction(s.text);
      if (a === undefined) continue;
      if (typeof a === 'string')
        return { kind: 'prefix', action: a, cont: treeOfStmts(ss, decls, k + 1, after) };
      if (a.kind === 'var' && k + 1 < ss.length) throw new Error('statements after a continue');
      return a;
    }
    const next = treeOfStmts(ss, decls, k + 1, after);
    const rec = /^rec\s+(\w+)/.exec(s.head);
    if (rec)
      return {
        kind: 'rec',
        label: rec[1] ?? '',
        body: treeOfStmts(s.blocks[0] ?? [], decls, 0, next),
      };
    if (/^choice\b/.test(s.head))
      return { kind: 'choice', branches: s.blocks.map((b) => treeOfStmts(b, decls, 0, next)) };
    throw new Error(`unknown block: ${s.head}`);
  }
  return after;
}

/**
 * Reads a local type printed as text: nuScr's `--project` output (`--show-solver-queries`
 * SMT lines are skipped) or ours: `local protocol ... { ... }`, the first one the local type,
 * the others auxiliary protocols that it calls with `do`.
 */
export function treeOfText(text: string): Tree {
  const body = text
    .split(/\r?\n/)
    .filter((l) => !/^\s*\((declare-|assert |check-sat|define-)/.test(l))
    .join('\n');
  const r = new TextReader(body);
  const ss = r.block();
  if (!r.atEnd()) throw new Error('unbalanced }');
  const decls = new Map<string, readonly Stmt[]>();
  let main: readonly Stmt[] | undefined;
  for (const s of ss) {
    const m = s.kind === 'block' ? /\blocal\s+protocol\s+(\w+)/.exec(s.head) : null;
    if (!m || s.kind !== 'block') continue;
    const stmts = s.blocks[0] ?? [];
    main ??= stmts;
    decls.set(m[1] ?? '', stmts);
  }
  return treeOfStmts(main ?? ss, decls);
}

// ---- canonical form ---------------------------------------------------------------------------

function uses(t: Tree, label: string): boolean {
  switch (t.kind) {
    case 'var':
      return t.label === label;
    case 'rec':
      return t.label !== label && uses(t.body, label);
    case 'prefix':
      return uses(t.cont, label);
    case 'choice':
      return t.branches.some((b) => uses(b, label));
    case 'end':
      return false;
  }
}

function alternatives(t: Tree, env: ReadonlyMap<string, number>, depth: number): string[] {
  if (t.kind === 'choice') return t.branches.flatMap((b) => alternatives(b, env, depth));
  return [canon(t, env, depth)];
}

function canon(t: Tree, env: ReadonlyMap<string, number>, depth: number): string {
  switch (t.kind) {
    case 'end':
      return 'end';
    case 'var': {
      const d = env.get(t.label);
      return d === undefined ? `free:${t.label}` : `#${String(d)}`;
    }
    case 'prefix':
      return `${t.action}.${canon(t.cont, env, depth)}`;
    case 'rec': {
      const labels: string[] = [];
      let body: Tree = t;
      while (body.kind === 'rec') {
        labels.push(body.label);
        body = body.body;
      }
      const used = labels.filter((l) => uses(body, l));
      if (used.length === 0) return canon(body, env, depth);
      const inner = new Map(env);
      for (const l of labels) inner.set(l, depth);
      return `μ${String(depth)}.${canon(body, inner, depth + 1)}`;
    }
    case 'choice': {
      const alts = alternatives(t, env, depth).sort();
      return alts.length === 1 ? (alts[0] ?? '') : `{${alts.join(' | ')}}`;
    }
  }
}

/** The canonical text of a tree (equal strings ⇔ equal up to the normalisations above). */
export function canonical(t: Tree): string {
  return canon(t, new Map(), 0);
}
