// Printer benchmark (issue 15 §1): k two-way choices one after another, printed by
// `mpst project --role B` and `mpst desugar` (fresh processes of the built CLI). Reports lines
// and bytes printed and wall time; a run is stopped after 10 s (the printers used to write
// 2^k copies of what follows a choice: k = 20 printed 260 MB). Target: output linear in k.
//
//   node bench/print-choices.mjs              # k = 12, 20, 1000, 10000
//   node bench/print-choices.mjs 20 100000    # chosen sizes
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../packages/cli/dist/bin.js', import.meta.url));
const sizes = process.argv.slice(2).map(Number);
const dir = mkdtempSync(join(tmpdir(), 'mpst-print-'));

/** k choices at A, each telling B `l<i>` or `r<i>`, then `done`. */
function protocol(k) {
  const lines = ['global protocol Seq(role A, role B) {'];
  for (let i = 0; i < k; i++)
    lines.push(`  choice at A { l${i}() from A to B; } or { r${i}() from A to B; }`);
  lines.push('  done() from A to B;', '}', '');
  return lines.join('\n');
}

try {
  console.log('k\tcommand\tlines\tbytes\twall s');
  for (const k of sizes.length > 0 ? sizes : [12, 20, 1000, 10000]) {
    const file = join(dir, `Seq${k}.nuscr`);
    writeFileSync(file, protocol(k));
    for (const args of [
      ['project', file, '--role', 'B'],
      ['desugar', file],
    ]) {
      const start = performance.now();
      const r = spawnSync(process.execPath, [bin, ...args], {
        timeout: 10_000,
        maxBuffer: 1 << 30,
        encoding: 'utf8',
      });
      const wall = ((performance.now() - start) / 1000).toFixed(2);
      const out = r.stdout ?? '';
      const lines = out.split('\n').length - 1;
      const status = r.error ? ` (stopped: ${r.error.code ?? r.error.message})` : '';
      console.log(`${k}\t${args[0]}\t${lines}\t${Buffer.byteLength(out)}\t${wall}${status}`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
