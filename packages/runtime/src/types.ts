/**
 * The contract between generated code (`@mpst/codegen`) and this runtime, as agreed in
 * ARCHITECTURE.md ("Generated code ↔ runtime"), and the run-trace data type
 * (`@mpst/mermaid`'s `RunTrace`, which this package produces without importing it: the
 * mermaid package is one layer above).
 */
import type { Efsm, Role } from '@mpst/projector';

export type { Efsm, Role };

/** Checks one payload value (`types['Ballot'] = (v) => typeof v === 'number'`). */
export type PayloadCheck = (value: unknown) => boolean;

/**
 * What a generated module embeds for its role, as a constant. `efsm` is the projector's JSON
 * for that role. `types` maps a payload type name as written in the protocol to a check; the
 * runtime knows `Int`/`int`, `String`/`string`, `Bool`/`bool`, `number`, `boolean` (and
 * `Double`/`double`/`Float`/`float`: a finite number) itself. Any other type needs a check, or
 * creating an endpoint fails (`MPST553`): `() => true` accepts any value on purpose.
 */
export interface EndpointSpec {
  readonly protocol: string;
  readonly role: Role;
  readonly roles: readonly Role[];
  readonly reliable: readonly Role[];
  readonly efsm: Efsm;
  readonly types?: Readonly<Record<string, PayloadCheck>>;
}

/** Why a receive took its crash (or `default`) branch. */
export type CrashReason = 'crashed' | 'link' | 'timeout';

/** What {@link Endpoint.receive} resolves to. */
export type Received =
  | {
      readonly kind: 'message';
      readonly from: Role;
      readonly label: string;
      readonly payload: readonly unknown[];
    }
  | { readonly kind: 'crash'; readonly from: Role; readonly reason: CrashReason };

export interface ReceiveOptions {
  /**
   * Give up waiting after this many milliseconds (virtual ones in the simulator): the state's
   * crash branch is taken with reason `timeout`, or, without one, the receive rejects with
   * `ReceiveTimeout` (MPST556). Default: the session's `timeoutMs` (none: wait until a message
   * arrives or the peer is detected crashed).
   */
  readonly timeoutMs?: number;
}

/** One role in one session, created by a transport (simulator, mailbox, TCP, WebSocket). */
export interface Endpoint {
  readonly role: Role;
  readonly sessionId: string;
  /** The current EFSM state. */
  readonly state: number;
  /** The terminal state was reached. */
  readonly done: boolean;
  /**
   * Sends `label(payload)` to `to`. Never blocks, also not on a crashed peer (the message is
   * then traced `lost`). Checked against the current state's send transitions (peer, label,
   * arity, payload checks): a mismatch throws {@link ProtocolViolation} and changes nothing.
   */
  send(to: Role, label: string, payload: readonly unknown[]): void;
  /**
   * The next message the current state accepts, checked the same way (a message that does not
   * fit rejects with {@link ProtocolViolation}, is discarded, and the state is unchanged), or
   * `{ kind: 'crash' }` when the state has a crash branch and the peer is detected crashed.
   * One receive at a time.
   */
  receive(options?: ReceiveOptions): Promise<Received>;
  /** Leaves the session: later sends and receives throw `EndpointClosed` (MPST555). */
  close(): void;
}

/** A run of a protocol (the shape of `@mpst/mermaid`'s `RunTrace`; plain JSON data). */
export interface RunTrace {
  readonly protocol?: string;
  readonly roles: readonly Role[];
  readonly reliable?: readonly Role[];
  /** In the order they happened; `time` never decreases. */
  readonly events: readonly RunEvent[];
  /**
   * Wall-clock start of the run (ms since 1970) on real transports, so `mergeTraces` can line
   * up the traces several processes recorded. Absent in the simulator (virtual time).
   */
  readonly startedAt?: number;
}

/**
 * Fields every event has. `time`: milliseconds since the run started (virtual ones in the
 * simulator, wall-clock ones on real transports). `seq`: the logical clock, the event's
 * position in the run (0, 1, 2, …), so events with equal times keep their order.
 */
export interface RunEventBase {
  readonly time: number;
  readonly seq?: number;
}

/** `from` sent `message` (`label(T1, T2)`) to `to`; `id` pairs it with its receive or loss. */
export interface RunSend extends RunEventBase {
  readonly kind: 'send';
  readonly from: Role;
  readonly to: Role;
  readonly message: string;
  readonly id?: number;
}

/** `to` took `message` from `from`'s queue. */
export interface RunReceive extends RunEventBase {
  readonly kind: 'receive';
  readonly from: Role;
  readonly to: Role;
  readonly message: string;
  readonly id?: number;
}

/** `role` crashed (stopped for good). */
export interface RunCrash extends RunEventBase {
  readonly kind: 'crash';
  readonly role: Role;
}

/** A message was dropped: its receiver had crashed (`crashed`) or the link failed (`link`). */
export interface RunLost extends RunEventBase {
  readonly kind: 'lost';
  readonly from: Role;
  readonly to: Role;
  readonly message: string;
  readonly id?: number;
  readonly reason?: 'crashed' | 'link';
}

/** `role` stopped waiting for `peer` and took its crash-handling branch (crash detection). */
export interface RunTimeout extends RunEventBase {
  readonly kind: 'timeout';
  readonly role: Role;
  readonly peer: Role;
}

export type RunEvent = RunSend | RunReceive | RunCrash | RunLost | RunTimeout;
