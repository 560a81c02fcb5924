import { printGlobal } from '@mpst/projector';
import { parseArgs } from 'node:util';
import type { CliIo } from '../io.js';
import { SELECT_OPTIONS, selectProtocol } from './select.js';

/** `mpst desugar`: the elaborated protocol (`do` inlined, multicast split) as Scribble text. */
export function desugarCommand(args: readonly string[], io: CliIo): number {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: SELECT_OPTIONS,
  });
  const sel = selectProtocol(io, {
    command: 'desugar',
    positionals,
    importPaths: values['import-path'],
    protocol: values.protocol,
  });
  if (typeof sel === 'number') return sel;
  // nuScr pragmas change what the text means (under NestedProtocols, `do` is a call): keep them.
  const pragmas = sel.result.module.module.pragmas.map((p) => p.name.text);
  io.stdout(
    `${pragmas.length > 0 ? `(*# ${pragmas.join(', ')} #*)\n` : ''}${printGlobal(sel.protocol)}`,
  );
  return sel.status;
}
