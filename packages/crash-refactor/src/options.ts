import type * as ast from '@mpst/scribble';
import { enclosingRec, headOfChoice, labelOf, rolesIn, type Located } from './locate.js';
import { failoverOption, quorumOption, type TemplateContext } from './templates.js';
import type { HandlingOption, SourceEdit } from './types.js';
import { uniformOption } from './uniform.js';

/** Labels that read as a refusal: the natural default when the sender is gone. */
const NEGATIVE =
  /^(nack|no|ko|reject|refuse|deny|denied|fail|abort|cancel|stop|quit|none|timeout|err|error|bye)/i;

/** What the generator needs besides the located message. */
export interface OptionContext extends TemplateContext {
  readonly text: string;
  readonly loc: Located;
  /** The detecting role (receiver of the message). */
  readonly detector: string;
  /** The notification label (`fatal`, or `fatal_X` when the file already uses `fatal`). */
  readonly notify: string;
  /**
   * The failure-free notice label (`done`) when options that change failure-free runs are
   * offered (the planner's second pass); absent otherwise.
   */
  readonly done?: string;
}

/**
 * The handling options for one decision point, best first: a default communication, then a
 * crash branch that notifies and aborts, then one that notifies and goes round the enclosing
 * `rec` again, then fail over to a backup role, then go on without the crashed role (quorum),
 * then the other branches as default; in the planner's second pass, last, the uniform crash
 * branch that may change failure-free runs.
 */
export function handlingOptions(ctx: OptionContext): HandlingOption[] {
  const head = headOfChoice(ctx.loc, ctx.detector);
  // At the head of a choice the lone-message options come last: they nest a second choice at
  // the sender, which projects where another crash branch in the same choice may not.
  const handling = head
    ? [...choiceOptions(ctx, head), ...standaloneOptions(ctx)]
    : standaloneOptions(ctx);
  // Ranked below every option that only adds handling (appended, so their indices stay).
  const done = ctx.done;
  return done === undefined ? handling : compact([...handling, uniformOption({ ...ctx, done })]);
}

function choiceOptions(
  ctx: OptionContext,
  head: NonNullable<ReturnType<typeof headOfChoice>>,
): HandlingOption[] {
  const { choice } = head;
  const x = choice.at.text;
  const defaults = choice.branches.some((b) => b.default !== undefined)
    ? []
    : rankDefaultBranches(choice).map((i) => defaultBranch(ctx, choice, i));
  const statements = choice.branches.flatMap((b) => b.body.interactions);
  const crash = (template: 'abort-notify' | 'continue'): HandlingOption | undefined => {
    const body = crashBody(ctx, x, statements, template);
    if (!body) return undefined;
    const last = choice.branches[choice.branches.length - 1];
    if (!last) return undefined;
    const indent = lineIndent(ctx.text, choice.span.start);
    const at = last.span.end;
    return {
      kind: 'crash-branch',
      template,
      description:
        `add \`or { crash from ${x} to ${ctx.detector}; ... }\` to \`choice at ${x}\` ` +
        `(${describe(template)})`,
      edits: [{ start: at, end: at, text: ` or {\n${indented(body, indent)}${indent}}` }],
    };
  };
  // A refusal branch is the natural default; making a success branch the default would let a
  // crash look like success, so then the crash branches rank first.
  const firstIsRefusal =
    defaults.length > 0 && NEGATIVE.test(firstLabel(choice, rankDefaultBranches(choice)[0] ?? 0));
  const templates = [
    crash('abort-notify'),
    crash('continue'),
    failoverOption(ctx),
    quorumOption(ctx),
  ];
  return firstIsRefusal
    ? compact([defaults[0], ...templates, ...defaults.slice(1)])
    : compact([...templates, ...defaults]);
}

