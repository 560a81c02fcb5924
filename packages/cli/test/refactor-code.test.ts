/**
 * `mpst refactor --code`: role code carried over to the refactored protocol's API, end to end on
 * the fixtures of packages/crash-refactor/test/fixtures/code (which this test also keeps
 * current: their generated modules must be what `mpst codegen` writes today).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { run } from './run.js';

const root = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../crash-refactor/test/fixtures/code',
);
const read = (...p: string[]): string => fs.readFileSync(path.join(root, ...p), 'utf8');

describe.each(fs.readdirSync(root))('fixture %s', (dir) => {
  const side = (which: 'old' | 'new') => {
    const scr = fs.readdirSync(path.join(root, dir, which)).find((f) => f.endsWith('.scr')) ?? '';
    return { scr, text: read(dir, which, scr) };
  };
  test.each(['old', 'new'] as const)('%s/*.ts are what mpst codegen generates', (which) => {
    const { scr, text } = side(which);
    const r = run(['codegen', scr, '--out', 'gen'], { [scr]: text });
    expect(r.code).toBe(0);
    for (const f of fs.readdirSync(path.join(root, dir, which)).filter((x) => x.endsWith('.ts')))
      expect(r.written[`gen/${f}`], f).toBe(read(dir, which, f));
  });
});

const PAXOS = read('paxos-proposer', 'old', 'Paxos.scr');
const PROPOSER = read('paxos-proposer', 'proposer.ts');
const ARGS = ['refactor', 'Paxos.scr', '--unreliable', 'A1,A2,A3', '--code', 'proposer.ts'];

describe('mpst refactor --code', () => {
  test('the refactored protocol is the fixture; the code diff goes to the report', () => {
    const r = run(ARGS, { 'Paxos.scr': PAXOS, 'proposer.ts': PROPOSER });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(read('paxos-proposer', 'new', 'Paxos.scr'));
    expect(r.stderr).toContain('proposer.ts: changes 6 for Paxos.P1.ts\n');
    expect(r.stderr).toContain(read('paxos-proposer', 'adapted', 'proposer.ts.diff'));
    expect(r.written).toEqual({});
  });

  test('--dry-run prints the protocol and code diffs on stdout and writes nothing', () => {
    const r = run([...ARGS, '--dry-run'], { 'Paxos.scr': PAXOS, 'proposer.ts': PROPOSER });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^--- a\/Paxos\.scr\n\+\+\+ b\/Paxos\.scr\n@@ -15,7 \+15,7 @@\n/);
    expect(r.stdout).toContain('-  } or {\n+  } or default {\n');
    expect(r.stdout.endsWith(read('paxos-proposer', 'adapted', 'proposer.ts.diff'))).toBe(true);
    expect(r.written).toEqual({});
  });

  test('--write rewrites the protocol and the code, each after a backup', () => {
    const r = run([...ARGS, '--write'], { 'Paxos.scr': PAXOS, 'proposer.ts': PROPOSER });
    expect(r.code).toBe(0);
    expect(r.written['proposer.ts']).toBe(read('paxos-proposer', 'adapted', 'proposer.ts'));
    expect(r.written['proposer.ts.bak']).toBe(PROPOSER);
    expect(r.written['Paxos.scr.bak']).toBe(PAXOS);
  });

  test('-o writes the protocol there and the code in place', () => {
    const r = run([...ARGS, '-o', 'New.scr'], { 'Paxos.scr': PAXOS, 'proposer.ts': PROPOSER });
    expect(r.code).toBe(0);
    expect(Object.keys(r.written).sort()).toEqual(['New.scr', 'proposer.ts', 'proposer.ts.bak']);
  });

  test('a file that cannot be adapted is reported at its place and left alone (exit 1)', () => {
    const code = `import * as P1 from './gen/Paxos.P1.js';
const recv = P1.Prepare_A1_recv_promise_nack;
export const h = recv;
`;
    const r = run([...ARGS.slice(0, -1), 'bad.ts', '--write'], {
      'Paxos.scr': PAXOS,
      'bad.ts': code,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('bad.ts:2:14: error[MPST414]: state Prepare_A1_recv_promise_nack');
    expect(r.stderr).toContain('bad.ts: not adapted (nothing changed)');
    expect(r.written['bad.ts']).toBeUndefined();
  });

  test('usage errors: code importing no generated module, --dry-run with --write', () => {
    const none = run([...ARGS.slice(0, -1), 'x.ts'], {
      'Paxos.scr': PAXOS,
      'x.ts': 'export {};\n',
    });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain(
      'x.ts imports none of the generated modules of Paxos (Paxos.P1.js',
    );
    const both = run([...ARGS, '--dry-run', '--write'], {
      'Paxos.scr': PAXOS,
      'proposer.ts': PROPOSER,
    });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--dry-run writes nothing');
  });

  test('--mmd writes the before/after diagrams as Mermaid text', () => {
    const r = run([...ARGS, '--mmd', 'pictures/'], { 'Paxos.scr': PAXOS, 'proposer.ts': PROPOSER });
    expect(r.code).toBe(0);
    expect(r.written['pictures/Paxos.before.mmd']).toMatch(/^sequenceDiagram\n/);
    expect(r.written['pictures/Paxos.after.mmd']).toContain('nack(Ballot)');
    expect(r.stderr).toContain(r.written['pictures/Paxos.after.mmd']?.trimEnd());
  });

  test('help names --code and --dry-run', () => {
    const r = run(['refactor', '--help']);
    expect(r.stdout).toContain('--code FILE');
    expect(r.stdout).toContain('--dry-run');
  });
});
