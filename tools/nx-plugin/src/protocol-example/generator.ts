/**
 * `nx g @mpst/tools:protocol-example NAME`: a new protocol example in tutorials/examples/NAME/,
 * laid out as every step and example folder is (TUTORIAL-LAYOUT: README.md, <Name>.scr,
 * roles.ts default-exporting a StepModule of the tutorial kit, generated/, diagrams/) plus its
 * test tutorials/examples/test/NAME.test.ts. The examples' tests and the tutorial app find the
 * folder by itself: nothing else needs wiring.
 *
 * The scaffold is a small protocol that already works (a client asks, a server answers), so
 * the new example's tests pass from the first run and a newcomer changes working code. After
 * the files are written, the generator runs `node tools/generate-artifacts.mjs` on the folder
 * (generated/ is then exactly what `mpst codegen` writes, diagrams/ the Mermaid pictures).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { formatFiles, generateFiles, logger, type GeneratorCallback, type Tree } from '@nx/devkit';

export interface ProtocolExampleOptions {
  /** The folder's name: lower-case words joined by hyphens (`two-buyer`). */
  readonly name: string;
  /** Leave generated/ and diagrams/ to be made (by `node tools/generate-artifacts.mjs`). */
  readonly skipArtifacts?: boolean;
}

/** Where examples live, relative to the workspace root. */
export const EXAMPLES_DIR = 'tutorials/examples';

/** Folder names the examples project uses itself (its tests discover every other folder). */
const RESERVED = new Set(['test', 'node_modules']);

/** Lower-case words of letters and digits, joined by single hyphens, starting with a letter. */
const NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/** The protocol's (module's, file's) name for an example's name: `two-buyer` → `TwoBuyer`. */
export function protocolName(name: string): string {
  return name
    .split('-')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

/** Why NAME cannot be a new example in this tree, or undefined when it can. */
export function nameProblem(tree: Tree, name: unknown): string | undefined {
  if (typeof name !== 'string' || name === '') return 'the example needs a name (e.g. two-buyer)';
  if (!NAME.test(name) || name.length > 48) {
    return (
      `"${name}" is not a valid example name: use lower-case letters and digits in words ` +
      'joined by single hyphens, starting with a letter, at most 48 characters (e.g. two-buyer)'
    );
  }
  if (RESERVED.has(name)) return `"${name}" is reserved in ${EXAMPLES_DIR}/: pick another name`;
  if (!tree.exists(`${EXAMPLES_DIR}/package.json`)) {
    return (
      `${EXAMPLES_DIR}/package.json not found: run the generator at the root of the mpst ` +
      'workspace, where the examples project lives'
    );
  }
  const folder = `${EXAMPLES_DIR}/${name}`;
  if (tree.exists(folder)) {
    return `${folder} already exists: pick another name, or delete the folder to start over`;
  }
  const test = `${EXAMPLES_DIR}/test/${name}.test.ts`;
  if (tree.exists(test)) return `${test} already exists: pick another name, or delete it`;
  return undefined;
}

/** Writes the example's files into the tree; returns the task that makes its artifacts. */
export async function protocolExampleGenerator(
  tree: Tree,
  options: ProtocolExampleOptions,
): Promise<GeneratorCallback> {
  const problem = nameProblem(tree, options.name);
  if (problem !== undefined) throw new Error(`protocol-example: ${problem}`);
  const { name } = options;
  const folder = `${EXAMPLES_DIR}/${name}`;
  const substitutions = { tmpl: '', name, protocol: protocolName(name) };
  generateFiles(tree, path.join(__dirname, 'files', 'example'), folder, substitutions);
  generateFiles(tree, path.join(__dirname, 'files', 'test'), `${EXAMPLES_DIR}/test`, substitutions);
  await formatFiles(tree);
  return () => {
    if (options.skipArtifacts === true) {
      logger.info(
        `Then make generated/ and diagrams/: node tools/generate-artifacts.mjs ${folder}`,
      );
    } else {
      writeArtifacts(tree.root, folder);
    }
    logger.info(nextSteps(folder, name));
  };
}

/**
 * Runs tools/generate-artifacts.mjs on the new folder, in a child process: the script is plain
 * ESM on the packages' dist/ (and renders the .svgs in headless Chromium), while Nx runs
 * generators as CommonJS.
 */
function writeArtifacts(root: string, folder: string): void {
  const script = path.join(root, 'tools', 'generate-artifacts.mjs');
  const run = spawnSync(process.execPath, [script, folder], { cwd: root, stdio: 'inherit' });
  if (run.status !== 0) {
    throw new Error(
      `node tools/generate-artifacts.mjs ${folder} failed (see above). The example's files are ` +
        'written; make its generated/ and diagrams/ again once the cause is fixed (run ' +
        '`npm run build` first if the packages have no dist/).',
    );
  }
}

function nextSteps(folder: string, name: string): string {
  return [
    `Created ${folder}: a working client/server example to turn into yours.`,
    `  1. Write your protocol in its .scr file, then: node tools/generate-artifacts.mjs ${folder}`,
    `  2. Write each role in ${folder}/roles.ts against generated/, and the run's properties`,
    `     in its \`check\`; scenario tests in ${EXAMPLES_DIR}/test/${name}.test.ts.`,
    `  3. npx nx test @mpst/tutorial-examples, then add a changeset (CONTRIBUTING.md).`,
  ].join('\n');
}

export default protocolExampleGenerator;
