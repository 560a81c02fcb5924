import type { Role } from '@mpst/projector';
import type { Diagnostic, ModuleHost } from '@mpst/scribble';
import type { VerifyOptions } from '@mpst/verify';

/** Which roles may crash and which directed links may fail. */
export interface FailureModel {
  readonly unreliable: readonly Role[];
  /** `[from, to]`: messages from `from` to `to` may be lost; `to` then treats `from` as crashed. */
  readonly unreliableLinks?: readonly (readonly [Role, Role])[];
}

/** Replace `text.slice(start, end)` by `text`, in the coordinates of the text it applies to. */
export interface SourceEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/**
 * How a decision point can be handled:
 * - `default-branch`: an existing branch of the sender's choice becomes `or default`;
 * - `default-message`: the interaction gets the `default` marker (the receiver goes on as if it
 *   arrived);
 * - `crash-branch`: a branch `crash from X to R; ...` is added (wrapping the rest of the block
 *   in `choice at X` when the message is not already at the head of X's choice), in which the
 *   detecting role tells every other role of the choice (`template: 'abort-notify'`, then the
 *   branch ends), or tells them and goes round the enclosing `rec` again (`'continue'`), or a
 *   backup role takes the crashed role's part (`'failover'`: the detector replays its request to
 *   the backup, and tells it `standby()` in the failure-free branches), or the detector goes on
 *   with what every branch does without the crashed role (`'quorum'`: when the crashed role is
 *   one of a group of peers, the detector counts the others' answers);
 * - `uniform-crash-branch` (`template: 'uniform'`), ranked last and offered only when no option
 *   above works anywhere (a second planning pass): the detector learns the branch of an
 *   enclosing choice only from the crashed role, so each of its receives from that role in the
 *   choice's branches gets the same crash branch (abort and notify); a role that would then not
 *   know whether the detector ended normally is told `done()` in the failure-free runs, which
 *   sets {@link HandlingOption.changesFailureFreeRuns}.
 */
export interface HandlingOption {
  readonly kind: 'default-branch' | 'default-message' | 'crash-branch' | 'uniform-crash-branch';
  readonly template: 'default' | 'abort-notify' | 'continue' | 'failover' | 'quorum' | 'uniform';
  /** One line, for the plan and the report. */
  readonly description: string;
  /**
   * Set when the option adds messages to runs without failures (its description then starts
   * with `changes failure-free runs:`): the user should review what the roles now also do.
   * Absent in the options that only add handling (and in plans written before it existed).
   */
  readonly changesFailureFreeRuns?: true;
  /** The edits, in the coordinates of the text at this decision (see {@link Decision.snippet}). */
  readonly edits: readonly SourceEdit[];
}

/** Where a decision is: file offsets and 1-based line/column in the text at that step. */
export interface PlanLocation {
  readonly file: string;
  readonly protocol: string;
  readonly start: number;
  readonly end: number;
  readonly line: number;
  readonly column: number;
}

/** One place where a live role could wait forever on a failed role or link. */
export interface Decision {
  /**
   * Stable key: `<detector> waits for <label> from <crashed>#<n>` (n counts equal keys in
   * order), used to match a plan with the file when it is applied.
   */
  readonly id: string;
  readonly crashed: Role;
  readonly detector: Role;
  /** The interaction's source text at this step (a plan that no longer matches is rejected). */
  readonly snippet: string;
  readonly location: PlanLocation;
  /** What raised the point: `MPST207` (projection) or a verifier counterexample. */
  readonly source: string;
  /** The diagnostic message that raised the point. */
  readonly problem: string;
  readonly options: readonly HandlingOption[];
  /** Index into {@link options} of the choice (editable in a plan file). */
  readonly chosen: number;
  /** Why that option: the ranking, and which options were rejected by projection or verification. */
  readonly reason: string;
  /** A verifier counterexample that motivated a change of choice, as trace lines. */
  readonly counterexample?: readonly string[];
}

/** The outcome of planning (or applying) a refactoring. */
export interface Plan {
  readonly version: 1;
  readonly file: string;
  readonly protocol: string;
  readonly failureModel: FailureModel;
  /** Backup roles the user named (crashed → backup), replayed with the plan. */
  readonly backups?: Readonly<Record<Role, Role>>;
  /** FNV-1a hash of the original text: a plan for another text is refused (MPST405). */
  readonly sourceHash: string;
  /** Role declarations made `reliable` or not (in the original text's coordinates). */
  readonly roleEdits: readonly SourceEdit[];
  readonly decisions: readonly Decision[];
  /** The verifier's verdict on the result (`unhandled`: some point could not be handled). */
  readonly verdict: 'verified' | 'violation' | 'inconclusive' | 'unhandled';
  /**
   * MPST4xx errors (and the verifier's MPST3xx diagnostics) when the result is not verified;
   * after MPST400, the errors of the protocol that made it rejected.
   */
  readonly diagnostics: readonly Diagnostic[];
  /** The refactored text. */
  readonly output: string;
}

/** Options of {@link planRefactoring}. */
export interface RefactorOptions {
  /** The file name (for diagnostics and imports). Default `protocol.scr`. */
  readonly file?: string;
  /**
   * Reads the modules the file imports (the file itself is always the text being refactored).
   * Without it, a file that imports anything is rejected (MPST400, then MPST121 at the import).
   */
  readonly host?: ModuleHost;
  /** Verifier options; default scribble-java's model (capacity 1, 200,000 states). */
  readonly verify?: VerifyOptions;
  /** Choices forced by decision id (what a reviewed plan says). */
  readonly choices?: ReadonlyMap<string, number>;
  /**
   * Backup roles for the failover template: crashed role (as written where it sends) → the
   * role that takes over its part. Without one, a `reliable` role with the crashed role's
   * interface towards the detector is offered.
   */
  readonly backups?: Readonly<Record<Role, Role>>;
  /**
   * Asked at each decision point that `choices` does not fix (the prompt of `mpst refactor
   * --interactive`), with the ranked options and, as `chosen`, the option the planner would
   * take; returns the index to take (undefined: that one). Asked once per decision: the answer
   * binds like a reviewed plan's choice, and the verifier's fallback does not change it.
   */
  readonly ask?: (decision: Decision) => number | undefined;
  /** At most this many re-plans when the result does not verify (default 12, per pass). */
  readonly maxAttempts?: number;
  /**
   * Options that change failure-free runs (`uniform-crash-branch`): `'fallback'` (default)
   * offers them in a second pass, only when the handling-only plan does not verify; `'never'`
   * does not; `'always'` offers them from the first pass (as {@link applyPlan} does for a plan
   * that chose one, so that option indices mean the same).
   */
  readonly failureFreeChanges?: 'fallback' | 'never' | 'always';
}
