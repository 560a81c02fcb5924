/**
 * `renderSvg` without its optional peer dependencies returns the documented outcome
 * `{ ok: false, error, setup: true }` instead of throwing. Simulated for real: the built
 * `dist/` is copied to a temporary folder outside the workspace, where neither `mermaid` nor
 * `playwright-core` resolves, and run in a child Node process.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test } from 'vitest';
import { INSTALL_HINT } from '@mpst/mermaid/node';

const DIST = path.join(import.meta.dirname, '..', 'dist');

function renderWithout(options: string, env: Record<string, string> = {}): unknown {
  const dir = mkdtempSync(path.join(tmpdir(), 'mpst-no-peers-'));
  try {
    cpSync(DIST, path.join(dir, 'dist'), { recursive: true });
    writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
    const entry = pathToFileURL(path.join(dir, 'dist', 'node.js')).href;
    const script = `const m = await import(${JSON.stringify(entry)});
const out = await m.renderSvg('sequenceDiagram\\n  A->>B: hi\\n', ${options});
process.stdout.write(JSON.stringify(out));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: dir,
      env: { ...process.env, ...env },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.stderr).toBe('');
    return JSON.parse(r.stdout) as unknown;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('without mermaid and playwright-core: { ok: false, setup: true, error } naming the packages', () => {
  // A browser that exists, so the missing packages are what fails (any existing file will do:
  // the renderer fails before it starts it).
  expect(renderWithout(`{ executablePath: ${JSON.stringify(process.execPath)} }`)).toEqual({
    ok: false,
    setup: true,
    error:
      'the SVG renderer needs the npm packages playwright-core and mermaid: npm install playwright-core mermaid@11',
  });
});

test('without a browser: { ok: false, setup: true, error } saying how to install one', () => {
  const out = renderWithout('{}', { MPST_CHROMIUM: path.join(tmpdir(), 'no-such-chromium') });
  expect(out).toEqual({ ok: false, setup: true, error: INSTALL_HINT });
});
