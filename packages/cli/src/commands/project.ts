import { localProtocolJson, printLocalProtocol, type RoleResult } from '@mpst/projector';
import { parseCommandArgs } from '../args.js';
import { UsageError, type CliIo } from '../io.js';
import { writeRoleFiles } from './roles-out.js';
import { chosenRoles, reportText, ROLE_OPTION, SELECT_OPTIONS, selectProtocol } from './select.js';

/**
 * `mpst project`: local protocols in Scribble local syntax or as JSON: the `--role` given, else
 * every role's, from one analysis (JSON: an array, one local type per role); with `--out DIR`,
 * one file per role.
 */
export function projectCommand(args: readonly string[], io: CliIo): number {
  const { values, positionals } = parseCommandArgs(args, {
    ...SELECT_OPTIONS,
    ...ROLE_OPTION,
    format: { type: 'string', default: 'text' },
    out: { type: 'string', short: 'o' },
  });
  const fmt = values.format;
  if (fmt !== 'text' && fmt !== 'json')
    throw new UsageError(`--format must be 'text' or 'json', not '${fmt}'`);
  const sel = selectProtocol(io, {
    command: 'project',
    positionals,
    importPaths: values['import-path'],
    protocol: values.protocol,
    // Local types only: the EFSMs are built (and checked) but not kept.
    keep: { efsm: false },
  });
  // A protocol with errors has no projection to print (and its roles are not matched).
  if (sel.kind !== 'selected' || sel.exit !== 0) {
    reportText(io, sel);
    return sel.exit;
  }
  const roles = chosenRoles(sel, values.role);
  reportText(io, sel);
  const json = (r: RoleResult) => localProtocolJson(sel.result, r.role);
  const text = (r: RoleResult): string =>
    fmt === 'json'
      ? `${JSON.stringify(json(r), null, 2)}\n`
      : printLocalProtocol(sel.result, r.role);
  const extension = fmt === 'json' ? 'json' : 'scr';
  if (values.out !== undefined)
    return writeRoleFiles(io, sel, roles, { dir: values.out, extension }, text);
  const [only] = roles;
  // Every role, a blank line between them; one write per role (see fsm.ts).
  if (fmt === 'text') roles.forEach((r, i) => io.stdout(i === 0 ? text(r) : `\n${text(r)}`));
  else if (values.role !== undefined && only) io.stdout(text(only));
  else io.stdout(`${JSON.stringify(roles.map(json), null, 2)}\n`);
  return sel.exit;
}
