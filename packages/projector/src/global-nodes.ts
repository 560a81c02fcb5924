import type { GlobalType, GMessage, Message, Origin, Role } from './global.js';

/**
 * The message nodes elaboration builds. Besides the {@link GMessage} fields, each remembers the
 * last walk of the DAG that visited it (private: invisible to JSON and to equality), so that
 * finding the nodes with several parents (once per protocol, for projection) needs no set
 * holding every node of a long protocol.
 */
class MessageNode implements GMessage {
  readonly kind = 'message';
  readonly from: Role;
  readonly to: Role;
  readonly message: Message;
  readonly cont: GlobalType;
  readonly origin: Origin | undefined;
  /** The last {@link visit} walk that reached this node (0: none). */
  #walk = 0;

  constructor(
    from: Role,
    to: Role,
    message: Message,
    cont: GlobalType,
    origin: Origin | undefined,
  ) {
    this.from = from;
    this.to = to;
    this.message = message;
    this.cont = cont;
    this.origin = origin;
  }

  static visit(g: GlobalType, walk: number): number {
    if (!(#walk in g)) return NO_MARK;
    if (g.#walk === walk) return SEEN;
    g.#walk = walk;
    return FIRST;
  }
}

/** `from → to: message; cont`. */
export function gmessage(
  from: Role,
  to: Role,
  message: Message,
  cont: GlobalType,
  origin: Origin | undefined,
): GMessage {
  return new MessageNode(from, to, message, cont, origin);
}

/** {@link visit}: `g` was not built by {@link gmessage} (keep it in a set). */
export const NO_MARK = -1;
/** {@link visit}: the walk reaches `g` for the first time. */
export const FIRST = 0;
/** {@link visit}: the walk reached `g` before. */
export const SEEN = 1;

/** Numbers walks for {@link visit}. */
let walks = 0;

/** A fresh walk number for {@link visit}. */
export function newWalk(): number {
  return ++walks;
}

/** Marks `g` as reached by `walk`: {@link FIRST}, {@link SEEN}, or {@link NO_MARK}. */
export function visit(g: GlobalType, walk: number): number {
  return MessageNode.visit(g, walk);
}
