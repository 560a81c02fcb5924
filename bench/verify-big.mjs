// Verifier benchmark (issue: @mpst/verify speed). Model-checks the "Big" protocol of
// REFERENCE.md §5 for N=50, R=10 (scribble-java: over 120 s) and N=1,000, R=4 (scribble-java:
// 1.24 s), and the 2-proposer / 3-acceptor Paxos of tutorials/paxos/protocols/Paxos.scr, in
// scribble-java's model (queues of capacity 1) with every property it checks: safety, role
// progress, eventual reception, under fair and unfair output choice (the unfair model is a
// second exploration). Each case runs with partial-order reduction (the default) and without
// ("full"). Targets: Big 50/10 < 1 s; Big 1000/4 <= 0.3 s; Paxos < 0.5 s. One more case runs
// Big 50/10 with `mpst verify`'s defaults (unbounded queues: the k-exhaustivity search).
//
// Each case runs in a fresh Node process, as `mpst verify` would (cold JIT, no garbage left
// by the previous case). Reported: verdict, configurations explored (fair model + unfair
// model), the time of verification alone (explore + liveness), of the whole run in the
// process (parse + check + project + verify) and states/s; process start-up is not counted.
// The same case is then run again in that process: the "warm" figures.
//
//   node bench/verify-big.mjs
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bigProtocol } from './big.mjs';

const self = fileURLToPath(import.meta.url);

if (process.argv[2] === '--case') {
  // Child: one case, one JSON line.
  const [file, optsText] = process.argv.slice(3);
  const opts = JSON.parse(optsText ?? '{}');
  const t0 = performance.now();
  const { verifyFiles } = await import('../packages/verify/dist/index.js');
  const { nodeHost } = await import('../packages/scribble/dist/node.js');
  const t1 = performance.now();
  const res = verifyFiles([file], nodeHost, opts);
  const total = (performance.now() - t1) / 1000;
  // The same again in the same process: the figure once the JIT has warmed up.
  const t2 = performance.now();
  const again = verifyFiles([file], nodeHost, opts).results[0];
  const warm = (performance.now() - t2) / 1000;
  const errors = res.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
  const r = res.results[0];
  console.log(
    JSON.stringify({
      errors,
      total,
      warm,
      warmVerify: (again?.elapsedMs ?? 0) / 1000,
      load: (t1 - t0) / 1000,
      result: r && {
        verdict: r.verdict,
        states: r.states,
        unfairStates: r.unfairStates,
        transitions: r.transitions,
        elapsedMs: r.elapsedMs,
      },
    }),
  );
} else {
  const dir = mkdtempSync(join(tmpdir(), 'mpst-bench-verify-'));
  const paxos = fileURLToPath(new URL('../tutorials/paxos/protocols/Paxos.scr', import.meta.url));
  const cases = [];
  for (const [n, r] of [
    [50, 10],
    [1000, 4],
  ]) {
    const file = join(dir, `Big_${n}_${r}.scr`);
    writeFileSync(file, bigProtocol(n, r));
    for (const reduce of [true, false])
      cases.push({
        name: `Big N=${n} R=${r}${reduce ? '' : ' full'}`,
        file,
        opts: { capacity: 1, reduce, maxStates: 2_000_000 },
      });
  }
  // `mpst verify`'s defaults: unbounded queues, verified for every queue length once
  // k-exhaustive (issue 15 §3: conclusive in < 1 s).
  cases.push({
    name: 'Big N=50 R=10 defaults',
    file: join(dir, 'Big_50_10.scr'),
    opts: {},
  });
  for (const reduce of [true, false])
    cases.push({
      name: `Paxos 2P/3A${reduce ? '' : ' full'}`,
      file: paxos,
      opts: { protocol: 'Paxos', capacity: 1, reduce },
    });

  console.log(
    "scribble-java's model (capacity 1), safety + progress + reception, " +
      'fair and unfair choice; a fresh process per case',
  );
  console.log(
    'case'.padEnd(22),
    'verdict'.padEnd(10),
    'states (fair+unfair)'.padStart(21),
    'transitions'.padStart(12),
    'verify s'.padStart(9),
    'total s'.padStart(8),
    'states/s'.padStart(9),
    'warm: verify s'.padStart(15),
    'total s'.padStart(8),
  );
  let failed = false;
  try {
    for (const c of cases) {
      const out = JSON.parse(
        execFileSync(process.execPath, [self, '--case', c.file, JSON.stringify(c.opts)], {
          encoding: 'utf8',
          maxBuffer: 1 << 24,
        }),
      );
      const r = out.result;
      if (out.errors.length > 0 || !r) {
        console.log(c.name.padEnd(22), `errors: ${out.errors.join('; ')}`);
        failed = true;
        continue;
      }
      if (r.verdict !== 'verified') failed = true;
      const verify = r.elapsedMs / 1000;
      console.log(
        c.name.padEnd(22),
        r.verdict.padEnd(10),
        `${String(r.states)}+${String(r.unfairStates)}`.padStart(21),
        String(r.transitions).padStart(12),
        verify.toFixed(3).padStart(9),
        out.total.toFixed(3).padStart(8),
        String(Math.round((r.states + r.unfairStates) / Math.max(verify, 1e-3))).padStart(9),
        out.warmVerify.toFixed(3).padStart(15),
        out.warm.toFixed(3).padStart(8),
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  process.exitCode = failed ? 1 : 0;
}
