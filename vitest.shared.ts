/**
 * The Vitest settings every project shares. Each project (packages/*, apps/*, tutorials/*, tools)
 * has a one-line `vitest.config.ts` that re-exports this file; Nx's @nx/vitest plugin sees that
 * file and gives the project a cached `test` target, which runs `vitest run` in the project's
 * folder (so `test/**` below is relative to the project).
 */
import { defineConfig } from 'vitest/config';
import SummaryReporter from './tools/vitest-summary-reporter.ts';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    // The summary reporter must come after 'default': it prints the `N passed, N failed` line
    // that tools/run-tests.mjs sums over the projects, and that line has to be the run's last.
    reporters: ['default', new SummaryReporter()],
    // Tests that spawn processes (tools/test/pack.test.ts) set their own, longer timeouts.
    testTimeout: 20_000,
  },
});
