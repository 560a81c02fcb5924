// Simulated runs per second of each tutorial step's (and example's) role code, as its test runs
// them: `runMany` over seeds 1..N, each a fresh `makeRun`, a simulation with the trace on, and
// the step's `check`. Best of --repeat rounds after a warm-up. With --generate, also the time of
// tools/generate-artifacts.mjs: `--force` (codegen, .mmd, every .svg rendered in one Chromium;
// rewrites the .svg files) and a run with nothing stale.
//
//   node bench/tutorial-steps.mjs [--runs 1000] [--repeat 3] [--generate]
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { loadStep, ROOT, runnable } from '../tools/tutorial.mjs';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '1000' },
    repeat: { type: 'string', default: '3' },
    generate: { type: 'boolean', default: false },
  },
});
const runs = Number(values.runs);
const repeat = Number(values.repeat);

for (const target of runnable()) {
  const { step, runMany } = await loadStep(target.folder);
  await runMany(step, { count: Math.min(runs, 200) }); // warm-up
  let best = 0;
  let failures = 0;
  for (let i = 0; i < repeat; i++) {
    const r = await runMany(step, { count: runs });
    best = Math.max(best, r.runsPerSecond);
    failures += r.failures.length;
  }
  console.log(
    `${target.kind} ${target.name}: ${String(runs)} runs, best of ${String(repeat)}: ` +
      `${best.toFixed(0)} runs/s (${String(failures)} failures)`,
  );
}

if (values.generate) {
  const time = (args) => {
    const start = performance.now();
    execFileSync(process.execPath, ['tools/generate-artifacts.mjs', ...args], {
      cwd: ROOT,
      stdio: 'ignore',
    });
    return ((performance.now() - start) / 1000).toFixed(1);
  };
  console.log(
    `generate-artifacts --force (every folder, every .svg rendered): ${time(['--force'])} s`,
  );
  console.log(`generate-artifacts with nothing stale: ${time([])} s`);
  console.log(`generate-artifacts --check: ${time(['--check'])} s`);
}
