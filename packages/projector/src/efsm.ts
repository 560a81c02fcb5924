import type { Role } from './global.js';
import type { LocalAction } from './local.js';

/**
 * An endpoint state machine (EFSM) of one role, as data. Published as JSON with the schema
 * `schema/efsm.schema.json`. States are numbered from 0 in breadth-first order from the
 * initial state, so equal machines print equally.
 */
export interface Efsm {
  readonly protocol: string;
  readonly role: Role;
  readonly initial: number;
  readonly states: readonly EfsmState[];
  readonly transitions: readonly EfsmTransition[];
}

export interface EfsmState {
  readonly id: number;
  /** No outgoing transitions: the role has finished. */
  readonly terminal: boolean;
}

export interface EfsmTransition {
  readonly from: number;
  readonly to: number;
  readonly action: LocalAction;
  /** The label as scribble-java prints it: `B!m(T)`, `B?m(T)`, `B!!m()`, `B??m()`, `B-/-()`; ours: `B?crash`. */
  readonly label: string;
}

/** The source of each transition of an EFSM built by projection (a side table; see efsm-build.ts). */
export { transitionOrigins } from './efsm-build.js';
