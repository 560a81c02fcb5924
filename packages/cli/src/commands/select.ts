/**
 * What `desugar`, `project`, `fsm`, `diagram` and `verify` share: read one file, check it, pick
 * a protocol, elaborate and project it. Selection returns a value (the exit code so far, the
 * diagnostics, the protocol); a text renderer and a JSON renderer print it. The order is
 * fixed so every command behaves alike:
 *
 * 1. the file cannot be read → exit 2;
 * 2. static errors (syntax, names, modules) → diagnostics, exit 1 (the protocol and role
 *    names in a broken file cannot be trusted, so they are not matched yet);
 * 3. `--protocol` unknown, or omitted while the file has several candidates → usage error, exit 2;
 * 4. `--role` unknown (when the command takes one) → usage error, exit 2;
 * 5. elaboration, well-formedness or projection errors → diagnostics, exit 1.
 *
 * Usage errors (3, 4) are thrown as {@link UsageError}. Warnings do not change the exit code.
 */
import {
  analyzeProgram,
  matchProtocols,
  type AnalyzeOptions,
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
  diagnosticsReport,
  hasErrors,
  makeDiagnostic,
  renderDiagnostics,
  SourceFile,
  type Diagnostic,
  type Program,
} from '@mpst/scribble';
import { EXIT, readFailure, readOnce, UsageError, unreadableMessage, type CliIo } from '../io.js';

/** `parseArgs` options every selecting command accepts. */
export const SELECT_OPTIONS = {
  'import-path': { type: 'string', short: 'I', multiple: true },
  protocol: { type: 'string', short: 'p' },
} as const;

/** The `parseArgs` option of commands that take a role. */
export const ROLE_OPTION = { role: { type: 'string', short: 'r' } } as const;

export interface SelectRequest {
  /** The command name, for messages. */
  readonly command: string;
  /** The positional arguments: exactly one FILE is expected. */
  readonly positionals: readonly string[];
  readonly importPaths: readonly string[] | undefined;
  readonly protocol: string | undefined;
  /** Which role results the command uses (default both: see `analyzeFiles`' `keep`). */
  readonly keep?: AnalyzeOptions['keep'];
}

/** Nothing to print: the file could not be read (exit 2) or has errors (exit 1). */
export interface NotSelected {
  readonly kind: 'unreadable' | 'errors';
  readonly exit: number;
  readonly file: string;
  /** The program when the file was read (for code frames). */
  readonly program: Program | undefined;
  /** What to report: for an unreadable file, its MPST121 with the reason as a note. */
  readonly diagnostics: readonly Diagnostic[];
}

/** A protocol that elaborated (its roles may still have failed to project: see `exit`). */
export interface Selected {
  readonly kind: 'selected';
  /** The exit code once the output is printed: 1 if errors are reported, else 0. */
  readonly exit: number;
  readonly file: string;
  readonly program: Program;
  /** Warnings, and the errors that make `exit` 1. */
  readonly diagnostics: readonly Diagnostic[];
  readonly result: ProtocolResult;
  readonly protocol: ElaboratedProtocol;
}

export type Selection = Selected | NotSelected;

/** A role of a well-formed protocol, projected. */
export interface ProjectedRole {
  readonly role: Role;
  readonly local: LocalType;
  readonly efsm: Efsm;
}

/** Steps 1–3 and 5 of the module comment: the protocol of `req`, or why there is none. */
export function selectProtocol(io: CliIo, req: SelectRequest): Selection {
  const [file, ...extra] = req.positionals;
  if (file === undefined || extra.length > 0)
    throw new UsageError(`${req.command} needs exactly one FILE`);
  const host = readOnce(io.host);
  if (host.readFile(file) === undefined) {
    return {
      kind: 'unreadable',
      exit: EXIT.usage,
      file,
      program: undefined,
      diagnostics: [unreadableDiagnostic(io, file)],
    };
  }
  const { program, diagnostics } = checkFiles([file], host, {
    importPaths: req.importPaths ?? [],
  });
  if (hasErrors(diagnostics))
    return { kind: 'errors', exit: EXIT.protocolErrors, file, program, diagnostics };

  const name = pickProtocol(program, file, req.protocol);
  const analysis = analyzeProgram(program, diagnostics, {
    protocol: name,
    ...(req.keep ? { keep: req.keep } : {}),
  });
  // `name` is a path (`P`, `Outer.P`) that selects exactly one protocol.
  const [result] = analysis.protocols;
  if (!result) throw new Error(`internal: protocol '${name}' was selected but not analysed`);
  const exit = hasErrors(analysis.diagnostics) ? EXIT.protocolErrors : EXIT.ok;
  if (!result.protocol)
    return { kind: 'errors', exit, file, program, diagnostics: analysis.diagnostics };
  return {
    kind: 'selected',
    exit,
    file,
    program,
    diagnostics: analysis.diagnostics,
    result,
    protocol: result.protocol,
  };
}

