// The tutorial's step 7 under seeded fault plans: 10,000 runs (by default) of the Paxos role
// code with at most one acceptor crash, cut acceptor→proposer links, delays and reordering;
// every run must keep agreement and validity, and decide when each proposer can reach a
// majority. Prints the time for the plans and runs per second.
// Usage: node bench/paxos-faults.mjs [PLANS=10000] [FROM=1]   (after `npm run build`)
// The step's TypeScript (roles.ts, failures.ts, the kit) is bundled by esbuild first, as
// `npm run tutorial` does; the @mpst packages are imported from their dist/.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const folder = path.join(ROOT, 'tutorials/paxos/steps/07-failures');
const plans = Number(process.argv[2] ?? 10_000);
const from = Number(process.argv[3] ?? 1);

const bundled = await build({
  stdin: {
    contents:
      `export { default as step } from './roles.ts';\n` +
      `export { failing } from './failures.ts';\n` +
      `export { runMany } from '../../src/kit.ts';\n`,
    resolveDir: folder,
    loader: 'ts',
  },
  bundle: true,
  format: 'esm',
  platform: 'node',
  packages: 'external',
  write: false,
  logLevel: 'silent',
});
const cache = path.join(ROOT, 'node_modules/.cache/mpst-bench');
mkdirSync(cache, { recursive: true });
const file = path.join(cache, `paxos-faults-${String(process.pid)}.mjs`);
writeFileSync(file, bundled.outputFiles[0].text);
const { step, failing, runMany } = await import(pathToFileURL(file).href);
rmSync(file, { force: true });

const t0 = performance.now();
const many = await runMany(failing(step), { from, count: plans });
const seconds = (performance.now() - t0) / 1000;
for (const f of many.failures.slice(0, 5))
  console.log(`FAILED ${f.replay}\n  ${f.violations.join('\n  ')}`);
console.log(
  `paxos-faults: ${plans.toLocaleString('en')} fault plans (seeds ${from}..${from + plans - 1}) ` +
    `in ${seconds.toFixed(2)} s, ${(plans / seconds).toFixed(0)} runs/s, ` +
    `${many.failures.length} failing`,
);
if (many.failures.length > 0) process.exitCode = 1;
