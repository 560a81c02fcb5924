import { analyzeFiles, type ProtocolResult } from '@mpst/projector';
import {
  makeDiagnostic,
  memoryHost,
  SourceFile,
  type Diagnostic,
  type DiagnosticCode,
  type Interaction,
  type MessageTransfer,
  type Module,
  type ModuleHost,
} from '@mpst/scribble';
import {
  SCRIBBLE_JAVA_MODEL,
  renderTrace,
  verificationDiagnostics,
  verifyProtocol,
  type VerifyResult,
} from '@mpst/verify';
import { childBlocks, labelOf, locateMessage } from './locate.js';
import { applyEdits, handlingOptions } from './options.js';
import type {
  Decision,
  FailureModel,
  HandlingOption,
  Plan,
  RefactorOptions,
  SourceEdit,
} from './types.js';

/** At most this many decision points per run (each adds handling, so this bounds a runaway). */
const MAX_DECISIONS = 80;

/** What {@link analyse} needs besides the text. */
interface AnalyseContext {
  readonly file: string;
  readonly protocol: string;
  readonly host?: ModuleHost | undefined;
}

interface Analysed {
  readonly diagnostics: readonly Diagnostic[];
  readonly protocol: ProtocolResult | undefined;
  readonly module: Module | undefined;
}

function analyse(text: string, ctx: AnalyseContext): Analysed {
  const { file, protocol, host } = ctx;
  // The file is always `text` (the step being tried); its imports come from `host`.
  const a = analyzeFiles([file], memoryHost({ [file]: text }, host), { protocol });
  const module = a.program.modules.find((m) => m.path === file)?.module;
  return { diagnostics: a.diagnostics, protocol: a.protocols[0], module };
}

const errorsOf = (ds: readonly Diagnostic[]): Diagnostic[] =>
  ds.filter((d) => d.severity === 'error');

/** FNV-1a over UTF-16 code units, as 8 hex digits: enough to tell a changed file. */
export function sourceHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

/**
 * Plans (and performs) the refactoring of `protocol` in `text` for the failure model: roles
 * made (un)reliable in their declarations, then every point where projection reports a live
 * role waiting on a failed one (MPST207) handled by the best option that keeps the protocol
 * projectable; the result is verified in crash mode with the same failure model, and when it
 * does not verify, other options are tried at the decisions (latest first). When that fails
 * too, a second pass offers the options that change failure-free runs (ranked last).
 */
