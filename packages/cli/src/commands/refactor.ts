import { applyPlan, planRefactoring, type FailureModel, type Plan } from '@mpst/crash-refactor';
import { refactoringDiff } from '@mpst/mermaid';
import { findChromium, INSTALL_HINT } from '@mpst/mermaid/node';
import { analyzeFiles, type ElaboratedProtocol } from '@mpst/projector';
import { memoryHost, parse, renderDiagnostics, SourceFile } from '@mpst/scribble';
import { parseCommandArgs } from '../args.js';
import { EXIT, folderOf, readFailure, unreadableMessage, UsageError, type CliIo } from '../io.js';
import { unifiedDiff } from '@mpst/crash-refactor/code';
import { configTypes } from './codegen.js';
import { renderInChild } from './diagram.js';
import { adaptCodeFiles } from './refactor-code.js';
import { promptDecision } from './refactor-prompt.js';

/**
 * `mpst refactor FILE --unreliable A,B [--unreliable-link A->B]...`: makes a protocol
 * failure-tolerant by source edits. `--plan plan.json` writes the reviewable plan only;
 * `--apply plan.json` applies a (reviewed) plan; otherwise the top-ranked options are applied.
 * The refactored text goes to stdout, `-o FILE` or `--write` (after a `FILE.bak` backup); the
 * report (decisions, verdict, before/after sequence diagrams) to stderr. Exit 0 when the result
 * verifies, 1 when it does not (the report says why), 2 on usage errors.
 *
 * `--code FILE` (repeatable): role code written on the API `mpst codegen` generated for the
 * original protocol is adapted to the refactored protocol's API (`@mpst/crash-refactor/code`);
 * its unified diff goes to the report, and with `--write` or `-o` the file is rewritten in place
 * (after a backup).
 * `--dry-run` writes nothing and prints the diffs (protocol and code) on stdout.
 */
