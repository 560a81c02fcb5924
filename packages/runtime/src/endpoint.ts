/**
 * The engine: one role in one session, stepping through its EFSM. Transports own the wires;
 * an endpoint only checks, records and queues. Incoming messages wait in one FIFO per sender
 * (the verifier's model: one queue per ordered pair of roles); a receive takes the oldest
 * message, among the queues of the peers the current state receives from, and checks it.
 */
import type { Role } from '@mpst/projector';
import {
  ConcurrentReceive,
  EndpointClosed,
  EndpointCrashed,
  PeerCrashed,
  ProtocolViolation,
  ReceiveTimeout,
  type RuntimeError,
} from './errors.js';
import {
  compileSpec,
  payloadProblem,
  show,
  type CompiledSpec,
  type CompiledState,
} from './spec.js';
import { must } from './clock.js';
import type { Tracer } from './trace.js';
import type { CrashReason, Endpoint, EndpointSpec, ReceiveOptions, Received } from './types.js';

/** What a transport provides to its endpoints. */
export interface Wire {
  /** Hands a checked message to the network; never blocks. Losses are the transport's to trace. */
  transmit(
    from: Role,
    to: Role,
    label: string,
    payload: readonly unknown[],
    id: number,
    text: string,
  ): void;
  /** A fresh message id, unique in the session. */
  nextId(from: Role): number;
  /** Runs `fn` after `ms` (virtual or real) milliseconds; returns a cancel function. */
  timer(ms: number, fn: () => void): () => void;
  /** The endpoint's activity changed (the simulator schedules on it). */
  activity?(ep: SessionEndpoint, now: Activity): void;
  /** Asked before each send or receive: true crashes the role there (planned faults). */
  crashNow?(ep: SessionEndpoint): boolean;
}

/**
 * `running`: role code may act; `blocked`: waiting in `receive`; `done`: terminal state;
 * `crashed`, `closed`: stopped.
 */
export type Activity = 'running' | 'blocked' | 'done' | 'crashed' | 'closed';

export interface EndpointOptions {
  /** Default receive timeout in milliseconds (see {@link ReceiveOptions.timeoutMs}). */
  readonly timeoutMs?: number;
}

interface Incoming {
  readonly label: string;
  /** `label(T1, T2)` as the sender's transition wrote it (traces). */
  readonly text: string;
  readonly payload: readonly unknown[];
  readonly id: number;
  /** Arrival order over all queues: a receive from several peers takes the oldest. */
  readonly arrival: number;
}

interface Pending {
  resolve(r: Received): void;
  reject(e: RuntimeError): void;
  cancelTimer: (() => void) | undefined;
}

const noop = (): void => undefined;

/**
 * Builds an error without capturing a stack (V8's `Error.stackTraceLimit`): a planned crash is
 * not a bug, and capturing the async stack of role code costs more than a simulated session.
 */
function withoutStack<E>(make: () => E): E {
  const ctor = Error as { stackTraceLimit?: number };
  const limit = ctor.stackTraceLimit;
  ctor.stackTraceLimit = 0;
  try {
    return make();
  } finally {
    ctor.stackTraceLimit = limit;
  }
}

/** An {@link Endpoint} driven by a transport through {@link Wire}. */
export class SessionEndpoint implements Endpoint {
  readonly role: Role;
  readonly spec: EndpointSpec;
  private readonly compiled: CompiledSpec;
  private current: CompiledState;
  private readonly inbox = new Map<Role, Incoming[]>();
  /** Peers detected crashed, with why; messages from them are dropped from then on. */
  private readonly down = new Map<Role, CrashReason>();
  private pending: Pending | undefined;
  private arrivals = 0;
  /** Messages waiting in all queues together. */
  private queued = 0;
  private stopped: Activity | undefined;
  /** Sends and receives taken so far (planned crashes count them). */
  actions = 0;

  constructor(
    spec: EndpointSpec,
    readonly sessionId: string,
    private readonly tracer: Tracer,
    private readonly wire: Wire,
    private readonly options: EndpointOptions = {},
  ) {
    this.compiled = compileSpec(spec);
    this.spec = spec;
    this.role = spec.role;
    this.current = this.stateAt(spec.efsm.initial);
    for (const r of spec.roles) if (r !== spec.role) this.inbox.set(r, []);
  }

  get state(): number {
    return this.current.id;
  }

  get done(): boolean {
    return this.current.terminal;
  }

  /** Running, blocked in a receive, done, crashed or closed. */
  get activity(): Activity {
    if (this.stopped) return this.stopped;
    if (this.current.terminal) return 'done';
    return this.pending ? 'blocked' : 'running';
  }

