import type * as ast from './ast.js';
import { RESERVED_WORDS } from './ast.js';
import {
  makeDiagnostic,
  type Diagnostic,
  type DiagnosticCode,
  type DiagnosticExtras,
} from './diagnostics.js';
import { ErrorBudget, Lexer, type Token, type TokenKind } from './lexer.js';
import { SourceFile, type Span } from './source.js';

/** The result of parsing one file: a complete tree (best effort on errors) and every error found. */
export interface ParseResult {
  readonly module: ast.Module;
  readonly diagnostics: readonly Diagnostic[];
}

/** Options for {@link parse}. */
export interface ParseOptions {
  /** Stop reporting after this many syntax errors in one file (default 100). */
  readonly maxErrors?: number;
}

/**
 * Parses one Scribble file in any supported dialect (scribble-java, nuScr, Teatrino, ours).
 * Never throws: syntax errors are returned as diagnostics, the parser recovers at the next
 * statement or declaration and reports every error of the file in one run.
 *
 * @example
 * const { module, diagnostics } = parse('global protocol P(role A, role B) { m() from A to B; }', 'p.scr');
 */
export function parse(
  source: SourceFile | string,
  path = '<input>',
  options: ParseOptions = {},
): ParseResult {
  const file = typeof source === 'string' ? new SourceFile(path, source) : source;
  const notText = notTextError(file);
  if (notText) return { module: emptyModule(file), diagnostics: [notText] };
  const parser = new Parser(file, options.maxErrors ?? 100);
  const module = parser.parseModule();
  return { module, diagnostics: parser.diagnostics() };
}

/**
 * One error for a file that is not text: a NUL character (binary data, UTF-16) or U+FFFD
 * (what a host's UTF-8 decoder puts for bytes that are not UTF-8; see `@mpst/scribble/node`).
 * Such a file would otherwise give an error per byte run; nothing else is reported for it.
 */
function notTextError(file: SourceFile): Diagnostic | undefined {
  const text = file.text;
  const nul = text.indexOf('\0');
  const bad = text.indexOf('\uFFFD');
  const at = nul < 0 ? bad : bad < 0 ? nul : Math.min(nul, bad);
  if (at < 0) return undefined;
  const what =
    at === nul ? 'a NUL byte' : 'bytes that are not UTF-8 (or the replacement character U+FFFD)';
  return makeDiagnostic(
    file,
    'MPST004',
    `not a text file: ${what} here; Scribble files are UTF-8 text, so nothing else is checked`,
    { start: at, end: at + 1 },
  );
}

function emptyModule(file: SourceFile): ast.Module {
  return {
    kind: 'Module',
    span: { start: 0, end: file.text.length },
    file,
    pragmas: [],
    moduleDecl: undefined,
    imports: [],
    nonProtocolDecls: [],
    protocols: [],
    comments: [],
  };
}

/** Thrown inside the parser only, to unwind to the nearest recovery point. Never escapes. */
class Recover extends Error {}
const RECOVER = new Recover('syntax error recovery');

/** Deeper nesting than this is rejected (MPST013) instead of exhausting the call stack. */
const MAX_DEPTH = 200;

/** Thrown when the error limit is hit; caught in {@link Parser.parseModule}. */
class TooManyErrors extends Error {}

/**
 * Nodes that are their own span: names, messages and signatures are the most numerous nodes,
 * and one object instead of two per node makes large files parse markedly faster (less to
 * allocate and to promote). `span` is a prototype getter, so JSON output holds `start`/`end`
 * instead of a `span` object.
 *
 * The classes declare their fields (`declare`: no class-field definitions are emitted) and set
 * them in a plain constructor, with no base class: a command-line run is cold code, and a
 * derived constructor with field definitions costs a `super` call and a define per field
 * (~2.5x the time of plain stores before the optimizing compiler takes over). Fields are set in
 * the order the JSON output has always had (`start`, `end`, then the node's own fields).
 */
class NameNode implements ast.Name {
  declare readonly start: number;
  declare readonly end: number;
  declare readonly text: string;
  declare readonly kind: 'Name';
  constructor(text: string, start: number, end: number) {
    this.start = start;
    this.end = end;
    this.text = text;
    this.kind = 'Name';
  }
  get span(): Span {
    return this;
  }
}

class MessageTransferNode implements ast.MessageTransfer {
  declare readonly start: number;
  declare readonly end: number;
  declare readonly message: ast.Message;
  declare readonly from: ast.Name;
  declare readonly to: readonly ast.Name[];
  declare readonly annotation: ast.StringLiteral | undefined;
  declare readonly kind: 'MessageTransfer';
  declare readonly default: Span | undefined;
  constructor(
    start: number,
    end: number,
    message: ast.Message,
    from: ast.Name,
    to: readonly ast.Name[],
    dflt: Span | undefined,
    annotation: ast.StringLiteral | undefined,
  ) {
    this.start = start;
    this.end = end;
    this.message = message;
    this.from = from;
    this.to = to;
    this.annotation = annotation;
    this.kind = 'MessageTransfer';
    this.default = dflt;
  }
  get span(): Span {
    return this;
  }
}

class SignatureLiteralNode implements ast.SignatureLiteral {
  declare readonly start: number;
  declare readonly end: number;
  declare readonly label: ast.Name | undefined;
  declare readonly payloads: readonly ast.PayloadElement[];
  declare readonly kind: 'SignatureLiteral';
  constructor(
    start: number,
    end: number,
    label: ast.Name | undefined,
    payloads: readonly ast.PayloadElement[],
  ) {
    this.start = start;
    this.end = end;
    this.label = label;
    this.payloads = payloads;
    this.kind = 'SignatureLiteral';
  }
  get span(): Span {
    return this;
  }
}

