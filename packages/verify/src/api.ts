import type { Role } from '@mpst/projector';

/**
 * A property that can be checked:
 * - `safety`, in every reachable configuration: no stuck (unspecified) reception, no orphan
 *   message, no wait-for cycle (deadlock), no role left waiting for roles that finished or
 *   crashed (unfinished), no unfinished role when nothing can move;
 * - `progress` (role progress), on every terminal set — a set of configurations (a bottom
 *   strongly connected component of the state graph without crash and link-failure steps)
 *   that a run never leaves once no more crashes or link failures happen, so every crash
 *   scenario is checked, "nobody crashes" included: no live role that has not finished, with
 *   nothing queued for it, is starved (takes part in no step of the set);
 * - `reception` (eventual reception), on the same sets: no queued message is left that no
 *   step of the set receives.
 * Under unfair output choice too, unless {@link VerifyOptions.fair}.
 */
export type Property = 'safety' | 'progress' | 'reception';

/** Every property, the default of {@link VerifyOptions.properties}. */
export const ALL_PROPERTIES: readonly Property[] = ['safety', 'progress', 'reception'];

/** A directed link `from -> to` that may fail (see {@link VerifyOptions.unreliableLinks}). */
export interface Link {
  readonly from: Role;
  readonly to: Role;
}

/** Options of {@link verifySystem}. */
export interface VerifyOptions {
  /** The properties to check. Default: all ({@link ALL_PROPERTIES}). */
  readonly properties?: readonly Property[];
  /**
   * Fair output choice only. By default (false) progress and reception are also checked
   * under unfair output choice, as scribble-java does without `-fair`: a role's internal
   * choice inside a loop may always pick the same branch, so a loop that starves another
   * role is a violation.
   */
  readonly fair?: boolean;
  /**
   * Capacity of each queue: a send to a queue that holds this many messages waits until the
   * receiver takes one (a configuration where only such sends remain is `unfinished`).
   * scribble-java's model is capacity 1. Default: unlimited — then the verifier looks for the
   * least k at which the system is k-exhaustive and, if it finds one, its verdict holds for
   * every queue length (see {@link VerifyResult.exhaustive}).
   */
  readonly capacity?: number;
  /**
   * Bound K on each queue: a send that would put more than K messages in one queue is not
   * taken. If that cut anything and no violation is found, the verdict is `inconclusive`
   * ("beyond bound K"). Default: unbounded.
   */
  readonly bound?: number;
  /**
   * Directed links that may fail at any time: from then on messages sent on the link are
   * lost (those already queued are still delivered), and the receiver, once the link's queue
   * is empty, may take its crash-detection branch for the sender as if it had crashed,
   * while the sender lives on.
   */
  readonly unreliableLinks?: readonly Link[];
  /**
   * Partial-order reduction (default true): where a role's steps commute with every other
   * step, only that role's steps are explored (with the cycle proviso, so that progress and
   * eventual reception are decided as on the full graph). When a violation is found, the
   * search is run again without reduction for a shortest counterexample. It applies only
   * when no send can be cut and no link can fail: with `capacity`, or with unlimited queues
   * in the search for a k-exhaustive k when every sending state sends to one peer.
   */
  readonly reduce?: boolean;
  /**
   * With reduction, search again without it when a violation is found, for shortest
   * counterexamples (default true). False keeps the reduced search's counterexamples.
   */
  readonly shortest?: boolean;
  /** Stop after this many distinct configurations, with an `inconclusive` verdict. Default 1,000,000. */
  readonly maxStates?: number;
  /** Keep exploring after the first violation, to report the shortest one of each kind. Default false. */
  readonly allViolations?: boolean;
  /** Called every `progressEvery` configurations (default 250,000), e.g. to print a progress line. */
  readonly onProgress?: (p: Progress) => void;
  readonly progressEvery?: number;
}

/** A progress report during a long run. */
export interface Progress {
  readonly states: number;
  readonly transitions: number;
  /** Configurations discovered but not yet expanded. */
  readonly frontier: number;
  /** The longest queue seen so far. */
  readonly maxQueue: number;
  readonly elapsedMs: number;
  /** The qualified name of the protocol being verified (`mpst check` verifies several in turn). */
  readonly protocol: string;
  /** Which model is being explored: the protocol's, or the one with unfair output choice. */
  readonly model: 'fair' | 'unfair';
}

/**
 * One step of a trace. `kind` is the role's action (`send`, `receive`, `crash` = crash
 * detection, `request`, `accept`, `disconnect`, `wrap-client`, `wrap-server`), or
 * `crashed` when the role itself crashes, or `link-fails` when the link from `role` to
 * `peer` fails (link-failure mode).
 */
export interface Step {
  readonly role: Role;
  readonly kind:
    | 'send'
    | 'receive'
    | 'request'
    | 'accept'
    | 'crash'
    | 'disconnect'
    | 'wrap-client'
    | 'wrap-server'
    | 'crashed'
    | 'link-fails';
  /** The peer of the action (none for `crashed`; the receiver for `link-fails`). */
  readonly peer?: Role;
  /** The message, `label(T1, T2)`, for sends and receives. */
  readonly message?: string;
  /** The EFSM transition label (`B!m(T)`, `A?m(T)`, `A?crash`), `crash` for `crashed`, `A-/->B` for `link-fails`. */
  readonly label: string;
  /** A send to a role that had crashed, or on a failed link: the message is lost. */
  readonly lost?: boolean;
  /** The role's EFSM states before and after (equal for `crashed`). */
  readonly from: number;
  readonly to: number;
}

