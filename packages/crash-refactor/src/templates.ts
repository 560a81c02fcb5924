import type * as ast from '@mpst/scribble';
import { childBlocks, headOfChoice, labelOf, rolesIn, type Located } from './locate.js';
import type { HandlingOption, SourceEdit } from './types.js';

/**
 * The two templates that go beyond telling the others: fail over to a backup role, and go on
 * without the crashed role (a quorum when it is one of a group of peers). Both are crash
 * branches; projection and the verifier judge them like every other option.
 */
export interface TemplateContext {
  readonly text: string;
  readonly loc: Located;
  readonly detector: string;
  /** The module (to find the `foreach` that runs an aux protocol once per peer). */
  readonly module: ast.Module;
  /** Backups the user named: crashed role (as written where it sends) → backup role. */
  readonly backups: Readonly<Record<string, string>>;
  /** The label of the stand-down message a backup gets when it is not needed. */
  readonly standby: string;
}

/**
 * Fail over: when X crashes, the detector R replays to the backup B the request it last sent X
 * (the message from R to X just before) and B answers as X would have (X's part, X renamed B).
 * B must learn that it is not needed in the failure-free runs too (otherwise it would wait
 * forever): R sends it `standby()` right after X's message. B is offered when the user named it
 * for X, or when it is declared `reliable` and has X's interface towards R (it sends and
 * receives every label that X does with R).
 */
export function failoverOption(ctx: TemplateContext): HandlingOption | undefined {
  const x = ctx.loc.message.from.text;
  const r = ctx.detector;
  const b = backupFor(ctx, x, r);
  if (!b) return undefined;
  const head = headOfChoice(ctx.loc, r);
  const step = indentStep(ctx.text);
  if (head) {
    const branches = head.choice.branches.filter((br) => !startsWithCrash(br.body));
    const standby = branches.map((br) => standbyEdit(ctx, br.body.interactions, x, r, b));
    if (standby.some((e) => e === undefined)) return undefined;
    const indent = lineIndent(ctx.text, head.choice.span.start);
    const copy = branches.map((br) => renamed(ctx.text, br.body.interactions, x, b));
    const lines = [
      `crash from ${x} to ${r};`,
      ...replay(ctx, statementBefore(ctx.loc, head.choice), x, r, b),
      ...choiceAt(b, copy, step),
    ];
    const at = head.choice.branches[head.choice.branches.length - 1]?.span.end ?? 0;
    return {
      kind: 'crash-branch',
      template: 'failover',
      description:
        `fail over to \`${b}\`: add \`or { crash from ${x} to ${r}; ... }\` to ` +
        `\`choice at ${x}\` in which ${b} answers ${r} as ${x} would have; ${r} tells ${b} ` +
        `\`${ctx.standby}()\` when ${x} answered`,
      edits: [
        ...(standby as SourceEdit[]),
        { start: at, end: at, text: ` or {\n${block(lines, indent, step)}${indent}}` },
      ],
    };
  }
  const { message: m, block: blk, index } = ctx.loc;
  const rest = blk.interactions.slice(index);
  const last = rest[rest.length - 1];
  const standby = standbyEdit(ctx, [m], x, r, b);
  if (!last || !standby) return undefined;
  const indent = lineIndent(ctx.text, m.span.start);
  const lines = [
    `crash from ${x} to ${r};`,
    ...replay(ctx, blk.interactions[index - 1], x, r, b),
    ...renamed(ctx.text, rest, x, b),
  ];
  return {
    kind: 'crash-branch',
    template: 'failover',
    description:
      `fail over to \`${b}\`: put \`${labelOf(m)} from ${x}\` and the rest of its block in ` +
      `\`choice at ${x}\` with a crash branch in which ${b} takes ${x}'s part; ${r} tells ` +
      `${b} \`${ctx.standby}()\` when ${x} answered`,
    edits: [
      { start: m.span.start, end: m.span.start, text: `choice at ${x} {\n${indent}` },
      standby,
      {
        start: last.span.end,
        end: last.span.end,
        text: `\n${indent}} or {\n${block(lines, indent, step)}${indent}}`,
      },
    ],
  };
}

