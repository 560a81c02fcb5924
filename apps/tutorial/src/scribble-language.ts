/**
 * Scribble highlighting for CodeMirror: a stream tokenizer (no Lezer grammar; the real parser
 * is @mpst/scribble's, whose diagnostics the editor shows). No word is reserved in Scribble:
 * the parser decides keywords by position (docs/language.md, "Keywords are decided by
 * position"), and so does this tokenizer, from the previous token and what follows on the
 * line: `role from` declares a role named `from`, `data(Int) from M to S;` is a message
 * `data`, `rec continue { … continue continue; }` recurses on a label `continue`. Message
 * labels (a word before `(`) and the names a `protocol` declares are told apart; comments in
 * all three dialects' forms, nuScr's `(* *)` nesting included.
 */
import { StreamLanguage, type StringStream } from '@codemirror/language';

/** Words that start a statement inside a protocol body (the parser's `STATEMENT_WORDS`). */
const STATEMENT = new Set(['choice', 'rec', 'continue', 'do', 'connect', 'disconnect', 'wrap']);
/** Words that start a declaration at the top level of a file. */
const TOP_LEVEL = new Set([
  'module',
  'import',
  'type',
  'data',
  'sig',
  'global',
  'aux',
  'explicit',
  'protocol',
  'nested',
  'local',
]);
/** After these keywords the grammar expects a name (`role from`, `rec continue`, `at to`). */
const NAME_AFTER = new Set([
  'module',
  'import',
  'role',
  'protocol',
  'as',
  'rec',
  'continue',
  'at',
  'from',
  'to',
  'do',
  'in',
  'calls',
  'new',
  'self',
]);
/** Keywords that follow a keyword: `global protocol`, `choice at`, `or default`, … */
const KEYWORD_AFTER: Readonly<Record<string, ReadonlySet<string>>> = {
  aux: new Set(['global', 'local', 'protocol', 'explicit']),
  explicit: new Set(['global', 'local', 'protocol', 'aux']),
  global: new Set(['protocol']),
  local: new Set(['protocol']),
  nested: new Set(['protocol']),
  reliable: new Set(['role']),
  new: new Set(['role']),
  choice: new Set(['at']),
  or: new Set(['default']),
  crash: new Set(['from']),
};
/** Keywords that follow a name: `from A to B`, `foreach A in`, `import M as N`, `… to B default;`. */
const KEYWORD_AFTER_NAME = new Set(['to', 'in', 'as', 'from', 'default', 'calls', 'and']);
/** nuScr's expression keywords, in refinements and recursion arguments. */
const EXPRESSION = new Set(['true', 'false', 'not', 'len']);
/** Keywords that open a parameter or role declaration (after `(`, `<` or `,`, before a name). */
const DECLARATION = new Set(['role', 'reliable', 'type', 'sig', 'self']);

/** What the previous token was, as far as keywords care. */
type Previous =
  | { readonly kind: 'start' }
  | { readonly kind: 'keyword' | 'name'; readonly text: string }
  | { readonly kind: 'punct'; readonly text: string };

export interface State {
  /** Inside `/* *\/` (-1) or `(* *)` at this nesting depth (> 0); 0 outside comments. */
  comment: number;
  previous: Previous;
  /** `{ }` nesting of declarations and blocks: 0 is the top level of the file. */
  depth: number;
  /** Open `(` and `[` (payloads, role lists, recursion arguments). */
  parens: number;
  /** Open `{ }` inside parentheses: nuScr refinements (`x: int{x > 0}`), expressions. */
  refinements: number;
  /** After `@`: the annotation string that follows does not count as a token. */
  annotation: boolean;
}

function blockComment(stream: StringStream, state: State): string {
  while (!stream.eol()) {
    if (state.comment === -1) {
      if (stream.match('*/')) {
        state.comment = 0;
        return 'comment';
      }
    } else if (stream.match('*)')) {
      state.comment--;
      if (state.comment === 0) return 'comment';
    } else if (stream.match('(*')) {
      state.comment++;
      continue;
    }
    stream.next();
  }
  return 'comment';
}

const WORD = String.raw`[A-Za-z_][\w']*`;
/** What makes the word at a statement's start a message (the parser's `#startsMessage`). */
const MESSAGE_AHEAD = new RegExp(
  String.raw`^\s*(?:\((?!\*)|\.)|^\s+(?:from|connect)\s+${WORD}\s+to\s+${WORD}|` +
    String.raw`^\s+calls\s+${WORD}\s*[(;]`,
);

