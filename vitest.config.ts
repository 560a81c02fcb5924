import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'packages/*/test/**/*.test.ts',
      'apps/*/test/**/*.test.ts',
      'tutorials/*/test/**/*.test.ts',
      'tools/test/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', '**/dist/**'],
    // The summary reporter must come after 'default': it prints the `N passed, N failed` line
    // that CI reads, and that line has to be the last one of the run.
    reporters: ['default', './tools/vitest-summary-reporter.ts'],
    // Tests that spawn processes (tools/test/pack.test.ts) set their own, longer timeouts.
    testTimeout: 20_000,
  },
});