/**
 * Go on without X: a crash branch in which R does what every branch of X's choice (or the rest
 * of the block) does without X's messages. Offered when that is one and the same text for every
 * branch, and X occurs in it only in messages (a nested construct that involves X cannot be
 * cut). When X is one of a group of peers of R (a `foreach` over roles, directly or around the
 * `do` of this aux protocol, or other roles sending R the same label), this is a quorum: R
 * counts the answers it got, and the protocol's later choice at R decides on them.
 */
export function quorumOption(ctx: TemplateContext): HandlingOption | undefined {
  const x = ctx.loc.message.from.text;
  const r = ctx.detector;
  const head = headOfChoice(ctx.loc, r);
  const step = indentStep(ctx.text);
  const group = peers(ctx, x, r);
  const what =
    group.length >= 3
      ? `quorum: ${r} goes on with the answers of the others of ${group.join(', ')} ` +
        `(a majority, ${Math.floor(group.length / 2) + 1} of ${group.length}, remains while ` +
        `at most ${Math.floor((group.length - 1) / 2)} of them fail; ${r}'s code counts)`
      : `go on without ${x}: ${r} skips ${x}'s part`;
  if (head) {
    const branches = head.choice.branches.filter((br) => !startsWithCrash(br.body));
    const kept = branches.map((br) => without(ctx.text, br.body.interactions, x));
    const first = kept[0];
    if (first === undefined || kept.some((k) => k?.join('\n') !== first.join('\n')))
      return undefined;
    const indent = lineIndent(ctx.text, head.choice.span.start);
    const at = head.choice.branches[head.choice.branches.length - 1]?.span.end ?? 0;
    return {
      kind: 'crash-branch',
      template: 'quorum',
      description: `add \`or { crash from ${x} to ${r}; ... }\` to \`choice at ${x}\` (${what})`,
      edits: [
        {
          start: at,
          end: at,
          text: ` or {\n${block([`crash from ${x} to ${r};`, ...first], indent, step)}${indent}}`,
        },
      ],
    };
  }
  const { message: m, block: blk, index } = ctx.loc;
  const rest = blk.interactions.slice(index);
  const last = rest[rest.length - 1];
  const kept = without(ctx.text, rest, x);
  if (!last || !kept) return undefined;
  const indent = lineIndent(ctx.text, m.span.start);
  return {
    kind: 'crash-branch',
    template: 'quorum',
    description:
      `put \`${labelOf(m)} from ${x}\` and the rest of its block in \`choice at ${x}\` with a ` +
      `crash branch (${what})`,
    edits: [
      { start: m.span.start, end: m.span.start, text: `choice at ${x} {\n${indent}` },
      {
        start: last.span.end,
        end: last.span.end,
        text: `\n${indent}} or {\n${block([`crash from ${x} to ${r};`, ...kept], indent, step)}${indent}}`,
      },
    ],
  };
}

/** The user's backup for X, else the first `reliable` role with X's interface towards R. */
function backupFor(ctx: TemplateContext, x: string, r: string): string | undefined {
  const roles = ctx.loc.protocol.roles;
  const named = ctx.backups[x];
  if (named !== undefined)
    return named !== x && named !== r && roles.some((d) => d.name.text === named)
      ? named
      : undefined;
  const want = interfaceWith(ctx.loc.protocol.body.interactions, x, r);
  if (want.size === 0) return undefined;
  return roles.find((d) => {
    const b = d.name.text;
    if (!d.reliable || b === x || b === r) return false;
    const has = interfaceWith(ctx.loc.protocol.body.interactions, b, r);
    return [...want].every((w) => has.has(w));
  })?.name.text;
}

