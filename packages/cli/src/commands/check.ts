import { analyzeFiles } from '@mpst/projector';
import { diagnosticsReport, hasErrors, renderDiagnostics } from '@mpst/scribble';
import { parseArgs } from 'node:util';
import { EXIT, UsageError, type CliIo } from '../io.js';
import { sourceLookup } from './select.js';

/**
 * `mpst check`: parse, resolve and statically check protocol files, then elaborate every
 * non-`aux` global protocol of the given files, check it is well-formed and project it onto
 * every role. `--no-verify` is accepted for when model checking (@mpst/verify) runs here too.
 */
export function checkCommand(args: readonly string[], io: CliIo): number {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      'import-path': { type: 'string', short: 'I', multiple: true },
      format: { type: 'string', default: 'text' },
      color: { type: 'boolean' },
      'no-color': { type: 'boolean' },
      // Model checking is not part of `check` yet (it arrives with @mpst/verify); the flag is
      // accepted now so scripts can pass it already.
      'no-verify': { type: 'boolean' },
    },
  });
  const fmt = values.format;
  if (fmt !== 'text' && fmt !== 'json') throw new UsageError(`--format must be 'text' or 'json', not '${fmt}'`);
  if (positionals.length === 0) throw new UsageError('check needs at least one FILE');
  const missing = positionals.filter((p) => io.host.readFile(p) === undefined);
  if (missing.length > 0) {
    io.stderr(missing.map((p) => `mpst: cannot read file '${p}'\n`).join(''));
    return EXIT.usage;
  }
  const { program, diagnostics } = analyzeFiles(positionals, io.host, { importPaths: values['import-path'] ?? [] });
  if (fmt === 'json') {
    io.stdout(`${JSON.stringify(diagnosticsReport(program.modules.map((m) => m.path), diagnostics), null, 2)}\n`);
  } else {
    const color = values['no-color'] ? false : (values.color ?? io.color);
    if (diagnostics.length > 0) io.stdout(`${renderDiagnostics(diagnostics, { color, source: sourceLookup(program) })}\n`);
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
    const roots = program.modules.filter((m) => m.root).length;
    const imported = program.modules.length - roots;
    io.stdout(
      `${errors === 0 ? '✓' : '✗'} checked ${plural(roots, 'file')}${imported > 0 ? ` (+${plural(imported, 'imported module')})` : ''}: ` +
        `${plural(errors, 'error')}, ${plural(warnings, 'warning')}\n`,
    );
  }
  return hasErrors(diagnostics) ? EXIT.protocolErrors : EXIT.ok;
}

function plural(n: number, noun: string): string {
  return `${String(n)} ${noun}${n === 1 ? '' : 's'}`;
}
