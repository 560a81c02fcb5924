/**
 * Reads source files. The same shape as `@mpst/scribble`'s `ModuleHost`, written out here so
 * that the published types of `@mpst/cli` need no other package.
 */
export interface FileHost {
  /** The text of the file at `path`, or undefined when it cannot be read. */
  readFile(path: string): string | undefined;
}

/** What a command may touch: streams, files, colour. Tests pass an in-memory version. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly host: FileHost;
  /** Writes a file; returns why it could not (a message), or undefined when written. */
  readonly writeFile: (path: string, text: string) => string | undefined;
  /** Whether to colour output (a TTY without NO_COLOR). */
  readonly color: boolean;
  /**
   * Why `host.readFile(path)` gave nothing, e.g. `ENOENT: no such file`, `EISDIR: is a
   * directory`, `EACCES: permission denied`. Default: `ENOENT: no such file`.
   */
  readonly readError?: (path: string) => string;
  /**
   * Makes sure files can be written in the folder `dir`: with `create`, makes it (and its
   * parents) when missing. Returns why not (`ENOENT: no such folder 'out'`, `EACCES: ...`),
   * or undefined when it can. Default: every folder is writable.
   */
  readonly writableDir?: (dir: string, create: boolean) => string | undefined;
  /** Whether stdin is a terminal (someone can answer prompts). Default: false. */
  readonly stdinIsTty?: boolean;
  /** Reads one line from stdin (without the newline); undefined at end of input. */
  readonly readLine?: () => string | undefined;
}

/** `host`, reading each file at most once (a command checks a file exists, then loads it). */
export function readOnce(host: FileHost): FileHost {
  const texts = new Map<string, string | undefined>();
  return {
    readFile(path) {
      if (!texts.has(path)) texts.set(path, host.readFile(path));
      return texts.get(path);
    },
  };
}

/** Process exit codes shared by every command. */
export const EXIT = {
  /** Everything checked is well-formed. */
  ok: 0,
  /** A protocol has errors (or `format --check` found unformatted files). */
  protocolErrors: 1,
  /** Bad command line, or a file could not be read or written. */
  usage: 2,
} as const;

/** A usage error: printed with a pointer to `--help`, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * Whether `e` is a {@link UsageError}, by name as well as by class: the bundled CLI
 * (scripts/bundle.mjs) loads `diagram`, `codegen` and `refactor` from files of their own, each
 * with its own copy of this module, so their errors are not instances of the class `dispatch` sees.
 */
export function isUsageError(e: unknown): e is UsageError {
  return e instanceof UsageError || (e instanceof Error && e.name === 'UsageError');
}

/** An integer option (`--max-states 1000`) of at least `min`; undefined when not given. */
export function integerOption(
  name: string,
  text: string | undefined,
  min: number,
): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < min)
    throw new UsageError(`${name} must be an integer >= ${String(min)}, not '${text}'`);
  return Number(text);
}

/** `mpst: cannot read file 'x.scr': ENOENT: no such file` (one line, for stderr). */
export function unreadableMessage(io: CliIo, path: string): string {
  return `mpst: cannot read file '${path}': ${readFailure(io, path)}\n`;
}

/** Why `path` could not be read (`ENOENT: no such file`, …), for a message about it. */
export function readFailure(io: CliIo, path: string): string {
  return io.readError?.(path) ?? 'ENOENT: no such file';
}

/** The folder part of a file path (`.` for a bare name); no Node `path`, as the rest of io. */
export function folderOf(file: string): string {
  const i = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return i < 0 ? '.' : i === 0 ? '/' : file.slice(0, i);
}