/** `send:label` / `recv:label` for every message between `role` and `peer`. */
function interfaceWith(list: readonly ast.Interaction[], role: string, peer: string): Set<string> {
  const out = new Set<string>();
  const visit = (s: ast.Interaction): void => {
    if (s.kind === 'MessageTransfer') {
      const to = s.to.map((t) => t.text);
      if (s.from.text === role && to.includes(peer)) out.add(`send:${labelOf(s)}`);
      if (s.from.text === peer && to.includes(role)) out.add(`recv:${labelOf(s)}`);
    }
    for (const b of childBlocks(s)) b.interactions.forEach(visit);
  };
  list.forEach(visit);
  return out;
}

/** `standby() from R to B;` after R's first receive from X in the statements. */
function standbyEdit(
  ctx: TemplateContext,
  list: readonly ast.Interaction[],
  x: string,
  r: string,
  b: string,
): SourceEdit | undefined {
  const m = list.find(
    (s): s is ast.MessageTransfer =>
      s.kind === 'MessageTransfer' && s.from.text === x && s.to.some((t) => t.text === r),
  );
  if (!m) return undefined;
  const line = `${ctx.standby}() from ${r} to ${b};`;
  // After a trailing line comment, on a line of its own; otherwise right after the message.
  const eol = ctx.text.indexOf('\n', m.span.end);
  const tail = ctx.text.slice(m.span.end, eol < 0 ? ctx.text.length : eol);
  if (eol >= 0 && /^\s*(\/\/.*)?$/.test(tail)) {
    const indent = lineIndent(ctx.text, m.span.start);
    return { start: eol + 1, end: eol + 1, text: `${indent}${line}\n` };
  }
  return { start: m.span.end, end: m.span.end, text: ` ${line}` };
}

/** The request R sent X just before (replayed to B), or none. */
function replay(
  ctx: TemplateContext,
  before: ast.Interaction | undefined,
  x: string,
  r: string,
  b: string,
): string[] {
  if (before?.kind !== 'MessageTransfer' || before.from.text !== r) return [];
  if (!before.to.some((t) => t.text === x)) return [];
  const msg = ctx.text.slice(before.message.span.start, before.message.span.end);
  return [`${msg} from ${r} to ${b};`];
}

/** The statement before `node` in the block that holds it (from the located ancestors). */
function statementBefore(loc: Located, node: ast.Interaction): ast.Interaction | undefined {
  const a = loc.ancestors.find((e) => e.node === node);
  const list = a?.block.interactions ?? [];
  const i = list.indexOf(node);
  return i > 0 ? list[i - 1] : undefined;
}

function choiceAt(b: string, bodies: readonly string[][], step: string): string[] {
  if (bodies.length === 1) return bodies[0] ?? [];
  const out = [`choice at ${b} {`];
  bodies.forEach((body, i) => {
    if (i > 0) out.push('} or {');
    out.push(...body.map((l) => `${step}${l}`));
  });
  out.push('}');
  return out;
}

/** The statements' text, role `x` renamed `b` where it names a role, as dedented lines. */
function renamed(text: string, list: readonly ast.Interaction[], x: string, b: string): string[] {
  const first = list[0];
  const last = list[list.length - 1];
  if (!first || !last) return [];
  const spans = roleNames(list).filter((n) => n.text === x);
  let out = '';
  let at = first.span.start;
  for (const n of spans.sort((p, q) => p.span.start - q.span.start)) {
    out += text.slice(at, n.span.start) + b;
    at = n.span.end;
  }
  out += text.slice(at, last.span.end);
  return dedent(out, lineIndent(text, first.span.start));
}

/**
 * The statements without X: messages and notices that involve X, and choices at X, are cut;
 * anything else that involves X makes it undefined (it cannot be cut without rewriting it).
 */