/** The kinds of violation: four of safety, `progress` and `reception` (liveness). */
export type ViolationKind =
  | 'stuck'
  | 'orphan'
  | 'deadlock'
  | 'unfinished'
  | 'progress'
  | 'reception';

export interface Violation {
  readonly kind: ViolationKind;
  /** One line, e.g. "B cannot receive go() from A: in state 1 it only accepts ok(), ko()". */
  readonly message: string;
  /** The roles at fault. */
  readonly roles: readonly Role[];
  /**
   * A shortest trace from the initial configuration to the violating one. For `progress` and
   * `reception`, to a configuration of a terminal set (see {@link Property}). With reduction
   * and `shortest: false`, the reduced search's trace, not necessarily a shortest one.
   */
  readonly trace: readonly Step[];
  /**
   * `progress` and `reception`: steps from the configuration reached by `trace` back to it,
   * all inside the terminal set, that can repeat forever.
   */
  readonly cycle?: readonly Step[];
  /** `progress` and `reception`: found under unfair output choice only (the fair model has no such violation). */
  readonly unfair?: boolean;
  /** The violating configuration. */
  readonly configuration: ConfigurationView;
}

/** A configuration, readable. */
export interface ConfigurationView {
  /** Each role's EFSM state. */
  readonly states: Readonly<Record<Role, number>>;
  readonly crashed: readonly Role[];
  /** Failed links (link-failure mode). */
  readonly brokenLinks?: readonly Link[];
  /** Non-empty queues only, as `{ from, to, messages }`. */
  readonly queues: readonly {
    readonly from: Role;
    readonly to: Role;
    readonly messages: readonly string[];
  }[];
}

/**
 * `verified`: every selected property holds in the whole (finite) state space; `violation`:
 * some does not; `inconclusive`: none found, but the exploration was cut (see
 * {@link VerifyResult.incomplete}); `invalid`: nothing was verified, the input is wrong (see
 * {@link VerifyResult.invalid}).
 */
export type Verdict = 'verified' | 'violation' | 'inconclusive' | 'invalid';

/** What is wrong with the input of {@link verifySystem}. */
export type InputErrorCode =
  /** `properties` is empty or names a property that does not exist. */
  | 'unknown-property'
  /** An unreliable link names a role the protocol does not have. */
  | 'unknown-role'
  /** An unreliable link from a role to itself (there is no such queue). */
  | 'self-link'
  /** The same unreliable link listed twice. */
  | 'duplicate-link'
  /** `bound`, `capacity`, `maxStates` or `progressEvery` is not an integer >= 1. */
  | 'bound'
  | 'capacity'
  | 'max-states'
  | 'progress-every'
  /** The protocol lists a role twice. */
  | 'duplicate-role'
  /** A role has no EFSM. */
  | 'missing-efsm'
  /** A role has more than one EFSM. */
  | 'duplicate-efsm'
  /** An EFSM for a role the protocol does not have. */
  | 'stray-efsm'
  /** An EFSM's state ids are not 0..n-1, each once (the `Efsm` contract of @mpst/projector). */
  | 'state-ids'
  /** An EFSM transition whose peer is the role itself (there is no queue to oneself). */
  | 'self-peer'
  /** An EFSM transition with an action kind that does not exist. */
  | 'unknown-action'
  /** A `send`, `receive`, `request` or `accept` without a message (a string label and a string-array payload). */
  | 'malformed-action'
  /**
   * An EFSM whose initial state, or a transition's source or target, is not one of its
   * states; a transition to a peer that is not a role; a state whose `terminal` flag is not
   * "no outgoing transitions".
   */
  | 'malformed-efsm';

/** One problem with the input of {@link verifySystem}, with a code a program can test. */
export interface InputError {
  readonly code: InputErrorCode;
  readonly message: string;
}

/** The result of a verification, as data (`--format json` prints it). */
export interface VerifyResult {
  readonly protocol: string;
  readonly roles: readonly Role[];
  readonly verdict: Verdict;
  /** Distinct configurations explored. */
  readonly states: number;
  /** Transitions (configuration to successor) explored. */
  readonly transitions: number;
  readonly violations: readonly Violation[];
  /** Verdict `invalid`: what is wrong with the input (nothing was explored). */
  readonly invalid?: readonly InputError[];
  /** Why the verdict is `inconclusive` (also set when violations were found but exploration was cut). */
  readonly incomplete?: {
    readonly reason: 'bound' | 'max-states' | 'unfair' | 'not-exhaustive';
    readonly message: string;
  };
  /** The longest queue seen. */
  readonly maxQueue: number;
  readonly elapsedMs: number;
  /** The semantics used: crash-stop (unreliable roles may crash) or not. */
  readonly crashStop: boolean;
  readonly unreliable: readonly Role[];
  readonly unreliableLinks: readonly Link[];
  readonly bound: number | undefined;
  readonly capacity: number | undefined;
  readonly maxStates: number;
  readonly properties: readonly Property[];
  readonly fair: boolean;
  /** Distinct configurations of the unfair-choice model explored (0 when `fair` or no liveness property). */
  readonly unfairStates: number;
  /** The figures are those of the reduced state graph (partial-order reduction). */
  readonly reduced: boolean;
  /**
   * Unbounded queues only: the least k at which the system is k-exhaustive (every run can be
   * played with queues of at most k messages). The verdict then holds for every queue length;
   * the figures are those of the exploration with queues of capacity k.
   */
  readonly exhaustive?: number;
}
