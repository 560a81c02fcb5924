// Code generation benchmark (issue: @mpst/codegen). For role FSMs of 10, 100, 200 and 1,000
// states (role A of `m<i>(Int)` alternating between A and B, N interactions: N + 1 states), it
// prints:
//   - generation time of A's module (`generate` for one role, median of --runs after a warm-up;
//     the analysis that precedes it is not included);
//   - the module's size, in bytes and per state;
//   - tsc type-check time of the module plus a trivial implementation of A (every state built
//     bottom-up as one const), as a user sees it: a fresh `tsc --noEmit -p` process (minimum of
//     --runs), and the same with an empty program for tsc's fixed cost (start-up, lib files).
//     CPU time (user + system, from /usr/bin/time) is the figure to compare: on a shared machine
//     wall time mostly measures the other processes.
// Times of `generate` are CPU time too (process.cpuUsage), median of at least 5 runs.
// Target: under 3 s for 200 states, near-linear growth.
//
//   node bench/codegen-big.mjs [--sizes 10,100,200,1000] [--runs 3]
//
// Writes its files under <repo>/tmp/ (so the modules' `@mpst/runtime` import resolves) and
// removes them. Run `npm run build` first.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { memoryHost } = await import('../packages/scribble/dist/index.js');
const { analyzeFiles } = await import('../packages/projector/dist/index.js');
const { generate } = await import('../packages/codegen/dist/index.js');

const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : dflt;
};
const sizes = opt('--sizes', '10,100,200,1000').split(',').map(Number);
const runs = Number(opt('--runs', '3'));
const tsc = join(root, 'node_modules/typescript/bin/tsc');

/** N interactions alternating between A and B: role A has N + 1 states. */
function protocol(n) {
  const lines = ['global protocol Big(role A, role B) {'];
  for (let i = 0; i < n; i++) lines.push(`  m${i}(Int) from ${i % 2 === 0 ? 'A to B' : 'B to A'};`);
  lines.push('}');
  return lines.join('\n');
}

/** A trivial implementation of A: state i's step built from state i+1's, last first. */
function implementation(n) {
  const lines = ["import * as A from './Big.A.js';", '', 'const s' + n + ' = A.end;'];
  for (let i = n - 1; i >= 0; i--) {
    lines.push(
      i % 2 === 0
        ? `const s${i} = A.send_m${i}.m${i}(${i}, s${i + 1});`
        : `const s${i} = A.recv_m${i}.handle({ m${i}: () => s${i + 1} });`,
    );
  }
  lines.push('export const start: A.send_m0 = s0;', '');
  return lines.join('\n');
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Minimum wall and CPU (user + system) milliseconds of a fresh `tsc --noEmit -p dir`. */
function tscTime(dir) {
  let wall = Infinity;
  let cpu = Infinity;
  for (let r = 0; r < runs; r++) {
    const p = spawnSync(
      '/usr/bin/time',
      ['-f', 'TIME %e %U %S', process.execPath, tsc, '--noEmit', '-p', dir],
      {
        encoding: 'utf8',
      },
    );
    if (p.status !== 0) throw new Error(`tsc failed in ${dir}:\n${p.stdout}${p.stderr}`);
    const [e, u, s] = /TIME (\S+) (\S+) (\S+)/.exec(p.stderr).slice(1).map(Number);
    wall = Math.min(wall, e * 1000);
    cpu = Math.min(cpu, (u + s) * 1000);
  }
  return { wall, cpu };
}

const TSCONFIG = JSON.stringify({
  compilerOptions: {
    target: 'ES2022',
    lib: ['ES2023'],
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    noUncheckedIndexedAccess: true,
    skipLibCheck: true,
    noEmit: true,
    types: [],
  },
  include: ['*.ts'],
});

mkdirSync(join(root, 'tmp'), { recursive: true });
const work = mkdtempSync(join(root, 'tmp/codegen-bench-'));
try {
  const empty = join(work, 'empty');
  mkdirSync(empty);
  writeFileSync(join(empty, 'package.json'), '{ "type": "module" }');
  writeFileSync(join(empty, 'tsconfig.json'), TSCONFIG);
  writeFileSync(join(empty, 'x.ts'), 'export const x = 1;\n');
  const base = tscTime(empty);
  console.log(
    `load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}; ` +
      `tsc fixed cost (empty program): ${base.cpu.toFixed(0)} ms CPU, ${base.wall.toFixed(0)} ms wall`,
  );
  console.log(
    '| states | generate A (ms CPU) | module bytes | bytes/state | tsc CPU (ms) | tsc CPU minus fixed (ms) | tsc wall (ms) |',
  );
  console.log('|---:|---:|---:|---:|---:|---:|---:|');
  for (const n of sizes) {
    const analysis = analyzeFiles(['Big.nuscr'], memoryHost({ 'Big.nuscr': protocol(n) }));
    if (analysis.diagnostics.some((d) => d.severity === 'error'))
      throw new Error('Big does not analyse');
    generate(analysis, { roles: ['A'] }); // warm-up
    const times = [];
    let file;
    for (let r = 0; r < Math.max(runs, 5); r++) {
      const t = process.cpuUsage();
      file = generate(analysis, { roles: ['A'] }).files[0];
      const d = process.cpuUsage(t);
      times.push((d.user + d.system) / 1000);
    }
    const dir = join(work, `n${n}`);
    mkdirSync(dir);
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }');
    writeFileSync(join(dir, 'tsconfig.json'), TSCONFIG);
    writeFileSync(join(dir, file.fileName), file.text);
    writeFileSync(join(dir, 'impl.ts'), implementation(n));
    const check = tscTime(dir);
    const bytes = Buffer.byteLength(file.text);
    console.log(
      `| ${file.states} | ${median(times).toFixed(2)} | ${bytes} | ${(bytes / file.states).toFixed(0)} | ` +
        `${check.cpu.toFixed(0)} | ${(check.cpu - base.cpu).toFixed(0)} | ${check.wall.toFixed(0)} |`,
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
