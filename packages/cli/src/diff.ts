/** A short line diff for `mpst format --check`: what formatting would change, not the whole file. */

interface Op {
  readonly kind: ' ' | '-' | '+';
  readonly text: string;
  readonly line: number;
}

/** Longest-common-subsequence tables above this many cells fall back to "all removed, all added". */
const MAX_CELLS = 4_000_000;

/**
 * The lines of `before` that `after` changes, as `-`/`+` lines (with the line number in
 * `before`) and one line of context before each change, at most `maxLines` lines, then a
 * count of the rest, after a `~` line for a byte order mark or CRLF line endings that would go.
 * Empty when the texts are equal.
 */
export function shortDiff(before: string, after: string, maxLines = 12): string {
  // Changes that no line shows (every line would look the same on both sides) are named once
  // and left out of the line diff.
  const notes: string[] = [];
  let text = before;
  if (text.startsWith('\ufeff') && !after.startsWith('\ufeff')) {
    notes.push('      ~ the byte order mark would be removed');
    text = text.slice(1);
  }
  if (text.includes('\r\n') && !after.includes('\r\n')) {
    notes.push('      ~ line endings: CRLF would become LF');
    text = text.replace(/\r\n/g, '\n');
  }
  const ops = lineOps(text.split('\n'), after.split('\n'));
  const shown: string[] = [];
  let changed = 0;
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i];
    if (!op || op.kind === ' ') continue;
    changed++;
    if (shown.length >= maxLines) continue;
    const prev = ops[i - 1];
    if (prev?.kind === ' ') shown.push(row(prev));
    shown.push(row(op));
  }
  const hidden = changed - shown.filter((l) => !l.startsWith(' ', 6)).length;
  if (hidden > 0)
    shown.push(`      … ${String(hidden)} more changed line${hidden === 1 ? '' : 's'}`);
  const all = [...notes, ...shown];
  return all.length > 0 ? `${all.join('\n')}\n` : '';
}

function row(op: Op): string {
  const num = op.kind === '+' ? '' : String(op.line);
  return `${num.padStart(5)} ${op.kind} ${op.text}`;
}

/** Line operations turning `a` into `b`: common prefix and suffix, then an LCS of the middle. */
function lineOps(a: readonly string[], b: readonly string[]): Op[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1])
    [endA, endB] = [endA - 1, endB - 1];
  const ops: Op[] = [];
  for (let i = 0; i < start; i++) ops.push({ kind: ' ', text: a[i] ?? '', line: i + 1 });
  const n = endA - start;
  const m = endB - start;
  if (n * m > MAX_CELLS) {
    for (let i = start; i < endA; i++) ops.push({ kind: '-', text: a[i] ?? '', line: i + 1 });
    for (let j = start; j < endB; j++) ops.push({ kind: '+', text: b[j] ?? '', line: 0 });
  } else {
    // lcs[i * (m + 1) + j]: the LCS length of a[start + i..endA) and b[start + j..endB).
    const lcs = new Uint32Array((n + 1) * (m + 1));
    for (let i = n - 1; i >= 0; i--)
      for (let j = m - 1; j >= 0; j--)
        lcs[i * (m + 1) + j] =
          a[start + i] === b[start + j]
            ? (lcs[(i + 1) * (m + 1) + j + 1] ?? 0) + 1
            : Math.max(lcs[(i + 1) * (m + 1) + j] ?? 0, lcs[i * (m + 1) + j + 1] ?? 0);
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      const x = a[start + i] ?? '';
      if (i < n && j < m && x === b[start + j]) {
        ops.push({ kind: ' ', text: x, line: start + i + 1 });
        i++;
        j++;
      } else if (
        i < n &&
        (j >= m || (lcs[(i + 1) * (m + 1) + j] ?? 0) >= (lcs[i * (m + 1) + j + 1] ?? 0))
      ) {
        // Removed lines first, then added ones, as diff tools print them.
        ops.push({ kind: '-', text: x, line: start + i + 1 });
        i++;
      } else {
        ops.push({ kind: '+', text: b[start + j] ?? '', line: 0 });
        j++;
      }
    }
  }
  for (let i = endA; i < a.length; i++) ops.push({ kind: ' ', text: a[i] ?? '', line: i + 1 });
  return ops;
}
