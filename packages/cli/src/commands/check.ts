import { analyzeFiles } from '@mpst/projector';
import { diagnosticsReport, hasErrors, renderDiagnostics, sortDiagnostics } from '@mpst/scribble';
import { SCRIBBLE_JAVA_MODEL, verifyAnalysed } from '@mpst/verify';
import { parseArgs } from 'node:util';
import { EXIT, integerOption, UsageError, type CliIo } from '../io.js';
import { sourceLookup } from './select.js';

/**
 * `mpst check`: parse, resolve and statically check protocol files, then elaborate every
 * non-`aux` global protocol of the given files, check it is well-formed, project it onto
 * every role and, unless `--no-verify`, model-check the system of its EFSMs as scribble-java
 * does (queues of capacity 1; safety, progress and eventual reception; fair and, unless
 * `--fair`, unfair output choice), so that the verdicts match scribble-java's. Violations are
 * errors MPST300–MPST305 at the interaction concerned, with the counterexample as notes.
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
      'no-verify': { type: 'boolean' },
      fair: { type: 'boolean' },
      'max-states': { type: 'string' },
    },
  });
  const maxStates = integerOption('--max-states', values['max-states'], 1);
  const fmt = values.format;
  if (fmt !== 'text' && fmt !== 'json')
    throw new UsageError(`--format must be 'text' or 'json', not '${fmt}'`);
  if (positionals.length === 0) throw new UsageError('check needs at least one FILE');
  const missing = positionals.filter((p) => io.host.readFile(p) === undefined);
  if (missing.length > 0) {
    if (fmt === 'json') {
      // Scripts get JSON whatever happens: the loader reports each unreadable file (MPST121).
      const loaded = analyzeFiles(positionals, io.host, {
        importPaths: values['import-path'] ?? [],
      });
      io.stdout(`${JSON.stringify(diagnosticsReport(positionals, loaded.diagnostics), null, 2)}\n`);
    } else io.stderr(missing.map((p) => `mpst: cannot read file '${p}'\n`).join(''));
    return EXIT.usage;
  }
  const analysis = analyzeFiles(positionals, io.host, { importPaths: values['import-path'] ?? [] });
  const program = analysis.program;
  let diagnostics = analysis.diagnostics;
  // Only a program without errors has EFSMs for every role of every protocol to verify.
  if (values['no-verify'] !== true && !hasErrors(diagnostics)) {
    const verified = verifyAnalysed(analysis.protocols, {
      ...SCRIBBLE_JAVA_MODEL,
      ...(maxStates !== undefined ? { maxStates } : {}),
      fair: values.fair === true,
      // Long model checks say how far they are (every 250,000 configurations), and in which
      // protocol: a file may have several.
      onProgress: (p) => {
        io.stderr(
          `mpst check: model checking ${p.protocol}, ${String(p.states)} ` +
            `states${p.model === 'unfair' ? ' (unfair-choice model)' : ''}, ` +
            `${String(Math.round((p.states * 1000) / Math.max(1, p.elapsedMs)))} states/s\n`,
        );
      },
    });
    if (verified.diagnostics.length > 0)
      diagnostics = sortDiagnostics([...diagnostics, ...verified.diagnostics]);
  }
  if (fmt === 'json') {
    io.stdout(
      `${JSON.stringify(
        diagnosticsReport(
          program.modules.map((m) => m.path),
          diagnostics,
        ),
        null,
        2,
      )}\n`,
    );
  } else {
    const color = values['no-color'] ? false : (values.color ?? io.color);
    if (diagnostics.length > 0)
      io.stdout(`${renderDiagnostics(diagnostics, { color, source: sourceLookup(program) })}\n`);
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
    const roots = program.modules.filter((m) => m.root).length;
    const imported = program.modules.length - roots;
    io.stdout(
      `${errors === 0 ? '✓' : '✗'} checked ` +
        `${plural(roots, 'file')}${imported > 0 ? ` (+${plural(imported, 'imported module')})` : ''}: ` +
        `${plural(errors, 'error')}, ${plural(warnings, 'warning')}\n`,
    );
  }
  return hasErrors(diagnostics) ? EXIT.protocolErrors : EXIT.ok;
}

function plural(n: number, noun: string): string {
  return `${String(n)} ${noun}${n === 1 ? '' : 's'}`;
}
