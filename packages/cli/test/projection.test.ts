/**
 * `mpst desugar`, `mpst project`, `mpst fsm`. Exact outputs live next to the protocol in
 * test/fixtures/ as `<Protocol>.<command>[.<role>][.<format>].expected`, so a reviewer can read
 * them; after an intended change, review and update them with `npx vitest run -u`.
 */
import { describe, expect, test } from 'vitest';
import { fixture, run } from './run.js';

/** Choice, recursion, `do` of an aux protocol and a multicast. */
const SHOP = { 'Shop.scr': fixture('Shop.scr') };
const SHOP_ROLES = ['Buyer', 'Seller', 'Shipper'];

const TWO = {
  'two.scr': [
    'global protocol P(role A, role B) { m() from A to B; }',
    'global protocol Q(role A, role B) { n() from B to A; }',
    'aux global protocol R(role A, role B) { o() from A to B; }',
    '',
  ].join('\n'),
};

/** C acts in one branch only, and nothing tells it which branch A chose. */
const ILL = {
  'ill.scr':
    'global protocol P(role A, role B, role C) {\n  choice at A {\n    ' +
    'a() from A to B;\n    c() from C to B;\n  } or {\n    b() from A to B;\n  }\n}\n',
};

describe('expected outputs (test/fixtures/Shop.*.expected)', () => {
  test('mpst desugar', async () => {
    const r = run(['desugar', 'Shop.scr'], SHOP);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    await expect(r.stdout).toMatchFileSnapshot('./fixtures/Shop.desugar.expected');
  });

  test.each(SHOP_ROLES)('mpst project --role %s', async (role) => {
    const r = run(['project', 'Shop.scr', '--role', role], SHOP);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    await expect(r.stdout).toMatchFileSnapshot(`./fixtures/Shop.project.${role}.expected`);
  });

  test.each(SHOP_ROLES)('mpst fsm --role %s (dot)', async (role) => {
    const r = run(['fsm', 'Shop.scr', '--role', role], SHOP);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    await expect(r.stdout).toMatchFileSnapshot(`./fixtures/Shop.fsm.${role}.dot.expected`);
  });

  test('mpst fsm --role Shipper --format json', async () => {
    const r = run(['fsm', 'Shop.scr', '-r', 'Shipper', '--format', 'json'], SHOP);
    expect(r.code).toBe(0);
    await expect(r.stdout).toMatchFileSnapshot('./fixtures/Shop.fsm.Shipper.json.expected');
    // Pretty-printed, one object: the same machine as the dot output.
    expect(r.stdout).toMatch(/^\{\n {2}"protocol": "Shop",\n {2}"role": "Shipper",/);
    const efsm = JSON.parse(r.stdout) as { transitions: { label: string }[] };
    const dot = run(['fsm', 'Shop.scr', '-r', 'Shipper'], SHOP).stdout;
    for (const t of efsm.transitions) expect(dot).toContain(`[ label="${t.label}" ]`);
  });
});

describe('mpst desugar', () => {
  test('prints valid Scribble: it checks clean and desugars to itself', () => {
    const once = run(['desugar', 'Shop.scr'], SHOP).stdout;
    expect(once).not.toContain('do ');
    expect(run(['check', 'D.scr'], { 'D.scr': once }).code).toBe(0);
    expect(run(['desugar', 'D.scr'], { 'D.scr': once }).stdout).toBe(once);
  });

  test('--protocol picks any top-level protocol, aux ones included, by simple or qualified name', () => {
    expect(run(['desugar', 'Shop.scr', '--protocol', 'Deliver'], SHOP).stdout).toBe(
      'aux global protocol Deliver(role S, role D, role C) {\n  ' +
        'ship(String) from S to D;\n  delivered(Date) from D to C;\n}\n',
    );
    expect(run(['desugar', 'two.scr', '-p', 'Q'], TWO).stdout).toBe(
      'global protocol Q(role A, role B) {\n  n() from B to A;\n}\n',
    );
    expect(run(['desugar', 'two.scr', '-p', 'two.Q'], TWO).code).toBe(0);
  });

  test('-I resolves imports, and imported protocols are inlined', () => {
    const files = {
      'lib/m/Lib.scr': 'module m.Lib;\nglobal protocol L(role A, role B) { x() from A to B; }\n',
      'app/Main.scr':
        'module Main;\nimport m.Lib;\nglobal protocol M(role A, role B) { do m.Lib.L(A, B); y() from B to A; }\n',
    };
    const r = run(['desugar', 'app/Main.scr', '-I', 'lib'], files);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      'global protocol M(role A, role B) {\n  x() from A to B;\n  y() from B to A;\n}\n',
    );
    expect(run(['desugar', 'app/Main.scr'], files).code).toBe(1);
  });

  test('an elaborated but ill-formed protocol is still printed, with its errors and exit 1', () => {
    const r = run(['desugar', 'ill.scr'], ILL);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('global protocol P(role A, role B, role C) {');
    expect(r.stderr).toContain('ill.scr:4:5: error[MPST210]: cannot project `P` onto role `C`');
  });
});

