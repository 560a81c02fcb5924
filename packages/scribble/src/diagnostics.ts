import type { SourceFile, Span } from './source.js';

/** How bad a diagnostic is. Only `error` makes a protocol ill-formed. */
export type Severity = 'error' | 'warning' | 'info';

/** Where a diagnostic points: the file, the offsets, and their 1-based line and column. */
export interface DiagnosticSpan {
  readonly file: string;
  readonly start: number;
  readonly end: number;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

/** A secondary message, optionally pointing elsewhere ("first declared here"). */
export interface DiagnosticNote {
  readonly message: string;
  readonly span?: DiagnosticSpan;
}

/** A suggested edit: replace the text of `span` by `replacement`. */
export interface FixHint {
  readonly message: string;
  readonly span: DiagnosticSpan;
  readonly replacement: string;
}

/**
 * A problem found in a protocol, as a value. Every diagnostic has a stable code (see
 * {@link DIAGNOSTIC_CODES}), a severity, a one-line message and a span.
 */
export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly message: string;
  readonly span: DiagnosticSpan;
  readonly notes?: readonly DiagnosticNote[];
  readonly fixes?: readonly FixHint[];
}

/**
 * Every diagnostic code with a one-line summary. Codes never change meaning; retired codes are
 * not reused. MPST0xx: lexical and syntax errors. MPST1xx: names, modules and static checks.
 * MPST2xx: elaboration, well-formedness and projection (@mpst/projector). MPST3xx: model
 * checking (@mpst/verify). MPST4xx: crash-tolerance refactoring (@mpst/crash-refactor).
 */
export const DIAGNOSTIC_CODES = {
  MPST001: 'unexpected character',
  MPST002: 'unterminated comment',
  MPST003: 'unterminated string',
  MPST010: 'unexpected token',
  MPST011: 'declaration out of order',
  MPST012: 'too many syntax errors',
  MPST013: 'nesting too deep',
  MPST100: 'duplicate role declaration',
  MPST101: 'undeclared role',
  MPST102: 'duplicate protocol declaration',
  MPST103: 'unknown protocol',
  MPST104: 'wrong number of arguments',
  MPST105: 'argument of the wrong kind',
  MPST106: 'role passed twice',
  MPST107: 'unbound recursion label',
  MPST108: 'recursion label shadows an enclosing one',
  MPST109: 'message to self',
  MPST110: 'unused role',
  MPST111: 'unknown data type',
  MPST112: 'unknown message signature',
  MPST113: 'duplicate type or signature declaration',
  MPST114: 'duplicate parameter declaration',
  MPST115: 'name cannot be disambiguated',
  MPST116: 'unknown pragma',
  MPST118: 'crash from a reliable role',
  MPST119: '`do` and `calls` mixed up',
  MPST120: 'module name does not match file path',
  MPST121: 'module not found',
  MPST122: 'import cycle',
  MPST123: 'duplicate visible module name',
  MPST124: 'protocol not visible',
  MPST201: 'choice not started by its chooser',
  MPST202: 'role not enabled in a choice branch',
  MPST203: 'inconsistent choice subject',
  MPST204: 'ambiguous choice',
  MPST205: 'unreachable interaction',
  MPST206: 'unguarded recursion',
  MPST207: 'missing crash branch',
  MPST208: 'malformed default branch',
  MPST209: 'do nesting too deep',
  MPST210: 'role cannot be projected',
  MPST211: 'unknown protocol or role',
  MPST300: 'stuck message (unspecified reception)',
  MPST301: 'orphan message',
  MPST302: 'deadlock (wait-for cycle)',
  MPST303: 'unfinished role',
  MPST304: 'role progress violation',
  MPST305: 'eventual reception violation',
  MPST306: 'verification inconclusive',
  MPST307: 'invalid verification input',
  MPST400: 'refactoring input rejected',
  MPST401: 'unknown role in the failure model',
  MPST402: 'cannot refactor this interaction',
  MPST403: 'no handling option verified',
  MPST404: 'refactored protocol does not verify',
  MPST405: 'plan does not match the file',
  MPST406: 'refactoring did not converge',
} as const;

/** A stable diagnostic code such as `MPST010`. */
export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

/** Resolves an offset span of `file` to a {@link DiagnosticSpan}. */
export function diagnosticSpan(file: SourceFile, span: Span): DiagnosticSpan {
  const start = file.positionAt(span.start);
  const end = file.positionAt(span.end);
  return {
    file: file.path,
    start: span.start,
    end: span.end,
    line: start.line,
    column: start.column,
    endLine: end.line,
    endColumn: end.column,
  };
}

/** Options for {@link makeDiagnostic}. */
export interface DiagnosticExtras {
  readonly severity?: Severity;
  readonly notes?: readonly {
    readonly message: string;
    readonly span?: Span;
    readonly file?: SourceFile;
  }[];
  readonly fixes?: readonly {
    readonly message: string;
    readonly span: Span;
    readonly replacement: string;
  }[];
}

/** Builds a diagnostic pointing at `span` in `file`. */
export function makeDiagnostic(
  file: SourceFile,
  code: DiagnosticCode,
  message: string,
  span: Span,
  extras: DiagnosticExtras = {},
): Diagnostic {
  const d: { -readonly [K in keyof Diagnostic]: Diagnostic[K] } = {
    code,
    severity: extras.severity ?? 'error',
    message,
    span: diagnosticSpan(file, span),
  };
  if (extras.notes && extras.notes.length > 0) {
    d.notes = extras.notes.map((n) =>
      n.span
        ? { message: n.message, span: diagnosticSpan(n.file ?? file, n.span) }
        : { message: n.message },
    );
  }
  if (extras.fixes && extras.fixes.length > 0) {
    d.fixes = extras.fixes.map((f) => ({
      message: f.message,
      span: diagnosticSpan(file, f.span),
      replacement: f.replacement,
    }));
  }
  return d;
}

/** True when any diagnostic is an error. */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Sorts diagnostics by file, then position, then code (stable output for tools and tests). */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      (a.span.file < b.span.file ? -1 : a.span.file > b.span.file ? 1 : 0) ||
      a.span.start - b.span.start ||
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );
}
