/**
 * Nx runs the workspace's tasks: every project gets its targets from the plugins in nx.json (or a
 * one-line file), the root scripts go through Nx, and `npm test`'s closing line is the sum of the
 * projects' summary lines (tools/run-tests.mjs).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { formatTotal, TestSummary } from '../run-tests.mjs';
import { workspacePackages, workspaceRoot } from './workspace.js';

interface Target {
  command?: string;
  executor?: string;
  options?: { command?: string };
  dependsOn?: unknown[];
  inputs?: unknown[];
  outputs?: string[];
  cache?: boolean;
}
interface GraphNode {
  name: string;
  data: { root: string; targets: Record<string, Target> };
}

let nodes: GraphNode[] = [];

beforeAll(() => {
  mkdirSync(path.join(workspaceRoot, 'tmp'), { recursive: true });
  const dir = mkdtempSync(path.join(workspaceRoot, 'tmp', 'nx-graph-'));
  const file = path.join(dir, 'graph.json');
  try {
    execFileSync(
      process.execPath,
      [path.join(workspaceRoot, 'node_modules/nx/bin/nx.js'), 'graph', `--file=${file}`],
      { cwd: workspaceRoot, env: { ...process.env, NX_DAEMON: 'false' }, stdio: 'ignore' },
    );
    const graph = JSON.parse(readFileSync(file, 'utf8')) as {
      graph: { nodes: Record<string, GraphNode> };
    };
    nodes = Object.values(graph.graph.nodes);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 180_000);

function project(root: string): GraphNode {
  const node = nodes.find((n) => n.data.root === root);
  if (node === undefined) throw new Error(`no Nx project at ${root}`);
  return node;
}

// tools/nx-plugin (@mpst/tools, the local Nx plugin) is a workspace package too.
const packages = workspacePackages(['packages', 'apps', 'tutorials', 'tools']);

describe('every project has its Nx targets', () => {
  test.each(packages.map((p) => [p.dir, p] as const))(
    '%s: lint, typecheck, test (and build when it publishes dist/)',
    (dir, pkg) => {
      const targets = project(dir).data.targets;
      const wanted = ['lint', 'typecheck', 'test'];
      if (JSON.stringify(pkg.json.exports ?? '').includes('./dist/')) wanted.push('build');
      for (const name of wanted) {
        expect(targets[name], `${dir} has no \`${name}\` target`).toBeDefined();
      }
      expect(targets['test']?.options?.command ?? targets['test']?.command).toBe('vitest run');
      expect(targets['test']?.dependsOn).toEqual(expect.arrayContaining(['^build']));
      // A package's build writes dist/; a tutorial project's writes its folders' generated/.
      if (targets['build'] !== undefined && dir.startsWith('tutorials/')) {
        expect(targets['build'].outputs?.every((o) => o.endsWith('/generated'))).toBe(true);
      } else if (targets['build'] !== undefined) {
        expect(targets['build'].outputs).toContain('{projectRoot}/dist');
      }
    },
  );

  test('tests are cached with the corpus and the CI switches as inputs', () => {
    const inputs = JSON.stringify(project('packages/scribble').data.targets['test']?.inputs);
    expect(inputs).toContain('testEnvironment');
    const nx = JSON.parse(readFileSync(path.join(workspaceRoot, 'nx.json'), 'utf8')) as {
      namedInputs: Record<string, unknown[]>;
    };
    const testEnvironment = nx.namedInputs['testEnvironment'] ?? [];
    for (const env of ['MPST_CORPUS', 'MPST_REQUIRE_CORPUS', 'MPST_REQUIRE_BROWSER', 'CI']) {
      expect(testEnvironment).toContainEqual({ env });
    }
    expect(testEnvironment).toContainEqual({ runtime: 'node tools/corpus-fingerprint.mjs' });
  });

  test('the workspace tests and the benchmarks are projects too', () => {
    expect(Object.keys(project('tools/test').data.targets)).toEqual(
      expect.arrayContaining(['lint', 'typecheck', 'test']),
    );
    expect(project('bench').data.targets['bench']?.cache).not.toBe(true);
  });

  test("the tutorial's generate target: cached on the .scr files, the tool and the packages", () => {
    const generate = project('tutorials/paxos').data.targets['generate'];
    expect(generate?.options?.command ?? generate?.command).toBe(
      'node tools/generate-artifacts.mjs',
    );
    expect(generate?.cache).toBe(true);
    expect(generate?.dependsOn).toEqual(expect.arrayContaining(['^build']));
    expect(generate?.inputs).toEqual(
      expect.arrayContaining([
        '{workspaceRoot}/tutorials/paxos/steps/*/*.scr',
        '{workspaceRoot}/tutorials/examples/*/*.scr',
        '{workspaceRoot}/tools/generate-artifacts.mjs',
        '^production',
      ]),
    );
    expect(generate?.outputs).toEqual(
      expect.arrayContaining([
        '{workspaceRoot}/tutorials/paxos/steps/*/generated',
        '{workspaceRoot}/tutorials/paxos/steps/*/diagrams',
      ]),
    );
  });
});

