/**
 * `mpst diagram`: Mermaid text of a protocol (sequence) or a role (state). Exact outputs are
 * next to the protocol in test/fixtures/ (`Shop.diagram[.<role>].expected`); the pictures
 * themselves are tested in @mpst/mermaid. `--svg` renders with the real Mermaid in headless
 * Chromium: skipped without /usr/bin/chromium unless MPST_REQUIRE_BROWSER=1.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { findChromium } from '@mpst/mermaid/node';
import { fixture, run } from './run.js';

const SHOP = { 'Shop.scr': fixture('Shop.scr') };
const CRASH = { 'PingCrash.scr': fixture('PingCrash.scr') };

describe('Mermaid text', () => {
  test('the global protocol as a sequence diagram (the default)', async () => {
    const r = run(['diagram', 'Shop.scr'], SHOP);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    await expect(r.stdout).toMatchFileSnapshot('./fixtures/Shop.diagram.expected');
  });

  test("--role R alone: R's state machine", async () => {
    const r = run(['diagram', 'Shop.scr', '--role', 'Seller'], SHOP);
    expect(r.code).toBe(0);
    await expect(r.stdout).toMatchFileSnapshot('./fixtures/Shop.diagram.Seller.expected');
    expect(run(['diagram', 'Shop.scr', '--role', 'Seller', '--kind', 'state'], SHOP).stdout).toBe(
      r.stdout,
    );
  });

  test("--kind sequence --role R highlights R's interactions", () => {
    const r = run(['diagram', 'Shop.scr', '--kind', 'sequence', '--role', 'Shipper'], SHOP);
    expect(r.code).toBe(0);
    const highlighted = r.stdout
      .split('\n')
      .filter((_, i, all) => all[i - 1]?.trim().startsWith('rect rgb(255, 236, 179)'));
    expect(highlighted.map((l) => l.trim())).toEqual([
      'r_Seller->>r_Shipper: ship(String)',
      'r_Seller->>r_Shipper: hold()',
      'r_Seller->>r_Shipper: cancel()',
    ]);
  });

  test('--do box draws do calls as boxes', () => {
    const r = run(['diagram', 'Shop.scr', '--do', 'box'], SHOP);
    expect(r.stdout).toContain('Note over r_Buyer,r_Shipper: do Deliver(Seller, Shipper, Buyer)');
    expect(r.stdout).not.toContain('ship(String)');
  });

  test('crash detection in a state diagram', () => {
    const r = run(['diagram', 'PingCrash.scr', '--role', 'C'], CRASH);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/state "S\?crash" as x0/);
  });
});

describe('usage errors (exit 2)', () => {
  test.each([
    [['diagram', 'Shop.scr', '--kind', 'flow'], "--kind must be 'sequence' or 'state', not 'flow'"],
    [['diagram', 'Shop.scr', '--kind', 'state'], 'give --role R'],
    [['diagram', 'Shop.scr', '--role', 'Nobody'], "has no role 'Nobody'"],
    [['diagram', 'Shop.scr', '--kind', 'sequence', '--role', 'Nobody'], "has no role 'Nobody'"],
    [['diagram', 'Shop.scr', '--do', 'fold'], '--do must be one of expand, box, inline'],
    [['diagram'], 'needs exactly one FILE'],
  ])('%j', (argv, message) => {
    const r = run(argv, SHOP);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  test('a file with errors: diagnostics, exit 1', () => {
    const r = run(['diagram', 'bad.scr'], {
      'bad.scr': 'global protocol P(role A, role B) { m() from A to C; }\n',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error[');
  });
});

describe('--svg', () => {
  const saved = process.env.MPST_CHROMIUM;
  afterEach(() => {
    if (saved === undefined) delete process.env.MPST_CHROMIUM;
    else process.env.MPST_CHROMIUM = saved;
  });

  test('without a browser: how to install one, exit 2, nothing written', () => {
    process.env.MPST_CHROMIUM = '/nonexistent/chromium';
    const r = run(['diagram', 'Shop.scr', '--svg', 'Shop.svg'], SHOP);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('sudo apt-get install chromium');
    expect(r.written).toEqual({});
  });

  const browser = findChromium() !== undefined;
  const required = process.env.MPST_REQUIRE_BROWSER === '1';
  if (!browser && !required)
    console.warn('[mpst diagram --svg] no /usr/bin/chromium: the rendering test is SKIPPED');

  test.skipIf(!browser && !required)(
    'renders with Mermaid in headless Chromium and writes the SVG',
    () => {
      const r = run(['diagram', 'Shop.scr', '--role', 'Buyer', '--svg', 'Buyer.svg'], SHOP);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toBe('');
      const svg = r.written['Buyer.svg'] ?? '';
      expect(svg.startsWith('<svg')).toBe(true);
      expect(svg).toContain('Seller!query(String)');
    },
    60_000,
  );
});

test('mpst help lists diagram', () => {
  expect(run(['--help']).stdout).toContain('diagram FILE');
  expect(run(['help', 'diagram']).stdout).toContain('Usage: mpst diagram FILE');
});