export function planRefactoring(
  text: string,
  protocol: string,
  failureModel: FailureModel,
  options: RefactorOptions = {},
): Plan {
  const file = options.file ?? 'protocol.scr';
  const backups =
    options.backups && Object.keys(options.backups).length > 0 ? options.backups : undefined;
  const base = {
    version: 1 as const,
    file,
    protocol,
    failureModel,
    ...(backups ? { backups } : {}),
    sourceHash: sourceHash(text),
  };
  const fail = (code: DiagnosticCode, message: string, span = { start: 0, end: 0 }): Plan => ({
    ...base,
    roleEdits: [],
    decisions: [],
    verdict: 'unhandled',
    diagnostics: [makeDiagnostic(new SourceFile(file, text), code, message, span)],
    output: text,
  });
  const first = analyse(text, { file, protocol, host: options.host });
  const decl = first.module?.protocols.find((p) => p.name.text === protocol);
  if (errorsOf(first.diagnostics).length > 0 || !first.protocol?.protocol || !decl) {
    const rejected = fail(
      'MPST400',
      `\`${protocol}\` must check and project without errors before it is refactored`,
    );
    // The errors themselves, where they are: MPST400 alone says neither what nor where.
    return { ...rejected, diagnostics: [...rejected.diagnostics, ...errorsOf(first.diagnostics)] };
  }
  const roles = decl.roles.map((r) => r.name.text);
  const linkSenders = (failureModel.unreliableLinks ?? []).map(([a]) => a);
  const unknown = [
    ...failureModel.unreliable,
    ...(failureModel.unreliableLinks ?? []).flat(),
  ].filter((r) => !roles.includes(r));
  if (unknown.length > 0)
    return fail(
      'MPST401',
      `no role ${unknown.map((r) => `\`${r}\``).join(', ')} in \`${protocol}\``,
      decl.name.span,
    );
  const failing = new Set([...failureModel.unreliable, ...linkSenders]);
  if (failing.size === 0)
    return fail('MPST400', 'the failure model names no unreliable role or link');
  const roleEdits = reliabilityEdits(text, decl.roles, failing);
  const start = applyEdits(text, roleEdits);
  const verify = {
    ...SCRIBBLE_JAVA_MODEL,
    ...options.verify,
    unreliableLinks: (failureModel.unreliableLinks ?? []).map(([from, to]) => ({ from, to })),
  };
  const ctx: RunContext = {
    file,
    protocol,
    notify: notifyLabel(text),
    standby: freshLabel(text, ['standby', 'standDown', 'notNeeded']),
    backups: backups ?? {},
    verify,
    host: options.host,
    ...(options.ask ? { ask: options.ask } : {}),
    answers: new Map(),
  };
  const forced = new Map(options.choices ?? []);
  const mode = options.failureFreeChanges ?? 'fallback';
  // Options that change failure-free runs get a label for their notice when they are offered.
  const changing = { ...ctx, done: freshLabel(text, ['done', 'finished', 'completed']) };
  const pass = (c: RunContext): Run => {
    const once = runOnce(start, c, forced);
    // A second pass whose run offers the new option nowhere would re-plan as the first did.
    const offered = c === ctx || once.decisions.some((d) => d.options.some(secondPassOnly));
    return offered && failedFixably(once) ? fallBack(once, start, c, forced, options) : once;
  };
  let run = pass(mode === 'always' ? changing : ctx);
  if (mode === 'fallback' && failedFixably(run)) {
    // Second pass, with the options that change failure-free runs (ranked last). A decision
    // answered with "nothing" at the prompt is asked again: it has one more option now.
    for (const [id, index] of ctx.answers) if (index < 0) ctx.answers.delete(id);
    const second = pass(changing);
    // Without success the handling-only attempt is the better report: it changes less.
    if (second.verdict === 'verified') run = second;
  }
  const { result: _result, ...plan } = run;
  return { ...base, roleEdits, ...plan };
}

/** Whether the option is one that only the second pass offers. */
const secondPassOnly = (o: HandlingOption): boolean => o.kind === 'uniform-crash-branch';

/** A point no option handles (MPST402) may be an earlier choice's doing, as a violation may. */
function failedFixably(run: Run): boolean {
  return (
    run.verdict === 'violation' ||
    (run.verdict === 'unhandled' && run.diagnostics.some((d) => d.code === 'MPST402'))
  );
}

/**
 * When the result does not verify, or a later point could not be handled (MPST402, e.g. an
 * earlier default fixed what a role does next): each other option at each decision neither the
 * plan nor the user fixed, latest decision first (at most `maxAttempts` re-runs); the first run
 * that verifies wins.
 */
function fallBack(
  failed: Run,
  start: string,
  ctx: RunContext,
  forced: ReadonlyMap<string, number>,
  options: RefactorOptions,
): Run {
  let attempts = options.maxAttempts ?? 12;
  for (let i = failed.decisions.length - 1; i >= 0; i--) {
    const d = failed.decisions[i];
    if (!d || forced.has(d.id) || ctx.answers.has(d.id)) continue;
    for (let o = 0; o < d.options.length; o++) {
      if (o === d.chosen) continue;
      if (attempts-- <= 0) return failed;
      const tried = runOnce(start, ctx, new Map([...forced, [d.id, o]]));
      if (tried.verdict === 'verified') return noteFallback(tried, d, failed);
    }
  }
  return failed;
}

