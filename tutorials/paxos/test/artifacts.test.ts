/**
 * The committed artifacts of every step and example folder (generated/ and diagrams/) are what
 * tools/generate-artifacts.mjs makes from the folder's protocol: `--check`'s logic, which needs
 * no browser (an .svg carries the sha256 of the .mmd it was rendered from). The Chromium part
 * renders every diagram with the real Mermaid; without /usr/bin/chromium (or $MPST_CHROMIUM) it
 * is skipped with a notice, unless MPST_REQUIRE_BROWSER=1 (CI), where that is a failure.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findChromium, INSTALL_HINT, MermaidRenderer } from '@mpst/mermaid/node';
import { afterEach, describe, expect, test } from 'vitest';
// tools/generate-artifacts.mjs is a plain Node script in no Nx project (like tools/corpus.ts);
// this test runs its --check logic.
// eslint-disable-next-line @nx/enforce-module-boundaries
import {
  checkFolder,
  defaultFolders,
  fixCommand,
  planFolder,
  ROOT,
  sha256,
  stampedHash,
  svgStamp,
  writeFolders,
} from '../../../tools/generate-artifacts.mjs';

const folders = defaultFolders();
const browser = findChromium();
const required = process.env['MPST_REQUIRE_BROWSER'] === '1';
if (!browser && !required)
  console.warn(
    `[tutorial artifacts] ${INSTALL_HINT}: render tests SKIPPED (MPST_REQUIRE_BROWSER=1 makes this an error)`,
  );

const temps: string[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) rmSync(t, { recursive: true, force: true });
});

/** A copy of step 1's folder to break. */
function copyOfStep1(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'mpst-artifacts-'));
  temps.push(dir);
  const folder = path.join(dir, '01-one-acceptor');
  cpSync(path.join(ROOT, 'tutorials/paxos/steps/01-one-acceptor'), folder, { recursive: true });
  return folder;
}

/** Changes step 1's protocol in the copy: its `nack` label becomes `no`. */
function renameNack(folder: string): void {
  const scr = path.join(folder, 'OneAcceptor.scr');
  const text = readFileSync(scr, 'utf8');
  const changed = text.replace('nack(promised: Ballot) from A', 'no(promised: Ballot) from A');
  if (changed === text) throw new Error('step 1 has no nack(promised: Ballot) from A');
  writeFileSync(scr, changed);
}

describe('generated/ and diagrams/ are up to date', () => {
  test('the tutorial has its step folders', () => {
    expect(folders).toEqual(
      expect.arrayContaining([
        'tutorials/paxos/steps/01-one-acceptor',
        'tutorials/paxos/steps/02-phase-one',
        'tutorials/paxos/steps/03-phase-two',
        'tutorials/paxos/steps/04-single-decree',
      ]),
    );
  });

  test.each(folders)('%s', (folder) => {
    const problems = checkFolder(path.join(ROOT, folder));
    expect(problems, `run: ${fixCommand([folder])}`).toEqual([]);
  });
});

