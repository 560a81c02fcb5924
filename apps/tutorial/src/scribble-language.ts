/**
 * Scribble highlighting for CodeMirror: a stream tokenizer (no Lezer grammar; the real parser
 * is @mpst/scribble's, whose diagnostics the editor shows). Keywords are the parser's reserved
 * words plus the contextual ones; message labels (a word before `(`) and the names a
 * `protocol` declares are told apart; comments in all three dialects' forms, nuScr's `(* *)`
 * nesting included.
 */
import { StreamLanguage, type StringStream } from '@codemirror/language';
import { RESERVED_WORDS } from '@mpst/scribble';

/** Words that are keywords only in some places (`reliable role`, `foreach A in ...`, `crash from`). */
const CONTEXTUAL = ['reliable', 'foreach', 'in', 'crash', 'default'];
const KEYWORDS: ReadonlySet<string> = new Set([...RESERVED_WORDS, ...CONTEXTUAL]);

export interface State {
  /** Inside `/* *\/` (-1) or `(* *)` at this nesting depth (> 0); 0 outside comments. */
  comment: number;
  /** The previous word, to name what `protocol` declares. */
  previous: string;
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
  if (stream.match(/^"(?:[^"\\]|\\.)*"?/)) return 'string';
  if (stream.match(/^\d+(?:\.\d+)?/)) return 'number';
  const word = stream.match(/^[A-Za-z_][\w']*/) as RegExpMatchArray | null;
  if (word) {
    const w = word[0];
    const previous = state.previous;
    state.previous = w;
    // A word before `(` is a message label, even a keyword's (`done()`), but not before `(*`.
    const label = stream.match(/^\s*\((?!\*)/, false) !== null;
    if (KEYWORDS.has(w) && !label) return 'keyword';
    if (previous === 'protocol') return 'def';
    if (label) return 'property';
    return 'variable';
  }
  stream.next();
  return null;
}

/** The state at the start of a document. */
export const startState = (): State => ({ comment: 0, previous: '' });

/** The Scribble language for CodeMirror (`//` line comments for the comment command). */
export const scribble = StreamLanguage.define<State>({
  name: 'scribble',
  startState,
  copyState: (s) => ({ ...s }),
  token,
  languageData: { commentTokens: { line: '//', block: { open: '/*', close: '*/' } } },
});
