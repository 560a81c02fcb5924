import { printLocalProtocol } from '@mpst/projector';
import { parseCommandArgs } from '../args.js';
import type { CliIo } from '../io.js';
import { writeRoleFiles } from './roles-out.js';
import {
  projectedRoles,
  type ProjectedRole,
  reportText,
  ROLE_OPTION,
  SELECT_OPTIONS,
  selectProtocol,
} from './select.js';

/**
 * `mpst project`: local protocols in Scribble local syntax: the `--role` given, else every
 * role's, from one analysis; with `--out DIR`, one file per role.
 */
export function projectCommand(args: readonly string[], io: CliIo): number {
  const { values, positionals } = parseCommandArgs(args, {
    ...SELECT_OPTIONS,
    ...ROLE_OPTION,
    out: { type: 'string', short: 'o' },
  });
  const sel = selectProtocol(io, {
    command: 'project',
    positionals,
    importPaths: values['import-path'],
    protocol: values.protocol,
  });
  // A protocol with errors has no projection to print (and its roles are not matched).
  if (sel.kind !== 'selected' || sel.exit !== 0) {
    reportText(io, sel);
    return sel.exit;
  }
  const roles = projectedRoles(sel, values.role);
  reportText(io, sel);
  const text = (r: ProjectedRole): string => printLocalProtocol(sel.result, r.role);
  if (values.out !== undefined)
    return writeRoleFiles(io, sel, roles, { dir: values.out, extension: 'scr' }, text);
  io.stdout(roles.map(text).join('\n'));
  return sel.exit;
}
