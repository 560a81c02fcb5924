// The protocol examples (tutorials/examples/*) in the simulator: seeded runs per second of each
// example's role code without faults, and, for a protocol with roles that may crash, the time
// for its seeded fault plans (the runtime's randomPlan, as the examples' test draws them).
// Every run is judged by the example's `check`, as in the tests; a failing run is reported.
//
//   node bench/examples.mjs [--runs 10000] [--faults 10000]        (after `npm run build`)
//
// roles.ts is TypeScript: esbuild bundles it with the tutorial kit and @mpst/runtime into one
// module, imported from memory (a data: URL), so nothing is written to disk.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { analyzeFiles } from '@mpst/projector';
import { randomPlan } from '@mpst/runtime';
import { nodeHost } from '@mpst/scribble/node';
import { protocolFile } from '../tools/generate-artifacts.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const RUNS = option('--runs', 10_000);
const FAULTS = option('--faults', 10_000);

const examplesDir = fileURLToPath(new URL('../tutorials/examples/', import.meta.url));
const names = readdirSync(examplesDir, { withFileTypes: true })
  .filter((e) => e.isDirectory() && !['test', 'node_modules'].includes(e.name))
  .map((e) => e.name)
  .sort();

/** The example's StepModule and the kit's runner, bundled into one module in memory. */
async function load(folder) {
  const out = await build({
    stdin: {
      contents:
        "export { default } from './roles.ts';\n" +
        "export { runStep } from '../../paxos/src/kit.ts';\n",
      resolveDir: folder,
      loader: 'ts',
    },
    bundle: true,
    format: 'esm',
    platform: 'node',
    write: false,
    logLevel: 'silent',
  });
  const code = out.outputFiles[0].text;
  return import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
}

/** The roles of the folder's protocol that may crash (crash-stop, not `reliable`). */
function crashing(folder) {
  const file = protocolFile(folder);
  const name = path.basename(file, '.scr');
  const a = analyzeFiles([file], nodeHost);
  const p = a.protocols.length === 1 ? a.protocols[0] : a.protocols.find((x) => x.name === name);
  const e = p?.protocol;
  return {
    roles: e?.roles ?? [],
    crashing: e?.crashStop ? e.roles.filter((r) => !e.reliable.has(r)) : [],
  };
}

async function timed(count, run) {
  let failures = 0;
  const t0 = performance.now();
  for (let seed = 1; seed <= count; seed++) if ((await run(seed)).violations.length > 0) failures++;
  return { ms: performance.now() - t0, failures };
}

console.log(
  `examples: ${String(RUNS)} seeded runs each; ${String(FAULTS)} fault plans when roles may crash`,
);
let bad = 0;
for (const name of names) {
  const folder = path.join(examplesDir, name);
  const { default: step, runStep } = await load(folder);
  const { roles, crashing: crash } = crashing(folder);
  // Warm-up (JIT), not counted.
  await timed(200, (seed) => runStep(step, seed, { faults: [] }));
  const plain = await timed(RUNS, (seed) => runStep(step, seed, { faults: [] }));
  let line =
    `${name.padEnd(18)} ${String(Math.round(RUNS / (plain.ms / 1000))).padStart(7)} runs/s` +
    ` (${(plain.ms / 1000).toFixed(2)} s, ${String(plain.failures)} failing)`;
  bad += plain.failures;
  if (crash.length > 0) {
    const reliable = roles.filter((r) => !crash.includes(r));
    const f = await timed(FAULTS, (seed) =>
      runStep(step, seed, step.faults?.(seed) ?? randomPlan(roles, reliable, seed)),
    );
    line +=
      `; ${String(FAULTS)} fault plans (${crash.join(', ')} may crash) in ${(f.ms / 1000).toFixed(2)} s` +
      ` (${String(f.failures)} failing)`;
    bad += f.failures;
  }
  console.log(line);
}
process.exitCode = bad > 0 ? 1 : 0;