function without(text: string, list: readonly ast.Interaction[], x: string): string[] | undefined {
  const out: string[] = [];
  for (const s of list) {
    const involved = rolesIn([s]).has(x);
    if (!involved) {
      out.push(...dedent(text.slice(s.span.start, s.span.end), lineIndent(text, s.span.start)));
      continue;
    }
    const cut =
      s.kind === 'MessageTransfer' ||
      s.kind === 'CrashNotice' ||
      (s.kind === 'Choice' && s.at.text === x);
    if (!cut) return undefined;
  }
  return out;
}

/** Role-name occurrences in the statements (not labels, not recursion names). */
function roleNames(list: readonly ast.Interaction[]): ast.Name[] {
  const out: ast.Name[] = [];
  const visit = (s: ast.Interaction): void => {
    switch (s.kind) {
      case 'MessageTransfer':
      case 'CrashNotice':
        out.push(s.from, ...s.to);
        break;
      case 'Choice':
        out.push(s.at);
        break;
      case 'Do':
        out.push(...s.roleArgs);
        break;
      case 'Calls':
        out.push(s.caller, ...s.roleArgs);
        break;
      case 'Foreach':
        out.push(...s.roles);
        break;
      case 'Connect':
      case 'Wrap':
        out.push(s.from, s.to);
        break;
      case 'Disconnect':
        out.push(s.left, s.right);
        break;
      default:
        break;
    }
    for (const blk of childBlocks(s)) blk.interactions.forEach(visit);
  };
  list.forEach(visit);
  return out;
}

/**
 * X's peers towards R: the roles of a `foreach` whose variable is X (around the message, or
 * around a `do` of this aux protocol with X's parameter bound to the variable), else the roles
 * that send R the same label in this protocol.
 */
function peers(ctx: TemplateContext, x: string, r: string): string[] {
  for (const a of ctx.loc.ancestors)
    if (a.node.kind === 'Foreach' && a.node.variable.text === x)
      return a.node.roles.map((n) => n.text);
  const p = ctx.loc.protocol;
  const xi = p.roles.findIndex((d) => d.name.text === x);
  for (const caller of ctx.module.protocols) {
    const found = foreachAroundDo(caller.body.interactions, p.name.text, xi);
    if (found) return found;
  }
  const label = labelOf(ctx.loc.message);
  const senders = new Set<string>();
  const visit = (s: ast.Interaction): void => {
    if (s.kind === 'MessageTransfer' && labelOf(s) === label && s.to.some((t) => t.text === r))
      senders.add(s.from.text);
    for (const blk of childBlocks(s)) blk.interactions.forEach(visit);
  };
  p.body.interactions.forEach(visit);
  return senders.size >= 2 ? [...senders] : [];
}

function foreachAroundDo(
  list: readonly ast.Interaction[],
  callee: string,
  index: number,
): string[] | undefined {
  for (const s of list) {
    if (s.kind === 'Foreach') {
      const v = s.variable.text;
      const calls = s.body.interactions.some(
        (d) =>
          d.kind === 'Do' &&
          d.protocol.parts[d.protocol.parts.length - 1]?.text === callee &&
          d.roleArgs[index]?.text === v,
      );
      if (calls) return s.roles.map((n) => n.text);
    }
    for (const blk of childBlocks(s)) {
      const found = foreachAroundDo(blk.interactions, callee, index);
      if (found) return found;
    }
  }
  return undefined;
}

function startsWithCrash(b: ast.Block): boolean {
  return b.interactions[0]?.kind === 'CrashNotice';
}

export function lineIndent(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start, offset))?.[0] ?? '';
}

export function indentStep(text: string): string {
  return text.includes('\n\t') ? '\t' : '  ';
}

/** Lines of `s` with the first line's indentation `base` taken off the following ones. */
function dedent(s: string, base: string): string[] {
  return s.split('\n').map((l, i) => (i > 0 && l.startsWith(base) ? l.slice(base.length) : l));
}

export function block(lines: readonly string[], indent: string, step: string): string {
  return lines.map((l) => `${indent}${step}${l}\n`).join('');
}
