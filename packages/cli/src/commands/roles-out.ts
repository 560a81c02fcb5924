import type { Role } from '@mpst/projector';
import { EXIT, type CliIo } from '../io.js';
import type { Selected } from './select.js';

/**
 * `--out DIR`: one file per role, `DIR/<protocol>_<role>.<extension>` (the folder is made when
 * missing). Returns the exit code: the selection's, or 2 when a file cannot be written.
 */
export function writeRoleFiles<R extends { readonly role: Role }>(
  io: CliIo,
  sel: Selected,
  roles: readonly R[],
  out: { readonly dir: string; readonly extension: string },
  text: (role: R) => string,
): number {
  const notWritable = io.writableDir?.(out.dir, true);
  if (notWritable !== undefined) {
    io.stderr(`mpst: ${notWritable}\n`);
    return EXIT.usage;
  }
  const dir = out.dir.replace(/[/\\]+$/, '') || '/';
  for (const r of roles) {
    const failed = io.writeFile(`${dir}/${sel.result.name}_${r.role}.${out.extension}`, text(r));
    if (failed !== undefined) {
      io.stderr(`mpst: ${failed}\n`);
      return EXIT.usage;
    }
  }
  return sel.exit;
}
