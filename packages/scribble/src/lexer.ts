import { escapeControls, makeDiagnostic, type Diagnostic } from './diagnostics.js';
import type { SourceFile, Span } from './source.js';

/**
 * Token kinds. Words (identifiers and keywords alike) are `ident`: Scribble's keywords are
 * reserved only where the grammar expects a name, so the parser decides, and a keyword can
 * never split an identifier (`done` is one word, not `do` + `ne`).
 */
export type TokenKind =
  | 'ident'
  | 'string'
  | 'pragmaStart'
  | 'pragmaEnd'
  | '('
  | ')'
  | '{'
  | '}'
  | '['
  | ']'
  | '<'
  | '>'
  | ','
  | ';'
  | ':'
  | '.'
  | '@'
  | '='
  | '+'
  | '-'
  | '&&'
  | '||'
  | '*'
  | '/'
  | '!'
  | '?'
  | 'eof';

/** One token. `text` is the exact source text (for strings, including the quotes). */
export interface Token {
  readonly kind: TokenKind;
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** A comment, kept so that formatters and refactorings lose nothing. */
export interface Comment {
  /** `line` is `//` or nuScr's `(*)`; `block` is `/* *\/`; `ml` is nuScr's nestable `(* *)`. */
  readonly kind: 'line' | 'block' | 'ml';
  readonly span: Span;
  readonly text: string;
}

const SINGLE: Partial<Record<number, TokenKind>> = {};
for (const k of [
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
  '*',
  '/',
  '!',
  '?',
] as const) {
  SINGLE[k.charCodeAt(0)] = k;
}

/**
 * Words seen recently, by a hash of their characters: a word that repeats (role names,
 * keywords, `from`/`to` in every message) comes back as the same string instead of a fresh
 * slice (less garbage and less memory on large protocols, and keyword comparisons hit the
 * identical string). A slot holds the last word that hashed to it. Shared by every lexer: it
 * only ever maps text to equal text.
 */
const WORDS_BITS = 12;
const WORDS: (string | undefined)[] = new Array<string | undefined>(1 << WORDS_BITS).fill(
  undefined,
);

function wordSlot(hash: number, len: number): number {
  return ((hash ^ (hash >>> WORDS_BITS) ^ len) >>> 0) & ((1 << WORDS_BITS) - 1);
}

function wordHash(word: string): number {
  let h = 0;
  for (let i = 0; i < word.length; i++) h = (Math.imul(h, 31) + word.charCodeAt(i)) | 0;
  return h;
}

for (const w of [
  'from',
  'to',
  'choice',
  'at',
  'or',
  'rec',
  'continue',
  'do',
  'role',
  'global',
  'protocol',
  'default',
  'crash',
  'calls',
  'connect',
  'disconnect',
  'wrap',
  'and',
  'module',
  'import',
  'type',
  'sig',
  'aux',
  'explicit',
  'nested',
  'new',
  'reliable',
  'as',
  'self',
]) {
  WORDS[wordSlot(wordHash(w), w.length)] = w;
}

/** Whether `text` holds `word` at `start` (a loop the compiler inlines; `startsWith` is a call). */
function sameChars(text: string, start: number, word: string): boolean {
  for (let i = 0; i < word.length; i++)
    if (text.charCodeAt(start + i) !== word.charCodeAt(i)) return false;
  return true;
}

function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

/**
 * The error limit of one file, shared by its lexer and its parser: every kind of error counts
 * against it, so that garbage input gets at most `max` errors and one MPST012, not thousands.
 */
export class ErrorBudget {
  count = 0;
  /** Set once the limit is hit: nothing more is reported for the file. */
  stopped = false;
  constructor(readonly max: number) {}
}

/** Horizontal whitespace and the line breaks. */
function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9 || c === 12;
}

/** How many unexpected characters an MPST001 message shows before `…`. */
const SHOWN_CHARACTERS = 16;

/**
 * A hand-written scanner. It never throws: bad characters and unterminated comments or
 * strings become diagnostics and scanning goes on, so one run reports every error of a file.
 * (Members are TypeScript `private` rather than `#private` for cold-code speed: see `Parser`.)
 */
