/**
 * `mpst project FILE` and `mpst fsm FILE` without `--role`: every role, from one analysis
 * (one process instead of one per role); `--out DIR` writes one file per role.
 */
import { describe, expect, test } from 'vitest';
import { fixture, run } from './run.js';

const SHOP = { 'Shop.scr': fixture('Shop.scr') };
const ROLES = ['Buyer', 'Seller', 'Shipper'] as const;

/** What `--role R` prints, for each role. */
function perRole(cmd: string, ...extra: string[]): string[] {
  return ROLES.map((role) => {
    const r = run([cmd, 'Shop.scr', '--role', role, ...extra], SHOP);
    expect(r.code).toBe(0);
    return r.stdout;
  });
}

describe('every role without --role', () => {
  test('project: each local protocol, in declaration order, separated by a blank line', () => {
    const r = run(['project', 'Shop.scr'], SHOP);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(perRole('project').join('\n'));
  });

  test('fsm (dot): one digraph per role, each after a comment naming the role', () => {
    const r = run(['fsm', 'Shop.scr'], SHOP);
    expect(r.code).toBe(0);
    const dots = perRole('fsm');
    expect(r.stdout).toBe(ROLES.map((role, i) => `// Shop, role ${role}\n${dots[i]}`).join(''));
    expect(r.stdout.match(/^digraph /gm)).toHaveLength(3);
  });

  test('fsm --format json: one array of the EFSMs, each naming its role', () => {
    const r = run(['fsm', 'Shop.scr', '--format', 'json'], SHOP);
    expect(r.code).toBe(0);
    const all = JSON.parse(r.stdout) as { role: string }[];
    expect(all.map((e) => e.role)).toEqual([...ROLES]);
    expect(all).toEqual(perRole('fsm', '--format', 'json').map((t) => JSON.parse(t) as unknown));
  });

  test('an ill-formed protocol prints nothing and exits 1, as with --role', () => {
    const ill = {
      'ill.scr':
        'global protocol P(role A, role B, role C) {\n' +
        '  choice at A { a() from A to B; c() from C to B; } or { b() from A to B; }\n}\n',
    };
    for (const cmd of ['project', 'fsm']) {
      const r = run([cmd, 'ill.scr'], ill);
      expect(r.code, cmd).toBe(1);
      expect(r.stdout, cmd).toBe('');
      expect(r.stderr, cmd).toContain('error[MPST');
    }
  });
});

describe('--out DIR', () => {
  test('project: DIR/<protocol>_<role>.scr for every role, nothing on stdout', () => {
    const r = run(['project', 'Shop.scr', '--out', 'out/'], SHOP);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.folders).toEqual(['out/']);
    const texts = perRole('project');
    expect(r.written).toEqual(
      Object.fromEntries(ROLES.map((role, i) => [`out/Shop_${role}.scr`, texts[i]])),
    );
  });

  test('fsm: .dot or .json files; with --role, only that role', () => {
    const dot = run(['fsm', 'Shop.scr', '-o', 'd'], SHOP);
    expect(Object.keys(dot.written)).toEqual(ROLES.map((role) => `d/Shop_${role}.dot`));
    const json = run(['fsm', 'Shop.scr', '-o', 'd', '--format', 'json', '--role', 'Seller'], SHOP);
    expect(json.written).toEqual({ 'd/Shop_Seller.json': perRole('fsm', '--format', 'json')[1] });
  });

  test('a folder that cannot be written: exit 2 with the reason, no file written', () => {
    const r = run(['project', 'Shop.scr', '--out', 'ro'], SHOP, {
      unwritable: { ro: 'EACCES: permission denied' },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("mpst: cannot write in 'ro': EACCES: permission denied\n");
    expect(r.written).toEqual({});
  });
});
