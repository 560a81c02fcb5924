#!/usr/bin/env node
// Bundles the compiled CLI (dist/, from `tsc -b`) and the @mpst packages it uses into bundle/:
//
//   bundle/bin.cjs        the `mpst` command (bin/mpst.cjs runs it in an installed package):
//                         one CommonJS file with `check`, `verify`, `project`, `fsm`,
//                         `desugar` and `format` inlined
//   bundle/<command>.js   `diagram`, `codegen` and `refactor` (ES modules, loaded by bin.cjs
//                         with import() only when run: the refactoring tools and the TypeScript
//                         compiler they use are most of the bundle's size). They have copies of
//                         the modules they share with bin.cjs (see `isUsageError` in io.ts).
//   bundle/render-svg.js  the child process of `mpst diagram --svg`
//   bundle/chunk-*.js     code those share
//
// Why: a short `mpst check` spends most of its time starting Node and loading modules. One
// CommonJS file loads fastest: no ES module loader (about 10 ms of CPU), no resolving and
// linking of a dozen chunks (about 20 ms more). And the @mpst packages, which are not published
// to a registry, travel inside the @mpst/cli tarball (`npx --package ./mpst-cli-x.y.z.tgz mpst`).
// Run by `npm pack` (prepack) and by bench/cli-startup.mjs. Usage: node scripts/bundle.mjs [OUTDIR]
import { build } from 'esbuild';
import { existsSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = new URL('..', import.meta.url);
const dist = fileURLToPath(new URL('dist/', here));

/** The commands bundle/bin.cjs loads from files of their own (the others are inlined). */
const SEPARATE = ['diagram', 'codegen', 'refactor'];

/** What CommonJS code expects and an ES module lacks, declared at the top of each ES output. */
const ESM_CJS_GLOBALS = [
  "import { createRequire as __mpstRequire } from 'node:module';",
  "import { fileURLToPath as __mpstPath } from 'node:url';",
  'const require = __mpstRequire(import.meta.url);',
  'const __filename = __mpstPath(import.meta.url);',
  "const __dirname = __mpstPath(new URL('.', import.meta.url));",
].join(' ');

/** Bundles into `outdir` (default: the package's bundle/); returns the output files. */
export async function bundleCli(outdir = fileURLToPath(new URL('bundle/', here))) {
  if (!existsSync(`${dist}bin.js`))
    throw new Error('packages/cli/dist is missing: run `npm run build` first');
  rmSync(outdir, { recursive: true, force: true });
  const common = {
    bundle: true,
    platform: 'node',
    target: 'node20',
    // Whitespace only: names stay readable in stack traces.
    minifyWhitespace: true,
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  };
  const separate = await build({
    ...common,
    entryPoints: [...SEPARATE.map((c) => `${dist}commands/${c}.js`), `${dist}render-svg.js`],
    entryNames: '[name]',
    outdir,
    splitting: true,
    format: 'esm',
    // CommonJS code inlined into these ES modules (the TypeScript compiler, which `refactor`
    // uses to adapt role code) calls require('fs') and reads __filename: give it both.
    banner: { js: ESM_CJS_GLOBALS },
    // Optional peers of the SVG renderer, loaded by the child process only when installed.
    external: ['mermaid', 'playwright-core'],
  });
  const main = await build({
    ...common,
    entryPoints: [`${dist}bin.js`],
    outfile: `${outdir}/bin.cjs`,
    format: 'cjs',
    plugins: [
      {
        // bin.js's `import('./commands/diagram.js')` becomes `import('./diagram.js')`: the entry
        // of the ES module build above, beside bin.cjs.
        name: 'separate-commands',
        setup(b) {
          const filter = new RegExp(`^\\./commands/(${SEPARATE.join('|')})\\.js$`);
          b.onResolve({ filter }, (args) => ({
            path: `./${filter.exec(args.path)?.[1] ?? ''}.js`,
            external: true,
          }));
        },
      },
    ],
  });
  return [...Object.keys(separate.metafile.outputs), ...Object.keys(main.metafile.outputs)];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const files = await bundleCli(process.argv[2]);
  // stderr: `npm pack --json` prints its JSON on stdout, after this script.
  process.stderr.write(`bundled @mpst/cli: ${files.length} files\n`);
}
