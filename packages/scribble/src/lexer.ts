import { makeDiagnostic, type Diagnostic } from './diagnostics.js';
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
for (const k of ['(', ')', '{', '}', '[', ']', '<', '>', ',', ';', ':', '.', '@', '=', '+', '-', '*', '/', '!', '?'] as const) {
  SINGLE[k.charCodeAt(0)] = k;
}

/**
 * `from` and `to` occur in every message: return shared strings for them instead of fresh
 * slices (measurably less garbage on large protocols).
 */
function intern(text: string, start: number, end: number): string {
  const len = end - start;
  const c = text.charCodeAt(start);
  if (len === 2 && c === 116 /* t */ && text.charCodeAt(start + 1) === 111 /* o */) return 'to';
  if (len === 4 && c === 102 /* f */ && text.startsWith('from', start)) return 'from';
  return text.slice(start, end);
}

function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

/**
 * A hand-written scanner. It never throws: bad characters and unterminated comments or
 * strings become diagnostics and scanning goes on, so one run reports every error of a file.
 */
export class Lexer {
  readonly comments: Comment[] = [];
  readonly diagnostics: Diagnostic[] = [];
  #pos = 0;
  readonly #text: string;

  constructor(readonly file: SourceFile) {
    this.#text = file.text;
  }

  /** Scans the next token, skipping (and recording) whitespace and comments. */
  next(): Token {
    const text = this.#text;
    const len = text.length;
    for (;;) {
      let pos = this.#pos;
      // whitespace
      let c = text.charCodeAt(pos);
      while (c === 32 || c === 10 || c === 13 || c === 9 || c === 12) c = text.charCodeAt(++pos);
      this.#pos = pos;
      if (pos >= len) return { kind: 'eof', start: len, end: len, text: '' };
      const start = pos;
      if (isWordChar(c)) {
        pos++;
        for (;;) {
          const d = text.charCodeAt(pos);
          if (isWordChar(d) || d === 39 /* ' (nuScr primes) */) pos++;
          else break;
        }
        this.#pos = pos;
        return { kind: 'ident', start, end: pos, text: intern(text, start, pos) };
      }
      const c1 = text.charCodeAt(pos + 1);
      if (c === 47 /* / */ && c1 === 47) {
        this.#lineComment(start, 2);
        continue;
      }
      if (c === 47 && c1 === 42 /* * */) {
        const close = text.indexOf('*/', pos + 2);
        const end = close < 0 ? len : close + 2;
        if (close < 0) this.#error('MPST002', 'unterminated comment: `/*` has no closing `*/`', start, start + 2);
        this.#comment('block', start, end);
        continue;
      }
      if (c === 40 /* ( */ && c1 === 42) {
        const c2 = text.charCodeAt(pos + 2);
        if (c2 === 41 /* ) */) {
          this.#lineComment(start, 3); // nuScr: `(*)` comments to end of line
          continue;
        }
        if (c2 === 35 /* # */) {
          this.#pos = pos + 3;
          return { kind: 'pragmaStart', start, end: pos + 3, text: '(*#' };
        }
        this.#mlComment(start);
        continue;
      }
      if (c === 35 /* # */ && c1 === 42 && text.charCodeAt(pos + 2) === 41) {
        this.#pos = pos + 3;
        return { kind: 'pragmaEnd', start, end: pos + 3, text: '#*)' };
      }
      if (c === 34 /* " */) {
        let p = pos + 1;
        for (;;) {
          const d = text.charCodeAt(p);
          if (d === 34) {
            p++;
            break;
          }
          if (p >= len || d === 10 || d === 13) {
            this.#error('MPST003', 'unterminated string: missing closing `"`', start, p);
            break;
          }
          p++;
        }
        this.#pos = p;
        return { kind: 'string', start, end: p, text: text.slice(start, p) };
      }
      if (c === 38 /* & */ && c1 === 38) {
        this.#pos = pos + 2;
        return { kind: '&&', start, end: pos + 2, text: '&&' };
      }
      if (c === 124 /* | */ && c1 === 124) {
        this.#pos = pos + 2;
        return { kind: '||', start, end: pos + 2, text: '||' };
      }
      const kind = SINGLE[c];
      if (kind !== undefined) {
        this.#pos = pos + 1;
        return { kind, start, end: pos + 1, text: kind };
      }
      // Skip a whole code point so that an emoji is reported once, not as two halves.
      const cp = text.codePointAt(pos) ?? c;
      const width = cp > 0xffff ? 2 : 1;
      this.#error('MPST001', `unexpected character ${JSON.stringify(String.fromCodePoint(cp))}`, start, start + width);
      this.#pos = pos + width;
    }
  }

  #lineComment(start: number, open: number): void {
    const text = this.#text;
    let p = start + open;
    while (p < text.length) {
      const d = text.charCodeAt(p);
      if (d === 10 || d === 13) break;
      p++;
    }
    this.#comment('line', start, p);
  }

  /** nuScr's `(* ... *)` comments nest; `(*)` inside one is a line comment marker and ignored. */
  #mlComment(start: number): void {
    const text = this.#text;
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
    if (depth > 0) this.#error('MPST002', 'unterminated comment: `(*` has no closing `*)`', start, start + 2);
    this.#comment('ml', start, p);
  }

  #comment(kind: Comment['kind'], start: number, end: number): void {
    this.comments.push({ kind, span: { start, end }, text: this.#text.slice(start, end) });
    this.#pos = end;
  }

  #error(code: 'MPST001' | 'MPST002' | 'MPST003', message: string, start: number, end: number): void {
    this.diagnostics.push(makeDiagnostic(this.file, code, message, { start, end }));
  }
}

/** Scans a whole file (used by tests and tools; the parser pulls tokens lazily). */
export function tokenize(file: SourceFile): { tokens: Token[]; comments: Comment[]; diagnostics: Diagnostic[] } {
  const lexer = new Lexer(file);
  const tokens: Token[] = [];
  for (;;) {
    const t = lexer.next();
    tokens.push(t);
    if (t.kind === 'eof') break;
  }
  return { tokens, comments: lexer.comments, diagnostics: lexer.diagnostics };
}