/** Shared by every empty payload list (most messages): one array instead of one per message. */
const NO_PAYLOADS: readonly ast.PayloadElement[] = Object.freeze([]);

/**
 * The words that start a keyword statement inside a protocol body. They are keywords there
 * only when the tokens after them do not make a message (see `Parser.startsMessage`);
 * `foreach` and `crash` start one only in their full form (`foreach X in`, `crash from`) and
 * are message labels otherwise.
 */
const STATEMENT_WORDS: ReadonlySet<string> = new Set([
  'choice',
  'rec',
  'continue',
  'do',
  'connect',
  'disconnect',
  'wrap',
  'foreach',
  'crash',
]);

const TOP_LEVEL_STARTS = new Set([
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

/**
 * The keyword `word` is most likely a typo of: edit distance (with transpositions) at most 1
 * for words of up to four letters, else 2, and the closest wins. `choise` → `choice`,
 * `glbal` → `global`, `protocl` → `protocol`, `contine` → `continue`.
 */
export function suggestKeyword(word: string, candidates: Iterable<string>): string | undefined {
  const limit = word.length <= 4 ? 1 : 2;
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const c of candidates) {
    if (c === word || Math.abs(c.length - word.length) > limit) continue;
    const d = editDistance(word.toLowerCase(), c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** Optimal string alignment distance: insertions, deletions, substitutions, transpositions. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const prev = rows[i - 1] ?? [];
      let d = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, (rows[i - 2]?.[j - 2] ?? 0) + 1);
      row.push(d);
    }
    rows.push(row);
  }
  return rows[a.length]?.[b.length] ?? 0;
}

function describe(t: Token): string {
  if (t.kind === 'eof') return 'end of file';
  if (t.kind === 'ident')
    return RESERVED_WORDS.has(t.text) ? `keyword \`${t.text}\`` : `\`${t.text}\``;
  if (t.kind === 'string') return 'a string';
  return `\`${t.text}\``;
}

/**
 * The parser. Its members are TypeScript `private`, not `#private`: a command-line run is cold
 * code (most of a file is parsed before the optimizing compiler has finished), and before then
 * every `this.#x` is a keyed load (and every `this.#m()` a brand check) where `this.x` is a
 * plain named load (with the plain node classes above: 7% fewer instructions for parsing and
 * checking Big N = 20,000 on a cold run).
 */
class Parser {
  private readonly lexer: Lexer;
  private readonly errors: Diagnostic[] = [];
  /**
   * The current token, as fields: tokens are not objects (a large file has millions), except
   * the few scanned ahead by {@link Parser.peek} and the snapshots taken by {@link Parser.tok}.
   */
  private kind: TokenKind = 'eof';
  private start = 0;
  private end = 0;
  private text = '';
  /**
   * Lookahead tokens after the current one. Created holding a token and emptied in the
   * constructor, so that it has object elements from the start: an array created empty changes
   * its hidden class when {@link Parser.peek} first stores a token, and every optimized function
   * that inlined {@link Parser.advance} was then thrown away (in a file whose first keyword
   * statement comes after thousands of messages).
   */
  private readonly ahead: Token[] = [{ kind: 'eof', start: 0, end: 0, text: '' }];
  private prevEnd = 0;
  private lastErrorAt = -1;
  /** Current nesting of blocks and parenthesised expressions. */
  private depth = 0;

  /** The file's error limit, shared with the lexer (lexical errors count too). */
  private readonly budget: ErrorBudget;

  constructor(
    readonly file: SourceFile,
    readonly maxErrors: number,
  ) {
    this.budget = new ErrorBudget(maxErrors);
    this.lexer = new Lexer(file, this.budget);
    this.ahead.length = 0;
    this.advance();
    this.prevEnd = 0;
  }

  diagnostics(): Diagnostic[] {
    return [...this.lexer.diagnostics, ...this.errors].sort((a, b) => a.span.start - b.span.start);
  }

  // ---- token plumbing -------------------------------------------------------------------------

  /** The current token as an object (for error messages and the rare code that keeps one). */
  private get tok(): Token {
    return { kind: this.kind, start: this.start, end: this.end, text: this.text };
  }

  private advance(): void {
    this.prevEnd = this.end;
    const next = this.ahead.length > 0 ? this.ahead.shift() : undefined;
    if (next) {
      this.kind = next.kind;
      this.start = next.start;
      this.end = next.end;
      this.text = next.text;
      return;
    }
    const lexer = this.lexer;
    this.kind = lexer.scan();
    this.start = lexer.start;
    this.end = lexer.end;
    this.text = lexer.text;
  }

  private peek(k: number): Token {
    while (this.ahead.length < k) {
      const last = this.ahead[this.ahead.length - 1];
      this.ahead.push(
        (last ? last.kind : this.kind) === 'eof' ? (last ?? this.tok) : this.lexer.next(),
      );
    }
    return this.ahead[k - 1] ?? this.tok;
  }

  private at(kind: TokenKind): boolean {
    return this.kind === kind;
  }

  private atWord(word: string): boolean {
    return this.kind === 'ident' && this.text === word;
  }

  private eat(kind: TokenKind): boolean {
    if (this.kind !== kind) return false;
    this.advance();
    return true;
  }

  private eatWord(word: string): boolean {
    if (!this.atWord(word)) return false;
    this.advance();
    return true;
  }

