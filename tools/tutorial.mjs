#!/usr/bin/env node
// `npm run tutorial -- --step N [--seed S] [--crash ROLE@ACTION ...]`: runs one seeded
// simulation of a tutorial step (or of a protocol example) in the terminal and prints its trace
// as a Mermaid sequence diagram, then a one-line verdict. Any step folder with a roles.ts works.
//
// Node 20 cannot import TypeScript: the step's roles.ts (with its generated modules and the
// kit) is bundled by esbuild (a workspace dependency) into node_modules/.cache/mpst-tutorial/,
// the @mpst/* packages staying imports of their built dist/ (run `npm run build` first).
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const STEPS = path.join(ROOT, 'tutorials/paxos/steps');
const EXAMPLES = path.join(ROOT, 'tutorials/examples');

export const USAGE = `usage: npm run tutorial -- --step N [--seed S] [--crash ROLE@ACTION ...]
       npm run tutorial -- --example NAME [--seed S] [--crash ROLE@ACTION ...]

Runs one seeded simulation of a step of the Paxos tutorial (tutorials/paxos/steps/NN-slug/roles.ts)
or of a protocol example (tutorials/examples/NAME/roles.ts), prints its trace as a Mermaid sequence
diagram (paste it into https://mermaid.live or a Markdown file) and a one-line verdict.

  --step N              the step: its number (5) or folder name (05-two-proposers)
  --example NAME        a protocol example instead of a step
  --seed S              the run's seed (default 1): it draws the data and the message timings
  --crash ROLE@ACTION   crash ROLE when it attempts its ACTION-th send or receive (0: before its
                        first); repeatable. Adds to the step's own fault plan, if it has one.
  --list                list the steps and examples that have role code
  -h, --help            this text

Exit code: 0 the run kept every property, 1 it did not, 2 bad usage.`;

/** A usage error: exit code 2 with the message and a pointer to --help. */
export class UsageError extends Error {}

/** Step and example folders with role code: [name, folder]. */
export function runnable() {
  const out = [];
  for (const [base, kind] of [
    [STEPS, 'step'],
    [EXAMPLES, 'example'],
  ]) {
    if (!existsSync(base)) continue;
    for (const name of readdirSync(base).sort()) {
      const folder = path.join(base, name);
      if (existsSync(path.join(folder, 'roles.ts'))) out.push({ kind, name, folder });
    }
  }
  return out;
}

/** The parsed command line: which folder, which seed, which faults. */
export function parseCommand(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      step: { type: 'string' },
      example: { type: 'string' },
      seed: { type: 'string', default: '1' },
      crash: { type: 'string', multiple: true, default: [] },
      list: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return { help: true };
  if (values.list) return { list: true };
  if ((values.step === undefined) === (values.example === undefined))
    throw new UsageError('give exactly one of --step N or --example NAME');
  const seed = Number(values.seed);
  if (!Number.isSafeInteger(seed) || seed < 0)
    throw new UsageError(`--seed must be a whole number ≥ 0, not '${values.seed}'`);
  const faults = values.crash.map((c) => {
    const m = /^([A-Za-z_][\w]*)@(\d+)$/.exec(c);
    if (!m) throw new UsageError(`--crash takes ROLE@ACTION (e.g. A1@2), not '${c}'`);
    return { kind: 'crash', role: m[1], atAction: Number(m[2]) };
  });
  const all = runnable();
  let target;
  if (values.step !== undefined) {
    const n = /^\d+$/.test(values.step) ? values.step.padStart(2, '0') : undefined;
    target = all.find(
      (r) =>
        r.kind === 'step' &&
        (r.name === values.step || (n !== undefined && r.name.startsWith(`${n}-`))),
    );
    if (!target) {
      const steps = all.filter((r) => r.kind === 'step').map((r) => r.name);
      throw new UsageError(
        `no step '${values.step}' with role code; the steps are: ${steps.join(', ')}`,
      );
    }
  } else {
    target = all.find((r) => r.kind === 'example' && r.name === values.example);
    if (!target) {
      const examples = all.filter((r) => r.kind === 'example').map((r) => r.name);
      throw new UsageError(
        `no example '${values.example}' with role code; the examples are: ${examples.join(', ') || '(none)'}`,
      );
    }
  }
  return { target, seed, faults };
}

