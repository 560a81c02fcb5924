// Parse-time benchmark on the "Big" protocol (REFERENCE.md §5). Run after `npm run build`:
//
//   node bench/parse-big.mjs [--n 100000] [--r 10] [--runs 5] [--sizes 1000,10000,100000,1000000]
//                            [--no-table] [--no-cold]
//
// Prints, for N=--n: first-run time, median of --runs runs after one warm-up, throughput
// (interactions/s, MB/s) and the heap retained by the AST; the same for each of --sizes; and
// the whole-process time of a single cold run (a child process that generates Big, parses it
// once and reports process.uptime()). Target: N=100,000 (R=10) parsed in under 0.3 s.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import os from 'node:os';
import { PerformanceObserver } from 'node:perf_hooks';
import { bigInteractionCount, bigProtocol } from './big.mjs';

const DIST = new URL('../packages/scribble/dist/index.js', import.meta.url);
if (!existsSync(fileURLToPath(DIST))) {
  console.error('packages/scribble/dist is missing: run `npm run build` first.');
  process.exit(2);
}
const scribble = await import(DIST.href);
const { parse } = scribble;

/** Total GC pause time (ms) seen so far, from the 'gc' performance entries. */
let gcMs = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcMs += e.duration;
}).observe({ entryTypes: ['gc'] });
/** PerformanceObserver callbacks run asynchronously: let them drain before reading gcMs. */
const drain = () => new Promise((resolve) => setTimeout(resolve, 0));

const TARGET_N = 100_000;
const TARGET_S = 0.3;

function arg(name, dflt) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : dflt;
}
const has = (name) => process.argv.includes(`--${name}`);

const N = Number(arg('n', TARGET_N));
const R = Number(arg('r', 10));
const RUNS = Number(arg('runs', 5));
const SIZES = String(arg('sizes', '1000,10000,100000,1000000'))
  .split(',')
  .filter(Boolean)
  .map(Number);

// ---- cold mode: one parse in a fresh process --------------------------------------------------
if (has('cold')) {
  const t0 = performance.now();
  const text = bigProtocol(N, R);
  const t1 = performance.now();
  const { diagnostics } = parse(text, 'Big.nuscr');
  const t2 = performance.now();
  process.stdout.write(
    JSON.stringify({
      uptime: process.uptime(),
      generateMs: t1 - t0,
      parseMs: t2 - t1,
      diagnostics: diagnostics.length,
    }) + '\n',
  );
  process.exit(0);
}

// ---- helpers ----------------------------------------------------------------------------------
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmtS = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);
const fmtRate = (x) =>
  x >= 1e6 ? `${(x / 1e6).toFixed(2)} M` : x >= 1e3 ? `${(x / 1e3).toFixed(0)} k` : x.toFixed(0);
const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;

function parseOnce(text) {
  const t0 = performance.now();
  const result = parse(text, 'Big.nuscr');
  const ms = performance.now() - t0;
  if (result.diagnostics.length > 0) {
    throw new Error(`Big did not parse cleanly: ${result.diagnostics[0].message}`);
  }
  return { ms, result };
}

/** First run, median of `runs` runs after that warm-up, and the heap the AST keeps alive. */
async function measure(n, r, runs) {
  const text = bigProtocol(n, r);
  const bytes = Buffer.byteLength(text);
  gc();
  const first = parseOnce(text).ms;
  // No forced GC between timed runs: a forced full GC shrinks the heap and makes the next parse
  // pay for regrowing it, which is not what a steady-state caller sees.
  const times = [];
  await drain();
  const gc0 = gcMs;
  for (let k = 0; k < runs; k++) times.push(parseOnce(text).ms);
  await drain();
  const gcPerRun = (gcMs - gc0) / runs;
  const lexTimes = [];
  for (let k = 0; k < runs; k++) {
    const t0 = performance.now();
    const lexer = new scribble.Lexer(new scribble.SourceFile('Big.nuscr', text));
    while (lexer.scan() !== 'eof'); // the cursor the parser uses: no token objects
    lexTimes.push(performance.now() - t0);
  }
  gc();
  const before = process.memoryUsage().heapUsed;
  const { result } = parseOnce(text);
  gc();
  const heapUsed = process.memoryUsage().heapUsed;
  const retained = heapUsed - before;
  if (result.module.protocols.length !== 1) throw new Error('Big should have one protocol');
  const med = median(times);
  const interactions = bigInteractionCount(n, r);
  return {
    n,
    r,
    bytes,
    first,
    med,
    min: Math.min(...times),
    max: Math.max(...times),
    interactions,
    retained,
    heapUsed,
    gcPerRun,
    lex: median(lexTimes),
  };
}