/** Whether `word` is a keyword here (the rest of the line is ahead of the stream). */
function isKeyword(word: string, state: State, stream: StringStream): boolean {
  const prev = state.previous;
  const ahead = (re: RegExp): boolean => stream.match(re, false) !== null;
  if (state.refinements > 0 || (state.parens > 0 && EXPRESSION.has(word)))
    return EXPRESSION.has(word) && !(prev.kind === 'keyword' && NAME_AFTER.has(prev.text));
  if (prev.kind === 'keyword') {
    if (KEYWORD_AFTER[prev.text]?.has(word)) return true;
    if (NAME_AFTER.has(prev.text)) return false;
  }
  if (prev.kind === 'name') return KEYWORD_AFTER_NAME.has(word);
  if (prev.kind === 'punct' && (prev.text === ')' || prev.text === '>' || prev.text === '"'))
    // `m(T) from A`, `type <ts> "T" from "M" as N`, `do P(A, B) calls`.
    return ['from', 'as', 'calls', 'to', 'connect'].includes(word);
  if (prev.kind === 'punct' && (prev.text === '(' || prev.text === '<' || prev.text === ','))
    // A declaration keyword before the name it declares: `(role from, …)`, `<type T>`.
    return DECLARATION.has(word) && ahead(new RegExp(String.raw`^\s+${WORD}`));
  // The start of a statement or declaration.
  const atStart = prev.kind === 'start' || (prev.kind === 'punct' && '{;}'.includes(prev.text));
  if (!atStart) return false;
  // nuScr: `(role A; new role V)` and a `nested protocol` declared inside a protocol's body.
  if (word === 'new') return ahead(/^\s+role\b/);
  if (word === 'nested') return ahead(/^\s+protocol\b/);
  if (state.depth === 0) return TOP_LEVEL.has(word);
  if (word === 'crash') return ahead(/^\s+from\b/);
  if (word === 'foreach') return ahead(new RegExp(String.raw`^\s+${WORD}\s+in\b`));
  if (word === 'or') return prev.kind === 'punct' && prev.text === '}' && !ahead(MESSAGE_AHEAD);
  return STATEMENT.has(word) && !ahead(MESSAGE_AHEAD);
}

/** The token at the stream's position (a highlighting tag name, or null), advancing past it. */
export function token(stream: StringStream, state: State): string | null {
  if (state.comment !== 0) return blockComment(stream, state);
  if (stream.eatSpace()) return null;
  if (stream.match('//') || stream.match('(*)')) {
    stream.skipToEnd();
    return 'comment';
  }
  if (stream.match('/*')) {
    state.comment = -1;
    return blockComment(stream, state);
  }
  if (stream.match('(*')) {
    state.comment = 1;
    return blockComment(stream, state);
  }
  if (stream.match(/^"(?:[^"\\]|\\.)*"?/)) {
    // nuScr's `@"x > 0"` annotates the statement before it: it changes no keyword's position.
    if (state.annotation) state.annotation = false;
    else state.previous = { kind: 'punct', text: '"' };
    return 'string';
  }
  if (stream.match(/^\d+(?:\.\d+)?/)) {
    state.previous = { kind: 'name', text: stream.current() };
    return 'number';
  }
  const word = stream.match(new RegExp(`^${WORD}`)) as RegExpMatchArray | null;
  if (word) {
    const w = word[0];
    const prev = state.previous;
    if (isKeyword(w, state, stream)) {
      state.previous = { kind: 'keyword', text: w };
      return 'keyword';
    }
    state.previous = { kind: 'name', text: w };
    if (prev.kind === 'keyword' && prev.text === 'protocol') return 'def';
    // A word before `(` is a message label (or a called protocol), not before `(*`.
    return stream.match(/^\s*\((?!\*)/, false) !== null ? 'property' : 'variable';
  }
  const c = stream.next() ?? '';
  if (c === '@') {
    state.annotation = true;
    return null;
  }
  if (c === '(' || c === '[') state.parens++;
  else if (c === ')' || c === ']') state.parens = Math.max(0, state.parens - 1);
  else if (c === '{' && state.parens > 0) state.refinements++;
  else if (c === '}' && state.refinements > 0) state.refinements--;
  else if (c === '{') state.depth++;
  else if (c === '}') state.depth = Math.max(0, state.depth - 1);
  state.previous = { kind: 'punct', text: c };
  return null;
}

/** The state at the start of a document. */
export const startState = (): State => ({
  comment: 0,
  previous: { kind: 'start' },
  depth: 0,
  parens: 0,
  refinements: 0,
  annotation: false,
});

/** The Scribble language for CodeMirror (`//` line comments for the comment command). */
export const scribble = StreamLanguage.define<State>({
  name: 'scribble',
  startState,
  copyState: (s) => ({ ...s }),
  token,
  languageData: { commentTokens: { line: '//', block: { open: '/*', close: '*/' } } },
});