/** Bundles the folder's roles.ts with the kit (esbuild) and imports it. */
export async function loadStep(folder) {
  const { build } = await import('esbuild');
  const kit = path.join(ROOT, 'tutorials/paxos/src/kit.ts');
  const result = await build({
    stdin: {
      contents:
        `export { default as step } from ${JSON.stringify(path.join(folder, 'roles.ts'))};\n` +
        `export { runMany, runStep } from ${JSON.stringify(kit)};\n`,
      resolveDir: folder,
      loader: 'ts',
    },
    bundle: true,
    format: 'esm',
    platform: 'node',
    packages: 'external',
    write: false,
    logLevel: 'silent',
  });
  const cache = path.join(ROOT, 'node_modules/.cache/mpst-tutorial');
  mkdirSync(cache, { recursive: true });
  const file = path.join(cache, `${path.basename(folder)}-${String(process.pid)}.mjs`);
  writeFileSync(file, result.outputFiles[0].text);
  try {
    return await import(pathToFileURL(file).href);
  } finally {
    rmSync(file, { force: true }); // loaded: the bundle is not needed any more
  }
}

/** Runs the command; returns the exit code. `out`/`err` take whole lines. */
export async function main(
  argv,
  out = (s) => process.stdout.write(s),
  err = (s) => process.stderr.write(s),
) {
  let cmd;
  try {
    cmd = parseCommand(argv);
  } catch (e) {
    if (!(e instanceof UsageError) && !(e instanceof TypeError)) throw e;
    err(`tutorial: ${e.message}\n(npm run tutorial -- --help)\n`);
    return 2;
  }
  if (cmd.help) {
    out(`${USAGE}\n`);
    return 0;
  }
  if (cmd.list) {
    for (const r of runnable()) out(`${r.kind} ${r.name}\n`);
    return 0;
  }
  let loaded;
  try {
    loaded = await loadStep(cmd.target.folder);
  } catch (e) {
    if (e?.code !== 'ERR_MODULE_NOT_FOUND') throw e;
    err(
      `tutorial: ${e.message.split('\n')[0]}\n(run \`npm run build\` first: the step runs on the built packages)\n`,
    );
    return 2;
  }
  const { step, runStep } = loaded;
  const own = step.faults?.(cmd.seed)?.faults ?? [];
  const plan = { faults: [...own, ...cmd.faults] };
  const roles = step.specs.map((s) => s.role);
  for (const f of cmd.faults)
    if (!roles.includes(f.role)) {
      err(
        `tutorial: --crash ${f.role}@${String(f.atAction)}: no role ${f.role}; the roles are ${roles.join(', ')}\n`,
      );
      return 2;
    }
  const { runTraceToSequence } = await import('@mpst/mermaid');
  const r = await runStep(step, cmd.seed, plan);
  out(`%% ${cmd.target.kind} ${cmd.target.name}, protocol ${step.protocol}, ${r.result.replay}\n`);
  out(runTraceToSequence(r.result.trace));
  // What the role code observed (ballots, values, decisions): the diagram shows the labels only.
  out(`%% observed: ${JSON.stringify(r.observation)}\n`);
  const messages = r.result.trace.events.filter((e) => e.kind === 'send').length;
  const roleStates = r.result.outcomes.map((o) => `${o.role} ${o.status}`).join(', ');
  const facts = `${String(messages)} messages, ${String(r.result.time)} ms virtual; ${roleStates}`;
  if (r.violations.length === 0) {
    out(`verdict: ok (seed ${String(cmd.seed)}): every property holds; ${facts}\n`);
    return 0;
  }
  out(`verdict: VIOLATED (seed ${String(cmd.seed)}): ${r.violations.join('; ')}; ${facts}\n`);
  return 1;
}

if (
  process.argv[1] !== undefined &&
  path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)
) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e) => {
      process.stderr.write(
        `tutorial: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
      );
      process.exitCode = 1;
    },
  );
}
