/// <reference types="node" />
/**
 * The hub: the server every role connects to (over TCP or WebSocket). It authenticates roles,
 * runs the join phase (every role present before the first message), forwards messages in
 * order (one FIFO per ordered pair, since each connection is FIFO and the hub forwards in
 * arrival order), and detects crashes: a connection that closes crashes every role it had
 * joined, and the others are told after the last message it sent. Reconnecting is not
 * resuming: a role that lost its connection stays crashed (crash-stop). The hub checks frames
 * and identities; each endpoint checks the protocol.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Role } from '@mpst/projector';
import { epochNow } from '../clock.js';
import { TransportError } from '../errors.js';
import { Tracer } from '../trace.js';
import type { RunTrace } from '../types.js';
import {
  asClientFrame,
  DEFAULT_MAX_FRAME_BYTES,
  jsonCodec,
  type FrameCodec,
  type ServerFrame,
} from './frames.js';

export interface HubOptions {
  /** Shared secret: each join must carry HMAC-SHA256(secret, nonce \n session \n role). */
  readonly secret?: string;
  /** Largest frame accepted, bytes (default 1 MiB). */
  readonly maxFrameBytes?: number;
  /** How frames are encoded on the wire (default {@link jsonCodec}); clients must use the same. */
  readonly codec?: FrameCodec;
  /** A connection must have joined a session within this time (default 10,000 ms). */
  readonly joinTimeoutMs?: number;
  /** A frame begun must be complete within this time (slow-loris; default 5,000 ms). */
  readonly frameTimeoutMs?: number;
  /** Record each session's trace of losses and crashes (default true). */
  readonly trace?: boolean;
  /** Every refused frame or connection, as a typed error (also kept in `Hub.errors`). */
  readonly onError?: (error: TransportError, remote: string) => void;
}

export interface SessionDefinition {
  readonly protocol: string;
  readonly roles: readonly Role[];
  readonly reliable?: readonly Role[];
  /**
   * Roles already crashed when the session opens (a process known dead): the session starts
   * without them, and the others are told at the start, as if each had crashed before acting.
   */
  readonly crashed?: readonly Role[];
}

/** One connection as the hub sees it (a TCP socket or a WebSocket). */
export interface HubConn {
  readonly remote: string;
  send(frame: ServerFrame): void;
  /** Closes the connection (after anything already sent). */
  close(): void;
}

/** What a transport calls on the hub for one connection. */
export interface ConnHandler {
  frame(value: unknown): void;
  /** A transport-level problem (oversized, truncated, timed out): report, then close. */
  fail(error: TransportError): void;
  closed(): void;
}

type Slot =
  | { state: 'free' }
  | { state: 'joined' | 'left' | 'crashed'; conn: HubConn }
  | { state: 'absent' };

interface HubSession {
  readonly id: string;
  readonly def: SessionDefinition;
  readonly slots: Map<Role, Slot>;
  readonly failed: Set<string>;
  readonly tracer: Tracer;
  started: boolean;
  ended: boolean;
  readonly waiters: ((t: RunTrace) => void)[];
}

const MAX_ERRORS_KEPT = 100;

export class Hub {
  /** The most recent refusals (at most 100). */
  readonly errors: TransportError[] = [];
  readonly maxFrameBytes: number;
  readonly frameTimeoutMs: number;
  readonly codec: FrameCodec;
  private readonly sessions = new Map<string, HubSession>();

  constructor(private readonly options: HubOptions = {}) {
    this.maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    this.frameTimeoutMs = options.frameTimeoutMs ?? 5_000;
    this.codec = options.codec ?? jsonCodec;
  }

  /** Announces a session: only announced ids can be joined, by the roles named. */
  openSession(id: string, def: SessionDefinition): void {
    if (this.sessions.has(id)) throw new TransportError('MPST576', `session ${id} is already open`);
    this.sessions.set(id, {
      id,
      def,
      slots: new Map(
        def.roles.map((r): [Role, Slot] => [
          r,
          def.crashed?.includes(r) ? { state: 'absent' } : { state: 'free' },
        ]),
      ),
      failed: new Set(),
      tracer: new Tracer(
        def.protocol,
        def.roles,
        def.reliable ?? def.roles,
        epochNow,
        this.options.trace ?? true,
        true,
      ),
      started: false,
      ended: false,
      waiters: [],
    });
  }

