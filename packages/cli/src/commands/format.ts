import { format, parse, renderDiagnostics, SourceFile } from '@mpst/scribble';
import { parseArgs } from 'node:util';
import { EXIT, UsageError, type CliIo } from '../io.js';

/** `mpst format`: canonical layout, comments kept; never rewrites a file with syntax errors. */
export function formatCommand(args: readonly string[], io: CliIo): number {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { write: { type: 'boolean', short: 'w' }, check: { type: 'boolean' } },
  });
  if (positionals.length === 0) throw new UsageError('format needs a FILE');
  if (values.write && values.check)
    throw new UsageError('--write and --check cannot be used together');
  let status: number = EXIT.ok;
  for (const path of positionals) {
    const text = io.host.readFile(path);
    if (text === undefined) {
      io.stderr(`mpst: cannot read file '${path}'\n`);
      return EXIT.usage;
    }
    const file = new SourceFile(path, text);
    const { module, diagnostics } = parse(file);
    const errors = diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0) {
      io.stderr(renderDiagnostics(errors, { color: io.color, source: () => file }));
      io.stderr(`mpst: '${path}' has syntax errors; not formatted\n`);
      status = EXIT.protocolErrors;
      continue;
    }
    const out = format(module);
    if (values.check) {
      if (out !== text) {
        io.stdout(`${path}: not formatted\n`);
        status = EXIT.protocolErrors;
      }
    } else if (values.write) {
      const failed = out !== text ? io.writeFile(path, out) : undefined;
      if (failed !== undefined) {
        io.stderr(`mpst format: ${failed}\n`);
        status = EXIT.usage;
      }
    } else io.stdout(out);
  }
  return status;
}
