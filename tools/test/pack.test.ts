/**
 * Packaging smoke test: what users get from the registry, not what the workspace links.
 *
 * Packs every non-private package under packages/ with `npm pack`, installs all the tarballs in
 * one `npm install` into a fresh directory outside the workspace (offline: @mpst packages have no
 * runtime dependencies besides each other), then
 *   - checks that every source map and declaration map resolves (the sources are shipped),
 *   - imports every entry point of every package's `exports` map from an ESM script,
 *   - parses a protocol with the installed @mpst/scribble and expects no diagnostics,
 *   - runs the installed `mpst` binary: `check` on a good file exits 0, on a broken file exits 1;
 *   - runs the @mpst/cli tarball alone, as a user outside the repository would:
 *     `npx --package ./mpst-cli-x.y.z.tgz mpst check FILE`, offline, with an empty npm cache
 *     (the CLI's tarball bundles the @mpst packages it uses: they are not on a registry).
 *
 * Needs built dist/ folders: `npm test` builds first.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  cleanNpmEnv,
  workspacePackages,
  workspaceRoot,
  type WorkspacePackage,
} from './workspace.js';

const TIMEOUT = 120_000;

const GOOD_PROTOCOL = 'global protocol P(role A, role B) { m(Int) from A to B; }\n';
// The message transfer has no receiver: a syntax error.
const BROKEN_PROTOCOL = 'global protocol P(role A, role B) { m(Int) from A to ; }\n';

const published = workspacePackages(['packages']).filter((p) => p.json.private !== true);
const cli = workspacePackages(['packages']).find((p) => p.dir === 'packages/cli');

/** The temporary directory holding everything; `app/` in it is where the tarballs get installed. */
let tmpRoot = '';
let installDir = '';
const tarballs = new Map<string, string>();

