/**
 * What every step folder's test checks (one call per step test file):
 * - the protocol checks without a diagnostic and the model checker verifies it (@mpst/verify);
 * - generated/ and diagrams/ are what tools/generate-artifacts.mjs makes (compiling is
 *   test/compile.test.ts's part, one TypeScript program for every step);
 * - the role code (`roles.ts`) passes `runs` seeded simulations (default 1,000) with no property
 *   violated, and the runs differ (their data comes from the seed).
 * The runs per second are printed, not asserted (speed targets belong to bench/).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeFiles } from '@mpst/projector';
import { nodeHost } from '@mpst/scribble/node';
import { verifyFiles } from '@mpst/verify';
import { describe, expect, test } from 'vitest';
import { runMany, runStep, type StepModule } from '../../src/kit.js';
// tools/generate-artifacts.mjs is a plain Node script in no Nx project (like tools/corpus.ts).
// eslint-disable-next-line @nx/enforce-module-boundaries
import {
  checkFolder,
  fixCommand,
  planFolder,
  ROOT,
} from '../../../../tools/generate-artifacts.mjs';

export const STEPS = fileURLToPath(new URL('../../steps/', import.meta.url));

export interface SuiteOptions<O> {
  /** The folder under steps/, e.g. `01-one-acceptor`. */
  readonly folder: string;
  readonly load: () => Promise<{ default: StepModule<O> }>;
  readonly runs?: number;
  /** How many distinct observations the first 50 runs must show at least (the seed draws data). */
  readonly distinct?: number;
}

export function stepSuite<O>({ folder, load, runs = 1000, distinct = 5 }: SuiteOptions<O>): void {
  const dir = path.join(STEPS, folder);
  describe(`${folder}: the protocol`, () => {
    test('checks without diagnostics and verifies (safety, progress, eventual reception)', () => {
      const { protocolFile, protocol } = planFolder(dir);
      const analysis = analyzeFiles([protocolFile], nodeHost, { protocol });
      expect(analysis.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
      const v = verifyFiles([protocolFile], nodeHost, { protocol });
      expect(v.results.map((r) => [r.protocol, r.verdict])).toEqual([
        [expect.stringContaining(protocol), 'verified'],
      ]);
    });

    test('generated/ and diagrams/ are up to date', () => {
      const rel = path.relative(ROOT, dir);
      expect(checkFolder(dir), `run: ${fixCommand([rel])}`).toEqual([]);
    });
  });

  describe(`${folder}: the role code`, () => {
    test('the module names the protocol and one spec per role', async () => {
      const step = (await load()).default;
      const { protocol } = planFolder(dir);
      expect(step.protocol).toBe(protocol);
      expect(step.specs.map((s) => s.protocol)).toEqual(
        step.specs.map(() => `${protocol}.${protocol}`),
      );
    });

    test(`passes ${String(runs)} seeded simulation runs`, async () => {
      const step = (await load()).default;
      const many = await runMany(step, { count: runs });
      console.info(`[${folder}] ${String(runs)} runs, ${many.runsPerSecond.toFixed(0)} runs/s`);
      expect(many.failures.slice(0, 3)).toEqual([]);
    }, 120_000);

    test('the seed draws the data: runs differ, and the same seed replays the same run', async () => {
      const step = (await load()).default;
      const seen = new Set<string>();
      for (let seed = 1; seed <= 50; seed++)
        seen.add(JSON.stringify((await runStep(step, seed)).observation));
      expect(seen.size).toBeGreaterThanOrEqual(distinct);
      const [a, b] = [await runStep(step, 7), await runStep(step, 7)];
      expect(b.observation).toEqual(a.observation);
      expect(b.result.trace).toEqual(a.result.trace);
    });
  });
}
