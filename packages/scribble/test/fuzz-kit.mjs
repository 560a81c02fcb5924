// Shared by packages/scribble/test/fuzz.test.ts (via fuzz-worker.mjs, with fast-check) and
// bench/fuzz-parser.mjs (with a seeded PRNG): seed protocols, the token list, the text
// mutations and the properties every parse must satisfy. Plain JavaScript so that both a
// Node script and a worker thread can load it without a TypeScript loader.

/** Scribble tokens, keywords, punctuation and awkward characters inserted by the `insert` mutation. */
export const TOKENS = Object.freeze([
  // keywords (scribble-java, nuScr, Teatrino, ours)
  'module',
  'import',
  'type',
  'data',
  'sig',
  'protocol',
  'as',
  'global',
  'local',
  'explicit',
  'aux',
  'role',
  'self',
  'from',
  'to',
  'connect',
  'disconnect',
  'wrap',
  'and',
  'choice',
  'at',
  'or',
  'rec',
  'continue',
  'do',
  'nested',
  'calls',
  'new',
  'reliable',
  'crash',
  'default',
  'not',
  'len',
  'true',
  'false',
  // names and literals
  'A',
  'B',
  'P',
  'X',
  'm',
  'Int',
  '0',
  '42',
  "x'",
  '"java.lang.Integer"',
  '""',
  '"',
  '"unterminated',
  // punctuation and operators
  '(',
  ')',
  '{',
  '}',
  '[',
  ']',
  '<',
  '>',
  ',',
  ';',
  ':',
  '.',
  '@',
  '=',
  '+',
  '-',
  '&&',
  '||',
  '*',
  '/',
  '!',
  '?',
  '<>',
  '<=',
  '>=',
  '&',
  '|',
  '#',
  // comments and pragmas
  '//',
  '/*',
  '*/',
  '(*',
  '*)',
  '(*)',
  '(*#',
  '#*)',
  // whitespace and odd characters
  ' ',
  '\n',
  '\r',
  '\r\n',
  '\t',
  '\f',
  '\u0000',
  '\u00e9',
  '\u{1F600}',
  '\ud800',
  '\udc00',
  '\u2028',
  '\ufeff',
]);

/** Small protocols in every dialect the parser accepts, so the fuzzers run without the corpus. */
export const INLINE_SEEDS = Object.freeze([
  `module demo.Seed1;

import demo.Other;
import demo.lib.Util as U;

type <java> "java.lang.Integer" from "rt.jar" as Int;
data <java> "java.lang.String" from "rt.jar" as String;
sig <java> "pkg.Msg" from "pkg.jar" as Msg;

// the classic adder
global protocol Adder(role C, role S) {
  rec Loop {
    choice at C {
      Add(Int, Int) from C to S;
      Res(Int) from S to C;
      continue Loop;
    } or {
      Bye() from C to S;
    }
  }
  /* after the loop */
  Done() from S to C;
}

aux global protocol Sub<sig M, type T>(role A, role B) {
  M from A to B;
  (T) from B to A;
  do Sub<M, T>(A, B);
}
`,
  `module demo.Conn;

explicit global protocol Conn(role A, role B, role C) {
  connect A to B;
  m(Int) connect B to C;
  req(Int, demo.Types.Big) from A to B, C;
  wrap A to B;
  disconnect A and B;
  do demo.Seed1.Adder(A, B);
  do Sub<Msg, 1(Int)>(B, C);
  p(Proto@A) from A to C;
}
`,
  `(*# NestedProtocols, RefinementTypes #*)
(* a (* nested *) comment *)
global protocol Fib(role A, role B) {
  nested protocol Inner(role X, role Y; new role Z) {
    ping(x: Int{x >= 0 && x <> 3}) from X to Y;
    pong() from Y to Z;
  }
  rec Loop [count<A, B>: Int = 0] {
    fib(n: Int{not (n = 2) || n > count + 1}, s: String{len(s) <= 10}) from A to B; @"annot"
    A calls Inner(A, B);
    continue Loop [count - 1];
  }
}
(*) a nuScr line comment
protocol Short(role A, role B) {
  hello from A to B;
}
`,
  `(*# ErrorHandlingCrashBranch #*)
global protocol PingPong(reliable role P, role Q) {
  rec X {
    choice at P {
      ping(Int) from P to Q;
      choice at Q {
        pong(Int) from Q to P;
        continue X;
      } or {
        crash from Q to P;
      }
    } or {
      stop() from P to Q;
    }
  }
}
`,
  `global protocol Vote(role A, role P, role L) {
  choice at A {
    yes() from A to P;
    tell(Bool) from P to L;
  } or default {
    no() from A to P;
    tell(Bool) from P to L;
  }
  ack(Bool) from P to A default;
}
`,
]);

