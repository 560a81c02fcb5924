#!/usr/bin/env node
// The `mpst` command. A committed shim (not a build output) so that `npm ci` in a fresh clone
// links the binary before `npm run build` has produced dist/.
//
// An installed package runs bundle/bin.cjs (made by `npm pack`: scripts/bundle.mjs), one
// CommonJS file that loads faster than ~60 ES modules. A source checkout (tsconfig.json beside
// bin/) runs dist/bin.js, the compiled sources, so that it is never stale.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

// (tsconfig.json, not src/: the package ships src/ so that its source maps resolve.)
const checkout = existsSync(new URL('../tsconfig.json', import.meta.url));
const bundled = new URL('../bundle/bin.cjs', import.meta.url);
const dist = new URL('../dist/bin.js', import.meta.url);
// require, not import(): importing a CommonJS file first scans it for its exports.
if (!checkout && existsSync(bundled)) createRequire(import.meta.url)(fileURLToPath(bundled));
else if (existsSync(dist)) await import(dist.href);
else {
  process.stderr.write(
    'mpst: @mpst/cli is not built yet; run `npm run build` in the repository first.\n',
  );
  process.exit(2);
}
