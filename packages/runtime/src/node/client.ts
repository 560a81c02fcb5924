/// <reference types="node" />
/**
 * The client side of the hub transports: one connection (TCP or WebSocket) carries any number
 * of endpoints (several sessions, even several roles). `join` resolves once every role of the
 * session is present (the join phase). Losing the connection crashes every endpoint on it.
 */
import type { Role } from '@mpst/projector';
import { epochNow, realTimer } from '../clock.js';
import { SessionEndpoint, type Wire } from '../endpoint.js';
import { TransportError } from '../errors.js';
import { Tracer } from '../trace.js';
import type { EndpointSpec, RunTrace } from '../types.js';
import { asServerFrame, type ClientFrame } from './frames.js';
import { joinMac } from './hub.js';

/** One connection as a client sees it. */
export interface ClientConn {
  send(frame: ClientFrame): void;
  close(): void;
}

export interface JoinOptions {
  /** Default receive timeout of the endpoint, ms. */
  readonly timeoutMs?: number;
  /** Give up joining after this long (default 10,000 ms): MPST577. */
  readonly joinTimeoutMs?: number;
  /** Record the endpoint's trace (default true). */
  readonly trace?: boolean;
}

interface Joined {
  readonly ep: SessionEndpoint;
  readonly tracer: Tracer;
  resolve?: (ep: SessionEndpoint) => void;
  reject?: (e: TransportError) => void;
  cancel?: () => void;
}

/** A connection to a hub; create with `connectTcp` or `connectWs`. */
export class HubClient {
  private readonly joined = new Map<string, Joined>();
  private nonce: Promise<string>;
  private gotNonce!: (n: string) => void;
  private failHello!: (e: TransportError) => void;
  private lostWith: TransportError | undefined;

  /** @internal transports construct clients */
  constructor(
    private readonly conn: ClientConn,
    private readonly secret?: string,
  ) {
    this.nonce = new Promise((resolve, reject) => {
      this.gotNonce = resolve;
      this.failHello = reject;
    });
    this.nonce.catch(() => undefined);
  }

  /** Joins `sessionId` as `spec.role`; resolves with the endpoint when the session starts. */
  async join(
    spec: EndpointSpec,
    sessionId: string,
    options: JoinOptions = {},
  ): Promise<SessionEndpoint> {
    if (this.lostWith) throw this.lostWith;
    const nonce = await this.nonce;
    const key = `${sessionId}\0${spec.role}`;
    if (this.joined.has(key))
      throw new TransportError('MPST575', `already joined ${sessionId} as ${spec.role}`);
    const index = spec.roles.indexOf(spec.role);
    let sent = 0;
    let left = false;
    const tracer = new Tracer(
      spec.protocol,
      spec.roles,
      spec.reliable,
      epochNow,
      options.trace ?? true,
      true,
    );
    const wire: Wire = {
      transmit: (from, to, label, payload, id, text) =>
        this.conn.send({ t: 'msg', session: sessionId, from, to, label, payload, id, text }),
      // Unique in the session without coordination: id mod roles is the sender's index.
      nextId: () => index + spec.roles.length * sent++,
      timer: realTimer,
      activity: (_ep, now) => {
        // Once: closing an endpoint that is done must not leave again (the hub may have ended
        // the session, and a frame for an ended session costs the whole connection).
        if ((now === 'done' || now === 'closed') && !left) {
          left = true;
          this.leave(sessionId, spec.role);
        }
      },
    };
    const ep = new SessionEndpoint(
      spec,
      sessionId,
      tracer,
      wire,
      options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {},
    );
    const j: Joined = { ep, tracer };
    this.joined.set(key, j);
    return new Promise<SessionEndpoint>((resolve, reject) => {
      j.resolve = resolve;
      j.reject = reject;
      const ms = options.joinTimeoutMs ?? 10_000;
      j.cancel = realTimer(ms, () =>
        this.failJoin(
          key,
          new TransportError('MPST577', `session ${sessionId} did not start within ${ms} ms`),
        ),
      );
      const mac =
        this.secret !== undefined ? { mac: joinMac(this.secret, nonce, sessionId, spec.role) } : {};
      this.conn.send({
        t: 'join',
        session: sessionId,
        protocol: spec.protocol,
        role: spec.role,
        ...mac,
      });
    });
  }

  /** What this endpoint recorded (its sends, receives, crash detections). */
  trace(sessionId: string, role: Role): RunTrace | undefined {
    return this.joined.get(`${sessionId}\0${role}`)?.tracer.trace();
  }

  /**
   * Forgets a session's endpoints on this connection (their traces included). A long-lived
   * connection pool calls it once it has read what it needs from a finished session.
   */
  release(sessionId: string): void {
    for (const key of [...this.joined.keys()])
      if (key.startsWith(`${sessionId}\0`)) this.joined.delete(key);
  }

  /** Closes the connection: every endpoint on it that has not finished crashes (crash-stop). */
  close(): void {
    this.conn.close();
    this.connectionLost(new TransportError('MPST578', 'connection closed by this client'));
  }

  // ---- transport side ----

  /** @internal a frame arrived */
  frame(value: unknown): void {
    let f;
    try {
      f = asServerFrame(value);
    } catch (e) {
      this.conn.close();
      this.connectionLost(e as TransportError);
      return;
    }
    switch (f.t) {
      case 'hello':
        this.gotNonce(f.nonce);
        return;
      case 'error': {
        const e = new TransportError(
          isCode(f.code) ? f.code : 'MPST570',
          f.message.replace(/^MPST\d+: /, ''),
        );
        // The hub closes the connection after an error: every endpoint on it is gone.
        this.connectionLost(e);
        return;
      }
      case 'joined':
        return;
      case 'start':
        for (const [key, j] of this.joined)
          if (key.startsWith(`${f.session}\0`) && j.resolve) {
            j.cancel?.();
            j.resolve(j.ep);
            delete j.resolve;
            delete j.reject;
          }
        return;
      case 'msg':
        this.joined
          .get(`${f.session}\0${f.to}`)
          ?.ep.deliver(f.from, f.label, f.payload, f.id, f.text);
        return;
      case 'down':
        for (const [key, j] of this.joined)
          if (key.startsWith(`${f.session}\0`)) j.ep.peerDown(f.peer, f.reason);
        return;
      case 'abort':
        for (const [key, j] of this.joined)
          if (key.startsWith(`${f.session}\0`)) j.ep.abort(f.reason);
        return;
    }
  }

  /** @internal the connection ended */
  connectionLost(e: TransportError): void {
    if (this.lostWith) return;
    this.lostWith = e;
    this.failHello(e);
    for (const key of [...this.joined.keys()]) this.failJoin(key, e);
  }

  private failJoin(key: string, e: TransportError): void {
    const j = this.joined.get(key);
    if (!j) return;
    j.cancel?.();
    if (j.reject) {
      j.reject(e);
      this.joined.delete(key);
    } else if (j.ep.activity === 'running' || j.ep.activity === 'blocked') j.ep.crash();
  }

  private leave(session: string, role: Role): void {
    if (!this.lostWith) this.conn.send({ t: 'leave', session, role });
  }
}

function isCode(c: string): c is TransportError['code'] {
  return /^MPST5[5-9]\d$/.test(c);
}
