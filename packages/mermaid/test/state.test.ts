/**
 * EFSM → stateDiagram-v2, one per role. Each protocol under test/fixtures/state has the
 * expected diagram of each role next to it (`Name.Role.mmd`).
 */
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { efsmToState } from '@mpst/mermaid';
import { analyzeFixture, fixtureDir, protocolFiles, stem } from './fixtures.js';

const dir = fixtureDir('state');

describe('snapshots', () => {
  test.each(protocolFiles(dir))('%s', async (rel) => {
    for (const p of analyzeFixture(path.join(dir, rel))) {
      for (const r of p.roles) {
        if (!r.efsm) throw new Error(`${rel}: no EFSM for ${r.role}`);
        await expect(efsmToState(r.efsm)).toMatchFileSnapshot(
          path.join(dir, `${stem(rel)}.${r.role}.mmd`),
        );
      }
    }
  });
});

describe('structure', () => {
  const [failover] = analyzeFixture(path.join(dir, 'Failover.nuscr'));
  const efsmOf = (role: string) => {
    const e = failover?.roles.find((r) => r.role === role)?.efsm;
    if (!e) throw new Error(`no EFSM for ${role}`);
    return e;
  };

  test('initial and terminal states', () => {
    const text = efsmToState(efsmOf('C'));
    expect(text).toContain('[*] --> s0');
    const terminal = efsmOf('C').states.filter((s) => s.terminal);
    expect(terminal.length).toBe(1);
    expect(text).toContain(`s${String(terminal[0]!.id)} --> [*]`);
  });

  test('sends and receives carry the EFSM labels', () => {
    const text = efsmToState(efsmOf('C'));
    expect(text).toMatch(/s0 --> s\d+: W!job\(Int\)/);
    expect(text).toMatch(/--> s\d+: S\?done\(Int\)/);
  });

  test('options: title and left-to-right layout', () => {
    const text = efsmToState(efsmOf('C'), { title: 'C: "the client"', direction: 'LR' });
    expect(text.split('\n').slice(0, 5)).toEqual([
      '---',
      'title: "C: \\"the client\\""',
      '---',
      'stateDiagram-v2',
      '  direction LR',
    ]);
  });

  test('every crash-detection transition goes through a marker state of the crash class, and only those', () => {
    const efsm = efsmOf('S');
    const crashes = efsm.transitions.filter((t) => t.action.kind === 'crash');
    expect(crashes.length).toBeGreaterThan(0);
    const text = efsmToState(efsm);
    const markers = [...text.matchAll(/state "W\?crash" as (x\d+)/g)].map((m) => m[1]);
    expect(markers).toHaveLength(crashes.length);
    expect(text).toContain(`class ${markers.join(',')} crash`);
    expect(text).not.toMatch(/: W\?crash/);
    expect(efsmToState(efsmOf('C'))).not.toContain('class x');
  });
});
