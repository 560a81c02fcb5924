/** `mpst verify`: verdicts, exit codes, text and JSON output, options. */
import { describe, expect, test } from 'vitest';
import { fixture, run } from './run.js';

const STUCK = `module Stuck;
type <java> "java.lang.Integer" from "rt.jar" as Int;
type <java> "java.lang.String" from "rt.jar" as Str;
global protocol Stuck(role A, role B) {
  choice at A { go() from A to B; v(Int) from A to B; } or { go() from A to B; v(Str) from A to B; }
}
`;
const LOOP = `global protocol Loop(role A, role B) {
  rec X { choice at A { ping() from A to B; continue X; } or { bye() from A to B; } }
}
`;

describe('mpst verify', () => {
  test('a safe protocol: exit 0, verdict and figures', () => {
    const r = run(['verify', 'PingCrash.scr'], { 'PingCrash.scr': fixture('PingCrash.scr') });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/: verified — \d+ states, \d+ transitions/);
  });

  test('a violation: exit 1, the trace and the Mermaid text', () => {
    const r = run(['verify', 'Stuck.scr'], { 'Stuck.scr': STUCK });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('stuck: B cannot receive v(Int) from A');
    expect(r.stdout).toContain('1. A  B!go()');
    expect(r.stdout).toContain('sequenceDiagram\n  participant r_A as A');
    expect(r.stdout).toContain('r_A->>r_B: v(Int)');
  });

  test('--format json', () => {
    const r = run(['verify', 'Stuck.scr', '--format', 'json'], { 'Stuck.scr': STUCK });
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout) as { verdict: string; violations: { kind: string; trace: { role: string; label: string }[] }[] };
    expect(j.verdict).toBe('violation');
    expect(j.violations[0]?.kind).toBe('stuck');
    expect(j.violations[0]?.trace.map((s) => `${s.role} ${s.label}`)).toEqual(['A B!go()', 'A B!v(Int)', 'B A?go()']);
  });

  test('--bound: inconclusive beyond the bound, exit 3', () => {
    const r = run(['verify', 'Loop.nuscr', '--bound', '2'], { 'Loop.nuscr': LOOP });
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('inconclusive beyond bound 2');
  });

  test('--max-states: inconclusive, exit 3', () => {
    const r = run(['verify', 'Loop.nuscr', '--max-states', '5'], { 'Loop.nuscr': LOOP });
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('stopped after 5 states');
  });

  test('usage errors: exit 2', () => {
    expect(run(['verify', 'Loop.nuscr', '--bound', 'x'], { 'Loop.nuscr': LOOP }).code).toBe(2);
    expect(run(['verify', 'Loop.nuscr', '--max-states', '0'], { 'Loop.nuscr': LOOP }).code).toBe(2);
    expect(run(['verify', 'Loop.nuscr', '--format', 'dot'], { 'Loop.nuscr': LOOP }).code).toBe(2);
    expect(run(['verify'], {}).code).toBe(2);
    expect(run(['verify', 'missing.scr'], {}).code).toBe(2);
  });

  test('a protocol with errors: exit 1, diagnostics on stderr', () => {
    const r = run(['verify', 'Bad.nuscr'], { 'Bad.nuscr': 'global protocol P(role A, role B) { m() from A to C; }' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('MPST');
  });

  test('help', () => {
    const r = run(['verify', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: mpst verify FILE');
    expect(run(['--help']).stdout).toContain('verify FILE');
  });
});