export function refactorCommand(args: readonly string[], io: CliIo): number {
  const { values, positionals } = parseCommandArgs(args, {
    protocol: { type: 'string' },
    unreliable: { type: 'string' },
    'unreliable-link': { type: 'string', multiple: true },
    plan: { type: 'string' },
    apply: { type: 'string' },
    output: { type: 'string', short: 'o' },
    write: { type: 'boolean' },
    svg: { type: 'string' },
    mmd: { type: 'string' },
    code: { type: 'string', multiple: true },
    config: { type: 'string' },
    'dry-run': { type: 'boolean' },
    interactive: { type: 'boolean', short: 'i' },
    backup: { type: 'string', multiple: true },
  });
  const file = positionals[0];
  if (file === undefined || positionals.length > 1) throw new UsageError('give exactly one FILE');
  if (values.plan !== undefined && values.apply !== undefined)
    throw new UsageError('--plan writes a plan and --apply applies one: give one of them');
  if (values.plan !== undefined && (values.output !== undefined || values.write === true))
    throw new UsageError(
      '--plan writes the plan instead of the protocol: leave out -o and --write',
    );
  if (
    values.apply !== undefined &&
    [values.unreliable, values['unreliable-link'], values.backup, values.protocol].some(
      (v) => v !== undefined,
    )
  )
    throw new UsageError(
      "--apply follows the plan's failure model and backups: " +
        'leave out --unreliable, --unreliable-link, --backup and --protocol',
    );
  if (values.output !== undefined && values.write === true)
    throw new UsageError('-o and --write both say where the result goes: give one of them');
  const dryRun = values['dry-run'] === true;
  const writes = [values.output, values.plan, values.svg, values.mmd].some((v) => v !== undefined);
  if (dryRun && (writes || values.write === true))
    throw new UsageError(
      '--dry-run writes nothing: leave out -o, --write, --plan, --svg and --mmd',
    );
  const ask = values.interactive === true ? prompter(io, values.apply !== undefined) : undefined;
  // Checked before the planning and verification (and rendering), which can take a while.
  const notWritable = unwritableOutput(io, [values.output, values.plan], [values.svg, values.mmd]);
  if (notWritable !== undefined) {
    io.stderr(`mpst refactor: ${notWritable}\n`);
    return EXIT.usage;
  }
  if (values.svg !== undefined && findChromium() === undefined) {
    io.stderr(`mpst refactor: ${INSTALL_HINT}\n`);
    return EXIT.usage;
  }
  const text = io.host.readFile(file);
  if (text === undefined) {
    io.stderr(unreadableMessage(io, file));
    return EXIT.usage;
  }

  let plan: Plan;
  if (values.apply !== undefined) {
    plan = applyPlan(text, readPlan(io, values.apply), { file, host: io.host });
  } else {
    const model = failureModel(values.unreliable, values['unreliable-link']);
    const protocol = values.protocol ?? onlyProtocol(io, file, text);
    if (protocol === undefined) return EXIT.protocolErrors;
    plan = planRefactoring(text, protocol, model, {
      file,
      host: io.host,
      backups: backups(values.backup),
      ...(ask ? { ask } : {}),
    });
  }
  io.stderr(report(plan, text, io));
  const code = values.code ?? [];
  const adapted =
    // The code follows the protocol wherever one is produced (verified, or inconclusive: the
    // verifier ran out of states; the report says so).
    code.length > 0 && (plan.verdict === 'verified' || plan.verdict === 'inconclusive')
      ? adaptCodeFiles(io, {
          file,
          protocol: plan.protocol,
          before: text,
          after: plan.output,
          codeFiles: code,
          types: configTypes(io, file, values.config),
          // The code follows the protocol: rewritten when the protocol goes to a file.
          write: values.write === true || values.output !== undefined,
        })
      : undefined;
  if (code.length > 0 && !adapted)
    io.stderr('role code not adapted: the protocol did not verify\n');
  if (adapted && !dryRun) io.stderr(adapted.diffs.join(''));

  if (dryRun) {
    io.stdout(unifiedDiff(text, plan.output, file) + (adapted?.diffs.join('') ?? ''));
  } else if (values.plan !== undefined) {
    const failed = io.writeFile(values.plan, `${JSON.stringify(reviewable(plan), null, 2)}\n`);
    if (failed) throw new UsageError(failed);
    io.stderr(
      `plan written to ${values.plan}: edit \`chosen\` where you disagree, then --apply it\n`,
    );
  } else if (plan.output !== text || plan.verdict === 'verified') {
    const status = emit(io, file, text, plan.output, values.output, values.write === true);
    if (status !== EXIT.ok) return status;
  }
  if (values.mmd !== undefined) writeMermaid(io, values.mmd, plan, text);
  if (values.svg !== undefined) {
    const status = writeSvgs(io, values.svg, plan, text);
    if (status !== EXIT.ok) return status;
  }
  return plan.verdict === 'verified' && adapted?.ok !== false ? EXIT.ok : EXIT.protocolErrors;
}

/**
 * Why the folder of an output file (`-o`, `--plan`) or an output folder (`--svg`, `--mmd`:
 * made when missing) cannot be written, or undefined. The files' folders first: a folder is
 * made only when the command can run.
 */
function unwritableOutput(
  io: CliIo,
  files: readonly (string | undefined)[],
  dirs: readonly (string | undefined)[],
): string | undefined {
  for (const f of files) {
    const why = f !== undefined ? io.writableDir?.(folderOf(f), false) : undefined;
    if (why !== undefined) return why;
  }
  for (const dir of dirs) {
    const why = dir !== undefined ? io.writableDir?.(dir, true) : undefined;
    if (why !== undefined) return why;
  }
  return undefined;
}

