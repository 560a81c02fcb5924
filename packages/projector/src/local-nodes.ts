import type { Message, Origin } from './global.js';
import type { LBranch, LChoice, LocalAction, LocalType, LPrefix } from './local.js';

/**
 * The prefixes projection builds. Besides the {@link LPrefix} fields, each remembers the state
 * the latest EFSM build gave it (private: invisible to JSON and to equality), so that building
 * the EFSM of a long protocol needs no map from nodes to states (a role has a state per action).
 */
class Prefix implements LPrefix {
  readonly kind = 'prefix';
  /** Which {@link buildEfsm} call numbered this node (0: none), and its state there. */
  #build = 0;
  #state = 0;

  constructor(
    readonly action: LocalAction,
    readonly cont: LocalType,
    readonly origin: Origin | undefined,
  ) {}

  static stateIn(l: LPrefix, build: number): number {
    if (!(#build in l)) return NO_SLOT;
    return l.#build === build ? l.#state : UNNUMBERED;
  }

  /** Records the state of `l` in build `build`; false if `l` was not built here (use a map). */
  static record(l: LPrefix, build: number, state: number): boolean {
    if (!(#build in l)) return false;
    l.#build = build;
    l.#state = state;
    return true;
  }
}

/** `action; cont`. */
export function lprefix(action: LocalAction, cont: LocalType, origin: Origin | undefined): LPrefix {
  return new Prefix(action, cont, origin);
}

/** {@link prefixState}: `l` was not built by {@link lprefix} (keep its state in a map). */
export const NO_SLOT = -2;
/** {@link prefixState}: `l` has no state in this build yet. */
export const UNNUMBERED = -1;

/** The EFSM state `build` gave prefix `l` (>= 0), or {@link UNNUMBERED}, or {@link NO_SLOT}. */
export function prefixState(l: LPrefix, build: number): number {
  return Prefix.stateIn(l, build);
}

/** Records the state of prefix `l` in EFSM build `build`; false when `l` has no slot for it. */
export function recordPrefixState(l: LPrefix, build: number, state: number): boolean {
  return Prefix.record(l, build, state);
}

/**
 * The branches a state offers: a prefix's one, a choice's all, none otherwise. (Allocates for
 * a prefix: for merging and checks, not for walking long chains.)
 */
export function branchesOf(l: LocalType): readonly LBranch[] {
  return l.kind === 'prefix' ? [l] : l.kind === 'choice' ? l.branches : [];
}

/**
 * A state offering `branches` (and loops): a prefix when that is one branch and no loop, else
 * a choice.
 */
export function lchoice(
  branches: readonly LBranch[],
  loops?: readonly string[],
  loopTo?: readonly LocalType[],
): LPrefix | LChoice {
  const only = branches.length === 1 && !loops?.length && !loopTo?.length ? branches[0] : undefined;
  if (only) return isPrefix(only) ? only : lprefix(only.action, only.cont, only.origin);
  return {
    kind: 'choice',
    branches,
    ...(loops?.length ? { loops } : {}),
    ...(loopTo?.length ? { loopTo } : {}),
  };
}

function isPrefix(b: LBranch): b is LPrefix {
  return (b as Partial<LPrefix>).kind === 'prefix';
}

/**
 * A message that `showMessage` shows as `label()` (no payload, not an invitation): EFSM labels
 * and printed lines write it directly, without a string for the message in between.
 */
export function plainMessage(m: Message): boolean {
  return m.payload.length === 0 && m.call === undefined;
}
