/**
 * Type-checking TypeScript from tests, with the compiler API: text in memory (`typeCheck`: the
 * code generator's output and user code against it, role code adapted by the refactoring) or the
 * files of folders on disk (`compileFolders`: the tutorial's steps and examples).
 *
 * Test-only code shared by several projects' tests, in no project, as `corpus.ts` (see
 * tools/test/project.json for why). Not a package's test-kit export: the lowest package that
 * needs the compiler, crash-refactor, shares layer 3 with codegen, and neither may import the
 * other. eslint.config.js allows the import, and nx.json lists this file among the tests' inputs.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** The repository root (this file is `tools/typecheck.ts`). */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Where `typeCheck` places its files (never written to disk): inside the repository, so that
 * `@mpst/runtime` (imported by generated modules) resolves through the workspace's node_modules
 * to its built declarations.
 */
const VIRTUAL_DIR = path.join(ROOT, 'tools', '__virtual__');

/** As strict as the repository's own code (tsconfig.base.json), `--noEmit`, no Node types. */
export const STRICT_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2023.d.ts'],
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  noUncheckedIndexedAccess: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  noImplicitReturns: true,
  noFallthroughCasesInSwitch: true,
  isolatedModules: true,
  verbatimModuleSyntax: true,
  skipLibCheck: true,
  noEmit: true,
  types: [],
};

/** One type error: its file (relative name; '' for an error in no file), line (1-based), text. */
export interface TypeScriptError {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/**
 * Files other than the checked ones (TypeScript's libraries, the packages' declarations), parsed
 * once per process and shared by every program: most of a small program's time otherwise.
 */
const parsed = new Map<string, ts.SourceFile | undefined>();

/**
 * The errors of one program made of `roots` (absolute paths) and the `virtual` files (absolute
 * path → text, which exist for the compiler only), with their files relative to `base`.
 */
function check(
  roots: readonly string[],
  options: ts.CompilerOptions,
  base: string,
  virtual: ReadonlyMap<string, string> = new Map(),
): TypeScriptError[] {
  const host = ts.createCompilerHost(options, true);
  const fileExists = host.fileExists.bind(host);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  const directoryExists = host.directoryExists?.bind(host);
  host.fileExists = (f) => virtual.has(f) || fileExists(f);
  host.readFile = (f) => virtual.get(f) ?? readFile(f);
  // The virtual folder does not exist on disk; module resolution asks for it.
  host.directoryExists = (d) => d === VIRTUAL_DIR || (directoryExists?.(d) ?? true);
  host.getSourceFile = (f, lang, ...rest) => {
    const text = virtual.get(f);
    if (text !== undefined) return ts.createSourceFile(f, text, lang, true);
    if (roots.includes(f)) return getSourceFile(f, lang, ...rest);
    const key = `${String(options.target)} ${f}`;
    if (!parsed.has(key)) parsed.set(key, getSourceFile(f, lang, ...rest));
    return parsed.get(key);
  };
  const program = ts.createProgram([...roots, ...virtual.keys()], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    if (!d.file) return { file: '', line: 0, column: 0, message };
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start ?? 0);
    const file = path.relative(base, d.file.fileName);
    return { file, line: line + 1, column: character + 1, message };
  });
}

/**
 * Type-checks `files` (name → text, e.g. `Ping.C.ts`: modules in one folder, importing each
 * other as `./Ping.C.js`) as one program under {@link STRICT_OPTIONS}; returns every error, in
 * these files or elsewhere. Nothing is written.
 */
export function typeCheck(files: Readonly<Record<string, string>>): TypeScriptError[] {
  const virtual = new Map(Object.entries(files).map(([n, t]) => [path.join(VIRTUAL_DIR, n), t]));
  return check([], STRICT_OPTIONS, VIRTUAL_DIR, virtual);
}

/** Errors as readable lines `file:line: message`, for assertion messages. */
export function showErrors(errors: readonly TypeScriptError[]): string {
  return errors.map((e) => `${e.file}:${String(e.line)}: ${e.message}`).join('\n');
}

/** Every .ts file of a folder, recursively (generated/, roles.ts and the step's other modules). */
function typescriptFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.join(e.parentPath, e.name))
    .filter((f) => !f.includes(`${path.sep}node_modules${path.sep}`))
    .sort();
}

/**
 * Type-checks every .ts file of the folders (relative to `root`) in one program with the
 * compiler options of `tsconfig` (a test's, so the workspace's strict settings), and returns
 * each folder's errors as lines `file(line,col): message` (paths relative to `root`). Errors in
 * no folder (the packages, the tutorial kit) or in no file are reported under ''. A folder
 * without a .ts file is an error: there would be nothing to check.
 */
export function compileFolders(
  folders: readonly string[],
  tsconfig: string,
  root = ROOT,
): Map<string, string[]> {
  const config = ts.getParsedCommandLineOfConfigFile(
    tsconfig,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(`${tsconfig}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
      },
    },
  );
  if (config === undefined) throw new Error(`cannot read ${tsconfig}`);
  const byFolder = new Map(folders.map((f) => [f, typescriptFiles(path.resolve(root, f))]));
  const empty = folders.filter((f) => byFolder.get(f)?.length === 0);
  if (empty.length > 0) throw new Error(`no .ts file to compile in ${empty.join(', ')}`);
  const roots = [...byFolder.values()].flat();
  const errors = new Map(['', ...folders].map((f): [string, string[]] => [f, []]));
  for (const e of check(roots, { ...config.options, noEmit: true }, root)) {
    const owner = folders.find((f) => e.file.startsWith(`${f}/`)) ?? '';
    const where = e.file === '' ? '' : `${e.file}(${String(e.line)},${String(e.column)}): `;
    errors.get(owner)?.push(`${where}${e.message}`);
  }
  return errors;
}