/** The mutation kinds. */
export const MUTATION_KINDS = Object.freeze(['delete', 'duplicate', 'insert', 'swap', 'truncate']);

/** Clamps a raw non-negative integer to an offset in `[0, len]`. */
function pos(raw, len) {
  return raw % (len + 1);
}

/** A range `[start, end)` of `text` from a raw start and a raw length. */
function range(text, at, len) {
  const start = pos(at, text.length);
  const end = start + (len % (text.length - start + 1));
  return [start, end];
}

/**
 * Applies one mutation. All numbers are raw non-negative integers, reduced modulo the text
 * length, so any mutation applies to any text:
 * - `{ kind: 'delete', at, len }` removes a range;
 * - `{ kind: 'duplicate', at, len, to }` inserts a copy of a range at offset `to`;
 * - `{ kind: 'insert', at, token }` inserts `TOKENS[token]` (optionally spaced);
 * - `{ kind: 'swap', at, len, at2, len2 }` swaps two ranges (made disjoint first);
 * - `{ kind: 'truncate', at }` cuts the text at an offset.
 */
export function applyMutation(text, m) {
  switch (m.kind) {
    case 'delete': {
      const [s, e] = range(text, m.at, m.len);
      return text.slice(0, s) + text.slice(e);
    }
    case 'duplicate': {
      const [s, e] = range(text, m.at, m.len);
      const to = pos(m.to, text.length);
      return text.slice(0, to) + text.slice(s, e) + text.slice(to);
    }
    case 'insert': {
      const at = pos(m.at, text.length);
      const tok = TOKENS[m.token % TOKENS.length];
      const t = m.spaced ? ` ${tok} ` : tok;
      return text.slice(0, at) + t + text.slice(at);
    }
    case 'swap': {
      let [s1, e1] = range(text, m.at, m.len);
      let [s2, e2] = range(text, m.at2, m.len2);
      if (s2 < s1) [s1, e1, s2, e2] = [s2, e2, s1, e1];
      if (s2 < e1) {
        s2 = e1;
        e2 = Math.max(e2, s2);
      }
      return (
        text.slice(0, s1) +
        text.slice(s2, e2) +
        text.slice(e1, s2) +
        text.slice(s1, e1) +
        text.slice(e2)
      );
    }
    case 'truncate':
      return text.slice(0, pos(m.at, text.length));
    default:
      throw new Error(`unknown mutation ${JSON.stringify(m)}`);
  }
}

/** Applies mutations in order. */
export function applyMutations(text, mutations) {
  let t = text;
  for (const m of mutations) t = applyMutation(t, m);
  return t;
}

const CODE = /^MPST\d{3}$/;
const SEVERITIES = new Set(['error', 'warning', 'info']);

function lineCount(text) {
  let n = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) n++;
  }
  return n;
}

function spanViolations(what, s, len) {
  const out = [];
  if (!s || typeof s !== 'object') return [`${what}: no span`];
  if (!Number.isInteger(s.start) || !Number.isInteger(s.end))
    out.push(`${what}: non-integer span ${JSON.stringify(s)}`);
  else if (!(0 <= s.start && s.start <= s.end && s.end <= len)) {
    out.push(`${what}: span [${s.start}, ${s.end}) out of range 0..${len}`);
  }
  return out;
}

/** Every AST node (an object with a string `kind` and a `span`) below `node`, skipping the SourceFile and comments. */
function* nodes(node) {
  const stack = [node];
  while (stack.length > 0) {
    const n = stack.pop();
    if (Array.isArray(n)) {
      for (const x of n) stack.push(x);
      continue;
    }
    if (!n || typeof n !== 'object') continue;
    if (typeof n.kind === 'string' && n.span) yield n;
    for (const [k, v] of Object.entries(n)) {
      if (k === 'file' || k === 'comments' || k === 'span') continue;
      if (v && typeof v === 'object') stack.push(v);
    }
  }
}

