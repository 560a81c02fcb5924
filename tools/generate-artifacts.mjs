#!/usr/bin/env node
// The committed artifacts of the tutorial's step folders and of the protocol examples:
//
//   node tools/generate-artifacts.mjs [--check] [--force | --code-only] [FOLDER...]
//
// For each folder (default: every folder under tutorials/paxos/steps/ and tutorials/examples/
// that has a protocol; a FOLDER without a protocol of its own, such as tutorials/examples,
// stands for every such folder in it), it writes
//   generated/   exactly what `mpst codegen <Name>.scr --protocol <P> --out generated` writes
//                (one module per role, @mpst/codegen), and nothing else;
//   diagrams/    global.mmd (the global protocol as a sequence diagram) and <Role>.mmd (each
//                role's state machine), from @mpst/mermaid, and an .svg of each, rendered by
//                Mermaid in headless Chromium (@mpst/mermaid/node, one browser for all). Any
//                other .mmd put in diagrams/ (a run's trace, say) is kept and rendered too.
// An .svg starts with a comment holding the sha256 of the .mmd it was rendered from: Mermaid's
// SVG is not byte-for-byte reproducible, so an .svg is up to date when that hash matches, and
// only .svgs whose hash does not match are rendered again (`--force`: all of them).
//
// `--code-only` writes generated/ only (no diagrams, no browser) and lists the diagrams that are
// out of date. It is the tutorial projects' Nx `build` target (inputs: the protocols), so an
// edited .scr gives a fresh API on the next build and `nx affected` sees it. CI checks that the
// build left the checkout unchanged, i.e. that the committed generated/ was up to date; stale
// diagrams fail the artifacts tests, which run `--check`'s logic.
//
// `--check` writes nothing: it generates in memory and exits 1 with the list of missing, stale
// and unexpected files and the command that fixes them (tutorials/paxos/test/artifacts.test.ts
// runs the same check). It needs no browser.
//
// A folder's protocol is the file its README.md front matter names (`protocol: X.scr`), else
// the one .scr file in the folder; the protocol generated is the file's one global protocol
// that is not `aux` (with several, the one named as the file). A `mpst.config.json` in the
// folder maps payload types, as it does for `mpst codegen`. A folder whose front matter names
// another folder's protocol gets no generated/ or diagrams/ of its own: it uses that folder's.
//
// Plain Node (no TypeScript loader), on the packages' built dist/: run `npm run build` first
// (the Nx target `nx run @mpst/tutorial-paxos:generate` does).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from '@mpst/codegen';
import { efsmToState, globalToSequence } from '@mpst/mermaid';
import { analyzeFiles } from '@mpst/projector';
import { hasErrors } from '@mpst/scribble';
import { nodeHost } from '@mpst/scribble/node';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The folders whose subfolders are step or example folders. */
export const CONTAINERS = ['tutorials/paxos/steps', 'tutorials/examples'];
const COMMAND = 'node tools/generate-artifacts.mjs';

/** Every step and example folder (relative to the workspace root) that has a protocol. */
export function defaultFolders(root = ROOT) {
  const out = [];
  for (const c of CONTAINERS) {
    const dir = path.join(root, c);
    if (!existsSync(dir)) continue;
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => cmp(a.name, b.name))) {
      if (!e.isDirectory()) continue;
      const folder = path.join(dir, e.name);
      if (protocolFile(folder, false) !== undefined) out.push(path.relative(root, folder));
    }
  }
  return out;
}

