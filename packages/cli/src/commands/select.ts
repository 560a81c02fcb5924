/**
 * What `desugar`, `project` and `fsm` share: read one file, check it, pick a protocol (and a
 * role), elaborate and project it, and report problems. The order is fixed so every command
 * behaves alike:
 *
 * 1. the file cannot be read → exit 2;
 * 2. static errors (syntax, names, modules) → diagnostics on stderr, exit 1 (the protocol and
 *    role names in a broken file cannot be trusted, so they are not matched yet);
 * 3. `--protocol` unknown, or omitted while the file has several candidates → usage error, exit 2;
 * 4. `--role` missing or unknown (when the command needs one) → usage error, exit 2;
 * 5. elaboration, well-formedness or projection errors → diagnostics on stderr, exit 1.
 *
 * Warnings are printed on stderr and do not change the exit code.
 */
import {
  analyzeProgram,
  matchProtocols,
  protocolEntries,
  type Efsm,
  type ElaboratedProtocol,
  type LocalType,
  type ProtocolResult,
  type Role,
  type RoleResult,
} from '@mpst/projector';
import {
  checkFiles,
  hasErrors,
  renderDiagnostics,
  type Diagnostic,
  type Program,
  type SourceFile,
} from '@mpst/scribble';
import { EXIT, UsageError, type CliIo } from '../io.js';

/** `parseArgs` options every selecting command accepts. */
export const SELECT_OPTIONS = {
  'import-path': { type: 'string', short: 'I', multiple: true },
  protocol: { type: 'string', short: 'p' },
} as const;

/** The `parseArgs` option of commands that need a role. */
export const ROLE_OPTION = { role: { type: 'string', short: 'r' } } as const;

export interface SelectRequest {
  /** The command name, for messages. */
  readonly command: string;
  /** The positional arguments: exactly one FILE is expected. */
  readonly positionals: readonly string[];
  readonly importPaths: readonly string[] | undefined;
  readonly protocol: string | undefined;
}

/** For commands that need a role: the `--role` given, if any. */
export interface RoleRequest extends SelectRequest {
  readonly role: string | undefined;
}

/** A protocol ready to print. */
export interface Selected {
  readonly result: ProtocolResult;
  readonly protocol: ElaboratedProtocol;
  /** The exit code once the output is printed: 1 if errors were reported, else 0. */
  readonly status: number;
}

/** A protocol and one of its roles, projected. */
export interface SelectedRole extends Selected {
  readonly role: Role;
  readonly local: LocalType;
  readonly efsm: Efsm;
}

/**
 * For `desugar`: only elaboration must succeed. When the protocol elaborates but a role cannot
 * be projected, the selection is still returned (the desugared text helps to read the errors)
 * with `status` 1. Returns the exit code when there is nothing to print.
 */
export function selectProtocol(io: CliIo, req: SelectRequest): Selected | number {
  const sel = select(io, req, undefined);
  if (typeof sel === 'number') return sel;
  return { result: sel.result, protocol: sel.protocol, status: sel.status };
}

/**
 * For `project` and `fsm`: `--role` is required, and every role of the protocol must project
 * (the protocol must be well-formed). Returns the exit code when there is nothing to print.
 */
export function selectRole(io: CliIo, req: RoleRequest): SelectedRole | number {
  const sel = select(io, req, { name: req.role });
  if (typeof sel === 'number') return sel;
  const r = sel.role;
  if (sel.status !== EXIT.ok) return sel.status;
  if (!r?.local || !r.efsm)
    throw new Error(
      `internal: role '${req.role ?? ''}' of '${sel.result.name}' was not projected, yet no error was reported`,
    );
  return {
    result: sel.result,
    protocol: sel.protocol,
    status: sel.status,
    role: r.role,
    local: r.local,
    efsm: r.efsm,
  };
}