/** `--unreliable A,B` and `--unreliable-link A->B` (repeatable) as a failure model. */
function failureModel(
  roles: string | undefined,
  links: readonly string[] | undefined,
): FailureModel {
  const unreliable = (roles ?? '')
    .split(',')
    .map((r) => r.trim())
    .filter((r) => r !== '');
  const unreliableLinks = (links ?? []).map((t): [string, string] => {
    const m = /^\s*([^\s>-]+)\s*->\s*([^\s>-]+)\s*$/.exec(t);
    if (!m?.[1] || !m[2]) throw new UsageError(`--unreliable-link takes FROM->TO, not '${t}'`);
    return [m[1], m[2]];
  });
  if (unreliable.length === 0 && unreliableLinks.length === 0)
    throw new UsageError('say what may fail: --unreliable A1,A2 and/or --unreliable-link A->B');
  return { unreliable, unreliableLinks };
}

/**
 * `--interactive`: the prompt at each decision point, on stderr, answers from stdin. Only with
 * a terminal on stdin (piped input keeps the non-interactive behaviour, so scripts never block),
 * and not with `--apply` (the plan has decided).
 */
function prompter(io: CliIo, applying: boolean): ReturnType<typeof promptDecision> {
  if (applying) throw new UsageError("--apply follows the plan's choices: leave out --interactive");
  if (io.stdinIsTty !== true || !io.readLine)
    throw new UsageError('--interactive asks on a terminal, and stdin is not one');
  return promptDecision({ write: io.stderr, readLine: io.readLine });
}

/** `--backup CRASHED=BACKUP` (repeatable): who takes over a crashed role's part. */
function backups(pairs: readonly string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pairs ?? []) {
    const m = /^\s*([^\s=]+)\s*=\s*([^\s=]+)\s*$/.exec(p);
    if (!m?.[1] || !m[2]) throw new UsageError(`--backup takes CRASHED=BACKUP, not '${p}'`);
    out[m[1]] = m[2];
  }
  return out;
}

/**
 * The file's only non-`aux` global protocol (else `--protocol` is needed), or undefined after
 * printing the syntax errors of a file in which they hide every protocol.
 */
function onlyProtocol(io: CliIo, file: string, text: string): string | undefined {
  const source = new SourceFile(file, text);
  const { module, diagnostics } = parse(source);
  const names = module.protocols.filter((p) => !p.aux).map((p) => p.name.text);
  if (names.length === 1 && names[0] !== undefined) return names[0];
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (names.length === 0 && errors.length > 0) {
    io.stderr(`${renderDiagnostics(errors, { color: io.color, source: () => source })}\n`);
    return undefined;
  }
  throw new UsageError(
    names.length === 0
      ? `${file} has no global protocol to refactor`
      : `${file} has several protocols (${names.join(', ')}): choose one with --protocol`,
  );
}

function readPlan(io: CliIo, path: string): Plan {
  const json = io.host.readFile(path);
  if (json === undefined)
    throw new UsageError(`cannot read the plan '${path}': ${readFailure(io, path)}`);
  try {
    // Parsed JSON: checked field by field before it is trusted as a Plan.
    const plan = JSON.parse(json) as Record<string, unknown>;
    if (
      plan['version'] !== 1 ||
      !Array.isArray(plan['decisions']) ||
      typeof plan['sourceHash'] !== 'string'
    )
      throw new Error('not a refactoring plan (version 1)');
    return plan as unknown as Plan;
  } catch (e) {
    throw new UsageError(`${path}: ${(e as Error).message}`);
  }
}

/** The plan as the user reviews it: no refactored text (it is recomputed when applied). */
function reviewable(plan: Plan): Omit<Plan, 'output'> {
  const { output: _output, ...rest } = plan;
  return rest;
}

function emit(
  io: CliIo,
  file: string,
  before: string,
  after: string,
  output: string | undefined,
  write: boolean,
): number {
  if (!write && output === undefined) {
    io.stdout(after);
    return EXIT.ok;
  }
  if (write) {
    const backup = io.writeFile(`${file}.bak`, before);
    if (backup) throw new UsageError(`${backup} (the backup); nothing changed`);
  }
  const target = write ? file : (output ?? file);
  const failed = io.writeFile(target, after);
  if (failed) throw new UsageError(failed);
  io.stderr(`refactored protocol written to ${target}${write ? ` (backup: ${file}.bak)` : ''}\n`);
  return EXIT.ok;
}