function cmp(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The folder's protocol file: README.md's `protocol:` front matter, else its one .scr file. */
export function protocolFile(folder, required = true) {
  const readme = path.join(folder, 'README.md');
  if (existsSync(readme)) {
    const fm = /^---\r?\n([\s\S]*?)\r?\n---/.exec(readFileSync(readme, 'utf8'));
    const line = fm?.[1]?.split(/\r?\n/).find((l) => /^protocol\s*:/.test(l));
    if (line !== undefined) return path.resolve(folder, line.replace(/^protocol\s*:/, '').trim());
  }
  const scr = readdirSync(folder).filter((f) => f.endsWith('.scr'));
  if (scr.length === 1) return path.join(folder, scr[0]);
  if (!required) return undefined;
  throw new Error(
    `${folder}: ${scr.length === 0 ? 'no .scr file' : `several .scr files (${scr.join(', ')})`}` +
      ' and no `protocol:` line in README.md',
  );
}

export function sha256(text) {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The comment an .svg starts with: which .mmd (by name and hash) it was rendered from. */
export function svgStamp(mmdName, mmdText) {
  return `<!-- rendered by ${COMMAND} from ${mmdName}, sha256 ${sha256(mmdText)} -->\n`;
}

/** The `sha256` of the stamp an .svg starts with, or undefined without one. */
export function stampedHash(svgText) {
  return /^<!-- rendered by .* sha256 ([0-9a-f]{64}) -->\n/.exec(svgText)?.[1];
}

/**
 * What one folder's artifacts must be, in memory: `files` (path relative to the folder → text:
 * the generated modules and the .mmd diagrams) and `svgs` (the .svg path → the .mmd text it
 * draws). Throws with the diagnostics when the protocol has errors.
 */
export function planFolder(folder) {
  const file = protocolFile(folder);
  const configPath = path.join(folder, 'mpst.config.json');
  const types = existsSync(configPath)
    ? (JSON.parse(readFileSync(configPath, 'utf8')).types ?? {})
    : {};
  const all = analyzeFiles([file], nodeHost);
  fail(file, all.diagnostics);
  const name = path.basename(file, '.scr');
  const main =
    all.protocols.length === 1 ? all.protocols[0] : all.protocols.find((p) => p.name === name);
  if (main === undefined) {
    const names = all.protocols.map((p) => p.name).join(', ');
    throw new Error(
      all.protocols.length === 0
        ? `${file}: no global protocol that is not aux`
        : `${file}: several global protocols (${names}) and none named ${name}`,
    );
  }
  // As `mpst codegen FILE --protocol P` analyses it.
  const analysis = analyzeFiles([file], nodeHost, { protocol: main.name });
  fail(file, analysis.diagnostics);
  const files = new Map();
  const svgs = new Map();
  // A folder that borrows another folder's protocol (front matter `protocol: ../06-…/X.scr`)
  // uses that folder's generated API and diagrams: one copy, next to the protocol.
  if (path.dirname(file) === path.resolve(folder)) {
    const result = generate(analysis, { types });
    fail(file, result.diagnostics);
    for (const f of result.files) files.set(`generated/${f.fileName}`, f.text);
    const p = analysis.protocols.find((x) => x.name === main.name);
    if (!p?.protocol) throw new Error(`${file}: protocol ${main.name} did not elaborate`);
    const diagrams = [['global', globalToSequence(p.protocol)]];
    for (const r of p.roles) diagrams.push([r.role, efsmToState(r.efsm)]);
    for (const [base, text] of diagrams) {
      files.set(`diagrams/${base}.mmd`, text);
      svgs.set(`diagrams/${base}.svg`, text);
    }
  }
  // Other .mmd files in diagrams/ (a run's trace, a refactoring's before and after, written by
  // the step's author or another script) are sources too: their .svg is rendered and checked.
  const dir = path.join(folder, 'diagrams');
  if (existsSync(dir))
    for (const f of readdirSync(dir).sort(cmp))
      if (f.endsWith('.mmd') && !files.has(`diagrams/${f}`))
        svgs.set(
          `diagrams/${f.slice(0, -'.mmd'.length)}.svg`,
          readFileSync(path.join(dir, f), 'utf8'),
        );
  return { protocolFile: file, protocol: main.name, files, svgs };
}

function fail(file, diagnostics) {
  if (!hasErrors(diagnostics)) return;
  const lines = diagnostics.map((d) => `  ${d.code} ${d.message}`);
  throw new Error(`${file}: the protocol has errors\n${lines.join('\n')}`);
}

/** Whether a file of generated/ or diagrams/ belongs there: planned, or an extra diagram source. */
function planned(plan, f) {
  return plan.files.has(f) || plan.svgs.has(f) || (f.startsWith('diagrams/') && f.endsWith('.mmd'));
}

/** The files of a folder's `generated/` and `diagrams/` (relative to the folder). */
function present(folder) {
  const out = [];
  for (const sub of ['generated', 'diagrams']) {
    const dir = path.join(folder, sub);
    if (existsSync(dir)) for (const f of readdirSync(dir).sort(cmp)) out.push(`${sub}/${f}`);
  }
  return out;
}

/**
 * How a folder differs from its plan: each problem a line `path: missing|stale|unexpected`
 * (paths relative to `root`). An .svg is stale when its stamp's hash is not its .mmd's.
 */
export function checkFolder(folder, plan = planFolder(folder), root = ROOT) {
  const problems = [];
  const rel = (f) => path.relative(root, path.join(folder, f));
  const read = (f) => {
    const p = path.join(folder, f);
    return existsSync(p) ? readFileSync(p, 'utf8') : undefined;
  };
  for (const [f, text] of plan.files) {
    const got = read(f);
    if (got !== text) problems.push(`${rel(f)}: ${got === undefined ? 'missing' : 'stale'}`);
  }
  for (const [f, mmd] of plan.svgs) {
    const got = read(f);
    if (got === undefined) problems.push(`${rel(f)}: missing`);
    else if (stampedHash(got) !== sha256(mmd))
      problems.push(`${rel(f)}: stale (rendered from another ${path.basename(f, '.svg')}.mmd)`);
  }
  for (const f of present(folder)) if (!planned(plan, f)) problems.push(`${rel(f)}: unexpected`);
  return problems;
}

/** The command that regenerates the given folders. */
export function fixCommand(folders) {
  return folders.length === 0 ? COMMAND : `${COMMAND} ${folders.join(' ')}`;
}

/**
 * Writes the folders' artifacts. .svgs are rendered (in one browser) only when missing or
 * stale, or all with `force`. With `codeOnly`, only generated/ is written and `stale` lists the
 * diagrams that are out of date. Returns what was written, per kind.
 */
export async function writeFolders(
  folders,
  { force = false, codeOnly = false, root = ROOT, log = () => {} } = {},
) {
  const toRender = [];
  const stale = [];
  let written = 0;
  const mine = (f) => !codeOnly || f.startsWith('generated/');
  for (const folder of folders) {
    const abs = path.resolve(root, folder);
    const plan = planFolder(abs);
    for (const f of present(abs))
      if (mine(f) && !planned(plan, f)) {
        rmSync(path.join(abs, f));
        log(`removed ${path.join(folder, f)}`);
      }
    for (const [f, text] of plan.files) {
      if (!mine(f)) continue;
      const target = path.join(abs, f);
      if (existsSync(target) && readFileSync(target, 'utf8') === text) continue;
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, text);
      written++;
      log(`wrote ${path.join(folder, f)}`);
    }
    if (codeOnly) {
      stale.push(...checkFolder(abs, plan, root));
      continue;
    }
    for (const [f, mmd] of plan.svgs) {
      const target = path.join(abs, f);
      const fresh = existsSync(target) && stampedHash(readFileSync(target, 'utf8')) === sha256(mmd);
      if (force || !fresh) toRender.push({ target, name: path.join(folder, f), mmd });
    }
  }
  if (toRender.length > 0) await renderAll(toRender, log);
  return { written, rendered: toRender.length, stale };
}

async function renderAll(jobs, log) {
  const { MermaidRenderer, findChromium, INSTALL_HINT } = await import('@mpst/mermaid/node');
  if (findChromium() === undefined)
    throw new Error(`${String(jobs.length)} .svg files need rendering, but ${INSTALL_HINT}`);
  const renderer = await MermaidRenderer.open();
  try {
    const outcomes = await renderer.render(jobs.map((j) => j.mmd));
    const failed = [];
    jobs.forEach((j, i) => {
      const o = outcomes[i];
      if (!o?.ok) {
        failed.push(`${j.name}: Mermaid rejected it: ${o?.error ?? 'no result'}`);
        return;
      }
      writeFileSync(j.target, svgStamp(`${path.basename(j.target, '.svg')}.mmd`, j.mmd) + o.svg);
      log(`rendered ${j.name}`);
    });
    if (failed.length > 0) throw new Error(failed.join('\n'));
  } finally {
    await renderer.close();
  }
}

const USAGE = `usage: ${COMMAND} [--check] [--force | --code-only] [FOLDER...]
Writes generated/ (mpst codegen) and diagrams/ (.mmd and .svg) of each step or example folder
(default: every folder under ${CONTAINERS.join(' and ')}; a folder without a protocol of its own
stands for the step or example folders in it).
  --check      write nothing; exit 1 listing missing, stale or unexpected files
  --force      render every .svg again (default: only those whose .mmd changed)
  --code-only  write generated/ only (no browser); list stale diagrams (the Nx build)`;

/** The given folders, a folder without a protocol of its own standing for those inside it. */
function expandFolders(given) {
  return given.flatMap((f) => {
    const abs = path.resolve(f);
    if (protocolFile(abs, false) !== undefined) return [path.relative(ROOT, abs)];
    const inside = readdirSync(abs, { withFileTypes: true })
      .filter((e) => e.isDirectory() && protocolFile(path.join(abs, e.name), false) !== undefined)
      .map((e) => path.relative(ROOT, path.join(abs, e.name)))
      .sort(cmp);
    if (inside.length === 0) throw new Error(`${f}: no protocol in it or in its folders`);
    return inside;
  });
}

async function main(argv) {
  const flags = new Set(argv.filter((a) => a.startsWith('-')));
  const given = argv.filter((a) => !a.startsWith('-'));
  for (const f of flags)
    if (!['--check', '--force', '--code-only', '--help', '-h'].includes(f)) {
      process.stderr.write(`unknown option ${f}\n${USAGE}\n`);
      return 2;
    }
  if (flags.has('--help') || flags.has('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (flags.has('--force') && flags.has('--code-only')) {
    process.stderr.write(`--force and --code-only contradict each other\n${USAGE}\n`);
    return 2;
  }
  const folders = given.length > 0 ? expandFolders(given) : defaultFolders();
  const start = Date.now();
  if (flags.has('--check')) {
    const byFolder = folders.map((f) => [f, checkFolder(path.resolve(ROOT, f))]);
    const problems = byFolder.flatMap(([, p]) => p);
    if (problems.length === 0) {
      process.stdout.write(`${String(folders.length)} folders up to date\n`);
      return 0;
    }
    const stale = byFolder.filter(([, p]) => p.length > 0).map(([f]) => f);
    process.stderr.write(
      `${problems.join('\n')}\n${String(problems.length)} artifacts out of date; run: ${fixCommand(stale)}\n`,
    );
    return 1;
  }
  const { written, rendered, stale } = await writeFolders(folders, {
    force: flags.has('--force'),
    codeOnly: flags.has('--code-only'),
    log: (l) => process.stdout.write(`${l}\n`),
  });
  const seconds = ((Date.now() - start) / 1000).toFixed(1);
  const what = flags.has('--code-only')
    ? 'in generated/'
    : `written, ${String(rendered)} svg rendered`;
  process.stdout.write(
    `${String(folders.length)} folders: ${String(written)} files ${what} (${seconds}s)\n`,
  );
  if (stale.length > 0)
    process.stdout.write(
      `${stale.join('\n')}\n${String(stale.length)} diagram files out of date (an .svg needs ` +
        `Chromium); run: ${COMMAND}\n`,
    );
  return 0;
}

if (
  process.argv[1] !== undefined &&
  path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)
) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e) => {
      process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
