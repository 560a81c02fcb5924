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

const STARVE = `global protocol Starve(role A, role B, role C) {
  rec X { choice at A { ping() from A to B; continue X; } or { stop() from A to B; stop() from A to C; } }
}
`;
const LINKED = `global protocol Linked(reliable role S, role C, reliable role L) {
  choice at C { req(Int) from C to S; log() from S to L; } or { crash from C to S; abort() from S to L; }
}
`;

describe('mpst verify', () => {
  test('a safe protocol: exit 0, verdict and figures', () => {
    const r = run(['verify', 'PingCrash.scr'], { 'PingCrash.scr': fixture('PingCrash.scr') });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // PingCrash's queues may grow without bound: k-exhaustive with k = 1.
    expect(r.stdout).toMatch(
      /: verified for every queue length \(k-exhaustive, k = 1\) — \d+ states, \d+ transitions/,
    );
  });

  test('a violation: exit 1, the trace and the Mermaid text', () => {
    const r = run(['verify', 'Stuck.scr'], { 'Stuck.scr': STUCK });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('stuck: B cannot receive v(Int) from A');
    expect(r.stdout).toContain('1. A  B!go()');
    expect(r.stdout).toContain('sequenceDiagram\n  participant r_A as A');
    // Drawn by @mpst/mermaid: v(Int), sent at step 3, is never received. (A's choice sends
    // go() either way: the k search explores queues of capacity 1, where B takes go() first.)
    expect(r.stdout).toContain('r_A->>r_B: go() (1→2)');
    expect(r.stdout).toContain('r_A--)r_B: v(Int) (3, not received)');
  });

  test('--format json', () => {
    const r = run(['verify', 'Stuck.scr', '--format', 'json'], { 'Stuck.scr': STUCK });
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout) as {
      verdict: string;
      violations: { kind: string; trace: { role: string; label: string }[] }[];
    };
    expect(j.verdict).toBe('violation');
    expect(j.violations[0]?.kind).toBe('stuck');
    expect(j.violations[0]?.trace.map((s) => `${s.role} ${s.label}`)).toEqual([
      'A B!go()',
      'B A?go()',
      'A B!v(Int)',
    ]);
    // The counterexample also as Mermaid text, drawn by @mpst/mermaid.
    expect((j.violations[0] as { mermaid?: string } | undefined)?.mermaid).toMatch(
      /^sequenceDiagram\n {2}participant r_A as A\n/,
    );
  });

  test('--bound: inconclusive beyond the bound, exit 3', () => {
    const r = run(['verify', 'Loop.nuscr', '--bound', '2'], { 'Loop.nuscr': LOOP });
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('inconclusive beyond bound 2');
  });

  test('--max-states: inconclusive, exit 3', () => {
    const r = run(['verify', 'Loop.nuscr', '--max-states', '2'], { 'Loop.nuscr': LOOP });
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('stopped after 2 states');
  });

  test('--capacity, --properties and --fair: progress under unfair choice, exit 1; fair, exit 0', () => {
    const unfair = run(['verify', 'Loop.nuscr', '--capacity', '1'], { 'Loop.nuscr': STARVE });
    expect(unfair.code).toBe(1);
    expect(unfair.stdout).toContain(
      'progress (unfair output choice): C can never act again while A, B loop forever',
    );
    expect(unfair.stdout).toContain('then forever (2 steps):');
    // The ping sent before the loop is received in it; the loop's own ping, the next time round.
    expect(unfair.stdout).toContain(
      '  r_A->>r_B: ping() (1→2)\n  loop forever\n    r_A->>r_B: ping() (3→2 in the next round)\n  end',
    );
    expect(
      run(['verify', 'Loop.nuscr', '--capacity', '1', '--fair'], { 'Loop.nuscr': STARVE }).code,
    ).toBe(0);
    expect(
      run(['verify', 'Loop.nuscr', '--capacity', '1', '--properties', 'safety,reception'], {
        'Loop.nuscr': STARVE,
      }).code,
    ).toBe(0);
  });

  test('--unreliable-link: the receiver takes its crash branch', () => {
    const ok = run(['verify', 'Crash.nuscr', '--capacity', '1', '--unreliable-link', 'C->S'], {
      'Crash.nuscr': LINKED,
    });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('links may fail: C->S');
    const bad = run(
      ['verify', 'Crash.nuscr', '--capacity', '1', '--unreliable-link', 'S->L', '--format', 'json'],
      { 'Crash.nuscr': LINKED },
    );
    expect(bad.code).toBe(1);
    const j = JSON.parse(bad.stdout) as {
      violations: { kind: string; trace: { kind: string; role: string; peer?: string }[] }[];
    };
    expect(j.violations[0]?.kind).toBe('unfinished');
    expect(j.violations[0]?.trace.find((s) => s.kind === 'link-fails')).toMatchObject({
      role: 'S',
      peer: 'L',
    });
  });

  test('usage errors: exit 2', () => {
    expect(
      run(['verify', 'Loop.nuscr', '--properties', 'safety,liveness'], { 'Loop.nuscr': LOOP }).code,
    ).toBe(2);
    expect(run(['verify', 'Loop.nuscr', '--capacity', '0'], { 'Loop.nuscr': LOOP }).code).toBe(2);
    expect(
      run(['verify', 'Loop.nuscr', '--unreliable-link', 'A'], { 'Loop.nuscr': LOOP }).code,
    ).toBe(2);
    expect(
      run(['verify', 'Loop.nuscr', '--unreliable-link', 'A->Z'], { 'Loop.nuscr': LOOP }).code,
    ).toBe(2);
    const self = run(['verify', 'Loop.nuscr', '--unreliable-link', 'A->A'], { 'Loop.nuscr': LOOP });
    expect(self.code).toBe(2);
    expect(self.stderr).toContain('A->A');
    const twice = run(
      ['verify', 'Loop.nuscr', '--unreliable-link', 'A->B', '--unreliable-link', 'A -> B'],
      { 'Loop.nuscr': LOOP },
    );
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('twice');
    const zero = run(['verify', 'Loop.nuscr', '--bound', '0'], { 'Loop.nuscr': LOOP });
    expect(zero.code).toBe(2);
    expect(zero.stderr).toContain('--bound must be an integer >= 1');
    expect(run(['verify', 'Loop.nuscr', '--bound', 'x'], { 'Loop.nuscr': LOOP }).code).toBe(2);
    expect(run(['verify', 'Loop.nuscr', '--max-states', '0'], { 'Loop.nuscr': LOOP }).code).toBe(2);
    expect(run(['verify', 'Loop.nuscr', '--format', 'dot'], { 'Loop.nuscr': LOOP }).code).toBe(2);
    expect(run(['verify'], {}).code).toBe(2);
    expect(run(['verify', 'missing.scr'], {}).code).toBe(2);
  });

  test('--format json with invalid options: the result with its coded `invalid` list on stdout, exit 2', () => {
    const cases: readonly (readonly [string[], string])[] = [
      [['--unreliable-link', 'A->Z'], 'unknown-role'],
      [['--unreliable-link', 'A->A'], 'self-link'],
      [['--unreliable-link', 'A->B', '--unreliable-link', 'A -> B'], 'duplicate-link'],
    ];
    for (const [args, code] of cases) {
      const r = run(['verify', 'Loop.nuscr', ...args, '--format', 'json'], { 'Loop.nuscr': LOOP });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toBe('');
      const j = JSON.parse(r.stdout) as {
        verdict: string;
        states: number;
        invalid: { code: string; message: string }[];
      };
      expect(j.verdict).toBe('invalid');
      expect(j.states).toBe(0);
      expect(j.invalid.map((e) => e.code)).toEqual([code]);
    }
    // In text, the same is a usage error.
    const text = run(['verify', 'Loop.nuscr', '--unreliable-link', 'A->Z'], { 'Loop.nuscr': LOOP });
    expect(text.code).toBe(2);
    expect(text.stdout).toBe('');
    expect(text.stderr).toContain("unreliable link A->Z: no role 'Z' in 'Loop'");
  });

  test('--format json with an unreadable file: a JSON report with MPST121 on stdout, exit 2', () => {
    const r = run(['verify', 'missing.scr', '--format', 'json'], {});
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('');
    const j = JSON.parse(r.stdout) as {
      files: string[];
      diagnostics: { code: string; severity: string; message: string }[];
      summary: { errors: number };
    };
    expect(j.files).toEqual(['missing.scr']);
    expect(j.diagnostics).toMatchObject([
      { code: 'MPST121', severity: 'error', message: 'cannot read file `missing.scr`' },
    ]);
    expect(j.summary.errors).toBe(1);
    // In text: a message on stderr, as before.
    const text = run(['verify', 'missing.scr'], {});
    expect(text.code).toBe(2);
    expect(text.stderr).toContain("cannot read file 'missing.scr'");
  });

  test('a protocol with errors: exit 1, diagnostics on stderr', () => {
    const r = run(['verify', 'Bad.nuscr'], {
      'Bad.nuscr': 'global protocol P(role A, role B) { m() from A to C; }',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('MPST');
  });

  test('--format json with errors in the file: the diagnostics as JSON on stdout, exit 1', () => {
    const files = {
      'Bad.nuscr': 'global protocol P(role A, role B) { m() from A to C; }',
      'Unprojectable.nuscr':
        'global protocol P(role A, role B, role C) {\n  choice at A { a() ' +
        'from A to B; c() from C to B; } or { b() from A to B; }\n}\n',
    };
    for (const file of Object.keys(files)) {
      const r = run(['verify', file, '--format', 'json'], files);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toBe('');
      const j = JSON.parse(r.stdout) as {
        files: string[];
        diagnostics: { code: string; severity: string }[];
        summary: { errors: number };
      };
      expect(j.files).toEqual([file]);
      expect(j.summary.errors).toBeGreaterThan(0);
      expect(j.diagnostics.some((d) => d.severity === 'error' && d.code.startsWith('MPST'))).toBe(
        true,
      );
    }
  });

  test('help', () => {
    const r = run(['verify', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: mpst verify FILE');
    expect(run(['--help']).stdout).toContain('verify FILE');
  });
});
