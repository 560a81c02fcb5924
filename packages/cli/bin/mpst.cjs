#!/usr/bin/env node
// The `mpst` command (the package's bin). A committed shim (not a build output) so that
// `npm ci` in a fresh clone links the binary before `npm run build` has produced dist/.
//
// An installed package runs bundle/bin.cjs (made by `npm pack`: scripts/bundle.mjs), one
// CommonJS file that loads faster than ~60 ES modules. A source checkout (tsconfig.json beside
// bin/) runs dist/bin.js, the compiled sources, so that it is never stale.
//
// CommonJS, unlike the rest of the package: Node starts its ES module loader only for a
// program that needs it (about 10 ms of CPU), and an installed `mpst` does not.
'use strict';
const { existsSync } = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

// (tsconfig.json, not src/: the package ships src/ so that its source maps resolve.)
const checkout = existsSync(path.join(__dirname, '..', 'tsconfig.json'));
const bundled = path.join(__dirname, '..', 'bundle', 'bin.cjs');
const dist = path.join(__dirname, '..', 'dist', 'bin.js');
if (!checkout && existsSync(bundled)) require(bundled);
else if (existsSync(dist)) void import(pathToFileURL(dist).href);
else {
  process.stderr.write(
    'mpst: @mpst/cli is not built yet; run `npm run build` in the repository first.\n',
  );
  process.exitCode = 2;
}
