import { checkCommand } from './commands/check.js';
import { desugarCommand } from './commands/desugar.js';
import { diagramCommand } from './commands/diagram.js';
import { formatCommand } from './commands/format.js';
import { fsmCommand } from './commands/fsm.js';
import { projectCommand } from './commands/project.js';
import { refactorCommand } from './commands/refactor.js';
import { verifyCommand } from './commands/verify.js';
import {
  CHECK_HELP,
  DESUGAR_HELP,
  DIAGRAM_HELP,
  FORMAT_HELP,
  FSM_HELP,
  MAIN_HELP,
  PROJECT_HELP,
  REFACTOR_HELP,
  VERIFY_HELP,
} from './help.js';
import { EXIT, UsageError, type CliIo } from './io.js';
import { VERSION } from './version.js';

type Command = (args: readonly string[], io: CliIo) => number;

const COMMANDS: Readonly<Record<string, { run: Command; help: string }>> = {
  check: { run: checkCommand, help: CHECK_HELP },
  desugar: { run: desugarCommand, help: DESUGAR_HELP },
  project: { run: projectCommand, help: PROJECT_HELP },
  fsm: { run: fsmCommand, help: FSM_HELP },
  diagram: { run: diagramCommand, help: DIAGRAM_HELP },
  format: { run: formatCommand, help: FORMAT_HELP },
  verify: { run: verifyCommand, help: VERIFY_HELP },
  refactor: { run: refactorCommand, help: REFACTOR_HELP },
};

/** Runs the `mpst` command line; returns the exit code. Never throws for user errors. */
export function main(argv: readonly string[], io: CliIo): number {
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
    const entry = topic === undefined ? undefined : COMMANDS[topic];
    if (topic !== undefined && !entry) {
      io.stderr(`mpst: unknown command '${topic}'\n\n${MAIN_HELP}`);
      return EXIT.usage;
    }
    io.stdout(entry?.help ?? MAIN_HELP);
    return EXIT.ok;
  }
  const entry = COMMANDS[cmd];
  if (!entry) {
    io.stderr(`mpst: unknown command '${cmd}'\n\n${MAIN_HELP}`);
    return EXIT.usage;
  }
  if (rest.includes('-h') || rest.includes('--help')) {
    io.stdout(entry.help);
    return EXIT.ok;
  }
  try {
    return entry.run(rest, io);
  } catch (e) {
    // node:util parseArgs reports unknown options with a TypeError carrying an ERR_PARSE_ARGS_* code.
    const code = (e as { code?: unknown }).code;
    if (
      e instanceof UsageError ||
      (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))
    ) {
      io.stderr(`mpst ${cmd}: ${(e as Error).message}\nRun 'mpst ${cmd} --help' for usage.\n`);
      return EXIT.usage;
    }
    throw e;
  }
}