interface RunContext extends AnalyseContext {
  readonly notify: string;
  readonly standby: string;
  /** Set in the pass that offers options changing failure-free runs: their notice's label. */
  readonly done?: string;
  readonly backups: Readonly<Record<string, string>>;
  readonly ask?: RefactorOptions['ask'];
  /** The answers given to `ask`, by decision id: binding in every later run (fallbacks too). */
  readonly answers: Map<string, number>;
  readonly verify: NonNullable<RefactorOptions['verify']>;
}

type Run = Pick<Plan, 'decisions' | 'verdict' | 'diagnostics' | 'output'> & {
  readonly result?: VerifyResult;
};

/** One pass: handle MPST207 points one at a time until none is left, then verify. */
function runOnce(start: string, ctx: RunContext, forced: ReadonlyMap<string, number>): Run {
  let text = start;
  const decisions: Decision[] = [];
  const seen = new Map<string, number>();
  for (let step = 0; step < MAX_DECISIONS; step++) {
    const a = analyse(text, ctx);
    const errors = errorsOf(a.diagnostics);
    const point =
      errors.find((d) => d.code === 'MPST207' && d.span.file === ctx.file) ??
      (errors.length === 0 && a.protocol?.protocol?.crashStop === false
        ? firstReceive(text, a, ctx)
        : undefined);
    if (!point) {
      if (errors.length > 0) return stop(text, decisions, errors);
      return verifyRun(text, decisions, a.protocol, ctx);
    }
    const loc = a.module && locateMessage(a.module, point.span);
    if (!loc) {
      const d = diag(
        text,
        ctx.file,
        'MPST402',
        `cannot refactor: ${point.message} (not a message of this file)`,
        point.span,
      );
      return stop(text, decisions, [d]);
    }
    const crashed = loc.message.from.text;
    // The projector names roles as instantiated (`P1`); the source may be an aux protocol's
    // parameter (`P`): the detector is the receiver as written.
    const named = /`([^`]+)` receives/.exec(point.message)?.[1];
    const to = loc.message.to.map((t) => t.text);
    const detector = to.find((t) => t === named) ?? to[0] ?? '';
    const key = `${loc.protocol.name.text}: ${detector} waits for ${labelOf(loc.message)} from ${crashed}`;
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    const id = `${key}#${n}`;
    const options = handlingOptions({
      text,
      loc,
      detector,
      module: a.module,
      notify: ctx.notify,
      standby: ctx.standby,
      backups: ctx.backups,
      ...(ctx.done === undefined ? {} : { done: ctx.done }),
    });
    const answered = ctx.answers.get(id);
    let pick =
      answered === undefined
        ? choose(text, ctx, options, forced.get(id), point)
        : { index: answered, reason: 'chosen at the prompt' };
    const snippet = text.slice(loc.message.span.start, loc.message.span.end);
    const location = {
      file: ctx.file,
      protocol: loc.protocol.name.text,
      start: point.span.start,
      end: point.span.end,
      line: point.span.line,
      column: point.span.column,
    };
    const proposed: Decision = {
      id,
      crashed,
      detector,
      snippet,
      location,
      source: 'MPST207',
      problem: point.message,
      options,
      chosen: pick.index,
      reason: pick.reason,
    };
    if (ctx.ask && answered === undefined && !forced.has(id)) pick = asked(ctx, proposed, pick);
    const decision = { ...proposed, chosen: pick.index, reason: pick.reason };
    decisions.push(decision);
    const option = options[pick.index];
    if (!option) {
      const d = diag(
        text,
        ctx.file,
        'MPST402',
        `cannot handle \`${snippet}\`: ${pick.reason}`,
        point.span,
      );
      return stop(text, decisions, [d]);
    }
    text = applyEdits(text, option.edits);
  }
  return stop(text, decisions, [
    diag(
      text,
      ctx.file,
      'MPST406',
      `more than ${MAX_DECISIONS} decision points: handling does not converge`,
      {
        start: 0,
        end: 0,
      },
    ),
  ]);
}