/** The report: each decision (where, what, why), the verdict, diagnostics and the diagrams. */
function report(plan: Plan, before: string, io: CliIo): string {
  const lines = [
    `mpst refactor: ${plan.protocol} in ${plan.file}: ${plan.decisions.length} decision(s)`,
  ];
  for (const d of plan.decisions) {
    const o = d.options[d.chosen];
    lines.push(
      `  ${d.location.file}:${d.location.line}:${d.location.column} [${d.id}] ${o?.description ?? 'not handled'}`,
    );
    lines.push(`    why: ${d.reason}`);
    if (d.counterexample) lines.push(...d.counterexample.map((l) => `    | ${l}`));
  }
  // Options that add messages to runs without failures are the planner's last resort: say so
  // once more at the end, where a reader of a long report looks.
  const changing = plan.decisions.filter((d) => d.options[d.chosen]?.changesFailureFreeRuns);
  if (changing.length > 0)
    lines.push(
      `${changing.length} decision(s) change failure-free runs (no plan that only adds handling ` +
        `verifies): review ${changing.map((d) => `[${d.id}]`).join(', ')}`,
    );
  lines.push(`verdict: ${plan.verdict}`);
  const out = `${lines.join('\n')}\n`;
  const diags =
    plan.diagnostics.length > 0
      ? `${renderDiagnostics(plan.diagnostics, {
          color: io.color,
          source: (f) => (f === plan.file ? new SourceFile(f, plan.output) : undefined),
        })}\n`
      : '';
  const diff = plan.output === before ? undefined : diagrams(io, plan, before);
  const pictures = diff
    ? `\nbefore (removed in red):\n${diff.before}\n` +
      `after (added in green, ${diff.added} interaction(s)):\n${diff.after}\n`
    : '';
  return out + diags + pictures;
}

function diagrams(
  io: CliIo,
  plan: Plan,
  before: string,
): ReturnType<typeof refactoringDiff> | undefined {
  const a = elaborated(io, plan.file, before, plan.protocol);
  const b = elaborated(io, plan.file, plan.output, plan.protocol);
  return a && b ? refactoringDiff(a, b) : undefined;
}

function elaborated(
  io: CliIo,
  file: string,
  text: string,
  protocol: string,
): ElaboratedProtocol | undefined {
  return analyzeFiles([file], memoryHost({ [file]: text }, io.host), { protocol }).protocols[0]
    ?.protocol;
}

/** `--mmd DIR`: the before/after diagrams as Mermaid text, `DIR/P.before.mmd` and `.after.mmd`. */
function writeMermaid(io: CliIo, dir: string, plan: Plan, before: string): void {
  const diff = diagrams(io, plan, before);
  if (!diff) return;
  for (const [name, mermaid] of [
    ['before', diff.before],
    ['after', diff.after],
  ] as const) {
    const path = `${dir.replace(/\/$/, '')}/${plan.protocol}.${name}.mmd`;
    const failed = io.writeFile(path, `${mermaid}\n`);
    if (failed) throw new UsageError(failed);
  }
}

function writeSvgs(io: CliIo, dir: string, plan: Plan, before: string): number {
  const diff = diagrams(io, plan, before);
  if (!diff) return EXIT.ok;
  for (const [name, mermaid] of [
    ['before', diff.before],
    ['after', diff.after],
  ] as const) {
    const r = renderInChild(mermaid);
    if (r.code !== 0) {
      io.stderr(r.stderr);
      return r.code;
    }
    const path = `${dir.replace(/\/$/, '')}/${plan.protocol}.${name}.svg`;
    const failed = io.writeFile(path, r.svg);
    if (failed) throw new UsageError(failed);
  }
  return EXIT.ok;
}
