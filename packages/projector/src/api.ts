import type { Diagnostic, LoadedModule, LoadOptions, ModuleHost, Program } from '@mpst/scribble';
import type { Efsm } from './efsm.js';
import type { ElaboratedProtocol, Role } from './global.js';
import type { LocalType } from './local.js';

/**
 * One role of an analysed protocol. `local` and `efsm` are undefined when projection failed
 * (or not kept: {@link AnalyzeOptions.keep}).
 */
export interface RoleResult {
  readonly role: Role;
  readonly local: LocalType | undefined;
  readonly efsm: Efsm | undefined;
}

/** One analysed global protocol. */
export interface ProtocolResult {
  /** The protocol's simple name. */
  readonly name: string;
  readonly module: LoadedModule;
  /** Undefined when elaboration failed. */
  readonly protocol: ElaboratedProtocol | undefined;
  /** Every role, in declaration order. */
  readonly roles: readonly RoleResult[];
}

/** Options for {@link analyzeFiles}. */
export interface AnalyzeOptions extends LoadOptions {
  /**
   * The protocol to analyse: its path (`P`, or `Outer.P` for a nuScr nested protocol), else
   * every protocol with that simple name. Default: every non-`aux` protocol of the root files
   * (nested ones included).
   */
  readonly protocol?: string;
  /**
   * Which of each role's results to keep (default: both). Every role is projected and its
   * EFSM built and checked either way; what is not kept is undefined in {@link RoleResult}.
   * For callers that use only some of it, e.g. `mpst check --no-verify` (the diagnostics
   * only): a long protocol's machines are then garbage at once, instead of being held, and
   * copied by the garbage collector, to the end.
   */
  readonly keep?: { readonly local?: boolean; readonly efsm?: boolean };
}

/** The result of checking, elaborating and projecting a program. */
export interface AnalysisResult {
  readonly program: Program;
  readonly protocols: readonly ProtocolResult[];
  /** All diagnostics, static checks included, sorted. */
  readonly diagnostics: readonly Diagnostic[];
}

export type { ModuleHost };
