import type { ElaboratedProtocol, Role } from './global.js';
import type { LocalAction, LocalType } from './local.js';

/**
 * A local type as data (`mpst project --format json`), described by
 * `schema/local-type.schema.json`. A local type is a DAG (a continuation shared by the branches
 * of a choice is one node), so it is a table of nodes that refer to each other by id, as the
 * EFSM's transitions refer to states: linear in the local type, whatever its sharing. Ids are
 * 0, 1, ... in breadth-first order from the root (node 0), following successors in order
 * (a prefix's `cont`; a choice's branches, then its `loopTo`; a rec's `body`), so equal local
 * types give equal JSON. There is one `end` node.
 */
export interface LocalTypeJson {
  /** The protocol's full name (`module.Protocol`), as in the EFSM. */
  readonly protocol: string;
  readonly role: Role;
  /** Every role of the protocol, in declaration order. */
  readonly roles: readonly Role[];
  /** The root node's id (always 0). */
  readonly root: number;
  /** Every node, `nodes[i].id === i`. */
  readonly nodes: readonly LocalNodeJson[];
}

/** One node of {@link LocalTypeJson}: the {@link LocalType} kinds, successors by id. */
export type LocalNodeJson =
  /** One action, then `cont`. */
  | {
      readonly id: number;
      readonly kind: 'prefix';
      readonly action: LocalAction;
      readonly cont: number;
    }
  /**
   * A choice: its branches (sends: the role chooses; receives: its peer does) and its loops
   * back without acting: `loops` to enclosing recursions by label (a branch that was only
   * `continue X`), `loopTo` to recursion nodes that no longer enclose it (after unfolding).
   */
  | {
      readonly id: number;
      readonly kind: 'choice';
      readonly branches: readonly { readonly action: LocalAction; readonly cont: number }[];
      readonly loops: readonly string[];
      readonly loopTo: readonly number[];
    }
  /** `rec label { body }`. */
  | { readonly id: number; readonly kind: 'rec'; readonly label: string; readonly body: number }
  /** `continue label;` */
  | { readonly id: number; readonly kind: 'var'; readonly label: string }
  /** The role has finished. */
  | { readonly id: number; readonly kind: 'end' };

/** The successors of a node, in the order that numbers them. */
function successors(l: LocalType): LocalType[] {
  switch (l.kind) {
    case 'prefix':
      return [l.cont];
    case 'choice':
      return [...l.branches.map((b) => b.cont), ...(l.loopTo ?? [])];
    case 'rec':
      return [l.body];
    default:
      return [];
  }
}

/** `local` (role `role`'s projection of `p`) as data: see {@link LocalTypeJson}. */
export function localTypeToJson(
  p: ElaboratedProtocol,
  role: Role,
  local: LocalType,
): LocalTypeJson {
  const ids = new Map<LocalType, number>([[local, 0]]);
  const order: LocalType[] = [local];
  // (order grows while it is walked: it is the breadth-first queue.)
  for (const n of order) {
    for (const s of successors(n)) {
      if (ids.has(s)) continue;
      ids.set(s, order.length);
      order.push(s);
    }
  }
  const id = (l: LocalType): number => ids.get(l) ?? -1;
  const nodes = order.map((n, i): LocalNodeJson => {
    switch (n.kind) {
      case 'prefix':
        return { id: i, kind: 'prefix', action: n.action, cont: id(n.cont) };
      case 'choice':
        return {
          id: i,
          kind: 'choice',
          branches: n.branches.map((b) => ({ action: b.action, cont: id(b.cont) })),
          loops: n.loops ?? [],
          loopTo: (n.loopTo ?? []).map(id),
        };
      case 'rec':
        return { id: i, kind: 'rec', label: n.label, body: id(n.body) };
      case 'var':
        return { id: i, kind: 'var', label: n.label };
      case 'end':
        return { id: i, kind: 'end' };
    }
  });
  return { protocol: p.qualifiedName, role, roles: p.roles, root: 0, nodes };
}
