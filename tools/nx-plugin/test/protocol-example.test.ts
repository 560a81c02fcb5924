/**
 * `nx g @mpst/tools:protocol-example NAME`, run on a virtual workspace (Nx devkit's
 * createTreeWithEmptyWorkspace): the files it writes, the names it refuses (and, for any name,
 * either a refusal or a protocol that checks: fast-check). Then end to end in a real temporary
 * workspace under tmp/: the scaffold's protocol generates (as tools/generate-artifacts.mjs makes
 * it), its role code and test compile under the workspace's strict settings, and its
 * StepModule passes seeded runs with the tutorial kit.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing.js';
import { analyzeText } from '@mpst/projector';
import fc from 'fast-check';
import { afterAll, beforeEach, describe, expect, test } from 'vitest';
import {
  EXAMPLES_DIR,
  nameProblem,
  protocolExampleGenerator,
  protocolName,
} from '../src/protocol-example/generator.js';
// The artifact script and the tests' compile helper are in no Nx project (as tools/corpus.ts).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { planFolder } from '../../generate-artifacts.mjs';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { compileFolders } from '../../typecheck.js';

const workspaceRoot = path.resolve(import.meta.dirname, '..', '..', '..');

/** A virtual workspace with the examples project in it. */
function workspace(): Tree {
  const tree = createTreeWithEmptyWorkspace();
  tree.write(
    `${EXAMPLES_DIR}/package.json`,
    '{ "name": "@mpst/tutorial-examples", "type": "module" }\n',
  );
  return tree;
}

let tree: Tree;
beforeEach(() => {
  tree = workspace();
});