export class Lexer {
  readonly comments: Comment[] = [];
  readonly diagnostics: Diagnostic[] = [];
  /**
   * The token {@link scan} found: its kind, offsets and exact text (for strings, with the
   * quotes). The lexer is a cursor over the text: it allocates no token objects.
   */
  kind: TokenKind = 'eof';
  start = 0;
  end = 0;
  text = '';
  private pos = 0;
  private readonly src: string;

  /**
   * @param budget the file's error limit (shared with the parser); when it is used up the
   *   lexer reports MPST012 and then scans as if the file ended there.
   */
  constructor(
    readonly file: SourceFile,
    readonly budget: ErrorBudget = new ErrorBudget(100),
  ) {
    this.src = file.text;
    // A UTF-8 byte order mark is not part of the text (editors on Windows write one).
    if (this.src.charCodeAt(0) === 0xfeff) this.pos = 1;
  }

  /** Scans the next token (as a new object; the parser uses {@link scan}). */
  next(): Token {
    const kind = this.scan();
    return { kind, start: this.start, end: this.end, text: this.text };
  }

  private set(kind: TokenKind, start: number, end: number, text: string): TokenKind {
    this.kind = kind;
    this.start = start;
    this.end = end;
    this.text = text;
    this.pos = end;
    return kind;
  }

  /** Scans the next token into `kind`/`start`/`end`/`text`, skipping (and recording) whitespace and comments. */
  scan(): TokenKind {
    const text = this.src;
    const len = text.length;
    for (;;) {
      let pos = this.pos;
      // whitespace
      let c = text.charCodeAt(pos);
      while (c === 32 || c === 10 || c === 13 || c === 9 || c === 12) c = text.charCodeAt(++pos);
      this.pos = pos;
      if (pos >= len || this.budget.stopped) return this.set('eof', len, len, '');
      const start = pos;
      if (isWordChar(c)) {
        let hash = c;
        pos++;
        for (;;) {
          const d = text.charCodeAt(pos);
          if (isWordChar(d) || d === 39 /* ' (nuScr primes) */) {
            hash = (Math.imul(hash, 31) + d) | 0;
            pos++;
          } else break;
        }
        const slot = wordSlot(hash, pos - start);
        const seen = WORDS[slot];
        if (seen?.length === pos - start && sameChars(text, start, seen))
          return this.set('ident', start, pos, seen);
        const word = text.slice(start, pos);
        WORDS[slot] = word;
        return this.set('ident', start, pos, word);
      }
      const c1 = text.charCodeAt(pos + 1);
      if (c === 47 /* / */ && c1 === 47) {
        this.lineComment(start, 2);
        continue;
      }
      if (c === 47 && c1 === 42 /* * */) {
        const close = text.indexOf('*/', pos + 2);
        const end = close < 0 ? len : close + 2;
        if (close < 0)
          this.error('MPST002', 'unterminated comment: `/*` has no closing `*/`', start, start + 2);
        this.comment('block', start, end);
        continue;
      }
      if (c === 40 /* ( */ && c1 === 42) {
        const c2 = text.charCodeAt(pos + 2);
        if (c2 === 41 /* ) */) {
          this.lineComment(start, 3); // nuScr: `(*)` comments to end of line
          continue;
        }
        if (c2 === 35 /* # */) return this.set('pragmaStart', start, pos + 3, '(*#');
        this.mlComment(start);
        continue;
      }
      if (c === 35 /* # */ && c1 === 42 && text.charCodeAt(pos + 2) === 41)
        return this.set('pragmaEnd', start, pos + 3, '#*)');
      if (c === 34 /* " */) {
        let p = pos + 1;
        for (;;) {
          const d = text.charCodeAt(p);
          if (d === 34) {
            p++;
            break;
          }
          if (p >= len || d === 10 || d === 13) {
            this.error('MPST003', 'unterminated string: missing closing `"`', start, p);
            break;
          }
          p++;
        }
        return this.set('string', start, p, text.slice(start, p));
      }
      if (c === 38 /* & */ && c1 === 38) return this.set('&&', start, pos + 2, '&&');
      if (c === 124 /* | */ && c1 === 124) return this.set('||', start, pos + 2, '||');
      const kind = SINGLE[c];
      if (kind !== undefined) return this.set(kind, start, pos + 1, kind);
      this.unexpected(start);
    }
  }

