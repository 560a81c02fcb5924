// @ts-check
/**
 * ESLint flat config for the whole workspace (`npx eslint .` from the root).
 *
 * Layering (enforced below by @nx/enforce-module-boundaries on imports, and by
 * tools/test/layers.test.ts on package.json dependencies). Every workspace package carries
 * exactly one tag in its package.json, `"nx": { "tags": ["layer:N"] }`, and that tag is the only
 * place a package's layer is written: the constraints below are built from the tags present.
 * A package may depend only on packages of a strictly lower layer: no imports sideways within a
 * layer, none upwards. A project with no layer tag may not import any other project.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import js from '@eslint/js';
import globals from 'globals';
import nx from '@nx/eslint-plugin';
import { createProjectGraphAsync } from '@nx/devkit';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';
import prettierConfig from 'eslint-config-prettier';

// @nx/enforce-module-boundaries reads Nx's *cached* project graph and silently skips itself when
// there is none (fresh clone, `npx eslint .` without a prior `nx` command). Build the graph here
// so the layering rule always runs. nx.json turns the daemon off, so this leaves no process behind.
// Not inside Nx, though: a lint task (NX_TASK_TARGET_PROJECT set) starts after Nx has built the
// graph, and the @nx/eslint plugin loads this file in a plugin worker *while* Nx builds the graph,
// where building it again would wait for itself.
// (Nx loads plugins in-process when plugin isolation is off, hence the check for nx's own bin.)
const insideNx =
  process.env['NX_TASK_TARGET_PROJECT'] !== undefined ||
  process.argv.some((arg) =>
    /[\\/](plugin-worker(\.js)?|nx[\\/]bin[\\/]nx\.js|\.bin[\\/]nx)$/.test(arg),
  );
if (!insideNx) await createProjectGraphAsync({ exitOnError: false });

/** The layer numbers in use, read from the workspace packages' `layer:N` tags. */
const LAYERS =
  Math.max(
    -1,
    ...workspacePackages().flatMap(({ tags }) =>
      tags.filter((t) => /^layer:\d+$/.test(t)).map((t) => Number(t.slice('layer:'.length))),
    ),
  ) + 1;

/** @type {{ sourceTag: string, onlyDependOnLibsWithTags: string[] }[]} */
const layerConstraints = Array.from({ length: LAYERS }, (_, n) => ({
  sourceTag: `layer:${String(n)}`,
  // layer:0 gets an empty list, which Nx reads as "may not depend on any tagged project".
  onlyDependOnLibsWithTags: Array.from({ length: n }, (_, lower) => `layer:${String(lower)}`),
}));

const moduleBoundaries = {
  enforceBuildableLibDependency: true,
  depConstraints: layerConstraints,
};

/**
 * Workspace packages as `{ dir, name, tags }`, e.g.
 * `{ dir: 'packages/scribble', name: '@mpst/scribble', tags: ['layer:0'] }`.
 * @returns {{ dir: string, name: string, tags: string[] }[]}
 */
function workspacePackages() {
  return ['packages', 'apps', 'tutorials'].flatMap((group) => {
    const groupDir = new URL(`./${group}/`, import.meta.url);
    if (!existsSync(groupDir)) return [];
    return readdirSync(groupDir, { withFileTypes: true })
      .filter(
        (entry) =>
          entry.isDirectory() && existsSync(new URL(`${entry.name}/package.json`, groupDir)),
      )
      .map((entry) => {
        /** @type {{ name: string, nx?: { tags?: string[] } }} */
        const pkg = JSON.parse(
          readFileSync(new URL(`${entry.name}/package.json`, groupDir), 'utf8'),
        );
        return { dir: `${group}/${entry.name}`, name: pkg.name, tags: pkg.nx?.tags ?? [] };
      });
  });
}

