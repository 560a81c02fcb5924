/**
 * `npm run tutorial -- --step N [--seed S] [--crash ROLE@ACTION ...]` (tools/tutorial.mjs): every
 * step with role code runs in the terminal and prints its trace diagram and a verdict.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
// tools/tutorial.mjs is a plain Node script in no Nx project (like tools/corpus.ts).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { main, parseCommand, ROOT, runnable, USAGE } from '../../../tools/tutorial.mjs';

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(
    argv,
    (s) => (out += s),
    (s) => (err += s),
  );
  return { code, out, err };
}

describe('npm run tutorial', () => {
  test('--help prints the usage (through npm, as the README says)', () => {
    const out = execFileSync('npm', ['run', '-s', 'tutorial', '--', '--help'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(out).toBe(`${USAGE}\n`);
  }, 30_000);

  test('every step with role code runs: a Mermaid sequence diagram, then an ok verdict', async () => {
    const steps = runnable().filter((r) => r.kind === 'step');
    expect(steps.map((s) => s.name)).toEqual(
      expect.arrayContaining(['01-one-acceptor', '04-single-decree']),
    );
    for (const s of steps) {
      const { code, out, err } = await run('--step', s.name, '--seed', '3');
      expect(err).toBe('');
      const lines = out.trimEnd().split('\n');
      expect(lines[0]).toMatch(new RegExp(`^%% step ${s.name}, protocol \\w+, seed=3 plan=`));
      expect(out).toMatch(/^sequenceDiagram$/m);
      expect(lines.at(-2)).toMatch(/^%% observed: \{.*\}$/);
      expect(lines.at(-1)).toMatch(/^verdict: ok \(seed 3\): every property holds; \d+ messages/);
      expect(code).toBe(0);
    }
  }, 60_000);

  test('a step by number; the seed changes the run', async () => {
    const a = await run('--step', '4', '--seed', '1');
    const b = await run('--step', '04-single-decree', '--seed', '1');
    expect(b.out).toBe(a.out);
    const outs = new Set<string>();
    for (const seed of ['1', '2', '3', '4', '5'])
      outs.add((await run('--step', '4', '--seed', seed)).out);
    expect(outs.size).toBeGreaterThan(1);
  });

  test('--crash: the crash is in the diagram, and the verdict says what went wrong (exit 1)', async () => {
    const { code, out } = await run('--step', '2', '--seed', '1', '--crash', 'A2@0');
    expect(out).toContain('r_A2-xr_A2: crash');
    expect(out).toMatch(
      /^verdict: VIOLATED \(seed 1\): run not ok: .*P failed \(MPST557: P in state \d+ waits on A2/m,
    );
    expect(code).toBe(1);
  });

  test.each([
    [['--step', '99'], /^tutorial: no step '99' with role code; the steps are: 01-one-acceptor, /],
    [['--seed', '1'], /^tutorial: give exactly one of --step N or --example NAME/],
    [['--step', '1', '--seed', 'x'], /^tutorial: --seed must be a whole number ≥ 0, not 'x'/],
    [
      ['--step', '1', '--crash', 'A'],
      /^tutorial: --crash takes ROLE@ACTION \(e\.g\. A1@2\), not 'A'/,
    ],
    [['--step', '1', '--crash', 'Q@1'], /^tutorial: --crash Q@1: no role Q; the roles are P, A/],
    [['--step', '1', '--bogus'], /^tutorial: Unknown option '--bogus'/],
    [['--example', 'nope'], /^tutorial: no example 'nope' with role code/],
  ])('%j is a usage error (exit 2)', async (argv, message) => {
    const { code, out, err } = await run(...argv);
    expect(err).toMatch(message);
    expect(out).toBe('');
    expect(code).toBe(2);
  });

  test('parses repeated crashes', () => {
    const cmd = parseCommand(['--step', '1', '--crash', 'P@0', '--crash', 'A@2']);
    expect('faults' in cmd && cmd.faults).toEqual([
      { kind: 'crash', role: 'P', atAction: 0 },
      { kind: 'crash', role: 'A', atAction: 2 },
    ]);
    expect('target' in cmd && path.relative(ROOT, cmd.target.folder)).toBe(
      'tutorials/paxos/steps/01-one-acceptor',
    );
  });
});
