#!/usr/bin/env node
// The `mpst` command. A committed shim (not a build output) so that `npm ci` in a fresh clone
// links the binary before `npm run build` has produced dist/.
//
// An installed package runs bundle/bin.js (made by `npm pack`: scripts/bundle.mjs), which
// holds the @mpst packages it needs and loads faster than ~60 modules. A source checkout (src/
// beside bin/) runs dist/bin.js, the compiled sources, so that it is never stale.
import { existsSync } from 'node:fs';

const checkout = existsSync(new URL('../src/bin.ts', import.meta.url));
const bundled = new URL('../bundle/bin.js', import.meta.url);
const entry =
  !checkout && existsSync(bundled) ? bundled : new URL('../dist/bin.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write(
    'mpst: @mpst/cli is not built yet; run `npm run build` in the repository first.\n',
  );
  process.exit(2);
}
await import(entry.href);
