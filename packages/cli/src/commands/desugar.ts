import { printGlobal } from '@mpst/projector';
import { parseCommandArgs } from '../args.js';
import type { CliIo } from '../io.js';
import { reportText, SELECT_OPTIONS, selectProtocol } from './select.js';

/**
 * `mpst desugar`: the elaborated protocol (`do` inlined, multicast split) as Scribble text.
 * Printed even when a role cannot be projected (exit 1): the text helps to read the errors.
 */
export function desugarCommand(args: readonly string[], io: CliIo): number {
  const { values, positionals } = parseCommandArgs(args, SELECT_OPTIONS);
  const sel = selectProtocol(io, {
    command: 'desugar',
    positionals,
    importPaths: values['import-path'],
    protocol: values.protocol,
  });
  reportText(io, sel);
  if (sel.kind !== 'selected') return sel.exit;
  // nuScr pragmas change what the text means (under NestedProtocols, `do` is a call): keep them.
  const pragmas = sel.result.module.module.pragmas.map((p) => p.name.text);
  io.stdout(
    `${pragmas.length > 0 ? `(*# ${pragmas.join(', ')} #*)\n` : ''}${printGlobal(sel.protocol)}`,
  );
  return sel.exit;
}
