// Verifier benchmark (issue: @mpst/verify speed). Model-checks (safety, breadth first) the
// "Big" protocol of REFERENCE.md §5 for N=50, R=10 (scribble-java: over 120 s) and
// N=1,000, R=4 (scribble-java: 1.24 s), and the Paxos tutorial protocol
// tutorials/paxos/protocols/Paxos.scr. Reports states explored, the time of the exploration
// alone, of the whole run (parse + check + project + explore, in-process, after warm-up not
// counted: one run each) and states/s. Targets: Big 50/10 < 1 s; Big 1000/4 <= 0.3 s; Paxos < 0.5 s.
// Big's loop lets R0 send more1() without waiting, so with unbounded queues its state space is
// infinite: Big runs with queue bound K = 1 and 2 (verdict "inconclusive beyond bound K" is
// the honest answer), at most 500,000 states each. Paxos runs unbounded.
//
//   node bench/verify-big.mjs
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bigProtocol } from './big.mjs';

const { verifyFiles } = await import('../packages/verify/dist/index.js');
const { nodeHost } = await import('../packages/scribble/dist/node.js');

const dir = mkdtempSync(join(tmpdir(), 'mpst-bench-verify-'));
const paxos = fileURLToPath(new URL('../tutorials/paxos/protocols/Paxos.scr', import.meta.url));
const cases = [];
for (const [n, r] of [
  [50, 10],
  [1000, 4],
]) {
  const file = join(dir, `Big_${n}_${r}.scr`);
  writeFileSync(file, bigProtocol(n, r));
  for (const bound of [1, 2]) cases.push({ name: `Big N=${n} R=${r} K=${bound}`, file, opts: { bound, maxStates: 500_000 } });
}
cases.push({ name: 'Paxos (tutorial)', file: paxos, opts: { protocol: 'Paxos' } });

console.log('safety, breadth first, no partial-order reduction; in-process, one run each');
console.log('case'.padEnd(22), 'verdict'.padEnd(13), 'states'.padStart(9), 'transitions'.padStart(12), 'explore s'.padStart(10), 'total s'.padStart(9), 'states/s'.padStart(10));
let failed = false;
try {
  for (const c of cases) {
    const t0 = performance.now();
    const res = verifyFiles([c.file], nodeHost, c.opts);
    const total = (performance.now() - t0) / 1000;
    const errors = res.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0 || res.results.length === 0) {
      console.log(c.name.padEnd(22), `errors: ${errors.map((d) => d.message).join('; ')}`);
      failed = true;
      continue;
    }
    for (const r of res.results) {
      const explore = r.elapsedMs / 1000;
      if (r.verdict === 'violation') failed = true;
      console.log(
        c.name.padEnd(22),
        r.verdict.padEnd(13),
        String(r.states).padStart(9),
        String(r.transitions).padStart(12),
        explore.toFixed(3).padStart(10),
        total.toFixed(3).padStart(9),
        String(Math.round(r.states / Math.max(explore, 1e-3))).padStart(10),
      );
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
