/**
 * The in-process transport: every role of a session in one process (or browser tab), real
 * time, one FIFO per ordered pair of roles. A send puts the message straight into the
 * receiver's queue (never blocks); crashes and link failures are injected by the caller.
 */
import type { Role } from '@mpst/projector';
import { epochNow, realTimer } from './clock.js';
import { SessionEndpoint, type Activity, type Wire } from './endpoint.js';
import { RuntimeError } from './errors.js';
import { Tracer } from './trace.js';
import type { Endpoint, EndpointSpec, RunTrace } from './types.js';

export interface MailboxOptions {
  readonly sessionId?: string;
  /** Default receive timeout in ms (see `ReceiveOptions.timeoutMs`). */
  readonly timeoutMs?: number;
  /** Record the trace (default true). */
  readonly trace?: boolean;
}

/** One session whose roles all live in this process. */
export class MailboxSession {
  readonly id: string;
  private readonly tracer: Tracer;
  private readonly endpoints = new Map<Role, SessionEndpoint>();
  private readonly failed = new Set<string>();
  private nextId = 0;
  private readonly waiters: (() => void)[] = [];
  private aborting = false;

  constructor(specs: readonly EndpointSpec[], options: MailboxOptions = {}) {
    const first = specs[0];
    if (!first) throw new RuntimeError('MPST553', 'a session needs at least one role');
    this.id = options.sessionId ?? 'local';
    this.tracer = new Tracer(
      first.protocol,
      first.roles,
      first.reliable,
      epochNow,
      options.trace ?? true,
      true,
    );
    const wire: Wire = {
      transmit: (from, to, label, payload, id, text) => {
        const ep = this.endpoints.get(to);
        if (!ep || ep.activity === 'crashed') {
          this.tracer.lost(from, to, text, id, 'crashed');
          return;
        }
        if (this.failed.has(`${from}\0${to}`)) {
          this.tracer.lost(from, to, text, id, 'link');
          return;
        }
        ep.deliver(from, label, payload, id, text);
      },
      nextId: () => this.nextId++,
      timer: realTimer,
      activity: (ep, now) => this.onActivity(ep, now),
    };
    const endpointOptions = options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {};
    for (const spec of specs)
      this.endpoints.set(
        spec.role,
        new SessionEndpoint(spec, this.id, this.tracer, wire, endpointOptions),
      );
    for (const r of first.roles)
      if (!this.endpoints.has(r)) throw new RuntimeError('MPST553', `no spec for role ${r}`);
  }

  /** The endpoint of `role`. */
  endpoint(role: Role): Endpoint {
    const ep = this.endpoints.get(role);
    if (!ep) throw new RuntimeError('MPST574', `no role ${role} in session ${this.id}`);
    return ep;
  }

  /** `role` crashes now: its pending receive rejects, its queues are lost, peers detect it. */
  crash(role: Role): void {
    this.endpoints.get(role)?.crash();
  }

  /** The link `from → to` fails: later messages on it are lost; `to` detects it as a crash. */
  failLink(from: Role, to: Role): void {
    this.failed.add(`${from}\0${to}`);
    this.endpoints.get(to)?.peerDown(from, 'link');
  }

  /** Ends the session: every pending and later call fails with `EndpointClosed` (MPST555). */
  abort(reason: string): void {
    // Everybody learns of the abort itself, not of the others leaving because of it.
    this.aborting = true;
    for (const ep of this.endpoints.values()) ep.abort(reason);
  }

  /** True when every role is terminal, crashed or closed (a clean end, or an aborted one). */
  get ended(): boolean {
    for (const ep of this.endpoints.values()) {
      const a = ep.activity;
      if (a === 'running' || a === 'blocked') return false;
    }
    return true;
  }

  /** Resolves when {@link ended}. */
  whenEnded(): Promise<void> {
    return this.ended ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }

  trace(): RunTrace {
    return this.tracer.trace();
  }

  private onActivity(ep: SessionEndpoint, now: Activity): void {
    if ((now === 'crashed' || now === 'closed') && !this.aborting)
      for (const other of this.endpoints.values())
        if (other !== ep) other.peerDown(ep.role, 'crashed');
    if (this.ended) for (const w of this.waiters.splice(0)) w();
  }
}