describe('choosing the protocol and the role', () => {
  test.each([['desugar'], ['project', '-r', 'A'], ['fsm', '-r', 'A']])(
    '%s: ambiguous default protocol is a usage error listing the candidates',
    (cmd, ...opts) => {
      const r = run([cmd, 'two.scr', ...opts], TWO);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      // R is aux: not a default candidate.
      expect(r.stderr).toContain(
        `mpst ${cmd}: two.scr has several global protocols; choose one with --protocol: P, Q\n`,
      );
      expect(r.stderr).toContain(`Run 'mpst ${cmd} --help' for usage.`);
    },
  );

  test('a file with only aux protocols needs --protocol', () => {
    const r = run(['desugar', 'a.scr'], {
      'a.scr': 'aux global protocol X(role A, role B) { m() from A to B; }\n',
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('a.scr has only aux protocols; choose one with --protocol: X');
  });

  test('an unknown --protocol is a usage error listing the protocols', () => {
    const r = run(['project', 'Shop.scr', '--protocol', 'Nope', '--role', 'Buyer'], SHOP);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Shop.scr has no protocol 'Nope'; it has Shop, Deliver");
  });

  test('a nuScr nested protocol can be chosen with --protocol (it is a session of its own)', () => {
    const r = run(['project', 'Calls.nuscr', '--protocol', 'Audit', '--role', 'X'], {
      'Calls.nuscr': fixture('Calls.nuscr'),
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('local protocol Audit_X at X(self X, role Y) {\n  check() from Y;\n}\n');
  });

  test.each([['project'], ['fsm']])(
    '%s: an unknown role is a usage error listing the roles',
    (cmd) => {
      const r = run([cmd, 'Shop.scr', '--role', 'Courier'], SHOP);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(
        `mpst ${cmd}: protocol 'Shop' has no role 'Courier'; its roles are Buyer, Seller, Shipper\n`,
      );
    },
  );

  test.each([['project'], ['fsm']])(
    '%s: an unknown role in a file with errors reports the errors, not the role (exit 1)',
    (cmd) => {
      const r = run([cmd, 'ill.scr', '--role', 'Nobody'], ILL);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('error[MPST');
      expect(r.stderr).not.toContain('Nobody');
    },
  );

  test('roles of the chosen protocol, not of the default one', () => {
    expect(run(['project', 'Shop.scr', '-p', 'Deliver', '-r', 'D'], SHOP).stdout).toBe(
      'local protocol Deliver_D at D(role S, self D, role C) {\n  ship(String) from S;\n  delivered(Date) to C;\n}\n',
    );
    expect(run(['project', 'Shop.scr', '-p', 'Deliver', '-r', 'Buyer'], SHOP).code).toBe(2);
  });
});

describe('errors', () => {
  test.each([['project'], ['fsm']])(
    '%s: a protocol that cannot be projected prints its errors, and no output, exit 1',
    (cmd) => {
      // A itself projects fine; the protocol as a whole is ill-formed.
      const r = run([cmd, 'ill.scr', '--role', 'A'], ILL);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(
        'ill.scr:4:5: error[MPST210]: cannot project `P` onto role `C`: `C` sends `c()` to `B` in one branch',
      );
      expect(r.stderr).toContain('4 |     c() from C to B;');
    },
  );

  test.each([['desugar'], ['project', '-r', 'A'], ['fsm', '-r', 'A']])(
    '%s: static errors come first, with exit 1',
    (cmd, ...opts) => {
      const r = run([cmd, 'p.scr', ...opts], {
        'p.scr': 'global protocol P(role A, role B) {\n  m(Int) from A to C;\n}\n',
      });
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(
        'p.scr:2:20: error[MPST101]: role `C` is not declared in protocol `P`',
      );
    },
  );

  test('warnings go to stderr and keep exit 0', () => {
    // nuScr dialect: an unused role is a warning.
    const r = run(['project', 'w.scr', '-r', 'A'], {
      'w.scr': 'global protocol P(role A, role B, role C) { m() from A to B; }\n',
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('local protocol P_A at A(self A, role B, role C) {\n  m() to B;\n}\n');
    expect(r.stderr).toContain('warning[');
  });

  test('usage and I/O errors exit 2', () => {
    expect(run(['desugar']).code).toBe(2);
    expect(run(['desugar', 'Shop.scr', 'Shop.scr'], SHOP).stderr).toContain(
      'desugar needs exactly one FILE',
    );
    expect(run(['project', 'missing.scr', '-r', 'A']).stderr).toContain(
      "cannot read file 'missing.scr'",
    );
    expect(run(['project', 'missing.scr', '-r', 'A']).code).toBe(2);
    expect(run(['fsm', 'Shop.scr', '-r', 'Buyer', '--format', 'svg'], SHOP).stderr).toContain(
      "--format must be 'dot' or 'json', not 'svg'",
    );
    expect(run(['fsm', 'Shop.scr', '-r', 'Buyer', '--format', 'svg'], SHOP).code).toBe(2);
    expect(run(['desugar', 'Shop.scr', '--role', 'Buyer'], SHOP).code).toBe(2);
  });
});

describe('mpst desugar: nuScr calls', () => {
  test('keeps the pragmas (under NestedProtocols a `do` is a call) and prints calls as written', () => {
    const text =
      '(*# NestedProtocols #*)\nglobal protocol Sub(role X, role Y) { x() ' +
      'from X to Y; }\nglobal protocol Main(role A, role B) { do Sub(A, B); ' +
      'ok() from A to B; }\n';
    const r = run(['desugar', 'calls.nuscr', '--protocol', 'Main'], { 'calls.nuscr': text });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      '(*# NestedProtocols #*)\nglobal protocol Main(role A, role B) {\n  do Sub(A, B);\n  ok() from A to B;\n}\n',
    );
  });
});

describe('--protocol with nested protocols of the same name', () => {
  const DUP = {
    'dup.nuscr': `(*# NestedProtocols #*)
global protocol M1(role A, role B) {
  nested protocol Sub(role P, role Q) { x() from P to Q; }
  A calls Sub(A, B);
}
global protocol M2(role A, role B) {
  nested protocol Sub(role P, role Q) { y() from Q to P; }
  A calls Sub(A, B);
}
`,
  };

  test('a simple name two protocols share is ambiguous: exit 2, listing their paths', () => {
    const r = run(['project', 'dup.nuscr', '--protocol', 'Sub', '--role', 'P'], DUP);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      "dup.nuscr has several protocols named 'Sub'; choose one with --protocol M1.Sub, M2.Sub",
    );
  });

  test('a path chooses one, and only its diagnostics are reported', () => {
    const r = run(['project', 'dup.nuscr', '--protocol', 'M2.Sub', '--role', 'P'], DUP);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('local protocol Sub_P at P(self P, role Q) {\n  y() from Q;\n}\n');
  });
});
