/**
 * Every error the runtime throws or rejects with is a {@link RuntimeError} with a stable code
 * in MPST550–MPST599 (MPST500–MPST549 belong to `@mpst/codegen`). Each is its own class, so
 * user code can `instanceof` them.
 */
import type { Role } from '@mpst/projector';

/** The runtime's error codes and what they mean (README and ARCHITECTURE list them too). */
export const RUNTIME_ERROR_CODES = {
  MPST550: 'protocol violation: the current state does not allow this send or receive',
  MPST551: 'protocol violation: a received message the current state does not accept',
  MPST552: 'protocol violation: wrong payload (arity or a payload check failed)',
  MPST553: 'invalid endpoint spec',
  MPST554: 'linearity: a state object was used twice',
  MPST555: 'endpoint closed, or its session aborted',
  MPST556: 'receive timed out in a state without a crash branch',
  MPST557: 'every peer the state waits on crashed, and the state has no crash branch',
  MPST558: 'this role crashed (an injected fault or a lost connection)',
  MPST559: 'a receive is already pending on this endpoint',
  MPST570: 'malformed frame (the codec cannot decode it, or not a known frame)',
  MPST571: 'frame larger than the configured limit',
  MPST572: 'connection closed in the middle of a frame',
  MPST573: 'authentication failed',
  MPST574: 'unknown role, or a role this connection did not join as',
  MPST575: 'role already claimed in this session',
  MPST576: 'unknown session id, or a protocol the session does not run',
  MPST577: 'timed out (join, handshake or a half-sent frame)',
  MPST578: 'connection lost',
  MPST590: 'simulation did not finish within its step or time limit',
  MPST591: 'invalid fault plan',
  MPST592: 'role code failed',
  MPST593: 'not a run trace (JSON of the wrong shape)',
} as const;

export type RuntimeErrorCode = keyof typeof RUNTIME_ERROR_CODES;

/** Base class of every runtime error. */
export class RuntimeError extends Error {
  readonly code: RuntimeErrorCode;
  constructor(code: RuntimeErrorCode, message: string) {
    super(`${code}: ${message}`);
    this.code = code;
    this.name = new.target.name;
  }
}

/**
 * A send or receive the protocol does not allow in the current state. The state is left
 * untouched. `expected` lists what the state allows (`B!ping(Int)`, `A?pong()`, `A?crash`),
 * `received` what was attempted or arrived.
 */
export class ProtocolViolation extends RuntimeError {
  readonly role: Role;
  readonly state: number;
  readonly expected: string[];
  readonly received?: string;
  constructor(
    code: 'MPST550' | 'MPST551' | 'MPST552',
    detail: { role: Role; state: number; expected: string[]; received?: string; reason: string },
  ) {
    super(
      code,
      `${detail.role} in state ${detail.state}: ${detail.reason}` +
        (detail.received !== undefined ? `: got ${detail.received}` : '') +
        `; expected ${detail.expected.length > 0 ? detail.expected.join(' | ') : 'nothing (terminal)'}`,
    );
    this.role = detail.role;
    this.state = detail.state;
    this.expected = detail.expected;
    if (detail.received !== undefined) this.received = detail.received;
  }
}

/** A generated state object was used twice (each state may take one step). */
export class LinearityError extends RuntimeError {
  readonly state: number;
  constructor(state: number, message = `state ${state} was already used`) {
    super('MPST554', message);
    this.state = state;
  }
}

/** An {@link EndpointSpec} that cannot run (unknown roles, unchecked payload types, …). */
export class InvalidSpec extends RuntimeError {
  readonly problems: string[];
  constructor(problems: string[]) {
    super('MPST553', problems.join('; '));
    this.problems = problems;
  }
}

/** The endpoint was closed or its session aborted. */
export class EndpointClosed extends RuntimeError {
  constructor(message: string) {
    super('MPST555', message);
  }
}

/** A receive timed out in a state without a crash branch (the state is unchanged). */
export class ReceiveTimeout extends RuntimeError {
  readonly state: number;
  constructor(role: Role, state: number, ms: number) {
    super('MPST556', `${role} in state ${state}: no message within ${ms} ms`);
    this.state = state;
  }
}

/** Every peer the state waits on is down, and the state has no crash branch. */
export class PeerCrashed extends RuntimeError {
  readonly peers: Role[];
  constructor(role: Role, state: number, peers: Role[]) {
    super(
      'MPST557',
      `${role} in state ${state} waits on ${peers.join(', ')}, which crashed (no crash branch)`,
    );
    this.peers = peers;
  }
}

/** This role crashed: a planned fault in the simulator, or its connection was lost. */
export class EndpointCrashed extends RuntimeError {
  readonly role: Role;
  constructor(role: Role) {
    super('MPST558', `${role} crashed`);
    this.role = role;
  }
}

/** `receive()` was called while another receive on the same endpoint was still pending. */
export class ConcurrentReceive extends RuntimeError {
  constructor(role: Role) {
    super('MPST559', `${role}: a receive is already pending`);
  }
}

/** A transport refused or lost a connection (codes MPST570–MPST578). */
export class TransportError extends RuntimeError {}

/** A simulation problem: limits, invalid fault plans, failing role code (MPST590–MPST592). */
export class SimulationError extends RuntimeError {}
