import type { ModuleHost } from '@mpst/scribble';

/** What a command may touch: streams, files, colour. Tests pass an in-memory version. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly host: ModuleHost;
  /** Writes a file; returns why it could not (a message), or undefined when written. */
  readonly writeFile: (path: string, text: string) => string | undefined;
  /** Whether to colour output (a TTY without NO_COLOR). */
  readonly color: boolean;
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
export class UsageError extends Error {}

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
