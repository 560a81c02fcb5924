// Refactoring the tutorial's Paxos end to end: plan (acceptors A1–A3 unreliable), apply the
// plan, and verify the result from scratch in crash mode; then adapt a proposer's role code to
// the refactored API (the fixture of packages/crash-refactor/test/fixtures/code/paxos-proposer).
// Target: < 2 s per run. Prints each run and the median. Usage: node bench/refactor-paxos.mjs [RUNS=5]   (after `npm run build`)
import { applyPlan, planRefactoring } from '@mpst/crash-refactor';
import { adaptRoleCode } from '@mpst/crash-refactor/code';
import { memoryHost } from '@mpst/scribble';
import { SCRIBBLE_JAVA_MODEL, verifyFiles } from '@mpst/verify';
import { readFileSync } from 'node:fs';

const runs = Number(process.argv[2] ?? 5);
const text = readFileSync(
  new URL('../tutorials/paxos/protocols/Paxos.scr', import.meta.url),
  'utf8',
);
const fixture = (p) =>
  readFileSync(
    new URL(`../packages/crash-refactor/test/fixtures/code/paxos-proposer/${p}`, import.meta.url),
    'utf8',
  );
const code = { fileName: 'proposer.ts', text: fixture('proposer.ts') };
const apiBefore = { fileName: 'Paxos.P1.ts', text: fixture('old/Paxos.P1.ts') };
const apiAfter = { fileName: 'Paxos.P1.ts', text: fixture('new/Paxos.P1.ts') };
const times = [];
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  const plan = planRefactoring(
    text,
    'Paxos',
    { unreliable: ['A1', 'A2', 'A3'] },
    { file: 'Paxos.scr' },
  );
  const t1 = performance.now();
  const applied = applyPlan(text, plan);
  const t2 = performance.now();
  const v = verifyFiles(
    ['Paxos.scr'],
    memoryHost({ 'Paxos.scr': applied.output }),
    SCRIBBLE_JAVA_MODEL,
  );
  const t3 = performance.now();
  const adapted = adaptRoleCode(code, apiBefore, apiAfter);
  const t4 = performance.now();
  if (adapted.diagnostics.length > 0 || adapted.changes.length === 0) {
    console.log(`run ${i + 1}: the proposer's code was not adapted`);
    process.exitCode = 1;
  }
  const verdict = v.results[0]?.verdict;
  if (plan.verdict !== 'verified' || verdict !== 'verified') {
    console.log(`run ${i + 1}: not verified (plan ${plan.verdict}, check ${verdict})`);
    process.exitCode = 1;
  }
  const total = t4 - t0;
  times.push(total);
  console.log(
    `run ${i + 1}: plan ${(t1 - t0).toFixed(0)} ms, apply ${(t2 - t1).toFixed(0)} ms, ` +
      `verify ${(t3 - t2).toFixed(0)} ms (${v.results[0]?.states ?? '?'} states), ` +
      `adapt code ${(t4 - t3).toFixed(0)} ms, total ${total.toFixed(0)} ms`,
  );
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)] ?? 0;
console.log(`refactor-paxos: median ${median.toFixed(0)} ms over ${runs} runs (target < 2000 ms)`);
if (median >= 2000) process.exitCode = 1;
