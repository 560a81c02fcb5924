/**
 * Strict tsc (compiler API) over in-memory files placed in a virtual folder of this package, so
 * that `@mpst/runtime` (imported by generated modules) resolves through the workspace.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const VIRTUAL = path.join(path.dirname(fileURLToPath(import.meta.url)), '__virtual__');

const OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2023.d.ts'],
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  noUncheckedIndexedAccess: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  noImplicitReturns: true,
  verbatimModuleSyntax: true,
  skipLibCheck: true,
  noEmit: true,
  types: [],
};

/** Library files parsed once per process. */
const libraries = new Map<string, ts.SourceFile | undefined>();

/** Every error of the program made of `files` (name → text), as `file:line: message`. */
export function typeErrors(files: Readonly<Record<string, string>>): string[] {
  const virtual = new Map(Object.entries(files).map(([n, t]) => [path.join(VIRTUAL, n), t]));
  const host = ts.createCompilerHost(OPTIONS, true);
  const fileExists = host.fileExists.bind(host);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.fileExists = (f) => virtual.has(f) || fileExists(f);
  host.readFile = (f) => virtual.get(f) ?? readFile(f);
  // The virtual folder does not exist on disk; module resolution asks for it.
  const directoryExists = host.directoryExists?.bind(host);
  host.directoryExists = (d) => d === VIRTUAL || (directoryExists?.(d) ?? true);
  host.getSourceFile = (f, lang, ...rest) => {
    const text = virtual.get(f);
    if (text !== undefined) return ts.createSourceFile(f, text, lang, true);
    if (!libraries.has(f)) libraries.set(f, getSourceFile(f, lang, ...rest));
    return libraries.get(f);
  };
  const program = ts.createProgram([...virtual.keys()], OPTIONS, host);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, ' ');
    if (!d.file) return message;
    const line = d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1;
    return `${path.relative(VIRTUAL, d.file.fileName)}:${String(line)}: ${message}`;
  });
}
