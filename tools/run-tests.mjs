#!/usr/bin/env node
// `npm test`: every project's `test` target through Nx, then ONE summary line summed over them.
//
//   node tools/run-tests.mjs [affected] [nx options...]
//
// Nx runs (or replays from its cache) one `vitest run` per project; each ends with its own
// `N passed, N failed[, N skipped]` line (tools/vitest-summary-reporter.ts). This script passes
// Nx's output through, reads each test task's last summary line, and prints the sum as the very
// last line, which CI reads (.ci/run). `affected` runs `nx affected -t test` instead of
// `nx run-many -t test`; other arguments go to Nx (e.g. `--projects=@mpst/verify`).
//
// A test task that printed no summary line (it crashed, or its build failed) counts as one
// failed test, and so does a failed Nx run without any counted failure: a broken run never
// reads as "0 failed". The exit code is Nx's (non-zero when any task failed), or 1 if the sum
// has failures.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

const SUMMARY = /^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?$/;
// Nx's header before each task's output, e.g. `> nx run @mpst/verify:test  [local cache]`.
const TASK_HEADER = /^> nx run (\S+?):(\S+)/;
// eslint-disable-next-line no-control-regex -- ANSI colour codes are control characters.
const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;

/** Sums the last summary line of every test task in Nx's (static-style) output. */
export class TestSummary {
  /** task id -> its last summary, or null while none was seen */
  #tasks = new Map();
  #current = undefined;

  /** Feeds one line of Nx's output. */
  line(raw) {
    const text = raw.replace(ANSI, '').trim();
    const header = TASK_HEADER.exec(text);
    if (header) {
      this.#current = header[2] === 'test' ? `${header[1]}:test` : undefined;
      if (this.#current !== undefined && !this.#tasks.has(this.#current)) {
        this.#tasks.set(this.#current, null);
      }
      return;
    }
    const m = SUMMARY.exec(text);
    if (m && this.#current !== undefined) {
      this.#tasks.set(this.#current, {
        passed: Number(m[1]),
        failed: Number(m[2]),
        skipped: Number(m[3] ?? 0),
      });
    }
  }

  /** The total; `nxFailed` says whether Nx itself exited non-zero. */
  total(nxFailed) {
    const sum = { passed: 0, failed: 0, skipped: 0, tasks: this.#tasks.size, missing: [] };
    for (const [task, s] of this.#tasks) {
      if (s === null) {
        sum.failed++;
        sum.missing.push(task);
        continue;
      }
      sum.passed += s.passed;
      sum.failed += s.failed;
      sum.skipped += s.skipped;
    }
    if (nxFailed && sum.failed === 0) sum.failed = 1;
    return sum;
  }
}

/** The summary line (no newline). */
export function formatTotal({ passed, failed, skipped }) {
  return `${passed} passed, ${failed} failed` + (skipped > 0 ? `, ${skipped} skipped` : '');
}

async function main(argv) {
  const root = path.resolve(import.meta.dirname, '..');
  const affected = argv[0] === 'affected';
  const rest = affected ? argv.slice(1) : argv;
  const nx = path.join(root, 'node_modules', 'nx', 'bin', 'nx.js');
  const args = [nx, affected ? 'affected' : 'run-many', '-t', 'test', '--outputStyle=static'];
  const child = spawn(process.execPath, [...args, ...rest], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { NX_DAEMON: 'false', NX_TUI: 'false', ...process.env },
  });
  const summary = new TestSummary();
  const lines = createInterface({ input: child.stdout, crlfDelay: Infinity });
  for await (const line of lines) {
    process.stdout.write(`${line}\n`);
    summary.line(line);
  }
  const code = await new Promise((resolve) => child.on('close', (c) => resolve(c ?? 1)));
  const total = summary.total(code !== 0);
  if (total.missing.length > 0) {
    console.log(`no test summary from ${total.missing.join(', ')} (counted as failed)`);
  }
  console.log(`\nTest summary over ${String(total.tasks)} projects:`);
  console.log(formatTotal(total));
  process.exitCode = code !== 0 ? code : total.failed > 0 ? 1 : 0;
}

const invoked = process.argv[1];
if (invoked !== undefined && import.meta.url === pathToFileURL(invoked).href) {
  await main(process.argv.slice(2));
}