/**
 * The properties every parse must satisfy, as a list of violations (empty when all hold):
 * parse does not throw; every diagnostic has a known `MPSTnnn` code, a severity, a message and
 * a span in this file with `0 <= start <= end <= text.length`, `line >= 1`, `column >= 1`, and
 * an end not before the start; every AST node's span is within the text.
 */
export function checkParse(parse, text, path) {
  let result;
  try {
    result = parse(text, path);
  } catch (e) {
    return [`parse threw: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`];
  }
  const out = [];
  if (!result || !result.module || !Array.isArray(result.diagnostics))
    return ['parse returned no module or no diagnostics array'];
  const len = text.length;
  const lines = lineCount(text);
  for (const d of result.diagnostics) {
    const what = `diagnostic ${d.code} "${d.message}"`;
    if (typeof d.code !== 'string' || !CODE.test(d.code)) out.push(`${what}: bad code`);
    if (!SEVERITIES.has(d.severity)) out.push(`${what}: bad severity ${String(d.severity)}`);
    if (typeof d.message !== 'string' || d.message === '') out.push(`${what}: empty message`);
    const s = d.span;
    out.push(...spanViolations(what, s, len));
    if (!s) continue;
    if (s.file !== path) out.push(`${what}: span.file ${String(s.file)} is not ${path}`);
    if (!(Number.isInteger(s.line) && s.line >= 1 && s.line <= lines))
      out.push(`${what}: line ${s.line} not in 1..${lines}`);
    if (!(Number.isInteger(s.column) && s.column >= 1)) out.push(`${what}: column ${s.column} < 1`);
    if (!(Number.isInteger(s.endLine) && s.endLine >= s.line && s.endLine <= lines))
      out.push(`${what}: endLine ${s.endLine} invalid`);
    if (
      !(
        Number.isInteger(s.endColumn) &&
        s.endColumn >= 1 &&
        (s.endLine > s.line || s.endColumn >= s.column)
      )
    ) {
      out.push(`${what}: endColumn ${s.endColumn} invalid`);
    }
  }
  for (const n of nodes(result.module))
    out.push(...spanViolations(`AST node ${n.kind}`, n.span, len));
  return out;
}

// ---- seeded randomness for the stand-alone fuzzer ---------------------------------------------

/** mulberry32: a small, fast, seedable 32-bit PRNG. Returns floats in [0, 1). */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Derives the seed of case `i` from a run seed (so any single case can be replayed). */
export function caseSeed(runSeed, i) {
  let h = (runSeed ^ Math.imul(i + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** A raw length: mostly short (a token or a line), sometimes long. */
function rawLength(rng) {
  return rng() < 0.8 ? Math.floor(rng() * 32) : Math.floor(rng() * 0x7fffffff);
}

/** One random mutation from `rng`. */
export function randomMutation(rng) {
  const int = () => Math.floor(rng() * 0x7fffffff);
  const kind = MUTATION_KINDS[Math.floor(rng() * MUTATION_KINDS.length)];
  switch (kind) {
    case 'delete':
      return { kind, at: int(), len: rawLength(rng) };
    case 'duplicate':
      return { kind, at: int(), len: rawLength(rng), to: int() };
    case 'insert':
      return { kind, at: int(), token: Math.floor(rng() * TOKENS.length), spaced: rng() < 0.5 };
    case 'swap':
      return { kind, at: int(), len: rawLength(rng), at2: int(), len2: rawLength(rng) };
    default:
      return { kind: 'truncate', at: int() };
  }
}

/**
 * One fuzz case from its seed: which seed text (an index into `seedCount` texts) and 1 to 4
 * mutations (truncation is rare: it is drawn like the others but kept only 1 time in 4).
 */
export function randomCase(seed, seedCount) {
  const rng = mulberry32(seed);
  const seedIndex = Math.floor(rng() * seedCount);
  const n = 1 + Math.floor(rng() * 4);
  const mutations = [];
  while (mutations.length < n) {
    const m = randomMutation(rng);
    if (m.kind === 'truncate' && rng() < 0.75) continue;
    mutations.push(m);
  }
  return { seedIndex, mutations };
}