describe('the files', () => {
  test('an example folder and its test, named after NAME', async () => {
    await protocolExampleGenerator(tree, { name: 'ping-pong', skipArtifacts: true });
    const folder = `${EXAMPLES_DIR}/ping-pong`;
    expect(tree.children(folder).sort()).toEqual(['PingPong.scr', 'README.md', 'roles.ts']);
    expect(tree.exists(`${EXAMPLES_DIR}/test/ping-pong.test.ts`)).toBe(true);
    const scr = tree.read(`${folder}/PingPong.scr`, 'utf-8') ?? '';
    expect(scr).toContain('module PingPong;');
    expect(scr).toContain('global protocol PingPong(role Client, role Server)');
    const roles = tree.read(`${folder}/roles.ts`, 'utf-8') ?? '';
    expect(roles).toContain("import * as Client from './generated/PingPong.Client.js';");
    expect(roles).toContain("protocol: 'PingPong',");
    const readme = tree.read(`${folder}/README.md`, 'utf-8') ?? '';
    expect(readme).toMatch(/^# PingPong: /);
    const test = tree.read(`${EXAMPLES_DIR}/test/ping-pong.test.ts`, 'utf-8') ?? '';
    expect(test).toContain("import example from '../ping-pong/roles.js';");
    for (const text of [scr, roles, readme, test]) expect(text).not.toMatch(/<%|%>|__\w+__/);
  });

  test('nothing else in the workspace changes', async () => {
    const before = tree.listChanges().map((c) => c.path);
    await protocolExampleGenerator(tree, { name: 'ping-pong', skipArtifacts: true });
    const added = tree
      .listChanges()
      .map((c) => c.path)
      .filter((p) => !before.includes(p))
      .sort();
    expect(added).toEqual([
      `${EXAMPLES_DIR}/ping-pong/PingPong.scr`,
      `${EXAMPLES_DIR}/ping-pong/README.md`,
      `${EXAMPLES_DIR}/ping-pong/roles.ts`,
      `${EXAMPLES_DIR}/test/ping-pong.test.ts`,
    ]);
  });

  test('protocol names: words joined, each capitalised', () => {
    expect(protocolName('two-buyer')).toBe('TwoBuyer');
    expect(protocolName('logger')).toBe('Logger');
    expect(protocolName('two-phase-commit')).toBe('TwoPhaseCommit');
    expect(protocolName('p2p-v2')).toBe('P2pV2');
  });
});

describe('names it refuses, with the reason', () => {
  test.each([
    ['Two-Buyer', 'is not a valid example name'],
    ['two_buyer', 'is not a valid example name'],
    ['2pc', 'is not a valid example name'],
    ['-x', 'is not a valid example name'],
    ['a--b', 'is not a valid example name'],
    ['x-', 'is not a valid example name'],
    ['a/b', 'is not a valid example name'],
    ['../x', 'is not a valid example name'],
    ['x'.repeat(49), 'at most 48 characters'],
    ['', 'needs a name'],
    ['test', '"test" is reserved'],
  ])('%j', async (name, reason) => {
    await expect(protocolExampleGenerator(tree, { name })).rejects.toThrow(
      new RegExp(`^protocol-example: .*${reason.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
    );
    expect(tree.listChanges().filter((c) => c.path.startsWith(`${EXAMPLES_DIR}/`))).toHaveLength(1);
  });

  test('an existing folder, or an existing test of that name', async () => {
    tree.write(`${EXAMPLES_DIR}/two-buyer/README.md`, '# mine\n');
    await expect(protocolExampleGenerator(tree, { name: 'two-buyer' })).rejects.toThrow(
      'protocol-example: tutorials/examples/two-buyer already exists: pick another name',
    );
    expect(tree.read(`${EXAMPLES_DIR}/two-buyer/README.md`, 'utf-8')).toBe('# mine\n');
    tree.write(`${EXAMPLES_DIR}/test/ping.test.ts`, '');
    expect(nameProblem(tree, 'ping')).toBe(
      'tutorials/examples/test/ping.test.ts already exists: pick another name, or delete it',
    );
  });

  test('a workspace without the examples project', () => {
    expect(nameProblem(createTreeWithEmptyWorkspace(), 'ping')).toMatch(
      /^tutorials\/examples\/package\.json not found: run the generator at the root/,
    );
  });
});

describe('every name', () => {
  // Names from anywhere, and names of the accepted shape (most random strings are refused).
  const names = fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.stringMatching(/^[a-z][a-z0-9]{0,5}(?:-[a-z0-9]{1,4}){0,3}$/),
  );

  test('is refused with a reason and nothing written, or scaffolds a protocol that checks', async () => {
    await fc.assert(
      fc.asyncProperty(names, async (name) => {
        const t = workspace();
        const before = t.listChanges().length;
        const problem = nameProblem(t, name);
        if (problem !== undefined) {
          await expect(protocolExampleGenerator(t, { name })).rejects.toThrow(
            `protocol-example: ${problem}`,
          );
          expect(t.listChanges()).toHaveLength(before);
          return;
        }
        await protocolExampleGenerator(t, { name, skipArtifacts: true });
        const file = `${EXAMPLES_DIR}/${name}/${protocolName(name)}.scr`;
        const analysis = analyzeText(t.read(file, 'utf-8') ?? '', {
          path: `${protocolName(name)}.scr`,
        });
        expect(analysis.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
        expect(analysis.protocols.map((p) => p.name)).toEqual([protocolName(name)]);
      }),
      { numRuns: 60 },
    );
  }, 60_000);
});

describe('in a real temporary workspace', () => {
  // Under the repository's tmp/ (git-ignored), so that the example's imports (@mpst/runtime,
  // vitest) resolve through the repository's node_modules, as they do in tutorials/examples.
  mkdirSync(path.join(workspaceRoot, 'tmp'), { recursive: true });
  const root = mkdtempSync(path.join(workspaceRoot, 'tmp', 'protocol-example-'));
  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  /** Writes the tree's new files under tutorials/examples/ into `root` (not the virtual
   * workspace's own package.json, nx.json …: `root` lives in the repository's). */
  function flush(t: Tree): void {
    for (const change of t.listChanges()) {
      if (change.type === 'DELETE' || change.content === null) continue;
      if (!change.path.startsWith(`${EXAMPLES_DIR}/`)) continue;
      const target = path.join(root, change.path);
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, change.content);
    }
  }

  test('the scaffold generates, compiles, and its role code passes 200 seeded runs', async () => {
    const kit = path.join(workspaceRoot, 'tutorials/paxos/src');
    cpSync(kit, path.join(root, 'tutorials/paxos/src'), { recursive: true });
    await protocolExampleGenerator(tree, { name: 'hello-world', skipArtifacts: true });
    flush(tree);
    const folder = path.join(root, EXAMPLES_DIR, 'hello-world');

    // generated/ as tools/generate-artifacts.mjs writes it (the .svgs need a browser: skipped).
    const plan = planFolder(folder);
    expect(plan.protocol).toBe('HelloWorld');
    for (const [file, text] of plan.files) {
      mkdirSync(path.dirname(path.join(folder, file)), { recursive: true });
      writeFileSync(path.join(folder, file), text);
    }
    expect([...plan.files.keys()].sort()).toEqual([
      'diagrams/Client.mmd',
      'diagrams/Server.mmd',
      'diagrams/global.mmd',
      'generated/HelloWorld.Client.ts',
      'generated/HelloWorld.Server.ts',
    ]);

    // The role code and the scaffolded test compile with the generated modules.
    const errors = compileFolders(
      [`${EXAMPLES_DIR}/hello-world`, `${EXAMPLES_DIR}/test`],
      path.join(workspaceRoot, EXAMPLES_DIR, 'test', 'tsconfig.json'),
      root,
    );
    expect([...errors.values()].flat()).toEqual([]);

    // The StepModule runs with the tutorial kit, and its properties hold.
    const kitModule = (await import(
      pathToFileURL(path.join(root, 'tutorials/paxos/src/kit.ts')).href
    )) as typeof import('../../../tutorials/paxos/src/kit.js');
    const example = (await import(pathToFileURL(path.join(folder, 'roles.ts')).href)) as {
      default: import('../../../tutorials/paxos/src/kit.js').StepModule;
    };
    const many = await kitModule.runMany(example.default, { count: 200 });
    expect(many.failures).toEqual([]);
  }, 60_000);

  test('the follow-up task runs tools/generate-artifacts.mjs on the new folder', async () => {
    // A stand-in for the script that records its arguments, then fails on request.
    const script = path.join(root, 'tools', 'generate-artifacts.mjs');
    mkdirSync(path.dirname(script), { recursive: true });
    writeFileSync(
      script,
      [
        "import { writeFileSync } from 'node:fs';",
        "writeFileSync('args.json', JSON.stringify(process.argv.slice(2)));",
        "if (process.argv.includes('tutorials/examples/broken')) process.exit(1);",
      ].join('\n'),
    );
    const t = workspace();
    Object.defineProperty(t, 'root', { value: root });
    const task = await protocolExampleGenerator(t, { name: 'fine' });
    await task();
    expect(JSON.parse(readFileSync(path.join(root, 'args.json'), 'utf8'))).toEqual([
      'tutorials/examples/fine',
    ]);
    const broken = await protocolExampleGenerator(t, { name: 'broken' });
    await expect(async () => {
      await broken();
    }).rejects.toThrow(
      /^node tools\/generate-artifacts\.mjs tutorials\/examples\/broken failed \(see above\)/,
    );
  });
});
