import { localProtocolJson, printLocalProtocol } from '@mpst/projector';
import { parseArgs } from 'node:util';
import { UsageError, type CliIo } from '../io.js';
import { ROLE_OPTION, SELECT_OPTIONS, selectRole } from './select.js';

/** `mpst project`: one role's local protocol, in Scribble local syntax or as JSON. */
export function projectCommand(args: readonly string[], io: CliIo): number {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { ...SELECT_OPTIONS, ...ROLE_OPTION, format: { type: 'string', default: 'text' } },
  });
  const fmt = values.format;
  if (fmt !== 'text' && fmt !== 'json')
    throw new UsageError(`--format must be 'text' or 'json', not '${fmt}'`);
  const sel = selectRole(io, {
    command: 'project',
    positionals,
    importPaths: values['import-path'],
    protocol: values.protocol,
    role: values.role,
  });
  if (typeof sel === 'number') return sel;
  const json = fmt === 'json' ? localProtocolJson(sel.result, sel.role) : undefined;
  io.stdout(json ? `${JSON.stringify(json, null, 2)}\n` : printLocalProtocol(sel.result, sel.role));
  return sel.status;
}
