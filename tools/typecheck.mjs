#!/usr/bin/env node
// Type-checks what the build (`tsc -b`, src only) does not: every package's and app's test/
// project, and tools/. Run after `npm run build`: the test projects reference their package, so
// tsc reads the package through its built declarations in dist/. Writes nothing.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');

const projects = ['packages', 'apps', 'tutorials'].flatMap((group) => {
  const dir = path.join(root, group);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .map((name) => path.join(group, name, 'test', 'tsconfig.json'))
    .filter((config) => existsSync(path.join(root, config)));
});
projects.push(path.join('tools', 'tsconfig.json'));

let failed = 0;
for (const config of projects) {
  console.log(`tsc -p ${config} --noEmit`);
  const r = spawnSync(process.execPath, [tsc, '-p', config, '--noEmit'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (r.status !== 0) failed++;
}
if (failed > 0) {
  console.error(
    `typecheck: ${String(failed)} of ${String(projects.length)} projects have type errors`,
  );
  process.exit(1);
}
