/**
 * Verifier counterexample → sequenceDiagram. Each protocol under test/fixtures/counterexample
 * is model-checked by @mpst/verify; the expected diagram of its (first) violation is next to
 * it (`Name.mmd`).
 */
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { counterexampleToSequence } from '@mpst/mermaid';
import { nodeHost } from '@mpst/scribble/node';
import { verifyFiles, type VerifyResult } from '@mpst/verify';
import { fixtureDir, protocolFiles, stem } from './fixtures.js';

const dir = fixtureDir('counterexample');

function verify(rel: string): VerifyResult {
  const file = path.join(dir, rel);
  // Queues of capacity 1, scribble-java's model: a looping protocol is then explored exactly.
  const r = verifyFiles([file], nodeHost, { importPaths: [dir], capacity: 1 });
  expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([]);
  const [result] = r.results;
  if (!result) throw new Error(`${rel}: not verified`);
  return result;
}

function picture(rel: string): string {
  const r = verify(rel);
  const [v] = r.violations;
  if (!v) throw new Error(`${rel}: no violation`);
  const reliable = r.roles.filter((x) => r.crashStop && !r.unreliable.includes(x));
  return counterexampleToSequence(r.roles, v, { reliable });
}

describe('snapshots', () => {
  test.each(protocolFiles(dir))('%s', async (rel) => {
    await expect(picture(rel)).toMatchFileSnapshot(path.join(dir, `${stem(rel)}.mmd`));
  });
});

describe('structure', () => {
  const lines = picture('Detect.nuscr')
    .trimEnd()
    .split('\n')
    .map((l) => l.trim());

  test('messages carry their step numbers, sent → received', () => {
    expect(lines).toContain('r_C->>r_W: job(Int) (1→2)');
  });

  test('a message never received is an open dotted arrow', () => {
    expect(lines).toContain('r_C--)r_S: redo(Int) (6, not received)');
  });

  test('the crash ends the lifeline at the crash detection, which is a dotted cross from the crashed role', () => {
    const i = lines.indexOf('destroy r_W');
    expect(lines[i + 1]).toBe('r_W--xr_C: C detects the crash of W (5)');
    expect(lines).toContain('r_W-xr_W: crash (4)');
  });

  test('the violation is the last note, over the roles at fault', () => {
    expect(lines.at(-1)).toBe(
      'Note over r_S: orphan: S has finished, but redo(Int) from C will never be received',
    );
  });

  test('reliable roles are marked', () => {
    expect(lines).toContain('participant r_C as C (reliable)');
    expect(lines).toContain('participant r_W as W');
  });
});
