import type * as ast from '@mpst/scribble';
import { childBlocks, labelOf, rolesIn, type Located } from './locate.js';
import { block, indentStep, lineIndent } from './templates.js';
import type { HandlingOption, SourceEdit } from './types.js';

/** What the uniform template needs besides the located message. */
export interface UniformContext {
  readonly text: string;
  readonly loc: Located;
  readonly detector: string;
  /** The crash notification label (`fatal`). */
  readonly notify: string;
  /** The label of the failure-free notice (`done`). */
  readonly done: string;
}

/** R's first interaction in one branch of the choice: a receive from X. */
interface First {
  readonly list: readonly ast.Interaction[];
  readonly index: number;
  readonly message: ast.MessageTransfer;
  /** Roles whose crash this branch handles (its leading crash notices): they hear nothing. */
  readonly crashed: ReadonlySet<string>;
}

/**
 * The last resort, offered only when no option that merely adds handling works (it is ranked
 * below all of them and the planner tries it in a second pass): R learns which branch of
 * `choice at C` was taken only from X's messages, so once X has crashed R cannot tell the
 * branches apart and must handle the crash the same way in each — the projector's merge
 * (MPST210) refuses anything else. In every branch of the choice, R's first receive from X and
 * the rest of the branch are put in `choice at X { ... } or { crash from X to R; fatal() from R
 * to T; ... }` (an earlier `default` there is dropped: it would continue differently per
 * branch), T being every role that would wait on R after that receive in some branch (and
 * every role of a `rec` that a branch goes round again: the crash branch ends it). A role
 * T that would not hear from R next in a failure-free branch could then not tell a crash from
 * a normal end either, so R tells it `done()` right after X's message there: the one part that
 * changes failure-free runs (marked in the option; what Teatrino's hand-written OAuth variants
 * do with `quit from S to A`).
 */
export function uniformOption(ctx: UniformContext): HandlingOption | undefined {
  const { loc, detector: r } = ctx;
  const x = loc.message.from.text;
  const parent = loc.ancestors[loc.ancestors.length - 1];
  if (parent?.node.kind !== 'Choice') return undefined;
  const choice = parent.node;
  const c = choice.at.text;
  if (c === r || c === x) return undefined;
  const firsts = firstReceives(choice, x, r);
  if (!firsts || firsts.length < 2 || !firsts.some((f) => f.message === loc.message))
    return undefined;
  const rests = firsts.flatMap((f) => f.list.slice(f.index + 1));
  // A branch that goes round a `rec` again takes every role of the loop with it, while the
  // crash branch ends: they must hear that it ended, or they would wait in the next round.
  const looping = loopRoles(loc, rests).filter((t) => t !== x && t !== r);
  const told = [...new Set([...waitingOn(r, x, rests), ...looping])];
  const notices = told.map((t) => `${ctx.notify}() from ${r} to ${t};`);
  const step = indentStep(ctx.text);
  const added: string[] = [];
  const edits: SourceEdit[] = firsts.map((f) => {
    const tell = told.filter((t) => !f.crashed.has(t) && !hearsFromNext(f, r, t));
    for (const t of tell)
      added.push(`\`${ctx.done}() from ${r} to ${t}\` after \`${labelOf(f.message)}\``);
    // The others that receive from X in this branch learn the crash too (as they would there).
    const detectors = receiversFrom(x, f.list.slice(f.index + 1)).filter((t) => t !== r);
    const lines = [`crash from ${x} to ${r};`, ...detectors.map((t) => `crash from ${x} to ${t};`)];
    return wrap(ctx, f, x, step, [...lines, ...notices], tell);
  });
  // Defaults decided earlier at these receives give way (say so: the plan listed them).
  const dropped = firsts.filter((f) => f.message.default).map((f) => `\`${labelOf(f.message)}\``);
  const what =
    `${r} learns which branch of \`choice at ${c}\` was taken only from ${x}, so it handles ` +
    `${x}'s crash the same way in every branch (\`crash from ${x} to ${r};\`` +
    (told.length > 0 ? ` then \`${ctx.notify}()\` to ${told.join(', ')})` : ')') +
    (dropped.length > 0 ? `, instead of the \`default\` on ${dropped.join(', ')}` : '');
  return {
    kind: 'uniform-crash-branch',
    template: 'uniform',
    description:
      added.length > 0
        ? `changes failure-free runs: ${what}; in failure-free runs ${r} also sends ${added.join(', ')}`
        : what,
    edits,
    ...(added.length > 0 ? { changesFailureFreeRuns: true as const } : {}),
  };
}

/**
 * In each branch of the choice, R's first interaction: a receive from X (a branch where R first
 * learns a crash from a notice is left as it is). Undefined when some branch starts R otherwise
 * (nested in another construct, or from another role): the template does not apply.
 */
function firstReceives(choice: ast.Choice, x: string, r: string): First[] | undefined {
  const out: First[] = [];
  for (const br of choice.branches) {
    const list = br.body.interactions;
    const index = list.findIndex((s) => rolesIn([s]).has(r));
    const s = list[index];
    if (!s) return undefined;
    if (s.kind === 'CrashNotice' && s.to.some((t) => t.text === r)) continue;
    if (s.kind !== 'MessageTransfer' || s.from.text !== x || !s.to.some((t) => t.text === r))
      return undefined;
    const crashed = new Set<string>();
    for (const n of list) {
      if (n.kind !== 'CrashNotice') break;
      crashed.add(n.from.text);
    }
    out.push({ list, index, message: s, crashed });
  }
  return out;
}

