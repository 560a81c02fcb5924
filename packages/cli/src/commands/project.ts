import { printLocalProtocol } from '@mpst/projector';
import { parseArgs } from 'node:util';
import type { CliIo } from '../io.js';
import { ROLE_OPTION, SELECT_OPTIONS, selectRole } from './select.js';

/** `mpst project`: one role's local protocol, in Scribble local syntax. */
export function projectCommand(args: readonly string[], io: CliIo): number {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { ...SELECT_OPTIONS, ...ROLE_OPTION },
  });
  const sel = selectRole(io, {
    command: 'project',
    positionals,
    importPaths: values['import-path'],
    protocol: values.protocol,
    role: values.role,
  });
  if (typeof sel === 'number') return sel;
  io.stdout(printLocalProtocol(sel.result, sel.role));
  return sel.status;
}
