#!/usr/bin/env node
// The fixed cost of an `mpst` run: `mpst check` on a trivial file against a bare `node -e 0`
// start, measured in the same run, interleaved (each round runs every case once, so load from
// other processes falls on all of them alike).
//
//   node bench/cli-startup.mjs [--runs 25] [--compare NAME=PATH/TO/bin.js]...
//
// Cases:
//   node -e 0      Node starting and exiting: the floor.
//   installed      what a user of the packed @mpst/cli runs: the committed bin shim
//                  (bin/mpst.cjs) with the bundle (scripts/bundle.mjs) beside it, laid out in a
//                  temporary folder as `npm install` lays it out (no tsconfig.json, so the shim
//                  picks the bundle).
//   checkout       `packages/cli/bin/mpst.js` in this repository, as the docs run it: the shim
//                  runs dist/bin.js (the compiled sources, ~60 modules; the command's own
//                  module on demand).
//   NAME           each --compare: another build's bin, e.g. main's, for a before/after.
//
// Prints the minimum and median wall time of each and the ratio of medians to `node -e 0`.
// Target: installed `mpst check` <= 1.5x `node -e 0`. Needs `npm run build` first.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleCli } from '../packages/cli/scripts/bundle.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const runs = Number(option('--runs', '25'));
const compare = args.flatMap((a, i) => (args[i - 1] === '--compare' ? [a.split('=')] : []));

const tmp = mkdtempSync(path.join(tmpdir(), 'mpst-startup-'));
try {
  const file = path.join(tmp, 'P.scr');
  writeFileSync(file, 'global protocol P(role A, role B) { m(Int) from A to B; }\n');
  // The installed layout: node_modules/@mpst/cli/{bin,bundle,package.json}.
  const pkg = path.join(tmp, 'node_modules', '@mpst', 'cli');
  mkdirSync(path.join(pkg, 'bin'), { recursive: true });
  for (const f of ['mpst.cjs', 'mpst.js'])
    cpSync(path.join(root, 'packages/cli/bin', f), path.join(pkg, 'bin', f));
  cpSync(path.join(root, 'packages/cli/package.json'), path.join(pkg, 'package.json'));
  await bundleCli(path.join(pkg, 'bundle'));

  const cases = [
    ['node -e 0', ['-e', '0']],
    ['installed mpst check', [path.join(pkg, 'bin/mpst.cjs'), 'check', file]],
    ['checkout mpst check', [path.join(root, 'packages/cli/bin/mpst.js'), 'check', file]],
    ...compare.map(([name, bin]) => [`${name} mpst check`, [path.resolve(bin), 'check', file]]),
  ];
  const times = new Map(cases.map(([name]) => [name, []]));
  const load = loadavg()[0];
  for (let round = -1; round < runs; round++) {
    for (const [name, argv] of cases) {
      const start = process.hrtime.bigint();
      const r = spawnSync(process.execPath, argv, { cwd: tmp, encoding: 'utf8' });
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (r.status !== 0) throw new Error(`${name} exited ${r.status}: ${r.stderr}`);
      if (round >= 0) times.get(name).push(ms); // round -1 warms the file cache
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const floor = median(times.get('node -e 0'));
  const floorMin = Math.min(...times.get('node -e 0'));
  console.log(
    `${runs} interleaved rounds, Node ${process.version}, load average ${load.toFixed(2)} -> ${loadavg()[0].toFixed(2)}`,
  );
  console.log('case                          min ms  median ms  median/node  min/node');
  for (const [name] of cases) {
    const xs = times.get(name);
    const med = median(xs);
    const min = Math.min(...xs);
    console.log(
      `${name.padEnd(28)} ${min.toFixed(1).padStart(7)} ${med.toFixed(1).padStart(10)} ` +
        `${(med / floor).toFixed(2).padStart(12)} ${(min / floorMin).toFixed(2).padStart(9)}`,
    );
  }
  const ratio = median(times.get('installed mpst check')) / floor;
  console.log(
    `target: installed mpst check <= 1.5x node -e 0: ${ratio <= 1.5 ? 'MET' : 'NOT MET'} (${ratio.toFixed(2)}x)`,
  );
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
