/**
 * Every protocol example (each folder of tutorials/examples/, found here without a list: a new
 * one made by `nx g @mpst/tools:protocol-example NAME` is tested as soon as it exists):
 * - the folder has its parts (README.md with a `# ` title, one protocol, roles.ts);
 * - the protocol checks without a diagnostic and verifies (@mpst/verify: safety, progress and
 *   eventual reception, in every crash scenario when it is crash-stop, and with every link that
 *   the example's own fault plans cut as a link that may fail);
 * - generated/ and diagrams/ are what tools/generate-artifacts.mjs makes of it, and the
 *   generated modules and roles.ts compile under the workspace's strict settings;
 * - roles.ts's StepModule passes RUNS seeded simulations keeping the example's properties, and,
 *   when the protocol has roles that may crash, FAULT_RUNS seeded fault plans (crashes of those
 *   roles, delays, reorders) too, each run ending with every live role finished.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { analyzeFiles, type ProtocolResult } from '@mpst/projector';
import { randomPlan, type FaultPlan } from '@mpst/runtime';
import { nodeHost } from '@mpst/scribble/node';
import { verifyProtocol, type Link } from '@mpst/verify';
import { beforeAll, describe, expect, test } from 'vitest';
// The artifact script and the tests' compile helper (in no project), and the tutorial's kit
// which every example implements: eslint.config.js allows these imports.
import { checkFolder, fixCommand, protocolFile } from '../../../tools/generate-artifacts.mjs';
import { compileFolders } from '../../../tools/typecheck.js';
import { runMany, runStep, type StepModule } from '../../paxos/src/kit.js';

/** Seeded simulations per example, and seeded fault plans per crash-stop example. */
const RUNS = 1000;
const FAULT_RUNS = 1000;

const examplesDir = fileURLToPath(new URL('..', import.meta.url));
const root = path.resolve(examplesDir, '..', '..');

/** Folders of tutorials/examples/ that are not examples: the project's own. */
const NOT_EXAMPLES = new Set(['test', 'node_modules']);

/** Every example folder's name. */
function exampleNames(dir = examplesDir): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !NOT_EXAMPLES.has(e.name) && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
}

const names = exampleNames();

test('the examples include the three the issue asks for', () => {
  expect(names).toEqual(expect.arrayContaining(['logger', 'two-buyer', 'two-phase-commit']));
});

/** The main protocol of a folder: the one tools/generate-artifacts.mjs generates. */
function mainProtocol(folder: string): { file: string; protocol: ProtocolResult } {
  const file = protocolFile(folder) ?? '';
  const analysis = analyzeFiles([file], nodeHost);
  const problems = analysis.diagnostics.map(
    (d) => `${d.code} ${d.message} (${path.basename(file)}:${String(d.span.line)})`,
  );
  expect(problems, `${file} must check without diagnostics`).toEqual([]);
  const name = path.basename(file, '.scr');
  const protocol =
    analysis.protocols.length === 1
      ? analysis.protocols[0]
      : analysis.protocols.find((p) => p.name === name);
  if (protocol === undefined) throw new Error(`${file}: no protocol ${name}`);
  return { file, protocol };
}

/** The roles of a protocol that may crash: crash-stop, and not declared `reliable`. */
function crashingRoles(p: ProtocolResult): string[] {
  const e = p.protocol;
  return e?.crashStop === true ? e.roles.filter((r) => !e.reliable.has(r)) : [];
}

async function loadStep(folder: string): Promise<StepModule> {
  const url = pathToFileURL(path.join(folder, 'roles.ts')).href;
  const mod = (await import(url)) as { default?: StepModule };
  if (mod.default === undefined) throw new Error(`${folder}/roles.ts has no default export`);
  return mod.default;
}

/** The links (`from -> to`) that the example's own fault plans cut, over the seeds tested. */
function cutLinks(step: StepModule, seeds: number): Link[] {
  const links = new Map<string, Link>();
  for (let seed = 1; seed <= seeds && step.faults; seed++)
    for (const f of step.faults(seed).faults)
      if (f.kind === 'link') links.set(`${f.from}->${f.to}`, { from: f.from, to: f.to });
  return [...links.values()];
}

