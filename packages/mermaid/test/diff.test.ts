/**
 * Refactoring diff: before/after sequence diagrams of a protocol, each highlighting what the
 * other lacks. `Name.before.nuscr` and `Name.after.nuscr` under test/fixtures/diff, expected
 * `Name.before.mmd` and `Name.after.mmd`.
 */
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { ADDED_COLOR, refactoringDiff } from '@mpst/mermaid';
import type { ElaboratedProtocol } from '@mpst/projector';
import { analyzeFixture, fixtureDir } from './fixtures.js';

const dir = fixtureDir('diff');

function load(file: string): ElaboratedProtocol {
  const p = analyzeFixture(path.join(dir, file))[0]?.protocol;
  if (!p) throw new Error(`${file}: not elaborated`);
  return p;
}

describe('Commit: crash handling added', () => {
  const diff = refactoringDiff(load('Commit.before.nuscr'), load('Commit.after.nuscr'));

  test('snapshots', async () => {
    await expect(diff.before).toMatchFileSnapshot(path.join(dir, 'Commit.before.mmd'));
    await expect(diff.after).toMatchFileSnapshot(path.join(dir, 'Commit.after.mmd'));
  });

  test('the new crash branch is highlighted as added, the unchanged interactions are not', () => {
    // crash P→C and failed().
    expect(diff.added).toBe(2);
    expect(diff.removed).toBe(0);
    const after = diff.after.split('\n').map((l) => l.trim());
    const option = after.indexOf('option P crashed');
    expect(after.slice(option + 1, option + 6)).toEqual([
      `rect ${ADDED_COLOR}`,
      'r_P--xr_C: crash',
      'r_C->>r_L: failed()',
      'end',
      'end',
    ]);
    expect(after.filter((l) => l.startsWith('rect'))).toHaveLength(1);
    expect(diff.before).not.toContain('rect');
  });

  test('what was removed is highlighted in the before picture', () => {
    const back = refactoringDiff(load('Commit.after.nuscr'), load('Commit.before.nuscr'));
    expect(back.removed).toBe(2);
    expect(back.added).toBe(0);
    expect(back.before).toContain('rect rgb(255, 210, 210)');
  });
});