test.each([
  ['tutorials/paxos', 'tutorials/paxos/steps', '{projectRoot}/steps/*/'],
  ['tutorials/examples', 'tutorials/examples', '{projectRoot}/*/'],
])('%s: build regenerates generated/ from the protocols, cached', (root, folders, glob) => {
  const build = project(root).data.targets['build'];
  expect(build?.options?.command ?? build?.command).toBe(
    `node tools/generate-artifacts.mjs --code-only ${folders}`,
  );
  expect(build?.cache).toBe(true);
  expect(build?.inputs).toEqual(
    expect.arrayContaining([`${glob}*.scr`, `${glob}README.md`, `${glob}mpst.config.json`]),
  );
  expect(build?.outputs).toEqual([`${glob}generated`]);
});

test("the app's build runs after the tutorials' builds (it bundles their role code)", () => {
  expect(project('apps/tutorial').data.targets['build']?.dependsOn).toEqual(
    expect.arrayContaining([
      { projects: ['@mpst/tutorial-paxos', '@mpst/tutorial-examples'], target: 'build' },
    ]),
  );
});

describe('the root scripts and CI go through Nx', () => {
  const pkg = JSON.parse(readFileSync(path.join(workspaceRoot, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };

  test.each(['build', 'lint', 'typecheck', 'bench'])('npm run %s runs nx', (script) => {
    expect(pkg.scripts[script]).toMatch(/^nx (run-many|run) /);
  });

  test('npm test runs tools/run-tests.mjs (nx run-many -t test, summed)', () => {
    expect(pkg.scripts['test']).toBe('node tools/run-tests.mjs');
  });

  test('.ci/run builds, lints, type-checks and tests with the npm scripts', () => {
    const ci = readFileSync(path.join(workspaceRoot, '.ci/run'), 'utf8');
    for (const step of ['npm run build', 'npm run lint', 'npm run typecheck', 'npm test']) {
      expect(ci).toContain(step);
    }
  });
});

describe('tools/run-tests.mjs sums the per-project summary lines', () => {
  function sum(output: string, nxFailed = false): string {
    const s = new TestSummary();
    for (const line of output.split('\n')) s.line(line);
    return formatTotal(s.total(nxFailed));
  }

  test('fresh and cached tasks both count; builds are ignored', () => {
    const out = [
      '> nx run @mpst/scribble:build  [local cache]',
      '> nx run @mpst/scribble:test',
      ' Tests  3 passed (3)',
      '3 passed, 0 failed',
      '> nx run @mpst/verify:test  [local cache]',
      '\u001b[32m10 passed, 2 failed, 1 skipped\u001b[39m',
    ].join('\n');
    expect(sum(out)).toBe('13 passed, 2 failed, 1 skipped');
  });

  test("a task's line printed twice (output after it) counts once", () => {
    const out = '> nx run a:test\n4 passed, 0 failed\nlate warning\n4 passed, 0 failed\n';
    expect(sum(out)).toBe('4 passed, 0 failed');
  });

  test('a test task without a summary line counts as one failure', () => {
    expect(
      sum('> nx run a:test\nError: config failed to load\n> nx run b:test\n2 passed, 0 failed'),
    ).toBe('2 passed, 1 failed');
  });

  test('a failed Nx run never reads as "0 failed"', () => {
    expect(sum('> nx run a:build\nerror TS2322', true)).toBe('0 passed, 1 failed');
    expect(sum('> nx run a:test\n1 passed, 0 failed', false)).toBe('1 passed, 0 failed');
  });
});
