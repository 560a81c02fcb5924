// Runs the fast-check parser property in a worker thread, so that the test in fuzz.test.ts can
// time the whole run and terminate it if the parser hangs (a synchronous infinite loop would
// otherwise block the test runner itself). Before each parse the worker posts the case it is
// about to try, so a hang is reported with its input.
import { parentPort, workerData } from 'node:worker_threads';
import fc from 'fast-check';
import { parse } from '@mpst/scribble';
import { TOKENS, applyMutations, checkParse } from './fuzz-kit.mjs';

/** @type {{ seeds: { name: string, text: string }[], numRuns: number, seed: number | undefined }} */
const { seeds, numRuns, seed } = workerData;

const raw = fc.nat({ max: 0x7fffffff });
/** Mostly short ranges (a token or a line), sometimes anything up to the whole text. */
const rawLen = fc.oneof(
  { weight: 4, arbitrary: fc.nat({ max: 31 }) },
  { weight: 1, arbitrary: raw },
);
const mutation = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('delete'), at: raw, len: rawLen }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('duplicate'), at: raw, len: rawLen, to: raw }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('insert'),
      at: raw,
      token: fc.nat({ max: TOKENS.length - 1 }),
      spaced: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('swap'),
      at: raw,
      len: rawLen,
      at2: raw,
      len2: rawLen,
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate'), at: raw }) },
);

let cases = 0;
const property = fc.property(
  fc.nat({ max: seeds.length - 1 }),
  fc.array(mutation, { minLength: 1, maxLength: 4 }),
  (seedIndex, mutations) => {
    const s = seeds[seedIndex];
    const text = applyMutations(s.text, mutations);
    cases++;
    parentPort.postMessage({ kind: 'case', seed: s.name, mutations });
    const violations = checkParse(parse, text, 'fuzz.scr');
    if (violations.length > 0) {
      throw new Error(
        `${violations.length} violation(s) on ${s.name} mutated:\n  ` +
          `${violations.slice(0, 5).join('\n  ')}\ntext: ${JSON.stringify(text).slice(0, 2000)}`,
      );
    }
  },
);

const started = performance.now();
const details = fc.check(property, seed === undefined ? { numRuns } : { numRuns, seed });
parentPort.postMessage({
  kind: 'done',
  failed: details.failed,
  numRuns: details.numRuns,
  cases,
  seed: details.seed,
  ms: performance.now() - started,
  report: details.failed
    ? `${fc.defaultReportMessage(details)}\n` +
      (details.errorInstance instanceof Error
        ? details.errorInstance.message
        : String(details.errorInstance))
    : undefined,
});