  /** Resolves with the hub's trace (losses, crashes) when every role has left or crashed. */
  whenEnded(id: string): Promise<RunTrace> {
    const s = this.sessions.get(id);
    if (!s) return Promise.reject(new TransportError('MPST576', `no session ${id}`));
    return new Promise((resolve) => s.waiters.push(resolve));
  }

  /** The link `from → to` fails: later messages on it are lost, and `to` is told. */
  failLink(id: string, from: Role, to: Role): void {
    const s = this.sessions.get(id);
    if (!s || s.failed.has(`${from}\0${to}`)) return;
    s.failed.add(`${from}\0${to}`);
    const slot = s.slots.get(to);
    if (slot?.state === 'joined' && s.started)
      slot.conn.send({ t: 'down', session: id, peer: from, reason: 'link' });
  }

  /** Ends a session for everybody: their calls fail with EndpointClosed. */
  abort(id: string, reason: string): void {
    const s = this.sessions.get(id);
    if (!s) return;
    for (const slot of s.slots.values())
      if (slot.state === 'joined') slot.conn.send({ t: 'abort', session: id, reason });
    this.end(s);
  }

  /** A new connection: greets it with a nonce and returns what its transport reports to. */
  attach(conn: HubConn): ConnHandler {
    const nonce = randomBytes(16).toString('hex');
    const joined: { s: HubSession; role: Role }[] = [];
    let open = true;
    const joinTimer = setTimeout(() => {
      if (joined.length === 0)
        refuse(new TransportError('MPST577', 'no join within the time limit'));
    }, this.options.joinTimeoutMs ?? 10_000);
    joinTimer.unref();
    const refuse = (e: TransportError, session?: string): void => {
      this.report(e, conn.remote);
      if (!open) return;
      conn.send({
        t: 'error',
        code: e.code,
        message: e.message,
        ...(session !== undefined ? { session } : {}),
      });
      conn.close();
      closed();
    };
    const closed = (): void => {
      if (!open) return;
      open = false;
      clearTimeout(joinTimer);
      for (const { s, role } of joined) this.lost(s, role);
    };
    conn.send({ t: 'hello', nonce });
    return {
      frame: (value) => {
        if (!open) return;
        let f;
        try {
          f = asClientFrame(value);
        } catch (e) {
          refuse(e as TransportError);
          return;
        }
        const s = this.sessions.get(f.session);
        if (!s || s.ended) {
          refuse(new TransportError('MPST576', `unknown session ${f.session}`), f.session);
          return;
        }
        if (f.t === 'join') {
          const problem = this.joinProblem(s, f.protocol, f.role, nonce, f.mac);
          if (problem) {
            refuse(problem, f.session);
            return;
          }
          s.slots.set(f.role, { state: 'joined', conn });
          joined.push({ s, role: f.role });
          conn.send({ t: 'joined', session: s.id, role: f.role });
          this.maybeStart(s);
          return;
        }
        const role = f.t === 'leave' ? f.role : f.from;
        if (!joined.some((j) => j.s === s && j.role === role)) {
          refuse(
            new TransportError('MPST574', `this connection has not joined ${s.id} as ${role}`),
            s.id,
          );
          return;
        }
        if (f.t === 'leave') {
          this.leave(s, role, 'left');
          return;
        }
        if (!s.started) {
          refuse(new TransportError('MPST570', 'message before the session started'), s.id);
          return;
        }
        const from = role;
        this.route(s, from, f.to, f.label, f.payload, f.id, f.text, refuse);
      },
      fail: refuse,
      closed,
    };
  }

