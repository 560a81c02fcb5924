// `mpst check --max-states N`: a model too large for the limit is a warning (MPST306), not an error.
import { describe, expect, test } from 'vitest';
import { run } from './run.js';

const LOOP = `global protocol Ping(role A, role B) {
  rec X { choice at A { ping() from A to B; pong() from B to A; continue X; } or { stop() from A to B; } }
}
`;

describe('mpst check --max-states', () => {
  test('a limit the model exceeds: warning MPST306, exit 0', () => {
    const r = run(['check', 'p.nuscr', '--max-states', '2'], { 'p.nuscr': LOOP });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('warning[MPST306]');
    expect(r.stdout).toContain('0 errors, 1 warning');
  });

  test('without a limit the same protocol is verified', () => {
    const r = run(['check', 'p.nuscr'], { 'p.nuscr': LOOP });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('0 errors, 0 warnings');
  });

  test('a limit that is not a positive integer: exit 2', () => {
    const r = run(['check', 'p.nuscr', '--max-states', '0'], { 'p.nuscr': LOOP });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--max-states must be an integer >= 1');
  });
});