/**
 * Step 4: the role named by `--role`, or every role when `role` is undefined, in declaration
 * order. Throws a usage error for a role the protocol does not have. Only for a selection
 * without errors (every role of a well-formed protocol is projected).
 */
export function projectedRoles(sel: Selected, role: string | undefined): readonly ProjectedRole[] {
  return chosenRoles(sel, role).map((r) => {
    if (!r.local || !r.efsm)
      throw new Error(
        `internal: role '${r.role}' of '${sel.result.name}' was not projected, yet no error was reported`,
      );
    return { role: r.role, local: r.local, efsm: r.efsm };
  });
}

/**
 * Step 4 for a command that asked not to keep some role results (`keep`): the role named by
 * `--role`, or every role, as analysed. Throws a usage error for a role the protocol does not
 * have.
 */
export function chosenRoles(sel: Selected, role: string | undefined): readonly RoleResult[] {
  const all = sel.result.roles;
  const chosen = role === undefined ? all : all.filter((r) => r.role === role);
  if (chosen.length === 0) {
    throw new UsageError(
      `protocol '${sel.result.name}' has no role '${role ?? ''}'; its roles are ${all.map((r) => r.role).join(', ')}`,
    );
  }
  return chosen;
}

/** The text renderer: the reason a file is unreadable, or the diagnostics, on stderr. */
export function reportText(io: CliIo, sel: Selection): void {
  if (sel.kind === 'unreadable') io.stderr(unreadableMessage(io, sel.file));
  else if (sel.diagnostics.length > 0) printDiagnostics(io, sel.program, sel.diagnostics);
}

/** The JSON renderer: `mpst check --format json`'s report of the selection's diagnostics. */
export function reportJson(io: CliIo, sel: Selection): void {
  io.stdout(`${JSON.stringify(diagnosticsReport([sel.file], sel.diagnostics), null, 2)}\n`);
}

/** MPST121 for a file named on the command line that cannot be read, with the reason. */
export function unreadableDiagnostic(io: CliIo, file: string): Diagnostic {
  return makeDiagnostic(
    new SourceFile(file, ''),
    'MPST121',
    `cannot read file \`${file}\``,
    { start: 0, end: 0 },
    { notes: [{ message: readFailure(io, file) }] },
  );
}

/**
 * The path of the protocol to analyse (`P`, or `Outer.P` for a nuScr nested protocol):
 * `--protocol` (a path, a simple name that only one protocol has, or a module-qualified name;
 * `aux` and nested protocols included), else the file's only non-`aux` top-level protocol.
 * Throws a usage error naming the protocols there are.
 */
export function pickProtocol(
  program: Program,
  file: string,
  requested: string | undefined,
): string {
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
  throw new UsageError(noGlobalProtocol(program, file));
}

/** Why a FILE without errors has no protocol to work on: none, or only `aux` ones. */
export function noGlobalProtocol(program: Program, file: string): string {
  const root = program.modules.find((m) => m.root);
  const aux = (root?.module.protocols ?? []).filter((p) => !p.nested).map((p) => p.name.text);
  return aux.length === 0
    ? `${file} has no global protocol`
    : `${file} has only aux protocols; choose one with --protocol: ${aux.join(', ')}`;
}

/** Renders diagnostics with code frames on stderr. */
export function printDiagnostics(
  io: CliIo,
  program: Program | undefined,
  diagnostics: readonly Diagnostic[],
): void {
  io.stderr(
    `${renderDiagnostics(diagnostics, { color: io.color, source: sourceLookup(program) })}\n`,
  );
}

/** Looks up the source file of a diagnostic's path, for code frames. */
export function sourceLookup(
  program: Program | undefined,
): (path: string) => SourceFile | undefined {
  const files = new Map<string, SourceFile>(
    (program?.modules ?? []).map((m) => [m.path, m.module.file]),
  );
  return (path) => files.get(path);
}