  send(to: Role, label: string, payload: readonly unknown[]): void {
    this.checkLive();
    if (this.wire.crashNow?.(this)) throw this.crash();
    const st = this.current;
    const t = st.sends.get(to)?.get(label);
    if (!t)
      throw this.violation(
        'MPST550',
        st,
        `cannot send ${label} to ${to}`,
        `${to}!${label}(${payload.map(show).join(', ')})`,
      );
    const problem = payloadProblem(t, payload);
    if (problem !== undefined)
      throw this.violation(
        'MPST552',
        st,
        problem,
        `${to}!${label}(${payload.map(show).join(', ')})`,
      );
    const id = this.wire.nextId(this.role);
    this.actions++;
    this.current = this.stateAt(t.to);
    this.tracer.send(this.role, to, t.text, id);
    this.wire.transmit(this.role, to, label, payload, id, t.text);
    if (this.current.terminal) this.wire.activity?.(this, 'done');
  }

  receive(options?: ReceiveOptions): Promise<Received> {
    try {
      this.checkLive();
      if (this.pending) throw new ConcurrentReceive(this.role);
      if (this.wire.crashNow?.(this)) throw this.crash();
      const st = this.current;
      if (st.receives.size === 0 && st.crashes.length === 0)
        throw this.violation('MPST550', st, 'this state does not receive');
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
    return new Promise<Received>((resolve, reject) => {
      this.pending = { resolve, reject, cancelTimer: undefined };
      if (this.step()) return;
      const ms = options?.timeoutMs ?? this.options.timeoutMs;
      if (ms !== undefined) {
        const state = this.current;
        this.pending.cancelTimer = this.wire.timer(ms, () => this.expire(state, ms));
      }
      this.wire.activity?.(this, 'blocked');
    });
  }

  close(): void {
    if (this.stopped) return;
    this.stop('closed', new EndpointClosed(`${this.role} closed its endpoint`));
  }

  // ---- transport side ----

  /** A message from `from` arrived (in the link's FIFO order). */
  deliver(
    from: Role,
    label: string,
    payload: readonly unknown[],
    id: number,
    text = `${label}(…)`,
  ): void {
    const q = this.inbox.get(from);
    if (!q) return; // not a role of this session: the transport rejects those first
    if (this.stopped === 'crashed') {
      this.tracer.lost(from, this.role, text, id, 'crashed');
      return;
    }
    if (this.stopped || this.down.has(from)) {
      this.tracer.lost(from, this.role, text, id, 'link');
      return;
    }
    q.push({ label, text, payload, id, arrival: this.arrivals++ });
    this.queued++;
    if (this.pending) this.step();
  }

  /** The link from `peer` is dead: it crashed, or the link failed. Sent after its last message. */
  peerDown(peer: Role, reason: 'crashed' | 'link'): void {
    if (this.down.has(peer) || peer === this.role) return;
    this.down.set(peer, reason);
    if (this.pending) this.step();
  }

  /** This role crashes (planned fault, or its process/connection died): stops for good. */
  crash(): EndpointCrashed {
    if (this.stopError instanceof EndpointCrashed) return this.stopError;
    const e = withoutStack(() => new EndpointCrashed(this.role));
    if (!this.stopped) {
      this.tracer.crash(this.role);
      // What waited in its queues is lost with it.
      for (const [from, q] of this.inbox)
        for (const m of q.splice(0)) this.tracer.lost(from, this.role, m.text, m.id, 'crashed');
      this.queued = 0;
      this.stop('crashed', e);
    }
    return e;
  }

  /** The session was aborted: pending and later calls fail with `reason`. */
  abort(reason: string): void {
    if (!this.stopped)
      this.stop('closed', new EndpointClosed(`session ${this.sessionId} aborted: ${reason}`));
  }

  /** Whether the peer was detected crashed (or its link failed, or a receive gave up on it). */
  isDown(peer: Role): boolean {
    return this.down.has(peer);
  }

  // ---- internals ----

  private stopError: RuntimeError | undefined;

  private stop(how: 'crashed' | 'closed', e: RuntimeError): void {
    this.stopped = how;
    this.stopError = e;
    const p = this.pending;
    this.pending = undefined;
    if (p) {
      p.cancelTimer?.();
      p.reject(e);
    }
    this.wire.activity?.(this, how);
  }

  private checkLive(): void {
    if (this.stopError) throw this.stopError;
  }

  private stateAt(id: number): CompiledState {
    const st = this.compiled.states[id];
    if (!st) throw new Error(`no state ${id}`); // compileSpec checked every transition target
    return st;
  }

  private violation(
    code: 'MPST550' | 'MPST551' | 'MPST552',
    st: CompiledState,
    reason: string,
    received?: string,
  ): ProtocolViolation {
    return new ProtocolViolation(code, {
      role: this.role,
      state: st.id,
      expected: st.expected,
      reason,
      ...(received !== undefined ? { received } : {}),
    });
  }

  /** Completes the pending receive if it can; true when it did. */
  private step(): boolean {
    const p = this.pending;
    if (!p) return false;
    const st = this.current;
    // The oldest message among the peers this state receives from.
    let best: Incoming | undefined;
    let bestFrom: Role | undefined;
    let waiting = 0;
    for (const peer of st.receives.keys()) {
      const q = this.inbox.get(peer);
      const head = q?.[0];
      if (!head) continue;
      waiting += q.length;
      if (!best || head.arrival < best.arrival) {
        best = head;
        bestFrom = peer;
      }
    }
    // Messages queued from other peers: one that can never be received is a violation now.
    if (this.queued > waiting) {
      const bad = this.impossibleHead(st);
      if (bad) return this.finish(p, undefined, bad);
    }
    if (best && bestFrom !== undefined) {
      this.inbox.get(bestFrom)?.shift();
      this.queued--;
      const t = st.receives.get(bestFrom)?.get(best.label);
      const got = (m: Incoming, from: Role): string =>
        `${from}?${m.label}(${m.payload.map(show).join(', ')})`;
      if (!t)
        return this.finish(
          p,
          undefined,
          this.violation(
            'MPST551',
            st,
            `unexpected ${best.label} from ${bestFrom}`,
            got(best, bestFrom),
          ),
        );
      const problem = payloadProblem(t, best.payload);
      if (problem !== undefined)
        return this.finish(
          p,
          undefined,
          this.violation('MPST552', st, problem, got(best, bestFrom)),
        );
      this.actions++;
      this.current = this.stateAt(t.to);
      this.tracer.receive(bestFrom, this.role, t.text, best.id);
      return this.finish(p, {
        kind: 'message',
        from: bestFrom,
        label: best.label,
        payload: best.payload,
      });
    }
    // Crash detection: a crash branch whose peer is down and whose queue is drained.
    for (const c of st.crashes) {
      const reason = this.down.get(c.peer);
      if (reason !== undefined && (this.inbox.get(c.peer)?.length ?? 0) === 0)
        return this.takeCrash(p, c.peer, c.to, reason);
    }
    // Every peer this state waits on is down, and no crash branch: it would wait for ever.
    if (st.crashes.length > 0 || st.receives.size === 0) return false;
    for (const peer of st.receives.keys()) if (!this.down.has(peer)) return false;
    return this.finish(p, undefined, new PeerCrashed(this.role, st.id, [...st.receives.keys()]));
  }

  /**
   * A message at the head of a queue that no state reachable from here can ever receive: a
   * violation now (waiting would hide it for ever). Taken out of its queue.
   */
  private impossibleHead(st: CompiledState): ProtocolViolation | undefined {
    if (this.queued === 0) return undefined;
    for (const [peer, q] of this.inbox) {
      const head = q[0];
      if (!head || st.receives.has(peer)) continue;
      if (!this.compiled.receivableFrom(st.id).has(`${peer}\0${head.label}`)) {
        q.shift();
        this.queued--;
        const got = `${peer}?${head.label}(${head.payload.map(show).join(', ')})`;
        return this.violation(
          'MPST551',
          st,
          `${head.label} from ${peer} is never expected from here`,
          got,
        );
      }
    }
    return undefined;
  }

  private takeCrash(p: Pending, peer: Role, to: number, reason: CrashReason): boolean {
    this.down.set(peer, reason);
    this.actions++;
    this.current = this.stateAt(to);
    this.tracer.timeout(this.role, peer);
    return this.finish(p, { kind: 'crash', from: peer, reason });
  }

  private finish(p: Pending, r: Received | undefined, e?: RuntimeError): true {
    this.pending = undefined;
    (p.cancelTimer ?? noop)();
    if (r) {
      p.resolve(r);
      this.wire.activity?.(this, this.current.terminal ? 'done' : 'running');
    } else {
      p.reject(must(e));
      this.wire.activity?.(this, 'running');
    }
    return true;
  }

  private expire(state: CompiledState, ms: number): void {
    const p = this.pending;
    if (!p || this.current !== state) return;
    // Give up on the first crash branch's peer with nothing queued; from then on it is down.
    const c = state.crashes.find((x) => (this.inbox.get(x.peer)?.length ?? 0) === 0);
    if (c) this.takeCrash(p, c.peer, c.to, 'timeout');
    else this.finish(p, undefined, new ReceiveTimeout(this.role, state.id, ms));
  }
}
