import { analyzeFiles } from '@mpst/projector';
import {
  diagnosticsReport,
  hasErrors,
  makeDiagnostic,
  renderDiagnostics,
  sortDiagnostics,
  type Diagnostic,
  type Program,
} from '@mpst/scribble';
import { SCRIBBLE_JAVA_MODEL, verifyAnalysed } from '@mpst/verify';
import { parseCommandArgs } from '../args.js';
import { EXIT, integerOption, readOnce, unreadableMessage, UsageError, type CliIo } from '../io.js';
import { sourceLookup, unreadableDiagnostic } from './select.js';

/**
 * `mpst check`: parse, resolve and statically check protocol files, then elaborate every
 * non-`aux` global protocol of the given files, check it is well-formed, project it onto
 * every role and, unless `--no-verify`, model-check the system of its EFSMs as scribble-java
 * does (queues of capacity 1; safety, progress and eventual reception; fair and, unless
 * `--fair`, unfair output choice), so that the verdicts match scribble-java's. Violations are
 * errors MPST300–MPST305 at the interaction concerned, with the counterexample as notes.
 */
export function checkCommand(args: readonly string[], io: CliIo): number {
  const { values, positionals } = parseCommandArgs(args, {
    'import-path': { type: 'string', short: 'I', multiple: true },
    format: { type: 'string', default: 'text' },
    color: { type: 'boolean' },
    'no-color': { type: 'boolean' },
    'no-verify': { type: 'boolean' },
    fair: { type: 'boolean' },
    'max-states': { type: 'string' },
  });
  const maxStates = integerOption('--max-states', values['max-states'], 1);
  const fmt = values.format;
  if (fmt !== 'text' && fmt !== 'json')
    throw new UsageError(`--format must be 'text' or 'json', not '${fmt}'`);
  if (positionals.length === 0) throw new UsageError('check needs at least one FILE');
  // Files that cannot be read are reported (exit 2), and the others are still checked.
  const host = readOnce(io.host);
  const unreadable = positionals.filter((p) => host.readFile(p) === undefined);
  const readable = positionals.filter((p) => !unreadable.includes(p));
  if (fmt === 'text') io.stderr(unreadable.map((p) => unreadableMessage(io, p)).join(''));
  const unreadableStatus = unreadable.length > 0 ? EXIT.usage : EXIT.ok;
  if (readable.length === 0) {
    if (fmt === 'json')
      printJson(
        io,
        positionals,
        unreadable.map((p) => unreadableDiagnostic(io, p)),
      );
    return unreadableStatus;
  }
  const verify = values['no-verify'] !== true;
  const analysis = analyzeFiles(readable, host, {
    importPaths: values['import-path'] ?? [],
    // The verifier needs the EFSMs only; without it, only the diagnostics are wanted.
    keep: { local: false, efsm: verify },
  });
  const program = analysis.program;
  let diagnostics = sortDiagnostics([
    ...analysis.diagnostics,
    ...withoutProtocols(program, analysis.diagnostics),
  ]);
  // Only a program without errors has EFSMs for every role of every protocol to verify.
  if (verify && !hasErrors(diagnostics)) {
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
    printJson(
      io,
      [...unreadable, ...program.modules.map((m) => m.path)],
      [...unreadable.map((p) => unreadableDiagnostic(io, p)), ...diagnostics],
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
  return Math.max(unreadableStatus, hasErrors(diagnostics) ? EXIT.protocolErrors : EXIT.ok);
}

function plural(n: number, noun: string): string {
  return `${String(n)} ${noun}${n === 1 ? '' : 's'}`;
}

function printJson(io: CliIo, files: readonly string[], diagnostics: readonly Diagnostic[]): void {
  io.stdout(`${JSON.stringify(diagnosticsReport(files, diagnostics), null, 2)}\n`);
}

/**
 * MPST125 (a warning) for each file named on the command line that declares no global
 * protocol (and has no errors): nothing in it was projected or verified, and every other
 * command would refuse it, so a passing `check` must not suggest otherwise.
 */
function withoutProtocols(program: Program, reported: readonly Diagnostic[]): Diagnostic[] {
  // A file with syntax errors may have lost its protocols to them: its errors say enough.
  const broken = new Set(reported.filter((d) => d.severity === 'error').map((d) => d.span.file));
  return program.modules
    .filter((m) => m.root && m.module.protocols.length === 0 && !broken.has(m.path))
    .map((m) =>
      makeDiagnostic(
        m.module.file,
        'MPST125',
        `\`${m.path}\` declares no global protocol: nothing was projected or verified`,
        m.module.moduleDecl?.span ?? { start: 0, end: 0 },
        { severity: 'warning' },
      ),
    );
}
