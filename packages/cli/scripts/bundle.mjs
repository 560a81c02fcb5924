#!/usr/bin/env node
// Bundles the compiled CLI (dist/, from `tsc -b`) and the @mpst packages it uses into bundle/:
//
//   bundle/bin.js         the `mpst` command (bin/mpst.js runs it in an installed package)
//   bundle/render-svg.js  the child process of `mpst diagram --svg`
//   bundle/chunk-*.js     code shared by the commands: each command is loaded only when run
//
// Why: a short `mpst check` spends most of its time starting Node and loading ~60 modules; one
// bundle per command loads faster, and the @mpst packages, which are not published to a
// registry, travel inside the @mpst/cli tarball (`npx --package ./mpst-cli-x.y.z.tgz mpst`).
// Run by `npm pack` (prepack) and by bench/cli-startup.mjs. Usage: node scripts/bundle.mjs [OUTDIR]
import { build } from 'esbuild';
import { existsSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = new URL('..', import.meta.url);
const dist = fileURLToPath(new URL('dist/', here));

/** Bundles into `outdir` (default: the package's bundle/); returns the output files. */
export async function bundleCli(outdir = fileURLToPath(new URL('bundle/', here))) {
  if (!existsSync(`${dist}bin.js`))
    throw new Error('packages/cli/dist is missing: run `npm run build` first');
  rmSync(outdir, { recursive: true, force: true });
  const result = await build({
    entryPoints: [`${dist}bin.js`, `${dist}render-svg.js`],
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Optional peers of the SVG renderer, loaded by the child process only when installed.
    external: ['mermaid', 'playwright-core'],
    // Whitespace only: names stay readable in stack traces.
    minifyWhitespace: true,
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  });
  return Object.keys(result.metafile.outputs);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const files = await bundleCli(process.argv[2]);
  // stderr: `npm pack --json` prints its JSON on stdout, after this script.
  process.stderr.write(`bundled @mpst/cli: ${files.length} files\n`);
}