export default defineConfig(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      // The bundled CLI (packages/cli/scripts/bundle.mjs, made by npm pack): generated.
      'packages/cli/bundle/**',
      '**/coverage/**',
      '**/.nx/**',
      'reports/**',
      'tmp/**',
      // bench/ holds plain Node ESM scripts and the protocol files / results they generate;
      // it is not part of the typed lint.
      'bench/**/*.mjs',
      'bench/**/generated/**',
      'bench/**/results/**',
      // Test fixtures are data (expected generated code, etc.), not source we lint.
      '**/test/**/fixtures/**',
      '**/__snapshots__/**',
    ],
  },

  // Layering, for every JS and TS file.
  {
    files: ['**/*.{js,mjs,cjs,ts,mts,cts}'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': ['error', moduleBoundaries],
    },
  },

  // Plain JavaScript (this file, Node scripts such as test workers): ESLint's recommended rules.
  {
    files: ['**/*.{js,mjs,cjs}'],
    extends: [js.configs.recommended],
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: globals.node,
    },
  },

  // TypeScript everywhere (packages/*/src, packages/*/test, apps, tools, vitest.config.ts):
  // fully type-checked rules. The project service finds each file's nearest tsconfig.json:
  // packages/*/tsconfig.json for src, packages/*/test/tsconfig.json for tests,
  // tools/tsconfig.json for tools. Root-level config files fall back to tools/tsconfig.json.
  {
    files: ['**/*.{ts,mts,cts}'],
    extends: [
      js.configs.recommended,
      tseslint.configs.strictTypeChecked,
      tseslint.configs.stylisticTypeChecked,
    ],
    languageOptions: {
      parserOptions: {
        projectService: {
          // Vitest configs (the root's and each project's one-line vitest.config.ts) belong to no
          // package's tsconfig; tools/tsconfig.json type-checks them (`nx typecheck tools`).
          allowDefaultProject: [
            'vitest.config.ts',
            'vitest.shared.ts',
            'packages/*/vitest.config.ts',
            'apps/*/vitest.config.ts',
            'tutorials/*/vitest.config.ts',
          ],
          defaultProject: 'tools/tsconfig.json',
          maximumDefaultProjectFileMatchCount_THIS_WILL_SLOW_DOWN_LINTING: 32,
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // Numbers in template strings are idiomatic (`line ${n}`) and print the same everywhere.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // `() => resolve(x)` returning the callee's void is idiomatic; braces around it add nothing.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      // `env['NO_COLOR']` on an index signature is as correct as `env.NO_COLOR` (tsc's
      // noPropertyAccessFromIndexSignature even requires the brackets); both read fine.
      '@typescript-eslint/dot-notation': ['error', { allowIndexSignaturePropertyAccess: true }],
      // `_`-prefixed bindings are deliberately unused (tsc's noUnused* options agree).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },

  // The tutorial's kit and step folders have no tsconfig.json of their own (one in
  // tutorials/paxos/ would make Nx infer a build; one in steps/ would be a step folder):
  // test/tsconfig.json, which type-checks them, is their project.
  {
    files: ['tutorials/paxos/src/**/*.ts', 'tutorials/paxos/steps/**/*.ts'],
    languageOptions: {
      parserOptions: {
        projectService: false,
        project: ['tutorials/paxos/test/tsconfig.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },

  // The protocol examples' folders (roles.ts, generated/) have no tsconfig.json of their own
  // either: tutorials/examples/test/tsconfig.json type-checks them.
  {
    files: ['tutorials/examples/*/**/*.ts'],
    ignores: ['tutorials/examples/test/**'],
    languageOptions: {
      parserOptions: {
        projectService: false,
        project: ['tutorials/examples/test/tsconfig.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },

  // Tests: allow the conveniences that make assertions readable. Everything else stays strict.
  {
    files: ['**/test/**/*.ts', 'tools/test/**/*.ts'],
    rules: {
      // `result.diagnostics[0]!.code` after an `expect(...).toHaveLength(1)` is fine in a test.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // No-op callbacks (`test.skip(notice, () => {})`, mock implementations) are normal in tests.
      '@typescript-eslint/no-empty-function': ['error', { allow: ['arrowFunctions'] }],
    },
  },

  // The core packages run in the browser (the tutorial app): no Node built-ins outside their
  // `./node` entry (`src/node.ts` or `src/node/**`). The CLI is exempt.
  {
    files: [
      'packages/{scribble,projector,verify,crash-refactor,mermaid,codegen,runtime}/src/**/*.ts',
    ],
    ignores: ['packages/*/src/node.ts', 'packages/*/src/node/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*'],
              message:
                'Core packages run in browsers: put Node-only code behind the `./node` entry.',
            },
          ],
          paths: [
            'fs',
            'path',
            'os',
            'child_process',
            'worker_threads',
            'net',
            'http',
            'url',
            'util',
            'crypto',
          ].map((name) => ({
            name,
            message: 'Core packages run in browsers: put Node-only code behind the `./node` entry.',
          })),
        },
      ],
    },
  },

  // A package's own tests may import it by its published name (that exercises the `exports`
  // map, as a user would). Nx otherwise demands relative imports inside one project. Layering
  // still applies to every other import in the tests.
  workspacePackages().map(({ dir, name }) => ({
    files: [`${dir}/test/**/*.{js,mjs,cjs,ts,mts,cts}`],
    rules: {
      // ...and share the corpus and compile helpers `tools/corpus.ts` and `tools/typecheck.ts`
      // (test-only code, not a package).
      '@nx/enforce-module-boundaries': [
        'error',
        {
          ...moduleBoundaries,
          allow: [
            name,
            `${name}/*`,
            ...['corpus', 'typecheck'].flatMap((f) => [
              `../../../tools/${f}.js`,
              `../../../../tools/${f}.js`,
            ]),
          ],
        },
      ],
    },
  })),

  // Every example implements the Paxos tutorial's kit (tutorials/paxos/src/kit.ts, one kit for
  // the steps and the examples): that one import crosses from @mpst/tutorial-examples into
  // @mpst/tutorial-paxos, a project of the same layer. The examples' test also reads
  // tools/generate-artifacts.mjs and tools/typecheck.ts (in no project). Every other import keeps
  // the rule.
  {
    files: ['tutorials/examples/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          ...moduleBoundaries,
          allow: [
            '^\\.\\./\\.\\./paxos/src/kit\\.js$',
            '../../../tools/generate-artifacts.mjs',
            '../../../tools/typecheck.js',
          ],
        },
      ],
    },
  },

  // The workspace tests (project `tools`, rooted at tools/test) test the scripts beside them.
  {
    files: ['tools/test/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        { ...moduleBoundaries, allow: ['../run-tests.mjs'] },
      ],
    },
  },

  // A project's vitest.config.ts re-exports the workspace's shared settings (not a project).
  {
    files: ['**/vitest.config.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        { ...moduleBoundaries, allow: ['../../vitest.shared.ts', '../vitest.shared.ts'] },
      ],
    },
  },

  // Layout is Prettier's job (`npm run format`); turn off every rule that would fight it.
  prettierConfig,

  // Prettier cannot break strings and comments: keep every source line readable anyway.
  {
    files: ['**/*.{js,mjs,cjs,ts,mts,cts}'],
    rules: {
      'max-len': ['error', { code: 120, ignoreUrls: true, ignoreRegExpLiterals: true }],
    },
  },
);
