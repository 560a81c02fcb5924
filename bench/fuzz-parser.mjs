// Stand-alone parser fuzzer: parses mutated corpus files and checks the same properties as
// packages/scribble/test/fuzz.test.ts (parse never throws; every diagnostic has a known MPSTnnn
// code and a span with 0 <= start <= end <= length, line >= 1, column >= 1; AST spans in range).
// Run after `npm run build`:
//
//   node bench/fuzz-parser.mjs [--cases 100000] [--seed 1] [--workers 1] [--hang-ms 10000]
//   node bench/fuzz-parser.mjs --replay <case-seed>      # print one case and its diagnostics
//
// Seeds: the inline protocols of fuzz-kit.mjs plus every .scr/.nuscr file of the corpus
// ($MPST_CORPUS, else ../shared/corpus next to the repository), in sorted order. Case i of a run
// uses the case seed caseSeed(seed, i), so every failure prints a one-line reproducer (replays
// need the same corpus). Parsing runs in worker threads; the main thread watches their progress
// and reports a hang (a case that takes longer than --hang-ms) with its case seed.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import {
  INLINE_SEEDS,
  applyMutations,
  caseSeed,
  checkParse,
  randomCase,
} from '../packages/scribble/test/fuzz-kit.mjs';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const DIST = new URL('../packages/scribble/dist/index.js', import.meta.url);

