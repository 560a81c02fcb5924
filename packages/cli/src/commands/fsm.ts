import { efsmToDot } from '@mpst/projector';
import { parseCommandArgs } from '../args.js';
import { UsageError, type CliIo } from '../io.js';
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
 * `mpst fsm`: endpoint state machines as Graphviz dot or JSON: the `--role` given, else every
 * role's, from one analysis (dot: one `digraph` per role, each after a `// P, role R` comment;
 * JSON: an array of EFSMs); with `--out DIR`, one file per role.
 */
export function fsmCommand(args: readonly string[], io: CliIo): number {
  const { values, positionals } = parseCommandArgs(args, {
    ...SELECT_OPTIONS,
    ...ROLE_OPTION,
    format: { type: 'string', default: 'dot' },
    out: { type: 'string', short: 'o' },
  });
  const fmt = values.format;
  if (fmt !== 'dot' && fmt !== 'json')
    throw new UsageError(`--format must be 'dot' or 'json', not '${fmt}'`);
  const sel = selectProtocol(io, {
    command: 'fsm',
    positionals,
    importPaths: values['import-path'],
    protocol: values.protocol,
  });
  if (sel.kind !== 'selected' || sel.exit !== 0) {
    reportText(io, sel);
    return sel.exit;
  }
  const roles = projectedRoles(sel, values.role);
  reportText(io, sel);
  const text = (r: ProjectedRole): string =>
    fmt === 'json' ? `${JSON.stringify(r.efsm, null, 2)}\n` : efsmToDot(r.efsm);
  if (values.out !== undefined)
    return writeRoleFiles(io, sel, roles, { dir: values.out, extension: fmt }, text);
  const [only] = roles;
  if (values.role !== undefined && only) io.stdout(text(only));
  // Every role: one JSON array of EFSMs (each names its role), or one digraph after another.
  else if (fmt === 'json')
    io.stdout(
      `${JSON.stringify(
        roles.map((r) => r.efsm),
        null,
        2,
      )}\n`,
    );
  // (One write per role: the text of every role at once would be held, and copied, whole.)
  else for (const r of roles) io.stdout(`// ${sel.result.name}, role ${r.role}\n${text(r)}`);
  return sel.exit;
}
