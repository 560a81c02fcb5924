import { printGlobal } from '@mpst/projector';
import { parseArgs } from 'node:util';
import type { CliIo } from '../io.js';
import { SELECT_OPTIONS, selectProtocol } from './select.js';

/** `mpst desugar`: the elaborated protocol (`do` inlined, multicast split) as Scribble text. */
export function desugarCommand(args: readonly string[], io: CliIo): number {
  const { values, positionals } = parseArgs({ args: [...args], allowPositionals: true, options: SELECT_OPTIONS });
  const sel = selectProtocol(io, {
    command: 'desugar',
    positionals,
    importPaths: values['import-path'],
    protocol: values.protocol,
  });
  if (typeof sel === 'number') return sel;
  io.stdout(printGlobal(sel.protocol));
  return sel.status;
}