function loadSeeds(useCorpus) {
  const seeds = INLINE_SEEDS.map((text, i) => ({ name: `inline seed ${i}`, text }));
  const env = process.env.MPST_CORPUS;
  const root = env ? path.resolve(env) : path.resolve(REPO, '../shared/corpus');
  if (!useCorpus || !existsSync(root)) return { seeds, root: undefined };
  const files = [];
  const walk = (rel) => {
    for (const name of readdirSync(path.join(root, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      if (statSync(path.join(root, r)).isDirectory()) walk(r);
      else if (name.endsWith('.scr') || name.endsWith('.nuscr')) files.push(r);
    }
  };
  walk('');
  for (const f of files.sort())
    seeds.push({ name: f, text: readFileSync(path.join(root, f), 'utf8') });
  return { seeds, root };
}

function arg(name, dflt) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : dflt;
}

// ---- worker: run a slice of the cases ---------------------------------------------------------
if (!isMainThread) {
  const { parse } = await import(DIST.href);
  const { seeds, runSeed, cases, worker, workers, progress } = workerData;
  const counter = new Int32Array(progress);
  let withDiagnostics = 0;
  let chars = 0;
  let failures = 0;
  for (let i = worker; i < cases; i += workers) {
    Atomics.store(counter, worker, i + 1);
    const cs = caseSeed(runSeed, i);
    const { seedIndex, mutations } = randomCase(cs, seeds.length);
    const text = applyMutations(seeds[seedIndex].text, mutations);
    chars += text.length;
    const violations = checkParse(
      (t, p) => {
        const r = parse(t, p);
        if (r.diagnostics.length > 0) withDiagnostics++;
        return r;
      },
      text,
      'fuzz.scr',
    );
    if (violations.length > 0) {
      failures++;
      parentPort.postMessage({
        kind: 'failure',
        i,
        caseSeed: cs,
        seed: seeds[seedIndex].name,
        mutations,
        violations: violations.slice(0, 5),
      });
    }
  }
  parentPort.postMessage({ kind: 'done', withDiagnostics, chars, failures });
} else {
  await main();
}

async function main() {
  if (!existsSync(fileURLToPath(DIST))) {
    console.error('packages/scribble/dist is missing: run `npm run build` first.');
    process.exit(2);
  }
  const useCorpus = !process.argv.includes('--no-corpus');
  const { seeds, root } = loadSeeds(useCorpus);

  const replay = arg('replay', undefined);
  if (replay !== undefined) {
    const { parse } = await import(DIST.href);
    const cs = Number(replay) >>> 0;
    const { seedIndex, mutations } = randomCase(cs, seeds.length);
    const text = applyMutations(seeds[seedIndex].text, mutations);
    console.log(
      `case seed ${cs}: seed file ${seeds[seedIndex].name}, mutations ${JSON.stringify(mutations)}`,
    );
    console.log('--- text ---');
    console.log(text);
    console.log('--- diagnostics ---');
    for (const d of parse(text, 'fuzz.scr').diagnostics)
      console.log(
        `${d.span.line}:${d.span.column} [${d.span.start},${d.span.end}) ${d.code} ${d.message}`,
      );
    const v = checkParse(parse, text, 'fuzz.scr');
    console.log(
      v.length === 0 ? '--- all properties hold ---' : `--- violations ---\n${v.join('\n')}`,
    );
    return;
  }

  const cases = Number(arg('cases', 100_000));
  const runSeed = Number(arg('seed', 1)) >>> 0;
  const workers = Math.max(1, Number(arg('workers', 1)));
  const hangMs = Number(arg('hang-ms', 10_000));
  const progress = new SharedArrayBuffer(4 * workers);
  const counter = new Int32Array(progress);

  console.log(`# Parser fuzzing`);
  console.log(
    `${cases.toLocaleString('en-US')} cases, run seed ${runSeed}, ${workers} worker(s), ${seeds.length} seed files ` +
      `(${INLINE_SEEDS.length} inline` +
      (root ? ` + ${seeds.length - INLINE_SEEDS.length} from ${root})` : '; corpus not found)'),
  );
  const started = performance.now();
  const failures = [];
  let withDiagnostics = 0;
  let chars = 0;
  let hang;
  const running = [];
  const done = new Array(workers).fill(false);
  for (let w = 0; w < workers; w++) {
    const worker = new Worker(fileURLToPath(import.meta.url), {
      workerData: { seeds, runSeed, cases, worker: w, workers, progress },
    });
    running.push(
      new Promise((resolve, reject) => {
        worker.on('message', (m) => {
          if (m.kind === 'failure') failures.push(m);
          else {
            done[w] = true;
            withDiagnostics += m.withDiagnostics;
            chars += m.chars;
            resolve();
          }
        });
        worker.on('error', reject);
        worker.on('exit', () => resolve());
      }),
    );
    running[w].worker = worker;
  }
  // watchdog: a worker whose case counter does not move for hangMs is hung
  const last = Array.from({ length: workers }, () => ({ value: -1, since: performance.now() }));
  const watchdog = setInterval(() => {
    for (let w = 0; w < workers; w++) {
      if (done[w]) continue;
      const v = Atomics.load(counter, w);
      if (v !== last[w].value) last[w] = { value: v, since: performance.now() };
      else if (performance.now() - last[w].since > hangMs && v > 0 && v <= cases) {
        const i = v - 1;
        hang = { i, caseSeed: caseSeed(runSeed, i) };
        for (const r of running) void r.worker.terminate();
      }
    }
  }, 250);
  try {
    await Promise.all(running);
  } finally {
    clearInterval(watchdog);
  }
  const ms = performance.now() - started;

  console.log(
    `time:      ${(ms / 1000).toFixed(2)} s ` +
      `(${Math.round((cases / ms) * 1000).toLocaleString('en-US')} cases/s, ` +
      `${(chars / 1e6).toFixed(1)} M chars parsed)`,
  );
  if (hang)
    console.log(
      `cases:     ${cases.toLocaleString('en-US')} requested; run stopped by a hang (statistics incomplete)`,
    );
  else
    console.log(
      `cases:     ${cases.toLocaleString('en-US')} ` +
        `(${((100 * withDiagnostics) / cases).toFixed(1)}% produced diagnostics)`,
    );
  console.log(`failures:  ${failures.length}${hang ? ' + 1 hang' : ''}`);
  const replayCmd = (cs) =>
    `node bench/fuzz-parser.mjs --replay ${cs}${useCorpus ? '' : ' --no-corpus'}`;
  for (const f of failures.slice(0, 20)) {
    console.log(`- case ${f.i} (case seed ${f.caseSeed}; seed file ${f.seed}): ${f.violations[0]}`);
    console.log(`  reproduce: ${replayCmd(f.caseSeed)}`);
  }
  if (failures.length > 20) console.log(`  ... and ${failures.length - 20} more`);
  if (hang) {
    console.log(
      `- HANG: case ${hang.i} (case seed ${hang.caseSeed}) did not finish within ${hangMs} ms`,
    );
    console.log(`  reproduce: ${replayCmd(hang.caseSeed)}`);
  }
  process.exitCode = failures.length > 0 || hang ? 1 : 0;
}
