// The "Big" generator of docs REFERENCE.md §5 (N interactions, R roles):
//
//   global protocol Big(role R0, ..., role R<R-1>) {
//     m<i>() from R<i mod R> to R<(i+1) mod R>;            for i = 0..N-1
//     rec X {
//       choice at R0 {
//         more<j>() from R<j-1> to R<j>;                    for j = 1..R-1
//         continue X;
//       } or {
//         stop<j>() from R<j-1> to R<j>;                    for j = 1..R-1
//       }
//     }
//   }
//
// Usage: import { bigProtocol } from './big.mjs'; or `node bench/big.mjs --print N R` to print
// the text (nothing is written to disk).
import { pathToFileURL } from 'node:url';

/**
 * The Big protocol with `n` interactions in sequence and `r` roles, as a string.
 * @param {number} n number of leading interactions (>= 0)
 * @param {number} r number of roles (>= 2)
 * @returns {string}
 */
export function bigProtocol(n, r) {
  if (!Number.isInteger(n) || n < 0)
    throw new RangeError(`N must be a non-negative integer, got ${n}`);
  if (!Number.isInteger(r) || r < 2) throw new RangeError(`R must be an integer >= 2, got ${r}`);
  const roles = [];
  for (let k = 0; k < r; k++) roles.push(`role R${k}`);
  const out = [`global protocol Big(${roles.join(', ')}) {`];
  for (let i = 0; i < n; i++) out.push(`  m${i}() from R${i % r} to R${(i + 1) % r};`);
  out.push('  rec X {', '    choice at R0 {');
  for (let j = 1; j < r; j++) out.push(`      more${j}() from R${j - 1} to R${j};`);
  out.push('      continue X;', '    } or {');
  for (let j = 1; j < r; j++) out.push(`      stop${j}() from R${j - 1} to R${j};`);
  out.push('    }', '  }', '}', '');
  return out.join('\n');
}

/** Number of interactions (statements) in Big: N messages, rec, choice, 2(R-1) messages, continue. */
export function bigInteractionCount(n, r) {
  return n + 3 + 2 * (r - 1);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const i = args.indexOf('--print');
  if (i < 0) {
    console.error('usage: node bench/big.mjs --print N R');
    process.exit(2);
  }
  const n = Number(args[i + 1] ?? 1000);
  const r = Number(args[i + 2] ?? 10);
  process.stdout.write(bigProtocol(n, r));
}
