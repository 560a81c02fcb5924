import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './io.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** What {@link parseCommandArgs} returns: parseArgs's result for the options `T`. */
export type ParsedArgs<T extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; allowPositionals: true; strict: true; options: T }>
>;

/**
 * `node:util` parseArgs with positionals allowed and our own messages: its errors end in an
 * unbalanced quote (`as in '-- "--foo"`) and never suggest the option that was meant.
 */
export function parseCommandArgs<const T extends Options>(
  args: readonly string[],
  options: T,
): ParsedArgs<T> {
  try {
    return parseArgs({ args: [...args], allowPositionals: true, options, strict: true });
  } catch (e) {
    throw new UsageError(argumentMessage(e, options));
  }
}

function argumentMessage(e: unknown, options: Options): string {
  const { code, message } = e as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : String(e);
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const given = /^Unknown option '([^']*)'/.exec(text)?.[1] ?? '?';
    const names = Object.entries(options).flatMap(([long, o]) => [
      `--${long}`,
      ...(o.short !== undefined ? [`-${o.short}`] : []),
    ]);
    const near = closest(given.replace(/=.*$/, ''), names);
    const hint = near !== undefined ? `; did you mean \`${near}\`?` : '';
    return `unknown option ${given}${hint}`;
  }
  // "Option '--format <value>' argument missing", "Option '--fair' does not take an argument";
  // an option with a short name is named both ways: "Option '-r, --role <value>' ...".
  const option = /^Option '(?:-[^ ',]+, )?(-[^ ']*)(?: <value>)?'/.exec(text)?.[1];
  if (option !== undefined && text.includes('argument missing')) return `${option} needs a value`;
  if (option !== undefined && text.includes('does not take an argument'))
    return `${option} takes no value`;
  return text;
}

/**
 * The candidate nearest to `word` by edit distance, when it is near enough to be a typo
 * (at most 2 edits, and fewer than half of the word's letters); undefined otherwise.
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(word, c);
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  const bare = word.replace(/^-+/, '');
  return bestDistance <= 2 && bestDistance * 2 < Math.max(bare.length, 2) ? best : undefined;
}

/** Levenshtein distance, with a swap of two neighbouring letters counted as one edit. */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const prev = rows[i - 1] ?? [];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, (rows[i - 2]?.[j - 2] ?? 0) + 1);
      row.push(d);
    }
    rows.push(row);
  }
  return rows[a.length]?.[b.length] ?? 0;
}