// ---- main -------------------------------------------------------------------------------------
console.log(`# Parse benchmark: Big protocol (REFERENCE.md §5)`);
console.log(
  `node ${process.version}, ${os.cpus().length} CPU(s) ` +
    `(${os.cpus()[0]?.model ?? 'unknown'}), ${new Date().toISOString().slice(0, 10)}`,
);
console.log('');

const main = await measure(N, R, RUNS);
console.log(`## N=${N.toLocaleString('en-US')}, R=${R}`);
console.log(
  `text:          ${mb(main.bytes)}, ${main.interactions.toLocaleString('en-US')} interactions`,
);
console.log(`first run:     ${fmtS(main.first)} (in this process, before warm-up)`);
console.log(
  `median of ${RUNS}:   ${fmtS(main.med)} (min ${fmtS(main.min)}, max ${fmtS(main.max)}; after 1 warm-up run)`,
);
console.log(
  `breakdown:     GC pauses ${fmtS(main.gcPerRun)} per parse (mean over ` +
    `the timed runs); lexer alone ${fmtS(main.lex)} (median)`,
);
console.log(
  `throughput:    ${fmtRate((main.interactions / main.med) * 1000)} ` +
    `interactions/s, ${((main.bytes / 1e6 / main.med) * 1000).toFixed(1)} MB/s`,
);
console.log(
  `heap:          AST retains ${mb(main.retained)}; heapUsed ` +
    `${mb(main.heapUsed)} with it alive; peak RSS ${mb(process.resourceUsage().maxRSS * 1024)}`,
);
if (N === TARGET_N && R === 10) {
  const ok = main.med < TARGET_S * 1000;
  console.log(
    `target:        N=100,000 under ${TARGET_S} s: ` +
      `${ok ? 'MET' : 'MISSED'} (median ${fmtS(main.med)}, first run ${fmtS(main.first)})`,
  );
}

// static checks on the same text (parse + name resolution + checks), for reference
if (typeof scribble.checkText === 'function') {
  const text = bigProtocol(N, R);
  scribble.checkText(text, 'Big.nuscr');
  const times = [];
  for (let k = 0; k < Math.min(RUNS, 3); k++) {
    const t0 = performance.now();
    const { diagnostics } = scribble.checkText(text, 'Big.nuscr');
    times.push(performance.now() - t0);
    if (diagnostics.some((d) => d.severity === 'error'))
      throw new Error(`Big has check errors: ${diagnostics[0].message}`);
  }
  console.log(
    `checkText:     ${fmtS(median(times))} median of ${times.length} (parse + name resolution + static checks)`,
  );
}
console.log('');

if (!has('no-cold')) {
  const script = fileURLToPath(import.meta.url);
  const child = spawnSync(
    process.execPath,
    [script, '--cold', '--n', String(N), '--r', String(R)],
    { encoding: 'utf8' },
  );
  if (child.status !== 0) {
    console.log(`cold run failed: ${child.stderr}`);
  } else {
    const c = JSON.parse(child.stdout.trim().split('\n').pop());
    console.log(`## Cold process (node bench/parse-big.mjs --cold --n ${N} --r ${R})`);
    console.log(
      `process.uptime() at exit: ${fmtS(c.uptime * 1000)} (Node start + ` +
        `module load + generating Big ${fmtS(c.generateMs)} + one parse ${fmtS(c.parseMs)})`,
    );
    console.log('');
  }
}

if (!has('no-table')) {
  console.log(`## Sizes (R=${R}; median of ${RUNS} after 1 warm-up)`);
  console.log('');
  console.log('| N | text | first run | median | interactions/s | MB/s | AST heap |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|');
  for (const n of SIZES) {
    const m = n === N ? main : await measure(n, R, RUNS);
    console.log(
      `| ${n.toLocaleString('en-US')} | ${mb(m.bytes)} | ${fmtS(m.first)} | ` +
        `${fmtS(m.med)} | ${fmtRate((m.interactions / m.med) * 1000)} | ` +
        `${((m.bytes / 1e6 / m.med) * 1000).toFixed(1)} | ${mb(m.retained)} |`,
    );
  }
  console.log('');
}
