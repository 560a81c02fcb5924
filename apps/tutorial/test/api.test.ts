/**
 * The API panel's pure part, in Node: for every step and example, each role's API computed in
 * the page is exactly the module `mpst codegen` wrote into the folder's generated/ (committed,
 * and kept current by the build); an edit that breaks the protocol gives its problems instead.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { roleApi } from '../src/api.js';
import { discoverSteps } from '../src/steps.js';
import { repoRoot, tutorialFiles } from './site.js';

const { steps } = discoverSteps(tutorialFiles());
/** The steps with a generated/ of their own (a step borrowing another's protocol has none). */
const withApi = steps.filter((s) => existsSync(path.join(repoRoot, s.dir, 'generated')));

describe("the page's API is mpst codegen's", () => {
  test('most steps and every example have a generated API', () => {
    expect(withApi.length).toBeGreaterThanOrEqual(steps.length - 1);
  });

  test.each(withApi.map((s) => [s.id, s] as const))('%s', (_, step) => {
    const dir = path.join(repoRoot, step.dir, 'generated');
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const f of files) {
      const [protocol = '', role = ''] = f.split('.');
      const api = roleApi(step.protocolFile, step.protocol, protocol, role);
      if (!api.ok) throw new Error(api.problems.join('\n'));
      expect(api.fileName).toBe(f);
      expect(api.text).toBe(readFileSync(path.join(dir, f), 'utf8'));
    }
  });
});

test('a broken protocol gives its problems, positioned', () => {
  const step = steps[0];
  if (!step) throw new Error('no step');
  const protocol = step.protocolFile.replace(/\.scr$/, '');
  const broken = step.protocol.replace(/ from P to A;/, ' from P to Q;');
  expect(broken).not.toBe(step.protocol);
  const api = roleApi(step.protocolFile, broken, protocol, 'A');
  expect(api.ok).toBe(false);
  if (!api.ok) expect(api.problems.join('\n')).toMatch(/^\d+:\d+ MPST\d+ .*\bQ\b/m);
});
