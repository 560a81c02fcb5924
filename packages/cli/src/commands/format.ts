import { format, parse, renderDiagnostics, SourceFile } from '@mpst/scribble';
import { parseCommandArgs } from '../args.js';
import { shortDiff } from '../diff.js';
import { EXIT, unreadableMessage, UsageError, type CliIo } from '../io.js';

/**
 * `mpst format`: canonical layout, comments kept; never rewrites a file with syntax errors.
 * Every file is handled, even after one that cannot be read; the exit code is the worst.
 */
export function formatCommand(args: readonly string[], io: CliIo): number {
  const { values, positionals } = parseCommandArgs(args, {
    write: { type: 'boolean', short: 'w' },
    check: { type: 'boolean' },
  });
  if (positionals.length === 0) throw new UsageError('format needs a FILE');
  if (values.write && values.check)
    throw new UsageError('--write and --check cannot be used together');
  let status: number = EXIT.ok;
  const worst = (code: number): void => {
    status = Math.max(status, code);
  };
  for (const path of positionals) {
    const text = io.host.readFile(path);
    if (text === undefined) {
      io.stderr(unreadableMessage(io, path));
      worst(EXIT.usage);
      continue;
    }
    const file = new SourceFile(path, text);
    const { module, diagnostics } = parse(file);
    const errors = diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0) {
      io.stderr(renderDiagnostics(errors, { color: io.color, source: () => file }));
      io.stderr(`mpst: '${path}' has syntax errors; not formatted\n`);
      worst(EXIT.protocolErrors);
      continue;
    }
    const out = format(module);
    if (values.check) {
      if (out !== text) {
        // What would change, briefly: CI logs show it without running the formatter.
        io.stdout(`${path}: not formatted\n${shortDiff(text, out)}`);
        worst(EXIT.protocolErrors);
      }
    } else if (values.write) {
      const failed = out !== text ? io.writeFile(path, out) : undefined;
      if (failed !== undefined) {
        io.stderr(`mpst format: ${failed}\n`);
        worst(EXIT.usage);
      }
    } else io.stdout(out);
  }
  return status;
}
