/**
 * The built app for the end-to-end tests: apps/tutorial/dist, rebuilt (vite build) when any
 * input is newer than it, served by a small static server on 127.0.0.1.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const appDir = fileURLToPath(new URL('..', import.meta.url));
export const repoRoot = path.resolve(appDir, '..', '..');
export const distDir = path.join(appDir, 'dist');

/** What the build reads: a change to any of them makes dist stale. */
function inputs(): string[] {
  const under = (dir: string): string[] =>
    existsSync(dir)
      ? readdirSync(dir, { recursive: true, withFileTypes: true })
          .filter((e) => e.isFile())
          .map((e) => path.join(e.parentPath, e.name))
      : [];
  return [
    path.join(appDir, 'index.html'),
    path.join(appDir, 'vite.config.ts'),
    ...under(path.join(appDir, 'src')),
    ...under(path.join(repoRoot, 'tutorials', 'paxos', 'steps')),
    ...under(path.join(repoRoot, 'tutorials', 'paxos', 'protocols')),
    ...under(path.join(repoRoot, 'tutorials', 'paxos', 'src')),
    ...under(path.join(repoRoot, 'tutorials', 'examples')),
    ...['scribble', 'projector', 'verify', 'mermaid', 'runtime', 'crash-refactor'].flatMap((p) =>
      under(path.join(repoRoot, 'packages', p, 'dist')).filter((f) => f.endsWith('.js')),
    ),
  ];
}

/** Builds dist unless it is newer than every input. Returns whether it built. */
export function ensureBuilt(timeoutMs: number): boolean {
  const index = path.join(distDir, 'index.html');
  if (existsSync(index)) {
    const built = statSync(index).mtimeMs;
    if (inputs().every((f) => statSync(f).mtimeMs <= built)) return false;
  }
  const vite = path.join(appDir, 'node_modules', 'vite', 'bin', 'vite.js');
  const bin = existsSync(vite)
    ? vite
    : path.join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js');
  // Vitest sets NODE_ENV=test, with which Vite would build a non-production bundle (no
  // service worker registration, `import.meta.env.PROD` false): build what users get.
  const r = spawnSync(process.execPath, [bin, 'build', '--logLevel', 'warn'], {
    cwd: appDir,
    encoding: 'utf8',
    timeout: timeoutMs,
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (r.status !== 0) throw new Error(`vite build failed (${String(r.status)}): ${r.stderr}`);
  return true;
}

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** A static server for `root` on 127.0.0.1 (a free port); `url` ends with `/`. */
export async function serve(root: string): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = path.join(root, pathname.endsWith('/') ? `${pathname}index.html` : pathname);
    if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-cache',
    });
    res.end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${String(port)}/`, server };
}

/** The tutorial's files as the app bundles them (repository-relative paths), read from disk. */
export function tutorialFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  const paxos = path.join(repoRoot, 'tutorials', 'paxos');
  const add = (rel: string): void => {
    files[`tutorials/paxos/${rel}`] = readFileSync(path.join(paxos, rel), 'utf8');
  };
  for (const dir of readdirSync(path.join(paxos, 'steps'))) {
    for (const f of readdirSync(path.join(paxos, 'steps', dir))) {
      if (f === 'README.md' || f.endsWith('.scr')) add(`steps/${dir}/${f}`);
    }
  }
  for (const f of readdirSync(path.join(paxos, 'protocols'))) {
    if (f.endsWith('.scr')) add(`protocols/${f}`);
  }
  const examples = path.join(repoRoot, 'tutorials', 'examples');
  for (const dir of existsSync(examples) ? readdirSync(examples) : []) {
    if (!statSync(path.join(examples, dir)).isDirectory()) continue;
    for (const f of readdirSync(path.join(examples, dir)))
      if (f === 'README.md' || f.endsWith('.scr'))
        files[`tutorials/examples/${dir}/${f}`] = readFileSync(path.join(examples, dir, f), 'utf8');
  }
  return files;
}