/**
 * The roles that would wait forever once R stops: those that receive from R in the statements,
 * then those that receive from one of them, and so on (not from X: its crash is detected where
 * it is received). The others need not be told; R's crash branch tells these.
 */
function waitingOn(r: string, x: string, list: readonly ast.Interaction[]): string[] {
  const messages: ast.MessageTransfer[] = [];
  const visit = (s: ast.Interaction): void => {
    if (s.kind === 'MessageTransfer') messages.push(s);
    for (const b of childBlocks(s)) b.interactions.forEach(visit);
  };
  list.forEach(visit);
  const stopped = [r];
  for (let grown = true; grown; ) {
    grown = false;
    for (const m of messages) {
      if (!stopped.includes(m.from.text)) continue;
      for (const t of m.to)
        if (t.text !== x && !stopped.includes(t.text)) {
          stopped.push(t.text);
          grown = true;
        }
    }
  }
  return stopped.slice(1);
}

/** The roles of every `rec` around the choice that one of the statements continues. */
function loopRoles(loc: Located, list: readonly ast.Interaction[]): string[] {
  const labels = new Set<string>();
  const visit = (s: ast.Interaction): void => {
    if (s.kind === 'Continue') labels.add(s.label.text);
    for (const b of childBlocks(s)) b.interactions.forEach(visit);
  };
  list.forEach(visit);
  return loc.ancestors.flatMap((a) =>
    a.node.kind === 'Recursion' && labels.has(a.node.label.text)
      ? [...rolesIn(a.node.body.interactions)]
      : [],
  );
}

/** The roles that receive from X in the statements, in order. */
function receiversFrom(x: string, list: readonly ast.Interaction[]): string[] {
  const out = new Set<string>();
  const visit = (s: ast.Interaction): void => {
    if (s.kind === 'MessageTransfer' && s.from.text === x) for (const t of s.to) out.add(t.text);
    for (const b of childBlocks(s)) b.interactions.forEach(visit);
  };
  list.forEach(visit);
  return [...out];
}

/** Whether T's next interaction after R's receive in the branch is a message from R to T. */
function hearsFromNext(f: First, r: string, t: string): boolean {
  const next = f.list.slice(f.index + 1).find((s) => rolesIn([s]).has(t));
  return (
    next?.kind === 'MessageTransfer' &&
    next.from.text === r &&
    next.to.length === 1 &&
    next.to[0]?.text === t
  );
}

/**
 * One edit replacing R's receive and the rest of its branch by `choice at X { <them, indented,
 * without a `default` marker on the receive, `done()` lines after it> } or { <crash lines> }`.
 * Comments and layout inside are kept (one indentation step deeper).
 */
function wrap(
  ctx: UniformContext,
  f: First,
  x: string,
  step: string,
  crashLines: readonly string[],
  tell: readonly string[],
): SourceEdit {
  const { text } = ctx;
  const m = f.message;
  const last = f.list[f.list.length - 1] ?? m;
  const indent = lineIndent(text, m.span.start);
  const lastTo = m.to[m.to.length - 1];
  // A comment after the receive (or after the last statement) stays with it.
  const headEnd = commentEnd(text, m.span.end);
  const end = Math.max(headEnd, commentEnd(text, last.span.end));
  const head =
    m.default && lastTo
      ? text.slice(m.span.start, lastTo.span.end) + text.slice(m.default.end, headEnd)
      : text.slice(m.span.start, headEnd);
  const notices = tell
    .map((t) => `\n${indent}${ctx.done}() from ${ctx.detector} to ${t};`)
    .join('');
  const inner = indentLines(head + notices + text.slice(headEnd, end), step);
  return {
    start: m.span.start,
    end,
    text:
      `choice at ${x} {\n${indent}${step}${inner}\n${indent}} or {\n` +
      `${block(crashLines, indent, step)}${indent}}`,
  };
}

/**
 * The end of the comment that starts after `at` on its line (a line comment, or a block comment
 * however long), else `at`.
 */
function commentEnd(text: string, at: number): number {
  const eol = text.indexOf('\n', at);
  const tail = text.slice(at, eol < 0 ? text.length : eol);
  if (/^[ \t]*\/\/.*$/.test(tail)) return at + tail.length;
  const open = /^[ \t]*(\(\*|\/\*)/.exec(tail);
  if (!open?.[1]) return at;
  const close = text.indexOf(open[1] === '(*' ? '*)' : '*/', at + open[0].length);
  return close < 0 ? at : close + 2;
}

/**
 * Every line but the first one step deeper, except blank lines and lines inside a block
 * comment (nuScr's or C-style): a comment's text stays exactly as written.
 */
function indentLines(s: string, step: string): string {
  const lines = s.split('\n');
  let seen = lines[0] ?? '';
  return lines
    .map((l, i) => {
      if (i === 0) return l;
      const inComment = openBlockComment(seen);
      seen += `\n${l}`;
      return inComment || l.trim() === '' ? l : `${step}${l}`;
    })
    .join('\n');
}

/** Whether `s` ends inside a block comment (the last opening is after the last closing). */
function openBlockComment(s: string): boolean {
  const open = Math.max(s.lastIndexOf('(*'), s.lastIndexOf('/*'));
  const close = Math.max(s.lastIndexOf('*)'), s.lastIndexOf('*/'));
  return open >= 0 && open > close;
}
