import { efsmToDot } from '@mpst/projector';
import { parseArgs } from 'node:util';
import { UsageError, type CliIo } from '../io.js';
import { ROLE_OPTION, SELECT_OPTIONS, selectRole } from './select.js';

/** `mpst fsm`: one role's endpoint state machine, as Graphviz dot or JSON. */
export function fsmCommand(args: readonly string[], io: CliIo): number {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { ...SELECT_OPTIONS, ...ROLE_OPTION, format: { type: 'string', default: 'dot' } },
  });
  const fmt = values.format;
  if (fmt !== 'dot' && fmt !== 'json')
    throw new UsageError(`--format must be 'dot' or 'json', not '${fmt}'`);
  const sel = selectRole(io, {
    command: 'fsm',
    positionals,
    importPaths: values['import-path'],
    protocol: values.protocol,
    role: values.role,
  });
  if (typeof sel === 'number') return sel;
  io.stdout(fmt === 'json' ? `${JSON.stringify(sel.efsm, null, 2)}\n` : efsmToDot(sel.efsm));
  return sel.status;
}