/**
 * The option to take: the forced one (a reviewed plan), else the first, in rank order, whose
 * result still checks and projects apart from other MPST207 points and that handles this point.
 */
function choose(
  text: string,
  ctx: RunContext,
  options: Decision['options'],
  forced: number | undefined,
  point: Diagnostic,
): { index: number; reason: string } {
  if (forced !== undefined)
    return forced >= 0 && forced < options.length
      ? { index: forced, reason: 'chosen in the plan' }
      : { index: -1, reason: `the plan chooses option ${forced}, but there are ${options.length}` };
  const rejected: string[] = [];
  for (let i = 0; i < options.length; i++) {
    const o = options[i];
    if (!o) continue;
    const after = analyse(applyEdits(text, o.edits), ctx);
    const errors = errorsOf(after.diagnostics);
    const other =
      errors.find((d) => d.code !== 'MPST207') ??
      // The same point again: the option does not handle it.
      errors.find(
        (d) =>
          d.code === 'MPST207' &&
          d.message === point.message &&
          d.span.start === shifted(point, o.edits),
      );
    if (!other)
      return {
        index: i,
        reason:
          (i === 0
            ? 'top-ranked option; it projects'
            : `first option that projects (rank ${i + 1})`) +
          (o.changesFailureFreeRuns
            ? '; it changes failure-free runs (no plan that only adds handling verifies): review it'
            : '') +
          (rejected.length > 0 ? `; rejected: ${rejected.join('; ')}` : ''),
      };
    rejected.push(`option ${i} (${other.code}: ${other.message})`);
  }
  return {
    index: -1,
    reason: `no option projects: ${rejected.join('; ') || 'no option applies here'}`,
  };
}

/** Asks about a decision (once: the answer is kept for every later run) and says so in the reason. */
function asked(
  ctx: RunContext,
  decision: Decision,
  pick: { index: number; reason: string },
): { index: number; reason: string } {
  const answer = ctx.ask?.(decision);
  const index =
    answer !== undefined && answer >= 0 && answer < decision.options.length ? answer : pick.index;
  ctx.answers.set(decision.id, index);
  return index === pick.index
    ? { index, reason: `${pick.reason}; confirmed at the prompt` }
    : { index, reason: `chosen at the prompt (the planner proposed option ${pick.index})` };
}

/** Where the point's offset is after the edits (insertions before it move it). */
function shifted(point: Diagnostic, edits: readonly SourceEdit[]): number {
  let at = point.span.start;
  for (const e of edits) if (e.end <= point.span.start) at += e.text.length - (e.end - e.start);
  return at;
}

function verifyRun(
  text: string,
  decisions: readonly Decision[],
  p: ProtocolResult | undefined,
  ctx: RunContext,
): Run {
  const result = p && verifyProtocol(p, ctx.verify);
  if (!p || !result)
    return stop(text, decisions, [diag(text, ctx.file, 'MPST404', 'the result does not project')]);
  if (result.verdict === 'verified')
    return { decisions, verdict: 'verified', diagnostics: [], output: text, result };
  const found = verificationDiagnostics(p, result);
  const why = result.violations[0]?.message ?? result.incomplete?.message ?? result.verdict;
  const summary = diag(
    text,
    ctx.file,
    'MPST404',
    `the refactored \`${ctx.protocol}\` does not verify under the failure model: ${why}`,
    found[0]?.span ?? { start: 0, end: 0 },
  );
  const verdict = result.verdict === 'inconclusive' ? 'inconclusive' : 'violation';
  return { decisions, verdict, diagnostics: [summary, ...found], output: text, result };
}

