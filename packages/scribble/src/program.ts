import type * as ast from './ast.js';
import { makeDiagnostic, sortDiagnostics, type Diagnostic } from './diagnostics.js';
import { parse } from './parser.js';
import { SourceFile } from './source.js';

/**
 * How the toolchain reads files. The core never touches the file system itself, so the same
 * code runs in Node (see `@mpst/scribble/node`) and in the browser (an in-memory map).
 */
export interface ModuleHost {
  /** The text of the file at `path`, or undefined when there is no such file. */
  readFile(path: string): string | undefined;
}

/**
 * A host over an in-memory map from path to text (browsers, tests, editors). With `fallback`,
 * the paths not in `files` are read from it: an unsaved version of a file over the disk, say.
 */
export function memoryHost(
  files: Readonly<Record<string, string>> | ReadonlyMap<string, string>,
  fallback?: ModuleHost,
): ModuleHost {
  const map: ReadonlyMap<string, string> =
    files instanceof Map ? (files as ReadonlyMap<string, string>) : new Map(Object.entries(files));
  return { readFile: (path) => (map.has(path) ? map.get(path) : fallback?.readFile(path)) };
}

/** Options for {@link loadProgram}. */
export interface LoadOptions {
  /**
   * Roots under which `import a.b.C;` is looked up as `a/b/C.scr`. When empty, the root is
   * inferred from each given file's `module` declaration (the directory that its package path
   * is relative to), or else the file's own directory.
   */
  readonly importPaths?: readonly string[];
}

/** One parsed file of a program. */
export interface LoadedModule {
  /** The path the file was read from. */
  readonly path: string;
  /** The module's full name: its `module` declaration, or the file name without extension. */
  readonly name: string;
  readonly module: ast.Module;
  /** True for files named on the command line; false for modules loaded through imports. */
  readonly root: boolean;
}

/** A set of files and everything they import, parsed. */
export interface Program {
  /** Every loaded module, roots first, in load order. */
  readonly modules: readonly LoadedModule[];
  /** Modules by full name (the first loaded wins if two files declare the same name). */
  readonly byName: ReadonlyMap<string, LoadedModule>;
  /** Import edges: importing module path → imported module (undefined when not found). */
  readonly imports: ReadonlyMap<ast.ImportDecl, LoadedModule | undefined>;
  /** Syntax and loading diagnostics (missing files, modules not found). */
  readonly diagnostics: readonly Diagnostic[];
}

/** Joins path segments with `/`, normalising `.` and `..` (browser-safe; no Node `path`). */
export function joinPath(...parts: string[]): string {
  const joined = parts.filter((p) => p.length > 0).join('/');
  const absolute = joined.startsWith('/');
  const out: string[] = [];
  for (const seg of joined.split(/[/\\]+/)) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else out.push(seg);
  }
  const s = out.join('/');
  return absolute ? `/${s}` : s === '' ? '.' : s;
}

function dirname(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i < 0 ? '.' : i === 0 ? '/' : path.slice(0, i);
}

/** The file name without directory and extension. */
export function fileStem(path: string): string {
  const base = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

function inferRoot(path: string, module: ast.Module): string {
  const dir = dirname(path);
  const decl = module.moduleDecl;
  if (!decl) return dir;
  const pkg = decl.name.parts.slice(0, -1).map((p) => p.text);
  const dirParts = joinPath(dir).split('/');
  if (pkg.length === 0) return dir;
  const tail = dirParts.slice(-pkg.length);
  if (tail.join('/') === pkg.join('/')) {
    const rest = dirParts.slice(0, -pkg.length);
    return rest.length === 0 ? '.' : rest.join('/') || '/';
  }
  return dir;
}

/**
 * Reads and parses `paths` and, transitively, every module they import. Missing files and
 * modules are reported as diagnostics; nothing is thrown.
 */
export function loadProgram(
  paths: readonly string[],
  host: ModuleHost,
  options: LoadOptions = {},
): Program {
  const modules: LoadedModule[] = [];
  const byPath = new Map<string, LoadedModule>();
  const byName = new Map<string, LoadedModule>();
  const imports = new Map<ast.ImportDecl, LoadedModule | undefined>();
  const diagnostics: Diagnostic[] = [];
  const importPaths = [...(options.importPaths ?? [])];

  const load = (path: string, text: string, root: boolean): LoadedModule => {
    const { module, diagnostics: d } = parse(new SourceFile(path, text));
    for (const x of d) diagnostics.push(x);
    const loaded: LoadedModule = {
      path,
      name: module.moduleDecl?.name.text ?? fileStem(path),
      module,
      root,
    };
    modules.push(loaded);
    byPath.set(path, loaded);
    if (!byName.has(loaded.name)) byName.set(loaded.name, loaded);
    return loaded;
  };

  const queue: LoadedModule[] = [];
  for (const path of paths) {
    if (byPath.has(path)) continue;
    const text = host.readFile(path);
    if (text === undefined) {
      diagnostics.push(
        makeDiagnostic(new SourceFile(path, ''), 'MPST121', `cannot read file \`${path}\``, {
          start: 0,
          end: 0,
        }),
      );
      continue;
    }
    const m = load(path, text, true);
    if (options.importPaths === undefined || options.importPaths.length === 0) {
      const r = inferRoot(path, m.module);
      if (!importPaths.includes(r)) importPaths.push(r);
    }
    queue.push(m);
  }

  while (queue.length > 0) {
    const m = queue.shift();
    if (!m) break;
    for (const imp of m.module.imports) {
      const name = imp.module.text;
      let target = byName.get(name);
      if (!target) {
        const rel = `${imp.module.parts.map((p) => p.text).join('/')}.scr`;
        const tried: string[] = [];
        for (const root of importPaths) {
          const candidate = joinPath(root, rel);
          tried.push(candidate);
          const existing = byPath.get(candidate);
          if (existing) {
            target = existing;
            break;
          }
          const text = host.readFile(candidate);
          if (text !== undefined) {
            target = load(candidate, text, false);
            queue.push(target);
            break;
          }
        }
        if (!target) {
          diagnostics.push(
            makeDiagnostic(
              m.module.file,
              'MPST121',
              `module \`${name}\` not found`,
              imp.module.span,
              {
                notes: [
                  {
                    message: `looked for ${tried.map((t) => `\`${t}\``).join(', ') || 'it with no import path set'}`,
                  },
                ],
              },
            ),
          );
        }
      }
      imports.set(imp, target);
    }
  }
  return { modules, byName, imports, diagnostics: sortDiagnostics(diagnostics) };
}