/** Steps 1–5 of the module comment; `role` is undefined when the command needs no role. */
function select(
  io: CliIo,
  req: SelectRequest,
  role: { readonly name: string | undefined } | undefined,
): (Selected & { readonly role: RoleResult | undefined }) | number {
  const [file, ...extra] = req.positionals;
  if (file === undefined || extra.length > 0)
    throw new UsageError(`${req.command} needs exactly one FILE`);
  if (io.host.readFile(file) === undefined) {
    io.stderr(`mpst: cannot read file '${file}'\n`);
    return EXIT.usage;
  }
  const { program, diagnostics } = checkFiles([file], io.host, {
    importPaths: req.importPaths ?? [],
  });
  if (hasErrors(diagnostics)) {
    printDiagnostics(io, program, diagnostics);
    return EXIT.protocolErrors;
  }

  const name = pickProtocol(program, file, req.protocol);
  const analysis = analyzeProgram(program, diagnostics, { protocol: name });
  // `name` is a path (`P`, `Outer.P`) that selects exactly one protocol.
  const [result] = analysis.protocols;
  if (!result) throw new Error(`internal: protocol '${name}' was selected but not analysed`);

  let picked: RoleResult | undefined;
  if (role) {
    const roles = result.roles.map((r) => r.role).join(', ');
    if (role.name === undefined)
      throw new UsageError(`missing --role ROLE; protocol '${name}' has roles ${roles}`);
    picked = result.roles.find((r) => r.role === role.name);
    if (!picked)
      throw new UsageError(`protocol '${name}' has no role '${role.name}'; its roles are ${roles}`);
  }

  if (analysis.diagnostics.length > 0) printDiagnostics(io, program, analysis.diagnostics);
  if (!result.protocol) return EXIT.protocolErrors;
  return {
    result,
    protocol: result.protocol,
    role: picked,
    status: hasErrors(analysis.diagnostics) ? EXIT.protocolErrors : EXIT.ok,
  };
}

/**
 * The path of the protocol to analyse (`P`, or `Outer.P` for a nuScr nested protocol):
 * `--protocol` (a path, a simple name that only one protocol has, or a module-qualified name;
 * `aux` and nested protocols included), else the file's only non-`aux` top-level protocol.
 */
function pickProtocol(program: Program, file: string, requested: string | undefined): string {
  const root = program.modules.find((m) => m.root);
  const decls = root ? root.module.protocols.filter((p) => !p.nested) : [];
  const list = (names: readonly string[]): string => names.join(', ');
  if (requested !== undefined) {
    const entries = protocolEntries(program);
    const qualified =
      root && requested.startsWith(`${root.name}.`)
        ? requested.slice(root.name.length + 1)
        : undefined;
    const found = matchProtocols(entries, requested);
    const matches =
      found.length > 0 || qualified === undefined ? found : matchProtocols(entries, qualified);
    const [one, ...more] = matches;
    if (one && more.length === 0) return one.path;
    if (one)
      throw new UsageError(
        `${file} has several protocols named '${requested}'; choose one with ` +
          `--protocol ${list(matches.map((e) => e.path))}`,
      );
    throw new UsageError(
      entries.length === 0
        ? `${file} has no protocol`
        : `${file} has no protocol '${requested}'; it has ${list(entries.map((e) => e.path))}`,
    );
  }
  const candidates = decls.filter((p) => !p.aux).map((p) => p.name.text);
  const [only, ...others] = candidates;
  if (only !== undefined && others.length === 0) return only;
  if (only !== undefined)
    throw new UsageError(
      `${file} has several global protocols; choose one with --protocol: ${list(candidates)}`,
    );
  const aux = decls.map((p) => p.name.text);
  throw new UsageError(
    aux.length === 0
      ? `${file} has no global protocol`
      : `${file} has only aux protocols; choose one with --protocol: ${list(aux)}`,
  );
}

/** Renders diagnostics with code frames on stderr. */
export function printDiagnostics(
  io: CliIo,
  program: Program,
  diagnostics: readonly Diagnostic[],
): void {
  io.stderr(
    `${renderDiagnostics(diagnostics, { color: io.color, source: sourceLookup(program) })}\n`,
  );
}

/** Looks up the source file of a diagnostic's path, for code frames. */
export function sourceLookup(program: Program): (path: string) => SourceFile | undefined {
  const files = new Map<string, SourceFile>(program.modules.map((m) => [m.path, m.module.file]));
  return (path) => files.get(path);
}
