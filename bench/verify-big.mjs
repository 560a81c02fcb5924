// Verifier benchmark (issue: @mpst/verify speed). Model-checks the "Big" protocol of
// REFERENCE.md §5 for N=50, R=10 (scribble-java: over 120 s) and N=1,000, R=4 (scribble-java:
// 1.24 s), and the 2-proposer / 3-acceptor Paxos of tutorials/paxos/protocols/Paxos.scr, in
// scribble-java's model (queues of capacity 1) with every property it checks: safety, role
// progress, eventual reception, under fair and unfair output choice (the unfair model is a
// second exploration). Each case runs with partial-order reduction (the default) and without.
// Reports the verdict, configurations explored (fair model + unfair model), the time of the
// exploration alone, of the whole run (parse + check + project + explore, in-process, one run
// each, no warm-up) and states/s. Targets: Big 50/10 < 1 s; Big 1000/4 <= 0.3 s; Paxos < 0.5 s.
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
  for (const reduce of [true, false]) cases.push({ name: `Big N=${n} R=${r}${reduce ? '' : ' full'}`, file, opts: { capacity: 1, reduce, maxStates: 2_000_000 } });
}
for (const reduce of [true, false]) cases.push({ name: `Paxos 2P/3A${reduce ? '' : ' full'}`, file: paxos, opts: { protocol: 'Paxos', capacity: 1, reduce } });

console.log("scribble-java's model (capacity 1), safety + progress + reception, fair and unfair choice; in-process, one run each");
console.log('case'.padEnd(22), 'verdict'.padEnd(13), 'states'.padStart(16), 'transitions'.padStart(12), 'explore s'.padStart(10), 'total s'.padStart(9), 'states/s'.padStart(10));
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
      if (r.verdict !== 'verified') failed = true;
      console.log(
        c.name.padEnd(22),
        r.verdict.padEnd(13),
        `${String(r.states)}+${String(r.unfairStates)}`.padStart(16),
        String(r.transitions).padStart(12),
        explore.toFixed(3).padStart(10),
        total.toFixed(3).padStart(9),
        String(Math.round((r.states + r.unfairStates) / Math.max(explore, 1e-3))).padStart(10),
      );
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
