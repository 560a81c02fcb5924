// Step 9 of the Paxos tutorial, for real: a step's role code as one OS process per role over
// TCP (or WebSocket) through a hub on 127.0.0.1; decisions one after another (one session
// each), then one acceptor's process SIGKILLed in the middle of a session, then the rest of
// the decisions without it. Prints latency per decision (p50/p99, from the `run` command to
// the last role's result, join phase included) and decisions/s, before and after the kill.
// Every decision is judged by the step's own check (agreement, validity, decided).
// Usage: node bench/tutorial-processes.mjs [--step tutorials/paxos/steps/09-for-real/roles.ts]
//          [--count 400] [--warmup 20] [--transport tcp|ws] [--kill A3]
// (after `npm run build`: the processes run on the built packages).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { percentile } from './runtime-common.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const arg = (name, fallback) =>
  args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : fallback;
const STEP9 = 'tutorials/paxos/steps/09-for-real/roles.ts';
const FIXTURE = 'tutorials/paxos/test/fixtures/majority-write.ts';
const stepFile = path.resolve(
  root,
  arg('step', existsSync(path.join(root, STEP9)) ? STEP9 : FIXTURE),
);
const COUNT = Number(arg('count', 400));
const WARMUP = Number(arg('warmup', 20));
const transport = arg('transport', 'tcp');
const KILL = arg('kill', 'A3');

// The harness is TypeScript: bundle it with the step for this process (the role processes
// get their own bundle from the harness).
const driver = path.join(root, 'tmp', 'bench', 'processes-driver.mjs');
await build({
  stdin: {
    contents:
      `export { default as step } from ${JSON.stringify(stepFile)};\n` +
      `export { RoleCluster } from ${JSON.stringify(path.join(root, 'tutorials/paxos/src/node/processes.ts'))};\n`,
    resolveDir: root,
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  outfile: driver,
  logLevel: 'silent',
});
const { step, RoleCluster } = await import(pathToFileURL(driver).href);

function report(name, runs, seconds) {
  const lat = runs.map((r) => r.latencyMs);
  const bad = runs.filter((r) => r.violations.length > 0);
  console.log(
    `${name.padEnd(30)} ${String(runs.length).padStart(5)} decisions  ` +
      `${(runs.length / seconds).toFixed(1).padStart(7)}/s  ` +
      `p50 ${percentile(lat, 50).toFixed(2).padStart(6)} ms  p99 ${percentile(lat, 99).toFixed(2).padStart(6)} ms  ` +
      `violations ${bad.length}`,
  );
  for (const r of bad.slice(0, 3)) console.log(`  seed ${r.seed}: ${r.violations.join('; ')}`);
  return bad.length;
}

async function timed(cluster, from, count) {
  const runs = [];
  const t0 = performance.now();
  for (let seed = from; seed < from + count; seed++) runs.push(await cluster.decide(seed));
  return { runs, seconds: (performance.now() - t0) / 1000 };
}

console.log(
  `step ${step.protocol} (${path.relative(root, stepFile)}), ${step.specs.length} processes over ${transport}, ` +
    `node ${process.version}`,
);
const cluster = await RoleCluster.start(step, { stepFile, transport });
let failures = 0;
try {
  await timed(cluster, 1_000_000, WARMUP);
  const half = Math.floor(COUNT / 2);
  const before = await timed(cluster, 1, half);
  failures += report('all processes alive', before.runs, before.seconds);
  const killed = await cluster.decide(half + 1, { kill: { role: KILL, afterActions: 1 } });
  console.log(
    `${KILL} SIGKILLed mid-session (after its first action): ` +
      `${killed.violations.length === 0 ? 'decided' : `VIOLATED: ${killed.violations.join('; ')}`} ` +
      `in ${killed.latencyMs.toFixed(2)} ms; ` +
      `outcomes ${killed.result.outcomes.map((o) => `${o.role}:${o.status}`).join(' ')}`,
  );
  if (killed.violations.length > 0) failures++;
  const after = await timed(cluster, half + 2, COUNT - half - 1);
  failures += report(`${KILL} dead`, after.runs, after.seconds);
  failures += report(
    'overall (kill session included)',
    [...before.runs, killed, ...after.runs],
    before.seconds + killed.latencyMs / 1000 + after.seconds,
  );
} finally {
  await cluster.close();
}
process.exitCode = failures > 0 ? 1 : 0;
