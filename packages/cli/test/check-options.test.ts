// `mpst check` options: --max-states (a model too large for the limit is a warning, MPST306,
// not an error; long model checks report progress on stderr) and --format json.
import { describe, expect, test } from 'vitest';
import { run } from './run.js';

const LOOP = `global protocol Ping(role A, role B) {
  rec X { choice at A { ping() from A to B; pong() from B to A; continue X; } or { stop() from A to B; } }
}
`;

/**
 * Four reliable senders S0..S3, each sending seven messages to its own receiver R0..R3, which
 * may crash: crashes and full one-message queues leave little for partial-order reduction to
 * cut, so the model has over 250,000 configurations (a progress line is printed every
 * 250,000) yet is checked in about a second.
 */
function wide(): string {
  const roles = [0, 1, 2, 3]
    .map((i) => `reliable role S${String(i)}, role R${String(i)}`)
    .join(', ');
  const lines: string[] = [];
  for (let j = 0; j < 7; j++)
    for (let i = 0; i < 4; i++)
      lines.push(`  m${String(j)}() from S${String(i)} to R${String(i)};`);
  return `global protocol Wide(${roles}) {\n${lines.join('\n')}\n}\n${LOOP}`;
}

describe('mpst check --max-states', () => {
  test('progress lines on stderr name the protocol being checked', () => {
    const r = run(['check', 'w.nuscr'], { 'w.nuscr': wide() });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('0 errors, 0 warnings');
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    expect(lines.length).toBeGreaterThan(0);
    // Only Wide is big enough to report progress; Ping (also in the file) is not.
    for (const l of lines)
      expect(l).toMatch(
        /^mpst check: model checking Wide, \d+ states(?: \(unfair-choice model\))?, \d+ states\/s$/,
      );
  });

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

describe('mpst check --format json', () => {
  test('an unreadable file is still JSON on stdout (MPST121), exit 2', () => {
    const r = run(['check', 'missing.scr', '--format', 'json'], {});
    expect(r.code).toBe(2);
    const report = JSON.parse(r.stdout) as { diagnostics: { code: string }[] };
    expect(report.diagnostics.map((d) => d.code)).toEqual(['MPST121']);
  });
});
