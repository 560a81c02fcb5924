// Types for tools/run-tests.mjs (a plain Node script, so that `npm test` starts without a
// TypeScript loader), for its test in tools/test.
export interface Total {
  passed: number;
  failed: number;
  skipped: number;
  tasks: number;
  missing: string[];
}
export declare class TestSummary {
  line(raw: string): void;
  total(nxFailed: boolean): Total;
}
export declare function formatTotal(total: Pick<Total, 'passed' | 'failed' | 'skipped'>): string;