/** Marks the decision whose option changed as a fallback, with the counterexample that forced it. */
function noteFallback(run: Run, changed: Decision, failed: Run): Run {
  const v = failed.result?.violations[0];
  const counterexample = v ? renderTrace(v.trace).split('\n') : undefined;
  const unhandled = failed.diagnostics.find((x) => x.code === 'MPST402');
  const why =
    failed.verdict === 'unhandled' && unhandled
      ? `with option ${changed.chosen} a later point could not be handled (MPST402: ` +
        `${unhandled.message})`
      : `option ${changed.chosen} projected but did not verify ` +
        `(${v?.kind ?? '?'}: ${v?.message ?? ''})`;
  const decisions = run.decisions.map((d) =>
    d.id === changed.id
      ? {
          ...d,
          source: `${d.source} + ${failed.verdict === 'unhandled' ? 'MPST402' : 'verifier counterexample'}`,
          // The re-run forced this option; say why rather than `chosen in the plan`.
          reason: `fallback to option ${d.chosen} (rank ${d.chosen + 1}): ${why}`,
          ...(counterexample ? { counterexample } : {}),
        }
      : d,
  );
  return { ...run, decisions };
}

/**
 * With every role unreliable and no crash handling yet, the protocol is not in crash-stop mode
 * (nothing says so), so projection reports nothing: the first message of the protocol is the
 * first decision point, and handling it switches the mode on.
 */
function firstReceive(text: string, a: Analysed, ctx: RunContext): Diagnostic | undefined {
  const decl = a.module?.protocols.find((p) => p.name.text === ctx.protocol);
  const first = decl && firstMessage(decl.body.interactions);
  const to = first?.to[0];
  if (!first || !to) return undefined;
  return diag(
    text,
    ctx.file,
    'MPST207',
    `\`${to.text}\` receives \`${labelOf(first)}\` from \`${first.from.text}\`, which may crash ` +
      `(every role may crash), but nothing handles that crash`,
    first.span,
  );
}

function firstMessage(list: readonly Interaction[]): MessageTransfer | undefined {
  for (const s of list) {
    if (s.kind === 'MessageTransfer') return s;
    for (const b of childBlocks(s)) {
      const m = firstMessage(b.interactions);
      if (m) return m;
    }
    if (s.kind === 'Do' || s.kind === 'Calls') return undefined;
  }
  return undefined;
}

function stop(
  text: string,
  decisions: readonly Decision[],
  diagnostics: readonly Diagnostic[],
): Run {
  return { decisions, verdict: 'unhandled', diagnostics, output: text };
}

function diag(
  text: string,
  file: string,
  code: DiagnosticCode,
  message: string,
  span: { start: number; end: number } = { start: 0, end: 0 },
): Diagnostic {
  return makeDiagnostic(new SourceFile(file, text), code, message, {
    start: span.start,
    end: span.end,
  });
}

/**
 * Role declarations edited so that exactly the failing roles may crash: `reliable ` added to
 * every other role, removed from the failing ones (a crash-stop protocol's undeclared roles
 * may crash).
 */
function reliabilityEdits(
  text: string,
  roles: readonly {
    span: { start: number; end: number };
    reliable: boolean;
    name: { text: string };
  }[],
  failing: ReadonlySet<string>,
): SourceEdit[] {
  const edits: SourceEdit[] = [];
  for (const r of roles) {
    const fails = failing.has(r.name.text);
    if (!fails && !r.reliable)
      edits.push({ start: r.span.start, end: r.span.start, text: 'reliable ' });
    if (fails && r.reliable) {
      const m = /^reliable\s+/.exec(text.slice(r.span.start, r.span.end));
      if (m) edits.push({ start: r.span.start, end: r.span.start + m[0].length, text: '' });
    }
  }
  return edits;
}

/** `fatal`, unless the file already uses that word (then `failed`, `crashNotice`). */
function notifyLabel(text: string): string {
  return freshLabel(text, ['fatal', 'failed', 'crashNotice', 'peerCrashed']);
}

/** The first of the labels the file does not use yet (else the last one with `_`). */
function freshLabel(text: string, labels: readonly string[]): string {
  for (const l of labels) if (!new RegExp(`\\b${l}\\b`).test(text)) return l;
  return `${labels[labels.length - 1] ?? 'x'}_`;
}
