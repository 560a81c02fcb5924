import {
  escapeControl,
  escapeControls,
  type Diagnostic,
  type DiagnosticSpan,
} from './diagnostics.js';
import type { SourceFile } from './source.js';

/** Options for {@link renderDiagnostics}. */
export interface RenderOptions {
  /** ANSI colours (default false). */
  readonly color?: boolean;
  /** Finds the text of a file named in a diagnostic, for the code frame. */
  readonly source?: (file: string) => SourceFile | undefined;
}

const ANSI = {
  red: '\u001b[31;1m',
  yellow: '\u001b[33;1m',
  blue: '\u001b[34;1m',
  cyan: '\u001b[36;1m',
  bold: '\u001b[1m',
  reset: '\u001b[0m',
};

/**
 * Renders diagnostics like tsc and rustc: `file:line:col: error[MPST010]: message`, then the
 * source line with carets under the span, then notes and fix hints.
 */
export function renderDiagnostics(
  diagnostics: readonly Diagnostic[],
  options: RenderOptions = {},
): string {
  return diagnostics.map((d) => renderDiagnostic(d, options)).join('\n');
}

/** Renders one diagnostic (see {@link renderDiagnostics}). */
export function renderDiagnostic(d: Diagnostic, options: RenderOptions = {}): string {
  const paint = (code: keyof typeof ANSI, s: string): string =>
    options.color ? `${ANSI[code]}${s}${ANSI.reset}` : s;
  const sevColor = d.severity === 'error' ? 'red' : d.severity === 'warning' ? 'yellow' : 'blue';
  const head = `${paint('bold', location(d.span))}: ${paint(sevColor, `${d.severity}[${d.code}]`)}`;
  const out: string[] = [`${head}: ${paint('bold', escapeControls(d.message))}`];
  const file = options.source?.(d.span.file);
  if (file)
    out.push(
      ...frame(
        file,
        d.span,
        (s) => paint(sevColor, s),
        (s) => paint('blue', s),
      ),
    );
  for (const n of d.notes ?? []) {
    out.push(
      `  ${paint('cyan', '= note')}: ${escapeControls(n.message)}${n.span ? ` (${location(n.span)})` : ''}`,
    );
  }
  for (const f of d.fixes ?? []) {
    const elsewhere = f.span.start !== d.span.start || f.span.file !== d.span.file;
    out.push(
      `  ${paint('cyan', '= help')}: ${escapeControls(f.message)}${elsewhere ? ` (${location(f.span)})` : ''}`,
    );
  }
  return `${out.join('\n')}\n`;
}

function location(s: DiagnosticSpan): string {
  return `${s.file}:${String(s.line)}:${String(s.column)}`;
}

/** Code frame lines longer than this (in shown characters) are cut to a window around the span. */
const MAX_FRAME_WIDTH = 160;

/**
 * A source line as the frame shows it: tabs as one space, control characters escaped (`\x1b`,
 * so that a file cannot drive the terminal), and `column` mapping a 1-based source column to
 * the column where it is shown (escapes are wider than the character they stand for).
 */
function visibleLine(raw: string): { text: string; column: (c: number) => number } {
  const shown: number[] = [];
  let text = '';
  // By UTF-16 unit, as columns count (a surrogate pair is two columns, shown together).
  // eslint-disable-next-line @typescript-eslint/prefer-for-of -- units, not code points
  for (let i = 0; i < raw.length; i++) {
    shown.push(text.length + 1);
    const ch = raw[i] ?? '';
    text += ch === '\t' ? ' ' : escapeControls(ch) === ch ? ch : escapeControl(ch);
  }
  shown.push(text.length + 1);
  return {
    text,
    column: (c) => shown[Math.min(c, shown.length) - 1] ?? text.length + 1,
  };
}

/** The code frame: the span's first line (and last, if it spans several), with carets. */
function frame(
  file: SourceFile,
  s: DiagnosticSpan,
  paintCaret: (s: string) => string,
  paintGutter: (s: string) => string,
): string[] {
  const width = String(s.endLine).length;
  const gutter = (n?: number): string =>
    paintGutter(`${n === undefined ? ' '.repeat(width) : String(n).padStart(width)} |`);
  const lines: string[] = [gutter()];
  const show = (line: number, from: number, to: number): void => {
    const visible = visibleLine(file.lineText(line));
    let start = visible.column(Math.max(1, from));
    let end = Math.max(start + 1, visible.column(Math.max(from, to)));
    // A long line (minified or binary-ish input) shows a window around the span, so that 100
    // errors on one 4 KB line do not print it 100 times.
    let text = visible.text;
    if (text.length > MAX_FRAME_WIDTH) {
      const from0 = Math.max(0, Math.min(start - 1 - 20, text.length - MAX_FRAME_WIDTH));
      const to0 = from0 + MAX_FRAME_WIDTH;
      const head = from0 > 0 ? '…' : '';
      text = `${head}${text.slice(from0, to0)}${to0 < text.length ? '…' : ''}`;
      start = start - from0 + head.length;
      end = Math.min(end - from0 + head.length, text.length + 1);
      end = Math.max(end, start + 1);
    }
    lines.push(`${gutter(line)} ${text}`);
    lines.push(`${gutter()} ${' '.repeat(start - 1)}${paintCaret('^'.repeat(end - start))}`);
  };
  if (s.endLine === s.line || (s.endLine === s.line + 1 && s.endColumn === 1)) {
    show(s.line, s.column, s.endLine === s.line ? s.endColumn : file.lineText(s.line).length + 1);
  } else {
    show(s.line, s.column, file.lineText(s.line).length + 1);
    if (s.endLine > s.line + 1) lines.push(paintGutter(`${'.'.repeat(width)} |`));
    show(s.endLine, 1, s.endColumn);
  }
  return lines;
}

/** The machine-readable form of a check run (`--format json`). */
export interface DiagnosticsReport {
  readonly version: 1;
  readonly files: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
  readonly summary: { readonly errors: number; readonly warnings: number };
}

/** Builds the JSON report for `--format json`. */
export function diagnosticsReport(
  files: readonly string[],
  diagnostics: readonly Diagnostic[],
): DiagnosticsReport {
  return {
    version: 1,
    files,
    diagnostics,
    summary: {
      errors: diagnostics.filter((d) => d.severity === 'error').length,
      warnings: diagnostics.filter((d) => d.severity === 'warning').length,
    },
  };
}