function standaloneOptions(ctx: OptionContext): HandlingOption[] {
  const { message: m, block, index } = ctx.loc;
  const x = m.from.text;
  const lastTo = m.to[m.to.length - 1];
  const marker: HandlingOption | undefined =
    m.default === undefined && lastTo
      ? {
          kind: 'default-message',
          template: 'default',
          description:
            `mark \`${labelOf(m)} from ${x} to ${m.to.map((t) => t.text).join(', ')}\` \`default\`` +
            ` (the receiver goes on as if it arrived)`,
          edits: [{ start: lastTo.span.end, end: lastTo.span.end, text: ' default' }],
        }
      : undefined;
  const rest = block.interactions.slice(index);
  const wrap = (template: 'abort-notify' | 'continue'): HandlingOption | undefined => {
    const body = crashBody(ctx, x, rest, template);
    const last = rest[rest.length - 1];
    if (!body || !last) return undefined;
    const indent = lineIndent(ctx.text, m.span.start);
    return {
      kind: 'crash-branch',
      template,
      description:
        `put \`${labelOf(m)} from ${x}\` and the rest of its block in \`choice at ${x}\` with a ` +
        `crash branch (${describe(template)})`,
      edits: [
        { start: m.span.start, end: m.span.start, text: `choice at ${x} {\n${indent}` },
        {
          start: last.span.end,
          end: last.span.end,
          text: `\n${indent}} or {\n${indented(body, indent)}${indent}}`,
        },
      ],
    };
  };
  // Beside a head-of-choice's own options these would nest a second crash branch for the same
  // crash (failover and quorum there are offered on the choice itself).
  const templates = headOfChoice(ctx.loc, ctx.detector)
    ? []
    : [failoverOption(ctx), quorumOption(ctx)];
  return compact([marker, wrap('abort-notify'), wrap('continue'), ...templates]);
}

/**
 * The statements of a crash branch for `x`'s crash detected by the detector: the crash notice,
 * then one notification from the detector to every other role that takes part in `scope`
 * (they would otherwise wait for what `x` no longer sends), then `continue` for that template.
 */
function crashBody(
  ctx: OptionContext,
  x: string,
  scope: readonly ast.Interaction[],
  template: 'abort-notify' | 'continue',
): string[] | undefined {
  const r = ctx.detector;
  const lines = [`crash from ${x} to ${r};`];
  for (const c of rolesIn(scope)) {
    if (c !== x && c !== r) lines.push(`${ctx.notify}() from ${r} to ${c};`);
  }
  if (template === 'continue') {
    const rec = enclosingRec(ctx.loc);
    if (!rec) return undefined;
    lines.push(`continue ${rec.label.text};`);
  }
  return lines;
}

function describe(template: 'abort-notify' | 'continue'): string {
  return template === 'abort-notify'
    ? 'abort and notify: the detector tells the others, the branch ends'
    : 'notify and continue the enclosing `rec` without the crashed role';
}

/** Branches that may become the default, best first: refusals, then from the last backwards. */
function rankDefaultBranches(choice: ast.Choice): number[] {
  const order: number[] = [];
  for (let i = choice.branches.length - 1; i >= 1; i--) order.push(i);
  const negative = order.filter((i) => NEGATIVE.test(firstLabel(choice, i)));
  return [...negative, ...order.filter((i) => !negative.includes(i))];
}

function firstLabel(choice: ast.Choice, i: number): string {
  const s = choice.branches[i]?.body.interactions[0];
  return s?.kind === 'MessageTransfer' ? labelOf(s) : '';
}

function defaultBranch(ctx: OptionContext, choice: ast.Choice, i: number): HandlingOption {
  const b = choice.branches[i];
  const s = b?.body.interactions[0];
  const label = s?.kind === 'MessageTransfer' ? labelOf(s) : `branch ${i + 1}`;
  const brace = b ? ctx.text.indexOf('{', b.span.start) : -1;
  return {
    kind: 'default-branch',
    template: 'default',
    description:
      `make the \`${label}\` branch of \`choice at ${choice.at.text}\` the default ` +
      `(a missing \`${labelOf(ctx.loc.message)}\` counts as \`${label}\`)`,
    edits: [{ start: brace, end: brace, text: 'default ' }],
  };
}

/** The leading white space of the line holding `offset`. */
export function lineIndent(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start, offset))?.[0] ?? '';
}

function indented(lines: readonly string[], indent: string): string {
  const step = indent.includes('\t') ? '\t' : '  ';
  return lines.map((l) => `${indent}${step}${l}\n`).join('');
}

function compact<T>(xs: readonly (T | undefined)[]): T[] {
  return xs.filter((x): x is T => x !== undefined);
}

/** Applies edits (in one text's coordinates, non-overlapping) to that text. */
export function applyEdits(text: string, edits: readonly SourceEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}
