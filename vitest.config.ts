/**
 * Every project's tests in one Vitest process, for editors and ad-hoc runs from the root
 * (`npx vitest run packages/verify`). `npm test` does not use this file: it runs each project's
 * own `test` target through Nx (see tools/run-tests.mjs), which caches per project.
 */
import { defineConfig } from 'vitest/config';
import SummaryReporter from './tools/vitest-summary-reporter.ts';

export default defineConfig({
  test: {
    projects: [
      'packages/*/vitest.config.ts',
      'apps/*/vitest.config.ts',
      'tutorials/*/vitest.config.ts',
      'tools/test/vitest.config.ts',
    ],
    reporters: ['default', new SummaryReporter()],
  },
});
