#!/usr/bin/env node
// mpst against nuScr, whole processes, paired and interleaved, on the Big protocol without a
// `module` line (bench/big.mjs; nuScr rejects `module`), R = 10 roles.
//
//   NUSCR=/path/to/nuscr node bench/vs-nuscr.mjs [--sizes 20000,100000] [--r 10] [--runs 5]
//
// What is compared, for each N (each round runs every case once, in this order):
//   nuscr FILE                       parses, checks, projects every role and builds every
//                                    role's EFSM; prints nothing.
//   mpst check --no-verify FILE      the same work: parse, static checks, elaboration,
//                                    projection onto every role, every role's EFSM (as
//                                    arrays of states and transitions, checked for mixed
//                                    states; no label strings); prints one summary line.
//   mpst fsm FILE                    the same, with each EFSM's transition data and labels,
//                                    then prints every role's EFSM as dot (to /dev/null):
//                                    more work than nuScr does.
//   mpst project FILE                the same, printing every role's local protocol instead.
// mpst runs from the bundle an installed @mpst/cli runs (packages/cli/scripts/bundle.mjs, built
// here into a temporary folder): `node bundle/bin.cjs`, without the bin shim in front of it
// (bin/mpst.cjs, which adds nothing measurable: see bench/cli-startup.mjs). Node's and OCaml's
// start-up are included on both sides.
//
// Prints, per case, the minimum and median wall time, peak RSS (with /usr/bin/time) and the
// median over rounds of mpst/nuScr within the same round (paired: load from other processes
// falls on both). Target (issue 9): check + project + EFSMs of every role <= 0.8x nuScr at
// N = 20,000 and N = 100,000. Without NUSCR, mpst runs alone and the peer figures measured
// earlier on this machine kind (shared/peers/README.md) are printed for reference.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, closeSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { bundleCli } from '../packages/cli/scripts/bundle.mjs';
import { bigProtocol } from './big.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const sizes = option('--sizes', '20000,100000').split(',').map(Number);
const roles = Number(option('--r', '10'));
const runs = Number(option('--runs', '5'));
const nuscr = process.env.NUSCR;
if (nuscr !== undefined && !existsSync(nuscr)) throw new Error(`NUSCR=${nuscr} does not exist`);
const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** Figures published in shared/peers/README.md (2 cores, paired runs, median). */
const PEER_FIGURES = { 20000: 0.26, 100000: 1.36 };

const tmp = mkdtempSync(path.join(tmpdir(), 'mpst-vs-nuscr-'));
const devNull = openSync('/dev/null', 'w');
try {
  const bundle = path.join(tmp, 'bundle');
  await bundleCli(bundle);
  const mpst = path.join(bundle, 'bin.cjs');
  console.log(
    `Big R=${roles}, ${runs} interleaved rounds, Node ${process.version}, ` +
      `nuScr: ${nuscr ?? 'not installed (set NUSCR)'}`,
  );
  for (const n of sizes) {
    const file = path.join(tmp, `Big${n}.nuscr`);
    writeFileSync(file, bigProtocol(n, roles));
    const cases = [
      ...(nuscr ? [['nuscr FILE', nuscr, [file]]] : []),
      ['mpst check --no-verify', process.execPath, [mpst, 'check', '--no-verify', file]],
      ['mpst fsm (every role)', process.execPath, [mpst, 'fsm', file]],
      ['mpst project (every role)', process.execPath, [mpst, 'project', file]],
    ];
    const times = new Map(cases.map(([name]) => [name, []]));
    // CPU time (user + system, every thread) of each run: on a loaded machine, wall time
    // mostly measures waiting for a core; CPU time measures the work.
    const cpu = new Map(cases.map(([name]) => [name, []]));
    const rss = new Map(cases.map(([name]) => [name, 0]));
    const load = loadavg()[0];
    for (let round = 0; round < runs; round++) {
      for (const [name, cmd, argv] of cases) {
        const start = process.hrtime.bigint();
        const r = timeBin
          ? spawnSync(timeBin, ['-f', '%U %S %M', cmd, ...argv], {
              stdio: ['ignore', devNull, 'pipe'],
            })
          : spawnSync(cmd, argv, { stdio: ['ignore', devNull, 'pipe'] });
        const s = Number(process.hrtime.bigint() - start) / 1e9;
        if (r.status !== 0) throw new Error(`${name} N=${n} exited ${r.status}: ${r.stderr}`);
        times.get(name).push(s);
        const [user, sys, kb] = timeBin
          ? String(r.stderr).trim().split('\n').at(-1).split(' ').map(Number)
          : [NaN, NaN, 0];
        cpu.get(name).push(user + sys);
        rss.set(name, Math.max(rss.get(name), kb));
      }
    }
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const paired = (xs, ys) => median(xs.map((x, i) => x / ys[i])).toFixed(2);
    console.log(`\n## N=${n.toLocaleString('en')}, R=${roles} (load average ${load.toFixed(1)})`);
    console.log(
      'case                        wall min s  median s  CPU median s  peak RSS' +
        '  mpst/nuScr (paired medians): wall  CPU',
    );
    for (const [name] of cases) {
      const xs = times.get(name);
      const cs = cpu.get(name);
      let ratio = '';
      if (nuscr && name !== 'nuscr FILE') {
        ratio = `${paired(xs, times.get('nuscr FILE')).padStart(35)}`;
        ratio += `${paired(cs, cpu.get('nuscr FILE')).padStart(6)}`;
      } else if (!nuscr) {
        const peer = PEER_FIGURES[n];
        ratio = `  wall ${(median(xs) / peer).toFixed(2)} vs published nuScr ${peer ?? '?'} s`;
      }
      const mb = rss.get(name) ? `${Math.round(rss.get(name) / 1024)} MB` : '-';
      console.log(
        name.padEnd(27) +
          Math.min(...xs)
            .toFixed(3)
            .padStart(11) +
          median(xs).toFixed(3).padStart(10) +
          median(cs).toFixed(3).padStart(14) +
          mb.padStart(10) +
          ratio,
      );
    }
  }
} finally {
  closeSync(devNull);
  rmSync(tmp, { recursive: true, force: true });
}
