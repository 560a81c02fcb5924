import { checkCommand } from './commands/check.js';
import { codegenCommand } from './commands/codegen.js';
import { desugarCommand } from './commands/desugar.js';
import { diagramCommand } from './commands/diagram.js';
import { formatCommand } from './commands/format.js';
import { fsmCommand } from './commands/fsm.js';
import { projectCommand } from './commands/project.js';
import { refactorCommand } from './commands/refactor.js';
import { verifyCommand } from './commands/verify.js';
import { dispatch, type Command, type CommandName } from './dispatch.js';
import type { CliIo } from './io.js';

const COMMANDS: Readonly<Record<CommandName, Command>> = {
  check: checkCommand,
  desugar: desugarCommand,
  project: projectCommand,
  fsm: fsmCommand,
  diagram: diagramCommand,
  format: formatCommand,
  verify: verifyCommand,
  codegen: codegenCommand,
  refactor: refactorCommand,
};

/** Runs the `mpst` command line; returns the exit code. Never throws for user errors. */
export function main(argv: readonly string[], io: CliIo): number {
  return dispatch(argv, io, (name) => COMMANDS[name]);
}
