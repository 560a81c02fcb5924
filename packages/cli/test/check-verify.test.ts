/** `mpst check` model-checks every protocol (as scribble-java does) unless `--no-verify`. */
import { describe, expect, test } from 'vitest';
import { run } from './run.js';

// B learns A's choice from go(), which starts both branches: B may take the wrong go() edge
// (scribble-java keeps both) and then expect y() while A sends x().
const STUCK = `module Stuck;
global protocol Stuck(role A, role B) {
  choice at A {
    go() from A to B;
    x() from A to B;
  } or {
    go() from A to B;
    y() from A to B;
  }
}
`;
// If A always chooses ping(), C waits for stop() for ever: a violation unless choice is fair.
const STARVE = `module Starve;
global protocol Starve(role A, role B, role C) {
  rec X {
    choice at A {
      ping() from A to B;
      continue X;
    } or {
      stop() from A to B;
      stop() from A to C;
    }
  }
}
`;

describe('mpst check: verification', () => {
  test('a safety violation is an error at the interaction, with the counterexample as notes', () => {
    const r = run(['check', 'Stuck.scr'], { 'Stuck.scr': STUCK });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /^Stuck\.scr:5:5: error\[MPST300\]: `Stuck`: stuck: B cannot receive x\(\) from A/m,
    );
    expect(r.stdout).toContain('note: counterexample: A B!go(), B A?go(), A B!x()');
    expect(r.stdout).toContain('checked 1 file: 1 error, 0 warnings');
  });

  test('--no-verify skips it', () => {
    const r = run(['check', '--no-verify', 'Stuck.scr'], { 'Stuck.scr': STUCK });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('checked 1 file: 0 errors, 0 warnings');
  });

  test('progress under unfair choice by default; --fair accepts', () => {
    const r = run(['check', 'Starve.scr'], { 'Starve.scr': STARVE });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /^Starve\.scr:9:7: error\[MPST304\]: `Starve`: progress: C can never act again while A, B loop forever/m,
    );
    expect(r.stdout).toContain('then for ever: B A?ping(), A B!ping()');
    expect(run(['check', '--fair', 'Starve.scr'], { 'Starve.scr': STARVE }).code).toBe(0);
  });

  test('a role that may crash but need not: its loop is checked in the scenario where it does not', () => {
    // A is unreliable; while it lives and always pings, C waits for stop() for ever.
    const crashy = `global protocol Starve(role A, reliable role B, reliable role C) {
  rec X {
    choice at A { ping() from A to B; continue X; }
    or { stop() from A to B; stop() from B to C; }
    or { crash from A to B; down() from B to C; }
  }
}
`;
    const r = run(['check', 'Starve.nuscr'], { 'Starve.nuscr': crashy });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /^Starve\.nuscr:4:30: error\[MPST304\]: `Starve`: progress: C can never act again while A, B loop forever/m,
    );
    expect(r.stdout).not.toContain('A crashes');
  });

  test('--format json has the code, span and notes', () => {
    const r = run(['check', '--format', 'json', 'Stuck.scr'], { 'Stuck.scr': STUCK });
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as {
      diagnostics: { code: string; span: { line: number }; notes?: { message: string }[] }[];
    };
    expect(report.diagnostics).toHaveLength(1);
    expect(report.diagnostics[0]).toMatchObject({ code: 'MPST300', span: { line: 5 } });
    expect(report.diagnostics[0]?.notes?.[0]?.message).toMatch(/^counterexample: /);
  });
});
