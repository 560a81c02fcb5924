// Projector benchmark (issue: @mpst/projector speed). Writes the "Big" protocol of
// REFERENCE.md §5 to a temporary file, then for each N runs fresh processes that read it and
// do what `mpst check --no-verify` does: parse, static checks, elaboration, well-formedness,
// projection of every role and every role's EFSM (model checking, which `mpst check` also
// does by default, is measured by bench/verify-big.mjs). Reports wall time from process start (Node's own start-up
// and module loading included) and peak memory (max RSS).
// Targets: N=100,000, R=10 in <= 0.85 s and <= 300 MB (nuScr's figures); N=1,000,000 finishes.
//
//   node bench/project-big.mjs                 # N = 10^3 .. 10^6, R = 10
//   node bench/project-big.mjs 100000 10       # one size
//   node bench/project-big.mjs --runs 5        # runs per size (default 5; 1 for N >= 10^6)
//   node bench/project-big.mjs --breakdown     # also where the time goes, per phase (one more run per size)
//
// Other processes on the machine slow a run down, never speed it up: the minimum over the runs
// is the figure to compare; the median and the load average show how noisy the runs were.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bigProtocol } from './big.mjs';

const argv = process.argv.slice(2);
if (argv[0] === '--child') {
  // Measured process: everything from here counts (module loading included).
  const file = argv[1];
  const { analyzeFiles } = await import('../packages/projector/dist/index.js');
  const { nodeHost } = await import('../packages/scribble/dist/node.js');
  const r = analyzeFiles([file], nodeHost);
  const errors = r.diagnostics.filter((d) => d.severity === 'error').length;
  const states = r.protocols
    .flatMap((p) => p.roles)
    .reduce((n, x) => n + (x.efsm?.states.length ?? 0), 0);
  const wall = process.uptime();
  const rss = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ wall, rss, errors, states }));
} else if (argv[0] === '--child-breakdown') {
  // The same work step by step (as analyzeProgram does it), timed, with GC pauses per step.
  const start = process.uptime();
  let t = performance.now();
  const { PerformanceObserver } = await import('node:perf_hooks');
  const pauses = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) pauses.push(e);
  }).observe({ entryTypes: ['gc'] });
  /** GC pause time that started within [from, to) (ms, performance.now() clock). */
  const gcIn = (from, to) =>
    pauses
      .filter((e) => e.startTime >= from && e.startTime < to)
      .reduce((ms, e) => ms + e.duration, 0);
  const drain = () => new Promise((resolve) => setTimeout(resolve, 0));
  const projector = await import('../packages/projector/dist/index.js');
  const scribble = await import('../packages/scribble/dist/index.js');
  const { nodeHost } = await import('../packages/scribble/dist/node.js');
  const phases = [{ phase: 'node start-up', ms: start * 1000, gcMs: 0 }];
  const step = async (phase) => {
    const now = performance.now();
    await drain(); // let the gc entries of this step arrive (the wait itself is not counted)
    phases.push({ phase, ms: now - t, gcMs: gcIn(t, now) });
    t = performance.now();
  };
  await step('module loading');
  const { program, diagnostics } = scribble.checkFiles([argv[1]], nodeHost);
  await step('parse + static checks');
  if (diagnostics.some((d) => d.severity === 'error')) throw new Error('Big has errors');
  const ref = { module: program.modules[0], decl: program.modules[0].module.protocols[0] };
  const { protocol } = projector.elaborate(program, ref);
  await step('elaboration');
  const locals = protocol.roles.map(
    (role) => projector.project(protocol, role, { mode: 'nuscr' }).local,
  );
  await step('projection (all roles)');
  const efsms = protocol.roles.map((role, i) =>
    projector.buildEfsm(protocol.qualifiedName, role, locals[i]),
  );
  await step('EFSMs (all roles)');
  const heapMB = process.memoryUsage().heapUsed / 1e6;
  console.log(
    JSON.stringify({ phases, heapMB, states: efsms.reduce((n, e) => n + e.states.length, 0) }),
  );
} else {
  const flag = (name) => argv.includes(`--${name}`);
  const value = (name, dflt) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 && argv[i + 1] !== undefined ? Number(argv[i + 1]) : dflt;
  };
  const positional = argv.filter(
    (a, i) => !a.startsWith('--') && !(i > 0 && argv[i - 1] === '--runs'),
  );
  const r = Number(positional[1] ?? 10);
  const sizes = positional[0] ? [Number(positional[0])] : [1_000, 10_000, 100_000, 1_000_000];
  const runsPerSize = value('runs', 5);
  const dir = mkdtempSync(join(tmpdir(), 'mpst-bench-'));
  const self = fileURLToPath(import.meta.url);
  const spawn = (args) => {
    const p = spawnSync(process.execPath, ['--max-old-space-size=8192', self, ...args], {
      encoding: 'utf8',
    });
    if (p.status !== 0) throw new Error(`child failed: ${p.stderr}`);
    return JSON.parse(p.stdout.trim());
  };
  console.log(
    `Big, R=${String(r)}: parse + check + elaborate + project all roles + ` +
      `all EFSMs, a fresh process per run; node ${process.version}`,
  );
  console.log(
    ['N', 'runs', 'wall s min', 'median', 'peak MB', 'EFSM states', 'µs/interaction', 'load avg']
      .map((h, i) => h.padStart([9, 5, 11, 8, 8, 12, 15, 9][i] ?? 9))
      .join(' '),
  );
  const breakdowns = [];
  try {
    for (const n of sizes) {
      const file = join(dir, `Big${String(n)}.scr`);
      writeFileSync(file, bigProtocol(n, r));
      const runs = [];
      const load = loadavg()[0] ?? 0;
      for (let i = 0; i < (n >= 1_000_000 ? 1 : runsPerSize); i++)
        runs.push(spawn(['--child', file]));
      const walls = runs.map((x) => x.wall).sort((a, b) => a - b);
      const min = walls[0] ?? 0;
      const median = walls[Math.floor(walls.length / 2)] ?? 0;
      const rss = Math.max(...runs.map((x) => x.rss));
      const first = runs[0];
      if (!first || first.errors > 0) throw new Error(`Big N=${String(n)} reported errors`);
      console.log(
        [
          String(n),
          String(runs.length),
          min.toFixed(3),
          median.toFixed(3),
          rss.toFixed(0),
          String(first.states),
          ((min * 1e6) / n).toFixed(2),
          load.toFixed(2),
        ]
          .map((c, i) => c.padStart([9, 5, 11, 8, 8, 12, 15, 9][i] ?? 9))
          .join(' '),
      );
      if (flag('breakdown')) breakdowns.push({ n, ...spawn(['--child-breakdown', file]) });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  for (const b of breakdowns) {
    console.log(
      `\nN=${String(b.n)}: where the time goes (one run; GC pauses are part of each step's time)`,
    );
    for (const p of b.phases)
      console.log(
        `  ${p.phase.padEnd(24)} ${p.ms.toFixed(0).padStart(6)} ms   of which GC ${p.gcMs.toFixed(0).padStart(5)} ms`,
      );
    console.log(`  ${'heap in use at the end'.padEnd(24)} ${b.heapMB.toFixed(0).padStart(6)} MB`);
  }
}
