/** A half-open range of UTF-16 offsets `[start, end)` into a {@link SourceFile}'s text. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** A 1-based line and column (columns count UTF-16 code units, as editors and tsc do). */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/**
 * The text of one protocol file. The AST keeps offsets only; line and column are computed on
 * demand from the line table, so parsing large files does not pay for positions nobody reads.
 */
export class SourceFile {
  /** Offsets at which each line starts; computed lazily. */
  #lineStarts: number[] | undefined;

  constructor(
    /** The name shown in diagnostics (a path relative to the working directory, or a URL). */
    readonly path: string,
    /** The exact file text; `text.slice(span.start, span.end)` recovers any node's source. */
    readonly text: string,
  ) {}

  /** The exact source text of a span. */
  slice(span: Span): string {
    return this.text.slice(span.start, span.end);
  }

  /**
   * Offsets at which each line starts: line 1 at offset 0, or at 1 after a UTF-8 byte order
   * mark, which editors do not show (the lexer skips it too), so columns are theirs.
   */
  get lineStarts(): readonly number[] {
    if (this.#lineStarts === undefined) {
      const starts = [this.text.charCodeAt(0) === 0xfeff ? 1 : 0];
      const text = this.text;
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 10) starts.push(i + 1);
        else if (c === 13 && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
      }
      this.#lineStarts = starts;
    }
    return this.#lineStarts;
  }

  /** The 1-based line and column of an offset. */
  positionAt(offset: number): Position {
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    // (Offset 0 of a file with a byte order mark is column 1 too.)
    return { line: lo + 1, column: Math.max(1, offset - (starts[lo] ?? 0) + 1) };
  }

  /** The text of a 1-based line, without its line terminator. */
  lineText(line: number): string {
    const starts = this.lineStarts;
    const start = starts[line - 1];
    if (start === undefined) return '';
    const next = starts[line];
    let end = next ?? this.text.length;
    while (
      end > start &&
      (this.text.charCodeAt(end - 1) === 10 || this.text.charCodeAt(end - 1) === 13)
    )
      end--;
    return this.text.slice(start, end);
  }
}