/** A failed run, as a line that replays it. */
function failureLines(failures: readonly { replay: string; violations: readonly string[] }[]) {
  return failures.slice(0, 5).map((f) => `${f.replay}: ${f.violations.join('; ')}`);
}

describe.each(names)('%s', (name) => {
  const folder = path.join(examplesDir, name);
  let file = '';
  let protocol: ProtocolResult;
  let step: StepModule;

  beforeAll(async () => {
    ({ file, protocol } = mainProtocol(folder));
    step = await loadStep(folder);
  });

  test('has a README.md with a `# ` title, one protocol and roles.ts', () => {
    const entries = readdirSync(folder);
    expect(entries).toEqual(expect.arrayContaining(['README.md', 'roles.ts']));
    const readme = readFileSync(path.join(folder, 'README.md'), 'utf8');
    expect(readme.replace(/^---\r?\n[\s\S]*?\r?\n---\r?\n/, '')).toMatch(/^# \S/);
    expect(path.dirname(file)).toBe(folder);
  });

  test('the protocol verifies: safety, progress, eventual reception (every crash scenario)', () => {
    // Links that the example's fault plans cut are verified as links that may fail.
    const result = verifyProtocol(protocol, { unreliableLinks: cutLinks(step, FAULT_RUNS) });
    expect(result, 'every role projects').toBeDefined();
    expect(result?.violations.map((v) => `${v.kind}: ${v.message}`)).toEqual([]);
    expect(result?.verdict).toBe('verified');
    expect(result?.crashStop).toBe(crashingRoles(protocol).length > 0);
  });

  test('generated/ and diagrams/ are up to date', () => {
    const rel = path.relative(root, folder);
    expect(checkFolder(folder), `run: ${fixCommand([rel])}`).toEqual([]);
  });

  test('roles.ts exports the StepModule of the protocol, one generated spec per role', () => {
    expect(step.protocol).toBe(protocol.name);
    expect(step.specs.map((s) => s.role).sort()).toEqual(protocol.roles.map((r) => r.role).sort());
    for (const s of step.specs) expect(s.protocol).toBe(protocol.protocol?.qualifiedName);
  });

  test(`${String(RUNS)} seeded runs keep the example's properties`, async () => {
    const many = await runMany(step, { count: RUNS, plan: () => ({ faults: [] }) });
    expect(failureLines(many.failures)).toEqual([]);
  }, 120_000);

  test(`${String(FAULT_RUNS)} seeded fault plans: who may crash does, the others finish`, async () => {
    const crashing = crashingRoles(protocol);
    if (crashing.length === 0) {
      // Nothing may crash: a fault plan for this protocol would break its own assumptions.
      expect('faults' in step).toBe(false);
      return;
    }
    const roles = protocol.roles.map((r) => r.role);
    const reliable = roles.filter((r) => !crashing.includes(r));
    const plan = (seed: number): FaultPlan =>
      step.faults?.(seed) ?? randomPlan(roles, reliable, seed);
    const failures: { replay: string; violations: readonly string[] }[] = [];
    const crashed = new Set<string>();
    for (let seed = 1; seed <= FAULT_RUNS; seed++) {
      const run = await runStep(step, seed, plan(seed));
      if (run.violations.length > 0)
        failures.push({ replay: run.result.replay, violations: run.violations });
      for (const o of run.result.outcomes) if (o.status === 'crashed') crashed.add(o.role);
    }
    expect(failureLines(failures)).toEqual([]);
    // The plans did crash every role that may crash (else this test proved nothing about them).
    expect([...crashed].sort()).toEqual([...crashing].sort());
  }, 120_000);
});

test('every example compiles under the workspace settings: generated/ and roles.ts', () => {
  const folders = names.map((n) => path.relative(root, path.join(examplesDir, n)));
  const errors = compileFolders(folders, path.join(examplesDir, 'test', 'tsconfig.json'));
  expect([...errors.values()].flat()).toEqual([]);
}, 120_000);
