#!/usr/bin/env node
import { dispatch, isCommandName, type Command, type CommandName } from './dispatch.js';
import { processIo } from './node-io.js';

// `mpst ... | head` closes the pipe early: that is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

/**
 * Loads only the command that runs: most of a short run's time is Node starting and loading
 * modules, and `check` does not need the diagram renderer, nor `format` the verifier.
 */
async function load(name: CommandName): Promise<Command> {
  switch (name) {
    case 'check':
      return (await import('./commands/check.js')).checkCommand;
    case 'desugar':
      return (await import('./commands/desugar.js')).desugarCommand;
    case 'project':
      return (await import('./commands/project.js')).projectCommand;
    case 'fsm':
      return (await import('./commands/fsm.js')).fsmCommand;
    case 'diagram':
      return (await import('./commands/diagram.js')).diagramCommand;
    case 'format':
      return (await import('./commands/format.js')).formatCommand;
    case 'verify':
      return (await import('./commands/verify.js')).verifyCommand;
    case 'codegen':
      return (await import('./commands/codegen.js')).codegenCommand;
    case 'refactor':
      return (await import('./commands/refactor.js')).refactorCommand;
  }
}

/**
 * Commands whose work is all done when dispatch returns (no child process, no stdin, no
 * timers): once their output has been handed to the OS they exit at once. Otherwise Node first
 * runs what V8 queued meanwhile (after a long protocol, a young-generation collection of the
 * analysis' garbage, ~15 ms at 20,000 interactions) and then tears the heap down.
 */
const EXITS_WHEN_FLUSHED: ReadonlySet<CommandName> = new Set(['check', 'project', 'fsm']);

const argv = process.argv.slice(2);
const name = argv[0];
// A promise, not a top-level await: the bundle (scripts/bundle.mjs) is CommonJS, which starts
// faster than an ES module, and has the common commands inlined (their import() resolves at once).
void (isCommandName(name) ? load(name) : Promise.resolve(undefined)).then((command) => {
  process.exitCode = dispatch(argv, processIo(), () => {
    if (command === undefined) throw new Error('internal: a command ran that was not loaded');
    return command;
  });
  if (
    isCommandName(name) &&
    EXITS_WHEN_FLUSHED.has(name) &&
    process.stdout.writableLength === 0 &&
    process.stderr.writableLength === 0
  )
    process.exit();
});
