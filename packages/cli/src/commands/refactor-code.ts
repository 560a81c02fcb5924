import { generate, type GeneratedFile } from '@mpst/codegen';
import { adaptRoleCode, unifiedDiff } from '@mpst/crash-refactor/code';
import { analyzeFiles } from '@mpst/projector';
import {
  memoryHost,
  renderDiagnostics,
  SourceFile,
  type Diagnostic,
  type ModuleHost,
} from '@mpst/scribble';
import { readFailure, UsageError, type CliIo } from '../io.js';

/** What `mpst refactor --code` needs: the protocol before and after, and where output goes. */
export interface CodeJob {
  readonly file: string;
  readonly protocol: string;
  readonly before: string;
  readonly after: string;
  readonly codeFiles: readonly string[];
  /** Payload type mapping (`mpst.config.json`), as `mpst codegen` uses it. */
  readonly types: Readonly<Record<string, string>>;
  /** Rewrite each code file in place (after a `.bak` copy). */
  readonly write: boolean;
}

/** The outcome per code file: its unified diff, and whether every file was adapted. */
export interface CodeOutcome {
  readonly diffs: readonly string[];
  readonly ok: boolean;
}

/**
 * Adapts each role code file to the API of the refactored protocol: both APIs are generated
 * (as `mpst codegen` would), the role is the generated module the file imports, and
 * `@mpst/crash-refactor/code` rewrites the code. Errors (MPST41x, positioned in the code file)
 * go to stderr and leave that file unchanged.
 */
export function adaptCodeFiles(io: CliIo, job: CodeJob): CodeOutcome {
  const old = api(memoryHost({ [job.file]: job.before }, io.host), job, 'original');
  const neu = api(memoryHost({ [job.file]: job.after }, io.host), job, 'refactored');
  const diffs: string[] = [];
  let ok = true;
  for (const path of job.codeFiles) {
    const text = io.host.readFile(path);
    if (text === undefined)
      throw new UsageError(`cannot read the role code '${path}': ${readFailure(io, path)}`);
    const modules = importedModules(text, old);
    if (modules.length === 0) {
      const names = old.map((f) => f.fileName.replace(/\.ts$/, '.js')).join(', ');
      throw new UsageError(
        `${path} imports none of the generated modules of ${job.protocol} (${names})`,
      );
    }
    // One module at a time (a file may implement several roles): each pass edits only the
    // uses of its own module.
    let adapted = text;
    const changes: string[] = [];
    const errors: Diagnostic[] = [];
    for (const before of modules) {
      const after = neu.find((f) => f.fileName === before.fileName);
      if (!after) throw new UsageError(`the refactored protocol has no module ${before.fileName}`);
      const r = adaptRoleCode({ fileName: path, text: adapted }, before, after);
      if (r.diagnostics.length > 0) {
        // Positions are in the text this pass was given.
        const shown = new SourceFile(path, adapted);
        const source = (f: string): SourceFile | undefined => (f === path ? shown : undefined);
        io.stderr(`${renderDiagnostics(r.diagnostics, { color: io.color, source })}\n`);
      }
      errors.push(...r.diagnostics);
      adapted = r.text;
      changes.push(`${String(r.changes.length)} for ${after.fileName}`);
    }
    if (errors.length > 0) {
      ok = false;
      io.stderr(`${path}: not adapted (nothing changed)\n`);
      continue;
    }
    const result = { text: adapted };
    const diff = unifiedDiff(text, result.text, path);
    diffs.push(diff);
    io.stderr(`${path}: changes ${changes.join(', ')}${diff === '' ? ' (none needed)' : ''}\n`);
    if (job.write && diff !== '') {
      const backup = io.writeFile(`${path}.bak`, text);
      if (backup) throw new UsageError(`${backup} (the backup)`);
      const failed = io.writeFile(path, result.text);
      if (failed) throw new UsageError(failed);
      io.stderr(
        `${path}: adapted in place (backup: ${path}.bak); regenerate its API with mpst codegen\n`,
      );
    }
  }
  return { diffs, ok };
}

/** The generated modules of `protocol` in `file` as `host` reads it (every role that generates). */
function api(
  host: ModuleHost,
  { file, protocol, types }: CodeJob,
  which: string,
): readonly GeneratedFile[] {
  const analysis = analyzeFiles([file], host, { protocol });
  const { files, diagnostics } = generate(analysis, { types });
  const error = diagnostics.find((d) => d.severity === 'error');
  if (error)
    throw new UsageError(
      `cannot generate the API of the ${which} protocol: ${error.code} ${error.message} ` +
        '(map payload types in mpst.config.json, as for mpst codegen)',
    );
  return files;
}

/** The generated modules a role code file imports (`'./generated/Paxos.P1.js'` → Paxos.P1.ts). */
function importedModules(code: string, files: readonly GeneratedFile[]): GeneratedFile[] {
  const out: GeneratedFile[] = [];
  for (const m of code.matchAll(/\bfrom\s+['"]([^'"]+)['"]/g)) {
    const base = (m[1] ?? '')
      .split('/')
      .pop()
      ?.replace(/\.[cm]?[jt]s$/, '');
    const f = files.find((x) => x.fileName === `${base ?? ''}.ts`);
    if (f && !out.includes(f)) out.push(f);
  }
  return out;
}