function npm(args: string[], cwd: string): string {
  return execFileSync('npm', args, {
    cwd,
    env: cleanNpmEnv(),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function pack(pkg: WorkspacePackage, destination: string): string {
  if (!existsSync(path.join(pkg.absDir, 'dist'))) {
    throw new Error(
      `${pkg.dir}/dist is missing: run \`npm run build\` before this test (\`npm test\` does).`,
    );
  }
  const out = npm(['pack', '--json', '--pack-destination', destination], pkg.absDir);
  const [info] = JSON.parse(out) as { filename: string }[];
  if (info === undefined) throw new Error(`npm pack printed no result for ${pkg.dir}: ${out}`);
  return path.join(destination, info.filename);
}

/** Non-@mpst dependencies and required peers of the published packages. */
function registryNeeds(pkgs: readonly WorkspacePackage[]): string[] {
  const names = new Set<string>();
  for (const p of pkgs) {
    const json = p.json as {
      dependencies?: Record<string, string>;
      peerDependencies?: Record<string, string>;
      peerDependenciesMeta?: Record<string, { optional?: boolean }>;
    };
    for (const n of Object.keys(json.dependencies ?? {})) names.add(n);
    for (const n of Object.keys(json.peerDependencies ?? {}))
      if (json.peerDependenciesMeta?.[n]?.optional !== true) names.add(n);
  }
  return [...names].filter((n) => !n.startsWith('@mpst/')).sort();
}

function packInstalled(dir: string, destination: string): string {
  const out = npm(['pack', '--json', '--pack-destination', destination], dir);
  const [info] = JSON.parse(out) as { filename: string }[];
  if (info === undefined) throw new Error(`npm pack printed no result for ${dir}: ${out}`);
  return path.join(destination, info.filename);
}

/** Entry points of a package as import specifiers: `.` -> `@mpst/x`, `./node` -> `@mpst/x/node`. */
function entryPoints(pkg: WorkspacePackage): string[] {
  const exp = pkg.json.exports;
  if (exp === undefined) return [];
  const keys = typeof exp === 'string' ? ['.'] : Object.keys(exp).filter((k) => k.startsWith('.'));
  if (keys.length === 0) return [pkg.json.name]; // conditions only: the root entry point
  return keys.filter((k) => !k.includes('*')).map((k) => pkg.json.name + k.slice(1));
}

beforeAll(() => {
  tmpRoot = mkdtempSync(path.join(tmpdir(), 'mpst-pack-'));
  const packDir = path.join(tmpRoot, 'tarballs');
  const appDir = path.join(tmpRoot, 'app');
  mkdirSync(packDir);
  mkdirSync(appDir);
  for (const pkg of published) tarballs.set(pkg.json.name, pack(pkg, packDir));
  // Registry packages they need (typescript, a peer of @mpst/crash-refactor/code) come from the
  // workspace's node_modules, packed: the install stays offline.
  for (const name of registryNeeds(published))
    tarballs.set(name, packInstalled(path.join(workspaceRoot, 'node_modules', name), packDir));
  npm(['init', '-y'], appDir);
  npm(
    ['install', '--no-audit', '--no-fund', '--offline', '--no-package-lock', ...tarballs.values()],
    appDir,
  );
  installDir = appDir;
}, TIMEOUT);

afterAll(() => {
  if (tmpRoot !== '') rmSync(tmpRoot, { recursive: true, force: true });
});

describe('npm pack + install', () => {
  test('there are packages to publish, @mpst/scribble among them', () => {
    expect(published.map((p) => p.json.name)).toContain('@mpst/scribble');
  });

  test('tarballs ship dist, the sources its maps point at and package.json, not tests or build info', () => {
    for (const pkg of published) {
      const tarball = tarballs.get(pkg.json.name);
      expect(tarball, pkg.dir).toBeDefined();
      const files = execFileSync('tar', ['-tzf', tarball ?? ''], { encoding: 'utf8' })
        .split('\n')
        .filter(Boolean);
      expect(files, pkg.dir).toContain('package/package.json');
      expect(
        files.some((f) => f.startsWith('package/dist/')),
        `${pkg.dir}: no dist/ in the tarball`,
      ).toBe(true);
      expect(
        files.some((f) => f.startsWith('package/src/')),
        `${pkg.dir}: no src/ in the tarball (dist/*.map point at it)`,
      ).toBe(true);
      const unwanted = files.filter((f) => /^package\/test\/|\.tsbuildinfo$/.test(f));
      expect(unwanted, `${pkg.dir}: files that should not be published`).toEqual([]);
    }
  });

  test('every source map and declaration map of the installed packages resolves', () => {
    let maps = 0;
    const broken: string[] = [];
    for (const pkg of published) {
      const dist = path.join(installDir, 'node_modules', pkg.json.name, 'dist');
      const files = readdirSync(dist, { recursive: true, encoding: 'utf8' });
      for (const file of files.filter((f) => f.endsWith('.js') || f.endsWith('.d.ts'))) {
        const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(
          readFileSync(path.join(dist, file), 'utf8'),
        );
        const map = url?.[1] === undefined ? '' : path.join(dist, path.dirname(file), url[1]);
        if (!existsSync(map)) {
          broken.push(`${pkg.json.name}/dist/${file}: map ${url?.[1] ?? '(none)'}`);
          continue;
        }
        maps++;
        const json = JSON.parse(readFileSync(map, 'utf8')) as {
          sources: string[];
          sourceRoot?: string;
        };
        for (const source of json.sources) {
          const target = path.resolve(path.dirname(map), json.sourceRoot ?? '', source);
          if (!existsSync(target)) broken.push(`${path.relative(installDir, map)}: ${source}`);
        }
      }
    }
    expect(maps).toBeGreaterThan(0);
    expect(broken, 'source maps whose file or sources are not in the installed package').toEqual(
      [],
    );
  });

  test(
    'every exported entry point of every package can be imported',
    () => {
      const specifiers = published.flatMap(entryPoints);
      expect(specifiers).toContain('@mpst/scribble');
      // JSON entry points (the EFSM schema) need an import attribute.
      const script =
        specifiers
          .map(
            (s) =>
              `await import(${JSON.stringify(s)}${s.endsWith('.json') ? ", { with: { type: 'json' } }" : ''});`,
          )
          .join('\n') + "\nconsole.log('ok');\n";
      writeFileSync(path.join(installDir, 'imports.mjs'), script);
      expect(
        execFileSync('node', ['imports.mjs'], { cwd: installDir, encoding: 'utf8' }).trim(),
      ).toBe('ok');
    },
    TIMEOUT,
  );

  test(
    'the installed @mpst/scribble parses a protocol without diagnostics',
    () => {
      const script = [
        "import { parse } from '@mpst/scribble';",
        `const { module, diagnostics } = parse(${JSON.stringify(GOOD_PROTOCOL)}, 'P.scr');`,
        'if (diagnostics.length > 0) { console.error(JSON.stringify(diagnostics, null, 2)); process.exit(1); }',
        "if (module === undefined) { console.error('no module'); process.exit(1); }",
        "console.log('ok');",
        '',
      ].join('\n');
      writeFileSync(path.join(installDir, 'parse.mjs'), script);
      expect(
        execFileSync('node', ['parse.mjs'], { cwd: installDir, encoding: 'utf8' }).trim(),
      ).toBe('ok');
    },
    TIMEOUT,
  );

  describe('the installed mpst binary', () => {
    const bin = () => path.join(installDir, 'node_modules', '.bin', 'mpst');

    test('@mpst/cli is published and declares the mpst bin', () => {
      expect(cli, 'packages/cli/package.json does not exist yet').toBeDefined();
      expect(cli?.json.private, '@mpst/cli is private: it would not be published').not.toBe(true);
      const binField = cli?.json.bin;
      const hasMpst =
        typeof binField === 'string' || (binField !== undefined && 'mpst' in binField);
      expect(hasMpst, 'packages/cli/package.json has no "bin": { "mpst": "./dist/bin.js" }').toBe(
        true,
      );
      expect(existsSync(bin()), `${bin()} was not installed from the @mpst/cli tarball`).toBe(true);
    });

    test(
      '`mpst check` exits 0 on a well-formed protocol',
      () => {
        writeFileSync(path.join(installDir, 'Good.scr'), GOOD_PROTOCOL);
        const r = spawnSync(bin(), ['check', 'Good.scr'], { cwd: installDir, encoding: 'utf8' });
        expect(r.error, 'could not run mpst (is the bin installed?)').toBeUndefined();
        expect(r.status, `stdout:\n${r.stdout}\nstderr:\n${r.stderr}`).toBe(0);
      },
      TIMEOUT,
    );

    test(
      '`mpst check` exits 1 on a broken protocol and names the file',
      () => {
        writeFileSync(path.join(installDir, 'Broken.scr'), BROKEN_PROTOCOL);
        const r = spawnSync(bin(), ['check', 'Broken.scr'], { cwd: installDir, encoding: 'utf8' });
        expect(r.error, 'could not run mpst (is the bin installed?)').toBeUndefined();
        expect(r.status, `stdout:\n${r.stdout}\nstderr:\n${r.stderr}`).toBe(1);
        expect(r.stdout + r.stderr).toContain('Broken.scr');
      },
      TIMEOUT,
    );

    // diagram, codegen and refactor are ES modules of their own in the bundle; refactor inlines
    // the TypeScript compiler (CommonJS), which once failed there on `require` and `__filename`.
    test(
      '`mpst codegen` and `mpst refactor --code` run from the bundle',
      () => {
        const fixture = path.join(
          workspaceRoot,
          'packages/crash-refactor/test/fixtures/code/paxos-proposer',
        );
        cpSync(path.join(fixture, 'old/Paxos.scr'), path.join(installDir, 'Paxos.scr'));
        cpSync(path.join(fixture, 'proposer.ts'), path.join(installDir, 'proposer.ts'));
        const mpst = (...args: string[]) =>
          spawnSync(bin(), args, { cwd: installDir, encoding: 'utf8' });
        const gen = mpst('codegen', 'Paxos.scr', '--out', 'gen');
        expect(gen.status, gen.stderr).toBe(0);
        expect(readFileSync(path.join(installDir, 'gen/Paxos.P1.ts'), 'utf8')).toBe(
          readFileSync(path.join(fixture, 'old/Paxos.P1.ts'), 'utf8'),
        );
        const r = mpst(
          'refactor',
          'Paxos.scr',
          '--unreliable',
          'A1,A2,A3',
          '--code',
          'proposer.ts',
        );
        expect(r.status, r.stderr.slice(0, 2000)).toBe(0);
        expect(r.stdout).toBe(readFileSync(path.join(fixture, 'new/Paxos.scr'), 'utf8'));
        expect(r.stderr).toContain('proposer.ts: changes 6 for Paxos.P1.ts\n');
      },
      TIMEOUT,
    );

    test(
      '`mpst check` exits 2 on a missing file',
      () => {
        const r = spawnSync(bin(), ['check', 'Missing.scr'], { cwd: installDir, encoding: 'utf8' });
        expect(r.error, 'could not run mpst (is the bin installed?)').toBeUndefined();
        expect(r.status, `stdout:\n${r.stdout}\nstderr:\n${r.stderr}`).toBe(2);
      },
      TIMEOUT,
    );
  });

  describe('the @mpst/cli tarball alone (npx --package)', () => {
    test('declares no @mpst dependency (npm would look for it on the registry)', () => {
      const deps = { ...cli?.json.dependencies, ...cli?.json.optionalDependencies };
      expect(Object.keys(deps).filter((d) => d.startsWith('@mpst/'))).toEqual([]);
      const files = execFileSync('tar', ['-tzf', tarballs.get('@mpst/cli') ?? ''], {
        encoding: 'utf8',
      });
      expect(files).toContain('package/bundle/bin.cjs');
      expect(files).toContain('package/bundle/render-svg.js');
    });

    test(
      '`npx --package ./mpst-cli-x.y.z.tgz mpst check FILE` works offline in an empty folder',
      () => {
        const userDir = path.join(tmpRoot, 'user');
        mkdirSync(userDir);
        writeFileSync(path.join(userDir, 'Good.scr'), GOOD_PROTOCOL);
        writeFileSync(path.join(userDir, 'Broken.scr'), BROKEN_PROTOCOL);
        const tarball = tarballs.get('@mpst/cli') ?? '';
        // A cache of its own, empty: nothing can come from an earlier install.
        const env = { ...cleanNpmEnv(), npm_config_cache: path.join(tmpRoot, 'npx-cache') };
        const npx = (file: string) =>
          spawnSync(
            'npx',
            ['--offline', '--yes', '--package', tarball, 'mpst', 'check', '--no-verify', file],
            { cwd: userDir, env, encoding: 'utf8' },
          );
        const good = npx('Good.scr');
        expect(good.status, `stdout:\n${good.stdout}\nstderr:\n${good.stderr}`).toBe(0);
        expect(good.stdout).toContain('✓ checked 1 file');
        const broken = npx('Broken.scr');
        expect(broken.status, broken.stderr).toBe(1);
        expect(broken.stdout).toContain('Broken.scr:1:');
      },
      TIMEOUT,
    );
  });

  test('installed packages are the workspace versions', () => {
    for (const pkg of published) {
      const installed = JSON.parse(
        readFileSync(
          path.join(installDir, 'node_modules', ...pkg.json.name.split('/'), 'package.json'),
          'utf8',
        ),
      ) as { version: string };
      expect(installed.version, pkg.json.name).toBe(pkg.json.version);
    }
  });
});
