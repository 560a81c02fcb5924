import { generate } from '@mpst/codegen';
import { analyzeProgram } from '@mpst/projector';
import { checkFiles, hasErrors, joinPath } from '@mpst/scribble';
import { parseCommandArgs } from '../args.js';
import { EXIT, readFailure, unreadableMessage, UsageError, type CliIo } from '../io.js';
import { noGlobalProtocol, pickProtocol, printDiagnostics, SELECT_OPTIONS } from './select.js';

/**
 * `mpst codegen FILE [--protocol P] [--role R] --out DIR [--check] [--config F]`: one typed
 * TypeScript module per role (`<Protocol>.<Role>.ts`). `--check` writes nothing and exits 1
 * when a module in DIR is missing or differs from what would be generated (for CI).
 */
export function codegenCommand(args: readonly string[], io: CliIo): number {
  const { values, positionals } = parseCommandArgs(args, {
    ...SELECT_OPTIONS,
    role: { type: 'string', short: 'r', multiple: true },
    out: { type: 'string', short: 'o' },
    check: { type: 'boolean', default: false },
    config: { type: 'string' },
  });
  const [file, ...extra] = positionals;
  if (file === undefined || extra.length > 0)
    throw new UsageError('codegen needs exactly one FILE');
  const out = values.out;
  if (out === undefined) throw new UsageError('codegen needs --out DIR');
  if (io.host.readFile(file) === undefined) {
    io.stderr(unreadableMessage(io, file));
    return EXIT.usage;
  }
  const types = configTypes(io, file, values.config);
  const checked = checkFiles([file], io.host, { importPaths: values['import-path'] ?? [] });
  // `--protocol` selects as in the other commands; without it, every protocol of FILE.
  const protocol = hasErrors(checked.diagnostics)
    ? undefined
    : values.protocol !== undefined
      ? pickProtocol(checked.program, file, values.protocol)
      : undefined;
  const analysis = analyzeProgram(checked.program, checked.diagnostics, {
    ...(protocol !== undefined ? { protocol } : {}),
  });
  if (analysis.diagnostics.length > 0) printDiagnostics(io, analysis.program, analysis.diagnostics);
  if (hasErrors(analysis.diagnostics)) return EXIT.protocolErrors;
  // Nothing to generate is a mistake (a wrong FILE), not an up-to-date DIR.
  if (analysis.protocols.length === 0)
    throw new UsageError(noGlobalProtocol(analysis.program, file));
  const roles = values.role;
  const known = [...new Set(analysis.protocols.flatMap((p) => p.roles.map((x) => x.role)))];
  for (const r of roles ?? []) {
    if (!known.includes(r))
      throw new UsageError(`no role '${r}' in ${file}; its roles are ${known.join(', ')}`);
  }
  const result = generate(analysis, { types, ...(roles ? { roles } : {}) });
  if (result.diagnostics.length > 0) printDiagnostics(io, analysis.program, result.diagnostics);
  const failed = hasErrors(result.diagnostics);
  if (values.check) return check(io, out, result.files, failed);
  const notWritable = io.writableDir?.(out, true);
  if (notWritable !== undefined) {
    io.stderr(`mpst: ${notWritable}\n`);
    return EXIT.usage;
  }
  for (const f of result.files) {
    const target = joinPath(out, f.fileName);
    const error = io.writeFile(target, f.text);
    if (error !== undefined) {
      io.stderr(`mpst: ${error}\n`);
      return EXIT.usage;
    }
    io.stdout(`${target} (${String(f.states)} states)\n`);
  }
  return failed ? EXIT.protocolErrors : EXIT.ok;
}

/** `--check`: every module present in DIR and equal to what would be generated. */
function check(
  io: CliIo,
  out: string,
  files: readonly { readonly fileName: string; readonly text: string }[],
  failed: boolean,
): number {
  const stale = files.filter((f) => io.host.readFile(joinPath(out, f.fileName)) !== f.text);
  for (const f of stale) {
    const missing = io.host.readFile(joinPath(out, f.fileName)) === undefined;
    io.stderr(`${joinPath(out, f.fileName)}: ${missing ? 'missing' : 'stale'}\n`);
  }
  if (stale.length > 0)
    io.stderr(
      `mpst codegen: ${String(stale.length)} of ${String(files.length)} modules out of date; run without --check\n`,
    );
  return stale.length > 0 || failed ? EXIT.protocolErrors : EXIT.ok;
}

/**
 * The payload type mapping: `--config F`, else `mpst.config.json` beside FILE, else in the
 * working directory; `{ "types": { "Value": "string" } }`. None found: no mapping.
 */
export function configTypes(
  io: CliIo,
  file: string,
  given: string | undefined,
): Record<string, string> {
  const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '.';
  const candidates =
    given !== undefined ? [given] : [joinPath(dir, 'mpst.config.json'), 'mpst.config.json'];
  for (const path of candidates) {
    const text = io.host.readFile(path);
    if (text === undefined) continue;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new UsageError(`${path}: not JSON (${(e as Error).message})`);
    }
    const types =
      typeof json === 'object' && json !== null ? (json as { types?: unknown }).types : undefined;
    if (types === undefined) return {};
    if (
      typeof types !== 'object' ||
      types === null ||
      Object.values(types).some((v) => typeof v !== 'string')
    )
      throw new UsageError(
        `${path}: "types" must map type names to TypeScript type texts (strings)`,
      );
    return types as Record<string, string>;
  }
  if (given !== undefined)
    throw new UsageError(`cannot read config '${given}': ${readFailure(io, given)}`);
  return {};
}