describe('the check finds what is out of date', () => {
  test('a changed protocol makes the modules and diagrams that change stale', () => {
    const folder = copyOfStep1();
    renameNack(folder);
    const problems = checkFolder(folder, undefined, path.dirname(folder));
    expect(problems).toEqual([
      '01-one-acceptor/generated/OneAcceptor.P.ts: stale',
      '01-one-acceptor/generated/OneAcceptor.A.ts: stale',
      '01-one-acceptor/diagrams/global.mmd: stale',
      '01-one-acceptor/diagrams/P.mmd: stale',
      '01-one-acceptor/diagrams/A.mmd: stale',
      '01-one-acceptor/diagrams/global.svg: stale (rendered from another global.mmd)',
      '01-one-acceptor/diagrams/P.svg: stale (rendered from another P.mmd)',
      '01-one-acceptor/diagrams/A.svg: stale (rendered from another A.mmd)',
    ]);
  });

  test('missing and unexpected files are reported; an .svg without its stamp is stale', () => {
    const folder = copyOfStep1();
    rmSync(path.join(folder, 'generated/OneAcceptor.A.ts'));
    rmSync(path.join(folder, 'diagrams/P.svg'));
    writeFileSync(path.join(folder, 'generated/Old.P.ts'), '// from an older protocol\n');
    const svg = path.join(folder, 'diagrams/A.svg');
    writeFileSync(svg, readFileSync(svg, 'utf8').replace(/^<!--.*-->\n/, ''));
    expect(checkFolder(folder, undefined, path.dirname(folder))).toEqual([
      '01-one-acceptor/generated/OneAcceptor.A.ts: missing',
      '01-one-acceptor/diagrams/P.svg: missing',
      '01-one-acceptor/diagrams/A.svg: stale (rendered from another A.mmd)',
      '01-one-acceptor/generated/Old.P.ts: unexpected',
    ]);
  });

  test('another .mmd in diagrams/ is a source: its .svg must exist and match it', () => {
    const folder = copyOfStep1();
    const trace = 'sequenceDiagram\n  P->>A: prepare(ballot: Ballot)\n';
    writeFileSync(path.join(folder, 'diagrams/trace.mmd'), trace);
    writeFileSync(path.join(folder, 'diagrams/old.svg'), `${svgStamp('old.mmd', 'x')}<svg></svg>`);
    expect(checkFolder(folder, undefined, path.dirname(folder))).toEqual([
      '01-one-acceptor/diagrams/trace.svg: missing',
      '01-one-acceptor/diagrams/old.svg: unexpected',
    ]);
    writeFileSync(
      path.join(folder, 'diagrams/trace.svg'),
      `${svgStamp('trace.mmd', trace)}<svg></svg>`,
    );
    rmSync(path.join(folder, 'diagrams/old.svg'));
    expect(checkFolder(folder, undefined, path.dirname(folder))).toEqual([]);
  });

  test('the build (code only) rewrites generated/ alone and lists the stale diagrams', async () => {
    const folder = copyOfStep1();
    renameNack(folder);
    writeFileSync(path.join(folder, 'generated/Old.P.ts'), '// from an older protocol\n');
    const globalMmd = readFileSync(path.join(folder, 'diagrams/global.mmd'), 'utf8');
    const done = await writeFolders([folder], { codeOnly: true, root: path.dirname(folder) });
    expect(done).toEqual({
      written: 2,
      rendered: 0,
      stale: [
        '01-one-acceptor/diagrams/global.mmd: stale',
        '01-one-acceptor/diagrams/P.mmd: stale',
        '01-one-acceptor/diagrams/A.mmd: stale',
        '01-one-acceptor/diagrams/global.svg: stale (rendered from another global.mmd)',
        '01-one-acceptor/diagrams/P.svg: stale (rendered from another P.mmd)',
        '01-one-acceptor/diagrams/A.svg: stale (rendered from another A.mmd)',
      ],
    });
    expect(existsSync(path.join(folder, 'generated/Old.P.ts'))).toBe(false);
    expect(readFileSync(path.join(folder, 'generated/OneAcceptor.P.ts'), 'utf8')).toContain('no');
    expect(readFileSync(path.join(folder, 'diagrams/global.mmd'), 'utf8')).toBe(globalMmd);
  });

  test('the stamp names the .mmd and its hash', () => {
    const stamp = svgStamp('global.mmd', 'sequenceDiagram\n');
    expect(stamp).toMatch(/^<!-- rendered by node tools\/generate-artifacts\.mjs from global\.mmd/);
    expect(stampedHash(`${stamp}<svg></svg>`)).toBe(sha256('sequenceDiagram\n'));
    expect(stampedHash('<svg></svg>')).toBeUndefined();
  });

  test('the fix names the stale folders', () => {
    expect(fixCommand(['tutorials/paxos/steps/01-one-acceptor'])).toBe(
      'node tools/generate-artifacts.mjs tutorials/paxos/steps/01-one-acceptor',
    );
  });

  test('a protocol with errors is reported with its diagnostics', () => {
    const folder = copyOfStep1();
    writeFileSync(
      path.join(folder, 'OneAcceptor.scr'),
      'module OneAcceptor;\nglobal protocol X(role A) { m() from A to B; }\n',
    );
    expect(() => planFolder(folder)).toThrow(
      /OneAcceptor\.scr: the protocol has errors\n {2}MPST\d+/,
    );
  });
});

describe.skipIf(!browser && !required)('the diagrams in headless Chromium', () => {
  test('Chromium is installed', () => {
    expect(browser, `MPST_REQUIRE_BROWSER=1 but ${INSTALL_HINT}`).toBeDefined();
  });

  test('every diagram of every folder renders', async () => {
    const texts = folders.flatMap((f) => [...planFolder(path.join(ROOT, f)).svgs]);
    const renderer = await MermaidRenderer.open(browser ? { executablePath: browser } : {});
    try {
      const outcomes = await renderer.render(texts.map(([, mmd]) => mmd));
      const failed = outcomes.flatMap((o, i) =>
        o.ok ? [] : [`${texts[i]?.[0] ?? ''}: ${o.error}`],
      );
      expect(failed).toEqual([]);
    } finally {
      await renderer.close();
    }
  }, 120_000);

  test('writing a stale folder renders its .svgs again, and then it is up to date', async () => {
    const folder = copyOfStep1();
    renameNack(folder);
    writeFileSync(
      path.join(folder, 'diagrams/trace.mmd'),
      'sequenceDiagram\n  P->>A: prepare(ballot: Ballot)\n',
    );
    writeFileSync(path.join(folder, 'diagrams/old.svg'), '<svg></svg>');
    const done = await writeFolders([folder], { root: path.dirname(folder) });
    expect(done).toEqual({ written: 5, rendered: 4, stale: [] });
    expect(existsSync(path.join(folder, 'diagrams/old.svg'))).toBe(false);
    expect(checkFolder(folder, undefined, path.dirname(folder))).toEqual([]);
    const svg = readFileSync(path.join(folder, 'diagrams/global.svg'), 'utf8');
    expect(svg).toContain('no(promised: Ballot)');
    expect(svg).toMatch(/<svg[\s\S]*<\/svg>$/);
  }, 120_000);
});
