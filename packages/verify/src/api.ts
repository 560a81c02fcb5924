import type { Role } from '@mpst/projector';

/** Options of {@link verifySystem}. */
export interface VerifyOptions {
  /**
   * Bound K on each queue: a send that would put more than K messages in one queue is not
   * taken. If that cut anything and no violation is found, the verdict is `inconclusive`
   * ("beyond bound K"). Default: unbounded.
   */
  readonly bound?: number;
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
}

/**
 * One step of a trace. `kind` is the role's action (`send`, `receive`, `crash` = crash
 * detection, `request`, `accept`, `disconnect`, `wrap-client`, `wrap-server`), or
 * `crashed` when the role itself crashes.
 */
export interface Step {
  readonly role: Role;
  readonly kind: 'send' | 'receive' | 'request' | 'accept' | 'crash' | 'disconnect' | 'wrap-client' | 'wrap-server' | 'crashed';
  /** The peer of the action (none for `crashed`). */
  readonly peer?: Role;
  /** The message, `label(T1, T2)`, for sends and receives. */
  readonly message?: string;
  /** The EFSM transition label (`B!m(T)`, `A?m(T)`, `A?crash`), or `crash` for `crashed`. */
  readonly label: string;
  /** A send to a role that had crashed: the message is lost. */
  readonly lost?: boolean;
  /** The role's EFSM states before and after (equal for `crashed`). */
  readonly from: number;
  readonly to: number;
}

/** The safety properties checked. */
export type ViolationKind = 'stuck' | 'orphan' | 'deadlock' | 'unfinished';

export interface Violation {
  readonly kind: ViolationKind;
  /** One line, e.g. "B cannot receive go() from A: in state 1 it only accepts ok(), ko()". */
  readonly message: string;
  /** The roles at fault. */
  readonly roles: readonly Role[];
  /** A shortest trace from the initial configuration to the violating one. */
  readonly trace: readonly Step[];
  /** The violating configuration. */
  readonly configuration: ConfigurationView;
}

/** A configuration, readable. */
export interface ConfigurationView {
  /** Each role's EFSM state. */
  readonly states: Readonly<Record<Role, number>>;
  readonly crashed: readonly Role[];
  /** Non-empty queues only, as `{ from, to, messages }`. */
  readonly queues: readonly { readonly from: Role; readonly to: Role; readonly messages: readonly string[] }[];
}

export type Verdict = 'verified' | 'violation' | 'inconclusive';

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
  /** Why the verdict is `inconclusive` (also set when violations were found but exploration was cut). */
  readonly incomplete?: { readonly reason: 'bound' | 'max-states'; readonly message: string };
  /** The longest queue seen. */
  readonly maxQueue: number;
  readonly elapsedMs: number;
  /** The semantics used: crash-stop (unreliable roles may crash) or not. */
  readonly crashStop: boolean;
  readonly unreliable: readonly Role[];
  readonly bound: number | undefined;
  readonly maxStates: number;
}
