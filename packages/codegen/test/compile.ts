/**
 * Type-checks generated modules and user code against them with the TypeScript compiler API, in
 * memory: the files live in a virtual directory under this package (so `@mpst/runtime` resolves
 * through the workspace's node_modules to its built declarations), nothing is written. Library
 * files are parsed once per process and shared by every program.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** Where the virtual files live (never on disk). */
export const VIRTUAL_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '__virtual__');

/** As strict as the repository's own code, `--strict --noEmit` and more. */
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

const shared = new Map<string, ts.SourceFile>();

/** One type error: the virtual file it is in (relative name), its line (1-based) and text. */
export interface TypeError {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

/**
 * Type-checks `files` (name → text, names relative to the virtual directory, e.g.
 * `Ping.C.ts`) as one program; returns every error, in the virtual files or elsewhere.
 */
export function typeCheck(files: Readonly<Record<string, string>>): TypeError[] {
  const virtual = new Map(Object.entries(files).map(([n, t]) => [path.join(VIRTUAL_DIR, n), t]));
  const host = ts.createCompilerHost(STRICT_OPTIONS, true);
  const fileExists = host.fileExists.bind(host);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  const directoryExists = host.directoryExists?.bind(host);
  host.fileExists = (f) => virtual.has(f) || fileExists(f);
  host.readFile = (f) => virtual.get(f) ?? readFile(f);
  host.directoryExists = (d) => d === VIRTUAL_DIR || (directoryExists?.(d) ?? true);
  host.getSourceFile = (f, lang, onError, create) => {
    const text = virtual.get(f);
    if (text !== undefined) return ts.createSourceFile(f, text, lang, true);
    const cached = shared.get(f);
    if (cached) return cached;
    const sf = getSourceFile(f, lang, onError, create);
    if (sf) shared.set(f, sf);
    return sf;
  };
  const program = ts.createProgram([...virtual.keys()], STRICT_OPTIONS, host);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    if (!d.file) return { file: '', line: 0, message };
    const { line } = d.file.getLineAndCharacterOfPosition(d.start ?? 0);
    return { file: path.relative(VIRTUAL_DIR, d.file.fileName), line: line + 1, message };
  });
}

/** Errors as readable lines, for assertion messages. */
export function showErrors(errors: readonly TypeError[]): string {
  return errors.map((e) => `${e.file}:${String(e.line)}: ${e.message}`).join('\n');
}
