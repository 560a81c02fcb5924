import type { Message, Origin, Role } from './global.js';

/**
 * What one role does in one step. `send`/`receive` are ordinary messages; `crash` is crash
 * detection (the peer crashed: taken instead of a receive); `request`/`accept`/`disconnect`
 * are scribble-java's explicit connections.
 */
export type LocalAction =
  | {
      readonly kind: 'send' | 'receive' | 'request' | 'accept';
      readonly peer: Role;
      readonly message: Message;
    }
  | { readonly kind: 'crash' | 'disconnect' | 'wrap-client' | 'wrap-server'; readonly peer: Role };

/**
 * A local type: a tree (a DAG, with shared continuations) of actions. A `prefix` is one action
 * and its continuation; a `choice` offers several: with several sends it is an internal choice
 * (select), with several receives (and maybe a crash-detection branch) an external choice
 * (branch), and it may also loop back to enclosing recursions without acting.
 */
export type LocalType = LPrefix | LChoice | LRec | LVar | LEnd;

export interface LBranch {
  readonly action: LocalAction;
  readonly cont: LocalType;
  readonly origin: Origin | undefined;
}

/**
 * `action; cont`. Most of a long protocol is prefixes, so a prefix is one object (it is also
 * an {@link LBranch}, and serves as one inside a choice), not a one-branch choice.
 */
export interface LPrefix extends LBranch {
  readonly kind: 'prefix';
}

/** A choice: at least two branches, or loops back (see `loops`, `loopTo`). */
export interface LChoice {
  readonly kind: 'choice';
  readonly branches: readonly LBranch[];
  /**
   * Recursion labels this state also loops back to without acting (a branch that was just
   * `continue X` for this role, merged into the choice): the state offers X's actions too.
   */
  readonly loops?: readonly string[];
  /** Like `loops`, to recursions that no longer enclose this state (after unfolding in a merge). */
  readonly loopTo?: readonly LocalType[];
}

export interface LRec {
  readonly kind: 'rec';
  readonly label: string;
  readonly body: LocalType;
}

export interface LVar {
  readonly kind: 'var';
  readonly label: string;
}

export interface LEnd {
  readonly kind: 'end';
}

/** The single local `end`. */
export const LEND: LEnd = Object.freeze({ kind: 'end' });
