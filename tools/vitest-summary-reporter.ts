/**
 * A Vitest reporter that prints one machine-readable line as the very last line of the run:
 *
 *     N passed, N failed            (or `N passed, N failed, N skipped` when something was skipped)
 *
 * CI reads it (see .ci/run). Counts are individual test cases, with two additions so that a
 * broken run can never read as "0 failed":
 *   - a test file that fails outside any test case (syntax/import error during collection, a
 *     failing beforeAll/afterAll hook) counts as one failed case;
 *   - every unhandled error of the run counts as one failed case.
 * A test that never finished (state `pending`, e.g. the run was interrupted) counts as failed.
 *
 * It runs after the default reporter (it is listed second in vitest.config.ts, and Vitest calls
 * reporters in order), so its line comes after Vitest's own summary. If anything is still written
 * to stdout/stderr after that (e.g. a late warning while Vitest shuts down), the line is printed
 * again when the process exits, so it stays last.
 */
import { writeSync } from 'node:fs';
import type { Reporter, SerializedError, TestModule } from 'vitest/node';

export interface Summary {
  passed: number;
  failed: number;
  skipped: number;
}

/** Counts the cases of a finished run; exported for tests. */
export function summarize(
  testModules: readonly TestModule[],
  unhandledErrors: readonly SerializedError[],
): Summary {
  const summary: Summary = { passed: 0, failed: 0, skipped: 0 };
  for (const testModule of testModules) {
    for (const testCase of testModule.children.allTests()) {
      const state = testCase.result().state;
      if (state === 'passed') summary.passed++;
      else if (state === 'skipped') summary.skipped++;
      else summary.failed++; // 'failed', or 'pending' = never finished
    }
    if (testModule.errors().length > 0) summary.failed++;
  }
  summary.failed += unhandledErrors.length;
  return summary;
}

/** The exact summary line (without the newline). */
export function formatSummary({ passed, failed, skipped }: Summary): string {
  return `${passed} passed, ${failed} failed` + (skipped > 0 ? `, ${skipped} skipped` : '');
}

export default class SummaryReporter implements Reporter {
  #line: string | undefined;
  #writtenAfterLine = false;
  #hooked = false;

  onTestRunEnd(
    testModules: readonly TestModule[],
    unhandledErrors: readonly SerializedError[],
  ): void {
    this.#line = formatSummary(summarize(testModules, unhandledErrors));
    process.stdout.write(`${this.#line}\n`);
    this.#writtenAfterLine = false;
    this.#watchLaterOutput();
  }

  /** Notes any output after our line, and re-prints the line at exit if there was some. */
  #watchLaterOutput(): void {
    if (this.#hooked) return;
    this.#hooked = true;
    for (const stream of [process.stdout, process.stderr]) {
      const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
      stream.write = (...args: unknown[]): boolean => {
        this.#writtenAfterLine = true;
        return write(...args);
      };
    }
    process.once('exit', () => {
      if (this.#writtenAfterLine && this.#line !== undefined) writeSync(1, `${this.#line}\n`);
    });
  }
}
