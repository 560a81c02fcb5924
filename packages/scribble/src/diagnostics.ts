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
 * MPST500–MPST549: code generation (@mpst/codegen); MPST550 and up:
 * the runtime (@mpst/runtime).
 */
export const DIAGNOSTIC_CODES = {
  MPST001: 'unexpected character',
  MPST002: 'unterminated comment',
  MPST003: 'unterminated string',
  MPST004: 'not a text file',
  MPST010: 'unexpected token',
  MPST011: 'declaration out of order',
  MPST012: 'too many errors in one file',
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
  MPST125: 'no global protocol in the file',
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
  MPST410: 'role code: not a generated module, or its API cannot be read',
  MPST411: 'role code: a state it uses has no counterpart in the refactored API',
  MPST412: 'role code: no rule gives the continuation of a new handler',
  MPST413: 'role code: no rule gives a default payload of this type',
  MPST414: 'role code: a state that gains handlers is used other than through handle()',
  MPST415: 'role code: a handler the refactored API no longer allows',
  MPST500: 'payload type without a TypeScript mapping',
  MPST501: 'state both sends and receives',
  MPST502: 'state machine cannot be made deterministic',
  MPST503: 'role has no state machine',
  MPST504: 'unsupported payload',
  // @mpst/runtime: errors thrown at run time (RUNTIME_ERROR_CODES there; a test keeps them equal).
  MPST550: 'protocol violation: the current state does not allow this send or receive',
  MPST551: 'protocol violation: a received message the current state does not accept',
  MPST552: 'protocol violation: wrong payload (arity or a payload check failed)',
  MPST553: 'invalid endpoint spec',
  MPST554: 'linearity: a state object was used twice',
  MPST555: 'endpoint closed, or its session aborted',
  MPST556: 'receive timed out in a state without a crash branch',
  MPST557: 'every peer the state waits on crashed, and the state has no crash branch',
  MPST558: 'this role crashed (an injected fault or a lost connection)',
  MPST559: 'a receive is already pending on this endpoint',
  MPST570: 'malformed frame (the codec cannot decode it, or not a known frame)',
  MPST571: 'frame larger than the configured limit',
  MPST572: 'connection closed in the middle of a frame',
  MPST573: 'authentication failed',
  MPST574: 'unknown role, or a role this connection did not join as',
  MPST575: 'role already claimed in this session',
  MPST576: 'unknown session id, or a protocol the session does not run',
  MPST577: 'timed out (join, handshake or a half-sent frame)',
  MPST578: 'connection lost',
  MPST590: 'simulation did not finish within its step or time limit',
  MPST591: 'invalid fault plan',
  MPST592: 'role code failed',
  MPST593: 'not a run trace (JSON of the wrong shape)',
} as const;

/** A stable diagnostic code such as `MPST010`. */
export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

/**
 * Characters a terminal would act on or hide instead of showing: C0 controls (tab included), DEL, C1
 * controls, the line and paragraph separators, and the bidirectional overrides and isolates
 * (which can make text read differently from what it is).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** One character written visibly: `\x1b` below U+0100, else `\u{202e}`. */
export function escapeControl(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  return cp < 0x100 ? `\\x${cp.toString(16).padStart(2, '0')}` : `\\u{${cp.toString(16)}}`;
}

/**
 * `text` with every control character (see CONTROLS) written as an escape (`\x1b`, `\x07`,
 * `\u{202e}`), so that diagnostics copied from a file never drive the terminal. Tabs stay.
 */
export function escapeControls(text: string): string {
  return text.replace(CONTROLS, escapeControl);
}

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

/** At most this many diagnostics per file are reported (then one MPST012). */
export const MAX_DIAGNOSTICS_PER_FILE = 100;

/**
 * Caps every file's diagnostics at `max` (in position order), of every kind: the rest become
 * one MPST012 saying how many were left out, so that a broken or generated file cannot bury
 * the output (the parser stops at the same limit by itself). Sorted output, as
 * {@link sortDiagnostics}.
 */
export function limitDiagnostics(
  diagnostics: readonly Diagnostic[],
  max = MAX_DIAGNOSTICS_PER_FILE,
): Diagnostic[] {
  const sorted = sortDiagnostics(diagnostics);
  const out: Diagnostic[] = [];
  let file: string | undefined;
  let kept = 0;
  let dropped: Diagnostic[] = [];
  const flush = (): void => {
    const first = dropped[0];
    // A file whose parser already stopped at the limit keeps its own MPST012.
    if (first && !out.some((d) => d.code === 'MPST012' && d.span.file === first.span.file))
      out.push({
        code: 'MPST012',
        severity: 'error',
        message: `too many errors; ${String(dropped.length)} more in this file not shown`,
        span: first.span,
      });
    dropped = [];
  };
  for (const d of sorted) {
    if (d.span.file !== file) {
      flush();
      file = d.span.file;
      kept = 0;
    }
    if (kept < max || d.code === 'MPST012') {
      out.push(d);
      kept++;
    } else dropped.push(d);
  }
  flush();
  return out;
}
