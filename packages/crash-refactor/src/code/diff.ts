/** Longest-common-subsequence tables above this many cells: the diff is "all removed, all added". */
const MAX_CELLS = 4_000_000;

type Op = readonly [kind: ' ' | '-' | '+', text: string];

/**
 * A unified diff (`--- a/FILE`, `+++ b/FILE`, `@@` hunks with `context` lines around each
 * change), as `git apply` and `patch -p1` read it. Empty when the texts are equal.
 */
export function unifiedDiff(before: string, after: string, file: string, context = 3): string {
  if (before === after) return '';
  const a = splitLines(before);
  const b = splitLines(after);
  const ops = lineOps(a, b);
  const out = [`--- a/${file}`, `+++ b/${file}`];
  let i = 0;
  while (i < ops.length) {
    if (ops[i]?.[0] === ' ') {
      i++;
      continue;
    }
    // A hunk: from `context` lines before this change to `context` lines after the last change
    // that is at most 2 * context unchanged lines from the next.
    const start = Math.max(0, i - context);
    let end = i;
    for (let j = i; j < ops.length; j++) {
      if (ops[j]?.[0] !== ' ') end = j;
      else if (j - end > 2 * context) break;
    }
    const stop = Math.min(ops.length, end + context + 1);
    const lineA = 1 + ops.slice(0, start).filter((o) => o[0] !== '+').length;
    const lineB = 1 + ops.slice(0, start).filter((o) => o[0] !== '-').length;
    const hunk = ops.slice(start, stop);
    const countA = hunk.filter((o) => o[0] !== '+').length;
    const countB = hunk.filter((o) => o[0] !== '-').length;
    out.push(`@@ -${range(lineA, countA)} +${range(lineB, countB)} @@`);
    for (const [kind, text] of hunk) out.push(`${kind}${text}`);
    i = stop;
  }
  return `${out.join('\n')}\n`;
}

function range(line: number, count: number): string {
  // An empty range names the line before it (`-0,0` at the top of the file).
  return count === 1 ? String(line) : `${String(count === 0 ? line - 1 : line)},${String(count)}`;
}

/** Lines without their `\n`; a final line break ends the last line (no empty line after it). */
function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function lineOps(a: readonly string[], b: readonly string[]): Op[] {
  // Common prefix and suffix first: adaptations change a few lines of long files.
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (
    suf < a.length - pre &&
    suf < b.length - pre &&
    a[a.length - 1 - suf] === b[b.length - 1 - suf]
  )
    suf++;
  const ma = a.slice(pre, a.length - suf);
  const mb = b.slice(pre, b.length - suf);
  const keep = (xs: readonly string[]): Op[] => xs.map((t) => [' ', t] as const);
  return [...keep(a.slice(0, pre)), ...middle(ma, mb), ...keep(a.slice(a.length - suf))];
}

function middle(a: readonly string[], b: readonly string[]): Op[] {
  const n = a.length;
  const m = b.length;
  if (n * m > MAX_CELLS)
    return [...a.map((t) => ['-', t] as const), ...b.map((t) => ['+', t] as const)];
  // lcs[i][j]: the LCS length of a[i..] and b[j..], one flat table.
  const lcs = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i * (m + 1) + j] =
        a[i] === b[j]
          ? (lcs[(i + 1) * (m + 1) + j + 1] ?? 0) + 1
          : Math.max(lcs[(i + 1) * (m + 1) + j] ?? 0, lcs[i * (m + 1) + j + 1] ?? 0);
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      ops.push([' ', a[i] ?? '']);
      i++;
      j++;
    } else if (
      i < n &&
      (j === m || (lcs[(i + 1) * (m + 1) + j] ?? 0) >= (lcs[i * (m + 1) + j + 1] ?? 0))
    ) {
      // Removals before additions, as diff(1) prints them.
      ops.push(['-', a[i] ?? '']);
      i++;
    } else {
      ops.push(['+', b[j] ?? '']);
      j++;
    }
  }
  return ops;
}