  /** Whether the character at `pos` can start no token, comment or whitespace. */
  private isUnexpected(pos: number): boolean {
    const text = this.src;
    const c = text.charCodeAt(pos);
    if (pos >= text.length || isSpace(c) || isWordChar(c) || c === 34 /* " */) return false;
    if (SINGLE[c] !== undefined) return false;
    const c1 = text.charCodeAt(pos + 1);
    if ((c === 38 && c1 === 38) || (c === 124 && c1 === 124)) return false;
    return !(c === 35 && c1 === 42 && text.charCodeAt(pos + 2) === 41);
  }

  /**
   * Reports a run of unexpected characters (spaces and tabs between them included) as one
   * MPST001, and skips it: a binary blob or pasted terminal output gets one error per run, not
   * one per byte. Whole code points are skipped, so an emoji is never split in two.
   */
  private unexpected(start: number): void {
    const text = this.src;
    let pos = start;
    let end = start;
    for (;;) {
      if (this.isUnexpected(pos)) {
        const cp = text.codePointAt(pos) ?? 0;
        pos += cp > 0xffff ? 2 : 1;
        end = pos;
        continue;
      }
      const c = text.charCodeAt(pos);
      if ((c === 32 || c === 9) && pos < text.length) {
        pos++;
        continue;
      }
      break;
    }
    if (end === start) end = start + 1; // (cannot happen: scan only calls this for such a character)
    const run = text.slice(start, end);
    const chars = Array.from(run); // code points: an emoji is one character here
    const shown = chars.slice(0, SHOWN_CHARACTERS).join('');
    const more = chars.length > SHOWN_CHARACTERS ? '…' : '';
    this.error(
      'MPST001',
      chars.length === 1
        ? `unexpected character \`${escapeControls(run)}\``
        : `unexpected characters \`${escapeControls(shown)}${more}\``,
      start,
      end,
    );
    this.pos = end;
  }

  private lineComment(start: number, open: number): void {
    const text = this.src;
    let p = start + open;
    while (p < text.length) {
      const d = text.charCodeAt(p);
      if (d === 10 || d === 13) break;
      p++;
    }
    this.comment('line', start, p);
  }

  /** nuScr's `(* ... *)` comments nest; `(*)` inside one is a line comment marker and ignored. */
  private mlComment(start: number): void {
    const text = this.src;
    let depth = 1;
    let p = start + 2;
    while (p < text.length && depth > 0) {
      const c = text.charCodeAt(p);
      if (c === 40 && text.charCodeAt(p + 1) === 42) {
        if (text.charCodeAt(p + 2) === 41) p += 3;
        else {
          depth++;
          p += 2;
        }
      } else if (c === 42 && text.charCodeAt(p + 1) === 41) {
        depth--;
        p += 2;
      } else p++;
    }
    if (depth > 0)
      this.error('MPST002', 'unterminated comment: `(*` has no closing `*)`', start, start + 2);
    this.comment('ml', start, p);
  }

  private comment(kind: Comment['kind'], start: number, end: number): void {
    this.comments.push({ kind, span: { start, end }, text: this.src.slice(start, end) });
    this.pos = end;
  }

  private error(
    code: 'MPST001' | 'MPST002' | 'MPST003',
    message: string,
    start: number,
    end: number,
  ): void {
    const budget = this.budget;
    if (budget.stopped) return;
    if (budget.count >= budget.max) {
      this.diagnostics.push(
        makeDiagnostic(
          this.file,
          'MPST012',
          `too many errors; stopped after ${String(budget.max)}`,
          { start, end },
        ),
      );
      budget.stopped = true;
      return;
    }
    budget.count++;
    this.diagnostics.push(makeDiagnostic(this.file, code, message, { start, end }));
  }
}

/** Scans a whole file (used by tests and tools; the parser pulls tokens lazily). */
export function tokenize(file: SourceFile): {
  tokens: Token[];
  comments: Comment[];
  diagnostics: Diagnostic[];
} {
  const lexer = new Lexer(file);
  const tokens: Token[] = [];
  for (;;) {
    const t = lexer.next();
    tokens.push(t);
    if (t.kind === 'eof') break;
  }
  return { tokens, comments: lexer.comments, diagnostics: lexer.diagnostics };
}
