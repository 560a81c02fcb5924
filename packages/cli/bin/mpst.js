#!/usr/bin/env node
// The `mpst` command. A committed shim (not the compiled file itself) so that `npm ci` in a
// fresh clone links the binary before `npm run build` has produced dist/.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/bin.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write(
    'mpst: @mpst/cli is not built yet; run `npm run build` in the repository first.\n',
  );
  process.exit(2);
}
await import(entry.href);
