// `npm run bench`: runs every benchmark in turn (after `npm run build`), printing to stdout.
// See bench/README.md for what each one measures and the targets.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const scripts = [
  ['parse-big.mjs', []],
  ['fuzz-parser.mjs', []],
  ['project-big.mjs', []],
  ['verify-big.mjs', []],
  ['check-big.mjs', []],
  ['codegen-big.mjs', []],
  ['runtime-roundtrip.mjs', []],
  ['runtime-sessions.mjs', []],
  ['print-choices.mjs', []],
  ['examples.mjs', []],

  ['cli-startup.mjs', []],
  // Paired with nuScr when NUSCR points at its binary; else against published figures.
  ['vs-nuscr.mjs', []],
  // Node's start, the bundle, the cold and the warm analysis, beside nuScr (NUSCR).
  ['warm-floor.mjs', []],
  ['refactor-paxos.mjs', []],
  ['refactor-property.mjs', []],
  ['paxos-faults.mjs', []],
  ['tutorial-steps.mjs', []],
  ['tutorial-processes.mjs', []],
];
let failed = 0;
for (const [script, args] of scripts) {
  console.log(`\n==> node bench/${script} ${args.join(' ')}`.trimEnd());
  const r = spawnSync(
    process.execPath,
    [fileURLToPath(new URL(script, import.meta.url)), ...args],
    { stdio: 'inherit' },
  );
  if (r.status !== 0) {
    failed++;
    console.log(`bench/${script} exited with ${String(r.status ?? r.signal)}`);
  }
}
process.exitCode = failed > 0 ? 1 : 0;
