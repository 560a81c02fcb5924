// Projector benchmark (issue: @mpst/projector speed). Writes the "Big" protocol of
// REFERENCE.md §5 to a temporary file, then for each N runs a fresh process that reads it and
// does what `mpst check` does: parse, static checks, elaboration, well-formedness, projection of
// every role and every role's EFSM. Reports wall time from process start and peak memory.
// Targets: N=100,000, R=10 in <= 0.85 s and <= 300 MB (nuScr's figures); N=1,000,000 finishes.
//
//   node bench/project-big.mjs            # N = 10^3 .. 10^6, R = 10
//   node bench/project-big.mjs 100000 10  # one size
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bigProtocol } from './big.mjs';

const child = process.argv[2] === '--child';
if (child) {
  // Measured process: everything from here counts (module loading included).
  const file = process.argv[3];
  const { analyzeFiles } = await import('../packages/projector/dist/index.js');
  const { nodeHost } = await import('../packages/scribble/dist/node.js');
  const r = analyzeFiles([file], nodeHost);
  const errors = r.diagnostics.filter((d) => d.severity === 'error').length;
  const states = r.protocols.flatMap((p) => p.roles).reduce((n, x) => n + (x.efsm?.states.length ?? 0), 0);
  const wall = process.uptime();
  const rss = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ wall, rss, errors, states }));
} else {
  const r = Number(process.argv[3] ?? 10);
  const sizes = process.argv[2] ? [Number(process.argv[2])] : [1_000, 10_000, 100_000, 1_000_000];
  const dir = mkdtempSync(join(tmpdir(), 'mpst-bench-'));
  const self = fileURLToPath(import.meta.url);
  console.log(`Big, R=${r}: parse + check + elaborate + project all roles + all EFSMs, fresh process each run`);
  console.log('N'.padStart(9), 'wall s (median of 3)'.padStart(22), 'peak MB'.padStart(9), 'EFSM states'.padStart(12), 'µs/interaction'.padStart(15));
  try {
    for (const n of sizes) {
      const file = join(dir, `Big${n}.scr`);
      writeFileSync(file, bigProtocol(n, r));
      const runs = [];
      for (let i = 0; i < (n >= 1_000_000 ? 1 : 3); i++) {
        const p = spawnSync(process.execPath, ['--max-old-space-size=8192', self, '--child', file], { encoding: 'utf8' });
        if (p.status !== 0) throw new Error(`child failed for N=${n}: ${p.stderr}`);
        runs.push(JSON.parse(p.stdout.trim()));
      }
      runs.sort((a, b) => a.wall - b.wall);
      const m = runs[Math.floor(runs.length / 2)];
      if (m.errors > 0) throw new Error(`Big N=${n} reported ${m.errors} errors`);
      console.log(String(n).padStart(9), m.wall.toFixed(3).padStart(22), m.rss.toFixed(0).padStart(9), String(m.states).padStart(12), ((m.wall * 1e6) / n).toFixed(2).padStart(15));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
