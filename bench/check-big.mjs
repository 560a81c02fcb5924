// `mpst check` with model checking on Big (REFERENCE.md §5), N = 100,000, R = 10 by default:
// parse, checks, projection, every EFSM, then verification in scribble-java's model (queues of
// capacity 1, fair and unfair output choice). Whole processes, timed by /usr/bin/time: wall,
// CPU (user + system: what a loaded machine does not inflate) and peak RSS; medians of RUNS.
// With `--base DIR` (a copy of the repository's built packages, e.g. of main), the two builds
// run interleaved, paired round by round.
//
//   node bench/check-big.mjs [--n 100000] [--r 10] [--runs 5] [--base DIR]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bigProtocol } from './big.mjs';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '100000' },
    r: { type: 'string', default: '10' },
    runs: { type: 'string', default: '5' },
    base: { type: 'string' },
  },
});
const here = fileURLToPath(new URL('..', import.meta.url));
const builds = [...(values.base ? [['base', values.base]] : []), ['this', here]];
const dir = mkdtempSync(join(tmpdir(), 'mpst-bench-check-'));
const file = join(dir, 'Big.scr');
writeFileSync(file, bigProtocol(Number(values.n), Number(values.r)));
const timing = join(dir, 'time.txt');
const rows = new Map(builds.map(([name]) => [name, []]));
try {
  for (let round = 0; round < Number(values.runs); round++) {
    // Alternate the order, so neither build always runs first.
    for (const [name, root] of round % 2 === 0 ? builds : [...builds].reverse()) {
      const bin = join(root, 'packages/cli/dist/bin.js');
      execFileSync(
        '/usr/bin/time',
        ['-f', '%e %U %S %M', '-o', timing, 'node', bin, 'check', file],
        {
          stdio: 'ignore',
        },
      );
      const [wall, user, sys, rss] = readFileSync(timing, 'utf8').trim().split(/\s+/).map(Number);
      rows.get(name)?.push({ wall, cpu: user + sys, rss: rss / 1024 });
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const k = s.length >> 1;
  return s.length % 2 ? s[k] : (s[k - 1] + s[k]) / 2;
};
console.log(`mpst check, Big N=${values.n} R=${values.r}, ${values.runs} runs (medians)`);
console.log('build  wall s   CPU s   peak RSS MB   CPU s of each run');
for (const [name, rs] of rows) {
  const cpu = rs.map((r) => r.cpu);
  console.log(
    `${name.padEnd(5)} ${median(rs.map((r) => r.wall))
      .toFixed(2)
      .padStart(7)} ` +
      `${median(cpu).toFixed(2).padStart(7)} ${median(rs.map((r) => r.rss))
        .toFixed(0)
        .padStart(13)}   ` +
      cpu.map((c) => c.toFixed(2)).join(' '),
  );
}
