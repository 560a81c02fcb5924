import type * as ast from '@mpst/scribble';

/** A statement with the blocks and statements that enclose it, innermost last. */
export interface Located {
  readonly protocol: ast.GlobalProtocol;
  readonly message: ast.MessageTransfer;
  /** The block holding the message and the message's index in it. */
  readonly block: ast.Block;
  readonly index: number;
  /** Enclosing statements (choices, recs, foreach), outermost first, each with the block path. */
  readonly ancestors: readonly { readonly node: ast.Interaction; readonly block: ast.Block }[];
}

/** The message transfer whose span is `span` in the module, with its context. */
export function locateMessage(module: ast.Module, span: ast.Span): Located | undefined {
  for (const p of allProtocols(module.protocols)) {
    const found = inBlock(p.body, span, []);
    if (found) return { protocol: p, ...found };
  }
  return undefined;
}

function allProtocols(ps: readonly ast.GlobalProtocol[]): ast.GlobalProtocol[] {
  return ps.flatMap((p) => [p, ...allProtocols(p.nestedProtocols)]);
}

type Ancestors = Located['ancestors'];

function inBlock(
  block: ast.Block,
  span: ast.Span,
  ancestors: Ancestors,
): Omit<Located, 'protocol'> | undefined {
  const list = block.interactions;
  for (let index = 0; index < list.length; index++) {
    const s = list[index];
    if (!s || s.span.end <= span.start || s.span.start > span.start) continue;
    if (s.kind === 'MessageTransfer' && s.span.start === span.start)
      return { message: s, block, index, ancestors };
    const inner = [...ancestors, { node: s, block }];
    for (const b of childBlocks(s)) {
      const found = inBlock(b, span, inner);
      if (found) return found;
    }
  }
  return undefined;
}

/** The blocks directly inside a statement. */
export function childBlocks(s: ast.Interaction): readonly ast.Block[] {
  switch (s.kind) {
    case 'Choice':
      return s.branches.map((b) => b.body);
    case 'Recursion':
    case 'Foreach':
      return [s.body];
    default:
      return [];
  }
}

/**
 * The choice at `sender` whose branch starts with the message, possibly after other messages
 * and crash notices, and the detector's first receive from the chooser there (the projector's
 * crash branches cover exactly those receives), if any.
 */
export function headOfChoice(
  loc: Located,
  detector: string,
): { choice: ast.Choice; branch: number; block: ast.Block } | undefined {
  const parent = loc.ancestors[loc.ancestors.length - 1];
  if (parent?.node.kind !== 'Choice') return undefined;
  const choice = parent.node;
  if (choice.at.text !== loc.message.from.text) return undefined;
  const before = loc.block.interactions.slice(0, loc.index);
  if (!before.every((s) => s.kind === 'MessageTransfer' || s.kind === 'CrashNotice'))
    return undefined;
  // Only the detector's first receive from the chooser is covered by a crash branch.
  const sender = loc.message.from.text;
  const earlier = before.some(
    (s) =>
      s.kind === 'MessageTransfer' &&
      s.from.text === sender &&
      s.to.some((t) => t.text === detector),
  );
  if (earlier) return undefined;
  const branch = choice.branches.findIndex((b) => b.body === loc.block);
  return branch < 0 ? undefined : { choice, branch, block: loc.block };
}

/** The innermost `rec` around the message, if any. */
export function enclosingRec(loc: Located): ast.Recursion | undefined {
  for (let i = loc.ancestors.length - 1; i >= 0; i--) {
    const n = loc.ancestors[i]?.node;
    if (n?.kind === 'Recursion') return n;
  }
  return undefined;
}

/** Every role named in the statements (senders, receivers, choosers, `do` arguments). */
export function rolesIn(statements: readonly ast.Interaction[]): Set<string> {
  const out = new Set<string>();
  const visit = (s: ast.Interaction): void => {
    switch (s.kind) {
      case 'MessageTransfer':
      case 'CrashNotice':
        out.add(s.from.text);
        for (const t of s.to) out.add(t.text);
        break;
      case 'Choice':
        out.add(s.at.text);
        break;
      case 'Do':
        for (const r of s.roleArgs) out.add(r.text);
        break;
      case 'Calls':
        out.add(s.caller.text);
        for (const r of s.roleArgs) out.add(r.text);
        break;
      case 'Connect':
      case 'Wrap':
        out.add(s.from.text);
        out.add(s.to.text);
        break;
      case 'Disconnect':
        out.add(s.left.text);
        out.add(s.right.text);
        break;
      default:
        break;
    }
    for (const b of childBlocks(s)) b.interactions.forEach(visit);
  };
  statements.forEach(visit);
  return out;
}

/** The message's label as written (`promise`, or the sig name). */
export function labelOf(m: ast.MessageTransfer): string {
  return m.message.kind === 'SignatureLiteral'
    ? (m.message.label?.text ?? '')
    : m.message.name.text;
}
