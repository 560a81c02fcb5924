/**
 * Command-line dispatch, without the commands themselves: `main` passes every command (one
 * import for library use and tests), the `mpst` binary only the one it runs, loaded on demand
 * so that `mpst check` never loads the diagram renderer or `format` the verifier.
 */
import { closest } from './args.js';
import {
  CHECK_HELP,
  CODEGEN_HELP,
  DESUGAR_HELP,
  DIAGRAM_HELP,
  FORMAT_HELP,
  FSM_HELP,
  MAIN_HELP,
  PROJECT_HELP,
  REFACTOR_HELP,
  VERIFY_HELP,
} from './help.js';
import { EXIT, isUsageError, type CliIo } from './io.js';
import { VERSION } from './version.js';

/** A command: its arguments (after the command name) in, the exit code out. */
export type Command = (args: readonly string[], io: CliIo) => number;

/** The help text of each command; its keys are the command names. */
export const COMMAND_HELP = {
  check: CHECK_HELP,
  desugar: DESUGAR_HELP,
  project: PROJECT_HELP,
  fsm: FSM_HELP,
  diagram: DIAGRAM_HELP,
  format: FORMAT_HELP,
  verify: VERIFY_HELP,
  codegen: CODEGEN_HELP,
  refactor: REFACTOR_HELP,
} as const;

export type CommandName = keyof typeof COMMAND_HELP;

export function isCommandName(name: string | undefined): name is CommandName {
  return name !== undefined && Object.hasOwn(COMMAND_HELP, name);
}

/** `mpst: unknown command 'chek'; did you mean `check`?` and where to find the list. */
function unknownCommand(io: CliIo, name: string): number {
  const near = closest(name, Object.keys(COMMAND_HELP));
  const hint =
    near !== undefined
      ? `; did you mean \`${near}\`?`
      : `; the commands are ${Object.keys(COMMAND_HELP).join(', ')}`;
  io.stderr(`mpst: unknown command '${name}'${hint}\nRun 'mpst --help' for usage.\n`);
  return EXIT.usage;
}

/**
 * Runs the `mpst` command line; returns the exit code. `command(name)` gives the command to
 * run (only asked for a known name, and not for `--help`). Never throws for user errors.
 */
export function dispatch(
  argv: readonly string[],
  io: CliIo,
  command: (name: CommandName) => Command,
): number {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '-h' || cmd === '--help') {
    (cmd === undefined ? io.stderr : io.stdout)(MAIN_HELP);
    return cmd === undefined ? EXIT.usage : EXIT.ok;
  }
  if (cmd === '-v' || cmd === '--version') {
    io.stdout(`${VERSION}\n`);
    return EXIT.ok;
  }
  if (cmd === 'help') {
    const topic = rest[0];
    // `help` is one of the commands the main help lists: its help is the main help.
    if (topic === undefined || topic === 'help' || topic === '-h' || topic === '--help')
      io.stdout(MAIN_HELP);
    else if (isCommandName(topic)) io.stdout(COMMAND_HELP[topic]);
    else return unknownCommand(io, topic);
    return EXIT.ok;
  }
  if (!isCommandName(cmd)) {
    if (cmd.startsWith('-')) {
      io.stderr(`mpst: unknown option ${cmd}; options come after the command\n`);
      io.stderr(`Run 'mpst --help' for usage.\n`);
      return EXIT.usage;
    }
    return unknownCommand(io, cmd);
  }
  // `--` ends the options: a file may be named `--help`.
  const options = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
  if (options.includes('-h') || options.includes('--help')) {
    io.stdout(COMMAND_HELP[cmd]);
    return EXIT.ok;
  }
  try {
    return command(cmd)(rest, io);
  } catch (e) {
    if (isUsageError(e)) {
      io.stderr(`mpst ${cmd}: ${e.message}\nRun 'mpst ${cmd} --help' for usage.\n`);
      return EXIT.usage;
    }
    throw e;
  }
}