  private joinProblem(
    s: HubSession,
    protocol: string,
    role: Role,
    nonce: string,
    mac: string | undefined,
  ): TransportError | undefined {
    if (protocol !== s.def.protocol)
      return new TransportError(
        'MPST576',
        `session ${s.id} runs ${s.def.protocol}, not ${protocol}`,
      );
    if (this.options.secret !== undefined) {
      const want = createHmac('sha256', this.options.secret)
        .update(`${nonce}\n${s.id}\n${role}`)
        .digest();
      const got = Buffer.from(mac ?? '', 'hex');
      if (got.length !== want.length || !timingSafeEqual(got, want))
        return new TransportError('MPST573', `authentication failed for role ${role}`);
    }
    const slot = s.slots.get(role);
    if (!slot) return new TransportError('MPST574', `no role ${role} in session ${s.id}`);
    if (slot.state === 'absent')
      return new TransportError('MPST575', `role ${role} of session ${s.id} opened as crashed`);
    if (slot.state !== 'free')
      return new TransportError('MPST575', `role ${role} of session ${s.id} is already claimed`);
    return undefined;
  }

  private maybeStart(s: HubSession): void {
    for (const slot of s.slots.values()) if (slot.state === 'free') return;
    s.started = true;
    for (const slot of s.slots.values())
      if (slot.state === 'joined') slot.conn.send({ t: 'start', session: s.id });
    // Roles opened as crashed: crashed before their first action.
    for (const [role, slot] of s.slots)
      if (slot.state === 'absent') {
        s.tracer.crash(role);
        this.tellDown(s, role);
      }
    // Links failed before the start: their receivers learn it first thing.
    for (const link of s.failed) {
      const [from = '', to = ''] = link.split('\0');
      const slot = s.slots.get(to);
      if (slot?.state === 'joined')
        slot.conn.send({ t: 'down', session: s.id, peer: from, reason: 'link' });
    }
  }

  private route(
    s: HubSession,
    from: Role,
    to: Role,
    label: string,
    payload: readonly unknown[],
    id: number,
    text: string,
    refuse: (e: TransportError, session?: string) => void,
  ): void {
    const slot = s.slots.get(to);
    if (!slot || to === from) {
      refuse(new TransportError('MPST574', `no role ${to} to send to`), s.id);
      return;
    }
    if (slot.state !== 'joined') {
      s.tracer.lost(from, to, text, id, 'crashed');
      return;
    }
    if (s.failed.has(`${from}\0${to}`)) {
      s.tracer.lost(from, to, text, id, 'link');
      return;
    }
    slot.conn.send({ t: 'msg', session: s.id, from, to, label, payload, id, text });
  }

  /** The connection of `role` closed without leaving: a crash. */
  private lost(s: HubSession, role: Role): void {
    const slot = s.slots.get(role);
    if (slot?.state !== 'joined') return;
    if (!s.started) {
      // During the join phase a dropped connection just frees the role again.
      s.slots.set(role, { state: 'free' });
      return;
    }
    s.tracer.crash(role);
    this.leave(s, role, 'crashed');
  }

  private leave(s: HubSession, role: Role, how: 'left' | 'crashed'): void {
    const slot = s.slots.get(role);
    if (slot?.state !== 'joined') return;
    s.slots.set(role, { state: how, conn: slot.conn });
    this.tellDown(s, role);
    for (const other of s.slots.values()) if (other.state === 'joined') return;
    this.end(s);
  }

  /** Whoever still waits on `role` must not wait for ever: it is gone, after what it sent. */
  private tellDown(s: HubSession, role: Role): void {
    for (const [r, other] of s.slots)
      if (r !== role && other.state === 'joined')
        other.conn.send({ t: 'down', session: s.id, peer: role, reason: 'crashed' });
  }

  private end(s: HubSession): void {
    if (s.ended) return;
    s.ended = true;
    this.sessions.delete(s.id);
    const t = s.tracer.trace();
    for (const w of s.waiters.splice(0)) w(t);
  }

  private report(e: TransportError, remote: string): void {
    this.errors.push(e);
    if (this.errors.length > MAX_ERRORS_KEPT) this.errors.shift();
    this.options.onError?.(e, remote);
  }
}

/** The MAC a client sends to join (see {@link HubOptions.secret}). */
export function joinMac(secret: string, nonce: string, session: string, role: Role): string {
  return createHmac('sha256', secret).update(`${nonce}\n${session}\n${role}`).digest('hex');
}