  private expect(kind: TokenKind, what?: string): void {
    if (this.kind === kind) this.advance();
    else this.fail(`expected ${what ?? `\`${kind}\``}, found ${describe(this.tok)}`);
  }

  private expectWord(word: string): void {
    if (this.atWord(word)) this.advance();
    else this.failNearHere(`expected \`${word}\`, found ${describe(this.tok)}`, [word]);
  }

  /** The current token's span, then advances (for keywords whose position the AST keeps). */
  private take(): Span {
    const span = { start: this.start, end: this.end };
    this.advance();
    return span;
  }

  /**
   * Expects the `;` that ends a statement. A missing `;` before a line break or a `}` is
   * reported and then assumed (the usual slip), so the next statement still gets checked.
   */
  private semicolon(what = '`;`'): void {
    if (this.eat(';')) return;
    const t = this.tok;
    if (
      t.kind === '}' ||
      t.kind === 'eof' ||
      /[\r\n]/.test(this.file.text.slice(this.prevEnd, t.start))
    ) {
      this.report('MPST010', `expected ${what}, found ${describe(t)}`, {
        start: this.prevEnd,
        end: this.prevEnd,
      });
      return;
    }
    this.fail(`expected ${what}, found ${describe(t)}`);
  }

  private report(
    code: DiagnosticCode,
    message: string,
    span: Span,
    extras?: DiagnosticExtras,
  ): void {
    if (span.start === this.lastErrorAt) return; // one error per position: no cascades
    this.lastErrorAt = span.start;
    const budget = this.budget;
    if (budget.stopped) throw new TooManyErrors('too many errors');
    if (budget.count >= budget.max) {
      this.errors.push(
        makeDiagnostic(
          this.file,
          'MPST012',
          `too many errors; stopped after ${String(budget.max)}`,
          span,
        ),
      );
      budget.stopped = true;
      throw new TooManyErrors('too many errors');
    }
    budget.count++;
    this.errors.push(makeDiagnostic(this.file, code, message, span, extras));
  }

  private fail(
    message: string,
    code: DiagnosticCode = 'MPST010',
    extras?: DiagnosticExtras,
  ): never {
    // An error at end of file (or right after a line break) reads best at the end of the previous token.
    const span =
      this.kind === 'eof'
        ? { start: this.prevEnd, end: this.prevEnd }
        : { start: this.start, end: this.end };
    this.report(code, message, span, extras);
    throw RECOVER;
  }

  /**
   * Fails with `message`, adding "did you mean `choice`?" (a fix that replaces the word at
   * `word`) when that word is a likely typo of one of `keywords`.
   */
  private failNear(
    message: string,
    word: { span: Span; text: string },
    keywords: Iterable<string>,
  ): never {
    const keyword = suggestKeyword(word.text, keywords);
    this.fail(
      message,
      'MPST010',
      keyword === undefined
        ? undefined
        : {
            fixes: [
              {
                message: `did you mean \`${keyword}\`?`,
                span: word.span,
                replacement: keyword,
              },
            ],
          },
    );
  }

  /** {@link Parser.failNear} for the current token, when it is a word. */
  private failNearHere(message: string, keywords: Iterable<string>): never {
    if (this.kind !== 'ident') this.fail(message);
    this.failNear(
      message,
      { span: { start: this.start, end: this.end }, text: this.text },
      keywords,
    );
  }

  /** Enters one level of nesting; past {@link MAX_DEPTH} the rest of the file is abandoned. */
  private enter(): void {
    if (++this.depth > MAX_DEPTH) {
      this.errors.push(
        makeDiagnostic(
          this.file,
          'MPST013',
          `nesting deeper than ${String(MAX_DEPTH)} levels; the rest of the file is not parsed`,
          { start: this.start, end: this.end },
        ),
      );
      throw new TooManyErrors('nesting too deep');
    }
  }

  private span(start: number): Span {
    return { start, end: this.prevEnd };
  }

  // ---- names ----------------------------------------------------------------------------------

  /**
   * A name: any word. Keywords are decided by position (a word where the grammar expects a
   * name is a name, `role data` or `m(type)` included); only the start of an interaction,
   * where a keyword and a message label can both stand, looks further (see {@link Parser.startsMessage}).
   */
  private name(what: string): ast.Name {
    if (this.kind === 'ident') {
      const name = new NameNode(this.text, this.start, this.end);
      this.advance();
      return name;
    }
    this.fail(`expected ${what}, found ${describe(this.tok)}`);
  }

  private qualifiedName(what: string): ast.QualifiedName {
    return this.qualifiedNameFrom(this.name(what), what);
  }

  /** A qualified name whose first part has been read. */
  private qualifiedNameFrom(first: ast.Name, what: string): ast.QualifiedName {
    const parts = [first];
    while (this.at('.') && this.peek(1).kind === 'ident') {
      this.advance();
      parts.push(this.name(what));
    }
    return this.qname(parts);
  }

  private qname(parts: ast.Name[]): ast.QualifiedName {
    const first = parts[0];
    const last = parts[parts.length - 1];
    if (!first || !last) throw new Error('internal: empty qualified name');
    return {
      kind: 'QualifiedName',
      span: { start: first.span.start, end: last.span.end },
      parts,
      text: parts.length === 1 ? first.text : parts.map((p) => p.text).join('.'),
    };
  }

  private string(what: string): ast.StringLiteral {
    const t = this.tok;
    this.expect('string', what);
    const closed = t.text.length >= 2 && t.text.endsWith('"');
    return {
      kind: 'String',
      span: { start: t.start, end: t.end },
      value: t.text.slice(1, closed ? -1 : undefined),
    };
  }

  private annotation(): ast.StringLiteral | undefined {
    if (this.at('@') && this.peek(1).kind === 'string') {
      this.advance();
      return this.string('an annotation string');
    }
    return undefined;
  }

  // ---- module level ---------------------------------------------------------------------------

  parseModule(): ast.Module {
    const pragmas: ast.Pragma[] = [];
    let moduleDecl: ast.ModuleDecl | undefined;
    const imports: ast.ImportDecl[] = [];
    const nonProtocolDecls: ast.NonProtocolDecl[] = [];
    const protocols: ast.GlobalProtocol[] = [];
    let sawGlobal = false;
    try {
      while (!this.at('eof')) {
        const start = this.start;
        try {
          if (this.at('pragmaStart')) {
            if (moduleDecl || imports.length || nonProtocolDecls.length || protocols.length) {
              this.report('MPST011', 'pragmas must come first in the file', {
                start,
                end: this.end,
              });
            }
            for (const p of this.pragmas()) pragmas.push(p);
          } else if (this.atWord('module')) {
            this.advance();
            const name = this.qualifiedName('a module name');
            this.expect(';');
            const decl: ast.ModuleDecl = { kind: 'ModuleDecl', span: this.span(start), name };
            if (moduleDecl || imports.length || nonProtocolDecls.length || protocols.length) {
              this.report(
                'MPST011',
                'the module declaration must come first in the file (after pragmas)',
                decl.span,
              );
            } else moduleDecl = decl;
          } else if (this.atWord('import')) {
            this.advance();
            const module = this.qualifiedName('a module name');
            const alias = this.eatWord('as') ? this.name('an alias') : undefined;
            this.expect(';');
            imports.push({ kind: 'ImportDecl', span: this.span(start), module, alias });
          } else if (this.atWord('type') || this.atWord('data') || this.atWord('sig')) {
            nonProtocolDecls.push(this.nonProtocolDecl());
          } else if (this.atWord('local')) {
            this.fail('local protocols are produced by projection; write a `global protocol` here');
          } else if (
            this.atWord('global') ||
            this.atWord('aux') ||
            this.atWord('explicit') ||
            this.atWord('protocol') ||
            this.atWord('nested')
          ) {
            const p = this.protocol();
            if (p.nested && sawGlobal) {
              this.report(
                'MPST011',
                'nested protocols must be declared before the global protocols of the file',
                p.name.span,
              );
            }
            if (!p.nested) sawGlobal = true;
            protocols.push(p);
          } else {
            this.failNearHere(
              `expected a declaration (\`global protocol\`, \`module\`, \`import\`, ` +
                `\`type\` or \`sig\`), found ${describe(this.tok)}`,
              TOP_LEVEL_STARTS,
            );
          }
        } catch (e) {
          if (e !== RECOVER) throw e;
          this.syncTopLevel(start);
        }
      }
    } catch (e) {
      if (!(e instanceof TooManyErrors)) throw e;
    }
    return {
      kind: 'Module',
      span: { start: 0, end: this.file.text.length },
      file: this.file,
      pragmas,
      moduleDecl,
      imports,
      nonProtocolDecls,
      protocols,
      comments: this.lexer.comments,
    };
  }

  /** Skips to the next token that can start a top-level declaration, outside braces. */
  private syncTopLevel(start: number): void {
    if (this.start === start && !this.at('eof')) this.advance();
    let depth = 0;
    while (!this.at('eof')) {
      if (this.at('{')) depth++;
      else if (this.at('}')) {
        depth = Math.max(0, depth - 1);
        this.advance();
        continue;
      } else if (depth === 0 && this.kind === 'ident' && TOP_LEVEL_STARTS.has(this.text)) return;
      else if (depth === 0 && this.at('pragmaStart')) return;
      this.advance();
    }
  }

  private pragmas(): ast.Pragma[] {
    this.expect('pragmaStart');
    const out: ast.Pragma[] = [];
    if (!this.at('pragmaEnd')) {
      do {
        const start = this.start;
        const name = this.name('a pragma name');
        const value = this.eat(':') ? this.name('a pragma value') : undefined;
        out.push({ kind: 'Pragma', span: this.span(start), name, value });
      } while (this.eat(','));
    }
    this.expect('pragmaEnd', '`#*)`');
    return out;
  }

  private nonProtocolDecl(): ast.NonProtocolDecl {
    const start = this.start;
    const keyword = this.text as 'type' | 'data' | 'sig';
    this.advance();
    this.expect('<', '`<` and a schema name, as in `type <java> "..." from "..." as T;`');
    const schema = this.name('a schema name');
    this.expect('>');
    const externalName = this.string('the external name, a string');
    this.expectWord('from');
    const source = this.string('the source, a string');
    this.expectWord('as');
    const alias = this.name(keyword === 'sig' ? 'a signature name' : 'a type name');
    this.expect(';');
    return {
      kind: keyword === 'sig' ? 'SigDecl' : 'DataDecl',
      span: this.span(start),
      keyword,
      schema,
      externalName,
      source,
      alias,
    };
  }

  private protocol(): ast.GlobalProtocol {
    const start = this.start;
    const aux = this.eatWord('aux');
    const explicit = this.eatWord('explicit');
    let header: ast.GlobalProtocol['header'];
    if (this.eatWord('nested')) {
      this.expectWord('protocol');
      header = 'nested protocol';
    } else if (this.eatWord('global')) {
      header = this.eatWord('protocol') ? 'global protocol' : 'global';
    } else {
      this.expectWord('protocol');
      header = 'protocol';
    }
    const nested = header === 'nested protocol';
    let name = this.name('a protocol name');
    if (header === 'global' && this.kind === 'ident' && suggestKeyword(name.text, ['protocol'])) {
      // `global protocl P(...)`: `global` alone is a header (nuScr), so the typo reads as the
      // name. Report it with the fix, then read on as if it were fixed (no cascade of errors).
      this.report(
        'MPST010',
        `expected \`(\` and the role declarations, found ${describe(this.tok)}`,
        { start: this.start, end: this.end },
        {
          fixes: [
            { message: 'did you mean `protocol`?', span: name.span, replacement: 'protocol' },
          ],
        },
      );
      header = 'global protocol';
      name = this.name('a protocol name');
    }
    let params: ast.ParamDecl[] = [];
    let paramsWritten = false;
    if (this.at('<')) {
      paramsWritten = true;
      params = this.paramDecls();
    }
    const roles: ast.RoleDecl[] = [];
    const newRoles: ast.RoleDecl[] = [];
    let annotation: ast.StringLiteral | undefined;
    try {
      this.expect('(', '`(` and the role declarations');
      if (!this.at(')')) {
        do roles.push(this.roleDecl());
        while (this.eat(','));
        if (this.at(';') && this.peek(1).kind === 'ident' && this.peek(1).text === 'new') {
          this.advance();
          this.advance();
          do newRoles.push(this.roleDecl());
          while (this.eat(','));
        }
      }
      this.expect(')', '`,` or `)` in the role declarations');
      annotation = this.annotation();
    } catch (e) {
      // A broken header: skip to the body and parse it anyway, so its errors are found too.
      if (e !== RECOVER) throw e;
      while (!this.at('{') && !this.at('}') && !this.at(';') && !this.at('eof')) this.advance();
      if (!this.at('{')) throw e;
    }
    const { nestedProtocols, body } = this.protocolBody();
    return {
      kind: 'GlobalProtocol',
      span: this.span(start),
      aux,
      explicit,
      nested,
      header,
      name,
      params,
      paramsWritten,
      roles,
      newRoles,
      annotation,
      nestedProtocols,
      body,
    };
  }

  private paramDecls(): ast.ParamDecl[] {
    this.expect('<');
    const out: ast.ParamDecl[] = [];
    if (!this.at('>')) {
      do {
        const start = this.start;
        const kw = this.tok;
        if (
          !(kw.kind === 'ident' && (kw.text === 'type' || kw.text === 'data' || kw.text === 'sig'))
        ) {
          this.fail(`expected \`type\` or \`sig\` and a parameter name, found ${describe(kw)}`);
        }
        this.advance();
        const name = this.name('a parameter name');
        out.push({ kind: 'ParamDecl', span: this.span(start), keyword: kw.text, name });
      } while (this.eat(','));
    }
    this.expect('>', '`,` or `>` in the parameter declarations');
    return out;
  }

  private roleDecl(): ast.RoleDecl {
    const start = this.start;
    const reliable =
      this.atWord('reliable') && this.peek(1).kind === 'ident' && this.peek(1).text === 'role';
    if (reliable) this.advance();
    this.expectWord('role');
    const name = this.name('a role name');
    return { kind: 'RoleDecl', span: this.span(start), name, reliable };
  }

  private protocolBody(): { nestedProtocols: ast.GlobalProtocol[]; body: ast.Block } {
    this.enter();
    try {
      return this.protocolBodyInner();
    } finally {
      this.depth--;
    }
  }

  private protocolBodyInner(): { nestedProtocols: ast.GlobalProtocol[]; body: ast.Block } {
    const start = this.start;
    this.expect('{', '`{` to start the protocol body');
    const nestedProtocols: ast.GlobalProtocol[] = [];
    const interactions: ast.Interaction[] = [];
    while (!this.at('}') && !this.at('eof')) {
      if (
        this.atWord('nested') &&
        this.peek(1).kind === 'ident' &&
        this.peek(1).text === 'protocol'
      ) {
        const s = this.start;
        try {
          const p = this.protocol();
          if (interactions.length > 0) {
            this.report(
              'MPST011',
              'nested protocols must be declared before the interactions of the body',
              p.name.span,
            );
          }
          nestedProtocols.push(p);
        } catch (e) {
          if (e !== RECOVER) throw e;
          this.syncStatement(s);
        }
        continue;
      }
      const i = this.statement();
      if (i) interactions.push(i);
    }
    this.expect('}', '`}` to close the protocol body');
    return { nestedProtocols, body: { kind: 'Block', span: this.span(start), interactions } };
  }

  // ---- interactions ---------------------------------------------------------------------------

  private block(what: string): ast.Block {
    this.enter();
    try {
      return this.blockInner(what);
    } finally {
      this.depth--;
    }
  }

  private blockInner(what: string): ast.Block {
    const start = this.start;
    this.expect('{', `\`{\` to start ${what}`);
    const interactions: ast.Interaction[] = [];
    while (!this.at('}') && !this.at('eof')) {
      if (
        this.atWord('nested') &&
        this.peek(1).kind === 'ident' &&
        this.peek(1).text === 'protocol'
      ) {
        const s = this.start;
        this.report(
          'MPST011',
          'nested protocols may only be declared at the start of a protocol body',
          { start: s, end: this.end },
        );
        try {
          this.protocol();
        } catch (e) {
          if (e !== RECOVER) throw e;
          this.syncStatement(s);
        }
        continue;
      }
      const i = this.statement();
      if (i) interactions.push(i);
    }
    this.expect('}', `\`}\` to close ${what}`);
    return { kind: 'Block', span: this.span(start), interactions };
  }

  /** One interaction, or undefined after a syntax error (the parser has then re-synchronised). */
  private statement(): ast.Interaction | undefined {
    const start = this.start;
    try {
      return this.interaction();
    } catch (e) {
      if (e !== RECOVER) throw e;
      this.syncStatement(start);
      return undefined;
    }
  }

  /**
   * Skips the rest of a broken statement: up to and including the next `;` at this nesting
   * depth, or up to (not including) the `}` that closes the enclosing block. A `{`-block that
   * belongs to the broken statement is skipped whole, together with `or { ... }` continuations.
   */
  private syncStatement(start: number): void {
    if (this.start === start && !this.at('}') && !this.at('eof')) {
      if (this.at('{')) this.skipBraces();
      else this.advance();
    }
    for (;;) {
      if (this.at('eof') || this.at('}')) return;
      if (this.at(';')) {
        this.advance();
        return;
      }
      if (this.at('{')) {
        this.skipBraces();
        while (this.atWord('or')) {
          this.advance();
          this.eatWord('default');
          if (this.at('{')) this.skipBraces();
        }
        return;
      }
      if (this.kind === 'ident' && TOP_LEVEL_STARTS.has(this.text) && this.text !== 'type') return;
      this.advance();
    }
  }

  private skipBraces(): void {
    let depth = 0;
    do {
      if (this.at('{')) depth++;
      else if (this.at('}')) depth--;
      this.advance();
    } while (depth > 0 && !this.at('eof'));
  }

  private interaction(): ast.Interaction {
    const start = this.start;
    if (this.kind === 'ident') {
      const t = this.text;
      const statementWord = STATEMENT_WORDS.has(t);
      switch (statementWord && !this.startsMessage() ? t : '') {
        case 'choice':
          return this.choice();
        case 'rec':
          return this.recursion();
        case 'continue':
          return this.continue();
        case 'do':
          return this.do();
        case 'connect': {
          this.advance();
          const from = this.name('a role name');
          this.expectWord('to');
          const to = this.name('a role name');
          this.semicolon();
          return { kind: 'Connect', span: this.span(start), message: undefined, from, to };
        }
        case 'disconnect': {
          this.advance();
          const left = this.name('a role name');
          this.expectWord('and');
          const right = this.name('a role name');
          this.semicolon();
          return { kind: 'Disconnect', span: this.span(start), left, right };
        }
        case 'wrap': {
          this.advance();
          const from = this.name('a role name');
          this.expectWord('to');
          const to = this.name('a role name');
          this.semicolon();
          return { kind: 'Wrap', span: this.span(start), from, to };
        }
        case 'foreach': {
          const v = this.peek(1);
          const kw = this.peek(2);
          if (v.kind === 'ident' && kw.kind === 'ident' && kw.text === 'in') return this.foreach();
          break;
        }
        case 'crash': {
          const next = this.peek(1);
          if (next.kind === 'ident' && next.text === 'from') {
            this.advance();
            this.advance();
            const from = this.name('the crashed role');
            this.expectWord('to');
            const to = this.roleList();
            this.semicolon('`;` after the crash notice');
            return { kind: 'CrashNotice', span: this.span(start), from, to };
          }
          break;
        }
        default:
          break;
      }
      if (!statementWord || t === 'foreach' || t === 'crash' || this.startsMessage()) {
        // A message label or name, or the caller of `calls` (any word, keywords included).
        // Read the word once and decide by what follows (no lookahead for the common message).
        const first = this.name('a role name');
        if (this.atWord('calls')) {
          this.advance();
          const protocol = this.name('a protocol name');
          const roleArgs = this.at('(') ? this.roleArgs() : [];
          this.semicolon();
          const annotation = this.annotation();
          return {
            kind: 'Calls',
            span: this.span(start),
            caller: first,
            protocol,
            roleArgs,
            annotation,
          };
        }
        return this.messageTransfer(start, this.messageFrom(start, first));
      }
      this.fail(`expected an interaction, found ${describe(this.tok)}`);
    }
    if (this.kind !== '(') {
      this.fail(
        `expected an interaction (a message, \`choice\`, \`rec\`, ` +
          `\`continue\` or \`do\`), found ${describe(this.tok)}`,
      );
    }
    return this.messageTransfer(start, this.signatureRest(start, undefined));
  }

  /**
   * Whether the word at the start of an interaction begins a message (or a `calls`) rather
   * than the statement its keyword would start: `choice(Int) from A to B;`, `rec from S to R;`
   * and `do calls P(A, B);` are decided by the tokens after the word. A message is the word
   * followed by `(`, by `.` (a qualified message name), by `from R to R` or `connect R to R`
   * (a message name), or the caller of `calls P(...)`/`calls P;`. No keyword statement
   * continues so (`rec from {`, `continue from;`, `connect from to to;` are statements).
   * One exception: `crash from C to L;` is Teatrino's crash notice, never a message `crash`.
   */
  private startsMessage(): boolean {
    const next = this.peek(1);
    if (next.kind === '(' || next.kind === '.') return true;
    if (next.kind !== 'ident') return false;
    const second = this.peek(2);
    if (second.kind !== 'ident') return false;
    const third = this.peek(3);
    if (next.text === 'calls') return third.kind === '(' || third.kind === ';';
    if (next.text === 'from' && this.text === 'crash') return false;
    if (next.text !== 'from' && next.text !== 'connect') return false;
    return third.kind === 'ident' && third.text === 'to' && this.peek(4).kind === 'ident';
  }

  /** The rest of a message transfer (or of a `connect` with a message) after its message. */
  private messageTransfer(start: number, message: ast.Message): ast.Interaction {
    if (this.eatWord('connect')) {
      const from = this.name('a role name');
      this.expectWord('to');
      const to = this.name('a role name');
      this.semicolon();
      return { kind: 'Connect', span: this.span(start), message, from, to };
    }
    if (!this.atWord('from')) {
      const label = message.kind === 'MessageName' ? message.name.parts : [];
      const first = label[0];
      if (first && label.length === 1) {
        // `choise at A {`, `contine X;`: a mistyped keyword reads as a message label.
        const msg = `expected \`(\` or \`from\` after the message label, found ${describe(this.tok)}`;
        if (suggestKeyword(first.text, STATEMENT_WORDS)) this.failNear(msg, first, STATEMENT_WORDS);
        this.failNearHere(msg, ['from']);
      }
      this.failNearHere(`expected \`from\` after the message, found ${describe(this.tok)}`, [
        'from',
      ]);
    }
    this.advance();
    const from = this.name('the sender role');
    this.expectWord('to');
    const to = this.roleList();
    const dflt = this.atWord('default') ? this.take() : undefined;
    this.semicolon(dflt ? '`;`' : '`;` (or `,` and another receiver)');
    const annotation = this.annotation();
    return new MessageTransferNode(start, this.prevEnd, message, from, to, dflt, annotation);
  }

  private roleList(): ast.Name[] {
    const out = [this.name('a role name')];
    while (this.eat(',')) out.push(this.name('a role name'));
    return out;
  }

  private roleArgs(): ast.Name[] {
    this.expect('(');
    const out: ast.Name[] = this.at(')') ? [] : this.roleList();
    this.expect(')', '`,` or `)` in the role arguments');
    return out;
  }

  /** A message whose first word (a label, or the first part of a message name) has been read. */
  private messageFrom(start: number, first: ast.Name): ast.Message {
    // The common `label(...)`: no qualified-name allocation.
    if (this.at('(')) return this.signatureRest(start, first);
    const name = this.qualifiedNameFrom(first, 'a message label');
    return { kind: 'MessageName', span: name.span, name };
  }

  private signatureRest(start: number, label: ast.Name | undefined): ast.SignatureLiteral {
    this.expect('(');
    let payloads: readonly ast.PayloadElement[] = NO_PAYLOADS;
    if (!this.at(')')) {
      const list: ast.PayloadElement[] = [];
      do list.push(this.payload());
      while (this.eat(','));
      payloads = list;
    }
    this.expect(')', '`,` or `)` in the payload');
    return new SignatureLiteralNode(start, this.prevEnd, label, payloads);
  }

  private payload(): ast.PayloadElement {
    const start = this.start;
    if (this.kind === 'ident' && this.peek(1).kind === ':') {
      const variable = this.name('a payload variable');
      this.advance();
      const type = this.qualifiedName('a payload type');
      let refinement: ast.Expression | undefined;
      if (this.eat('{')) {
        refinement = this.expression();
        this.expect('}', '`}` to close the refinement');
      }
      return { kind: 'NamedPayload', span: this.span(start), variable, type, refinement };
    }
    const type = this.qualifiedName('a payload type');
    if (this.eat('@')) {
      const role = this.name('a role name');
      return { kind: 'DelegationPayload', span: this.span(start), protocol: type, role };
    }
    return { kind: 'PayloadType', span: type.span, type };
  }

  private choice(): ast.Choice {
    const start = this.start;
    this.advance();
    this.expectWord('at');
    const at = this.name('the choosing role');
    const branches: ast.ChoiceBranch[] = [];
    const first = this.block('the choice branch');
    branches.push({ kind: 'ChoiceBranch', span: first.span, default: undefined, body: first });
    while (this.atWord('or') && !this.startsMessage()) {
      const bStart = this.start;
      this.advance();
      const d = this.atWord('default') ? this.take() : undefined;
      const body = this.block('the choice branch');
      branches.push({
        kind: 'ChoiceBranch',
        span: this.span(bStart),
        default: d,
        body,
      });
    }
    return { kind: 'Choice', span: this.span(start), at, branches };
  }

  private foreach(): ast.Foreach {
    const start = this.start;
    this.advance();
    const variable = this.name('a role variable');
    this.expectWord('in');
    const roles = this.roleList();
    const body = this.block('the foreach body');
    return { kind: 'Foreach', span: this.span(start), variable, roles, body };
  }

  private recursion(): ast.Recursion {
    const start = this.start;
    this.advance();
    const label = this.name('a recursion label');
    let variables: ast.RecursionVariable[] | undefined;
    if (this.eat('[')) {
      variables = [];
      if (!this.at(']')) {
        do variables.push(this.recursionVariable());
        while (this.eat(','));
      }
      this.expect(']', '`,` or `]` in the recursion variables');
    }
    const body = this.block('the recursion body');
    return { kind: 'Recursion', span: this.span(start), label, variables, body };
  }

  private recursionVariable(): ast.RecursionVariable {
    const start = this.start;
    const name = this.name('a variable name');
    this.expect('<', '`<` and the roles that know the variable');
    const roles = this.roleList();
    this.expect('>');
    this.expect(':');
    let type: ast.PayloadElement;
    if (this.eat('(')) {
      type = this.payload();
      this.expect(')');
    } else type = this.payload();
    this.expect('=', '`=` and the initial value');
    const init = this.expression();
    return { kind: 'RecursionVariable', span: this.span(start), name, roles, type, init };
  }

  private continue(): ast.Continue {
    const start = this.start;
    this.advance();
    const label = this.name('a recursion label');
    let args: ast.Expression[] | undefined;
    if (this.eat('[')) {
      args = [];
      if (!this.at(']')) {
        do args.push(this.expression());
        while (this.eat(','));
      }
      this.expect(']');
    }
    this.semicolon('`;` after `continue`');
    return { kind: 'Continue', span: this.span(start), label, args };
  }

  private do(): ast.Do {
    const start = this.start;
    this.advance();
    const protocol = this.qualifiedName('a protocol name');
    let args: ast.NonRoleArgument[] | undefined;
    if (this.eat('<')) {
      args = [];
      if (!this.at('>')) {
        do args.push(this.nonRoleArgument());
        while (this.eat(','));
      }
      this.expect('>', '`,` or `>` in the arguments');
    }
    const roleArgs = this.at('(') ? this.roleArgs() : [];
    if (roleArgs.length === 0 && !this.at(';')) this.expect('(', '`(` and the role arguments');
    this.semicolon('`;` after `do`');
    const annotation = this.annotation();
    return { kind: 'Do', span: this.span(start), protocol, args, roleArgs, annotation };
  }

  private nonRoleArgument(): ast.NonRoleArgument {
    const start = this.start;
    if (this.at('(')) return this.signatureRest(start, undefined);
    const name = this.qualifiedName('a type, a signature or a message');
    if (this.at('(') && name.parts.length === 1) return this.signatureRest(start, name.parts[0]);
    return name;
  }

  // ---- nuScr refinement expressions -----------------------------------------------------------

  private expression(): ast.Expression {
    this.enter();
    try {
      return this.expressionInner();
    } finally {
      this.depth--;
    }
  }

  private expressionInner(): ast.Expression {
    const start = this.start;
    if (this.atWord('not')) {
      this.advance();
      const operand = this.expression();
      return { kind: 'UnaryExpr', span: this.span(start), op: 'not', operand };
    }
    if (this.at('-')) {
      this.advance();
      const operand = this.expression();
      return { kind: 'UnaryExpr', span: this.span(start), op: '-', operand };
    }
    let left = this.comparison();
    for (;;) {
      const op = this.at('&&') ? '&&' : this.at('||') ? '||' : undefined;
      if (!op) return left;
      this.advance();
      const right = this.comparison();
      left = { kind: 'BinaryExpr', span: this.span(start), op, left, right };
    }
  }

  /** Relational operators; `<>`, `<=` and `>=` are two adjacent tokens (see the lexer). */
  private comparisonOp(): ast.BinaryOperator | undefined {
    const t = this.tok;
    if (t.kind === '=') return '=';
    if (t.kind !== '<' && t.kind !== '>') return undefined;
    const n = this.peek(1);
    if (n.start === t.end) {
      if (t.kind === '<' && n.kind === '>') return '<>';
      if (n.kind === '=') return t.kind === '<' ? '<=' : '>=';
    }
    return t.kind;
  }

  private comparison(): ast.Expression {
    const start = this.start;
    let left = this.additive();
    for (;;) {
      const op = this.comparisonOp();
      if (!op) return left;
      this.advance();
      if (op.length === 2) this.advance();
      const right = this.additive();
      left = { kind: 'BinaryExpr', span: this.span(start), op, left, right };
    }
  }

  private additive(): ast.Expression {
    const start = this.start;
    let left = this.atom();
    for (;;) {
      const op = this.at('+') ? '+' : this.at('-') ? '-' : undefined;
      if (!op) return left;
      this.advance();
      const right = this.atom();
      left = { kind: 'BinaryExpr', span: this.span(start), op, left, right };
    }
  }

  private atom(): ast.Expression {
    const t = this.tok;
    const span = { start: t.start, end: t.end };
    if (t.kind === '-' || (t.kind === 'ident' && t.text === 'not')) {
      // Prefix operators also inside an expression (`x > -1`): a superset of nuScr.
      this.advance();
      this.enter();
      try {
        const operand = this.atom();
        return {
          kind: 'UnaryExpr',
          span: this.span(t.start),
          op: t.kind === '-' ? '-' : 'not',
          operand,
        };
      } finally {
        this.depth--;
      }
    }
    if (t.kind === '(') {
      this.advance();
      const inner = this.expression();
      this.expect(')');
      return { kind: 'ParenExpr', span: this.span(t.start), inner };
    }
    if (t.kind === 'string') {
      this.advance();
      return { kind: 'StringExpr', span, value: t.text.slice(1, -1) };
    }
    if (t.kind === 'ident') {
      if (/^[0-9]+$/.test(t.text)) {
        this.advance();
        return { kind: 'IntLiteral', span, value: Number(t.text) };
      }
      if (t.text === 'true' || t.text === 'false') {
        this.advance();
        return { kind: 'BoolLiteral', span, value: t.text === 'true' };
      }
      if (t.text === 'len' && this.peek(1).kind === '(') {
        this.advance();
        this.advance();
        const operand = this.expression();
        this.expect(')');
        return { kind: 'UnaryExpr', span: this.span(t.start), op: 'len', operand };
      }
      this.advance();
      return { kind: 'VarExpr', span, name: t.text };
    }
    this.fail(`expected an expression, found ${describe(t)}`);
  }
}
