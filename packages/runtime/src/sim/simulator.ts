/**
 * The deterministic simulator: every role of a session in one JavaScript realm (browsers too),
 * a seeded scheduler over virtual time, and planned faults. Role code runs between scheduler
 * steps until every role is blocked in a receive or finished (its microtasks are deterministic),
 * then the scheduler takes the next event: a message delivery (random latency from the seed,
 * each link FIFO), a timer, or a fault. The same (specs, role code, seed, plan) give the same
 * run and trace; stepping back is replaying a prefix.
 */
import type { Role } from '@mpst/projector';
import { must, realTimer, wallNow } from '../clock.js';
import { EndpointCrashed, SimulationError } from '../errors.js';
import { SessionEndpoint, type Activity, type Wire } from '../endpoint.js';
import { Tracer } from '../trace.js';
import type { Endpoint, EndpointSpec, RunTrace } from '../types.js';
import { EventHeap } from './heap.js';
import { checkPlan, NO_FAULTS, type Fault, type FaultPlan } from './plan.js';
import { Rng } from './random.js';

/** What one role does with its endpoint. Must only wait on the endpoint (determinism). */
export type RoleCode = (ep: Endpoint) => Promise<void> | void;

export interface SimulationOptions {
  readonly seed: number;
  readonly plan?: FaultPlan;
  /** Virtual latency of a message, uniform in [min, max] ms (default 1..5). */
  readonly latency?: { readonly min: number; readonly max: number };
  /** Default receive timeout in virtual ms (default: none; crashes are detected anyway). */
  readonly timeoutMs?: number;
  /**
   * At most this many scheduler steps (default 100,000), and as many sends between two steps
   * (role code that sends without waiting): then MPST590.
   */
  readonly maxSteps?: number;
  /** Real milliseconds role code may take in all before the run is cut (default 10,000). */
  readonly wallLimitMs?: number;
  /** Record the trace (default true). */
  readonly trace?: boolean;
  readonly sessionId?: string;
}

/** How a role ended. */
export interface RoleOutcome {
  readonly role: Role;
  readonly state: number;
  /** `done`: terminal state; `crashed`: a planned crash; `blocked`: still waiting (deadlock or
   * cut); `failed`: role code threw, or returned before its terminal state. */
  readonly status: 'done' | 'crashed' | 'blocked' | 'failed';
  /** The error role code ended with (`MPST55x: …`), for `failed`. */
  readonly error?: string;
}

export interface SimulationResult {
  readonly seed: number;
  readonly plan: FaultPlan;
  readonly steps: number;
  /** Virtual time at the end (ms). */
  readonly time: number;
  readonly outcomes: readonly RoleOutcome[];
  /** Every role is `done` or `crashed`, and the run was not cut. */
  readonly ok: boolean;
  /** Why the run was cut (step or wall limit), if it was. */
  readonly cut?: string;
  readonly trace: RunTrace;
  /** `seed=… plan=…`: what replays this run (print it when a run fails). */
  readonly replay: string;
}

interface Message {
  readonly label: string;
  readonly payload: readonly unknown[];
  readonly id: number;
  readonly text: string;
  at: number;
  held: boolean;
}
type InFlight = Message | { readonly eof: 'crashed' | 'link'; at: number; held: false };

interface Link {
  readonly from: Role;
  readonly to: Role;
  readonly queue: InFlight[];
  /** Delivery time of the last message put on the link (FIFO: nothing arrives earlier). */
  lastAt: number;
  sent: number;
  failed: boolean;
  scheduled: boolean;
  /** The heap entry that delivers the head (reused). */
  readonly event: DeliverEvent;
  /** The plan's faults on messages of this link (drop, delay, reorder). */
  readonly faults: readonly Extract<Fault, { nth: number }>[];
}

interface DeliverEvent {
  time: number;
  seq: number;
  readonly kind: 'deliver';
  readonly link: Link;
}

type Event =
  | DeliverEvent
  | {
      readonly time: number;
      readonly seq: number;
      readonly kind: 'timer';
      readonly fn: () => void;
      cancelled: boolean;
    }
  | { readonly time: number; readonly seq: number; readonly kind: 'fault'; readonly fault: Fault };

/** Runs one session in the simulator (see {@link Simulation} to step through it). */
export async function simulate(
  specs: readonly EndpointSpec[],
  code: Readonly<Record<Role, RoleCode>>,
  options: SimulationOptions,
): Promise<SimulationResult> {
  const sim = new Simulation(specs, code, options);
  await sim.start();
  await sim.run();
  return sim.result();
}

/** One simulated session that can be advanced one event at a time. */
export class Simulation {
  readonly roles: readonly Role[];
  readonly plan: FaultPlan;
  private readonly rng: Rng;
  private readonly tracer: Tracer;
  private readonly heap = new EventHeap<Event>();
  private readonly links: Link[] = [];
  private readonly linkTable = new Map<Role, Map<Role, Link>>();
  private readonly endpoints = new Map<Role, SessionEndpoint>();
  private readonly settled = new Map<Role, string | undefined>();
  /** The endpoints in role order, and whether each one's code has settled (hot path). */
  private readonly eps: SessionEndpoint[] = [];
  private readonly done: boolean[] = [];
  private readonly held: Message[] = [];
  private now = 0;
  private seq = 0;
  private nextMessageId = 0;
  private steps = 0;
  /** Messages sent since the scheduler last took an event (see the wire's `nextId`). */
  private sentSinceStep = 0;
  private cut: string | undefined;
  private idle: (() => void) | undefined;
  /** Set by the watchdog when role code has not yielded for `wallLimitMs`. */
  watchdogFired = false;
  /** When the current wait for role code began (wall clock), for the watchdog. */
  waitingSince = 0;
  private readonly minLatency: number;
  private readonly spanLatency: number;
  private readonly maxSteps: number;

  constructor(
    private readonly specs: readonly EndpointSpec[],
    private readonly code: Readonly<Record<Role, RoleCode>>,
    private readonly options: SimulationOptions,
  ) {
    const first = specs[0];
    if (!first) throw new SimulationError('MPST591', 'no roles to simulate');
    this.roles = first.roles;
    for (const r of this.roles)
      if (!specs.some((s) => s.role === r))
        throw new SimulationError('MPST591', `no spec for role ${r}`);
    this.plan = options.plan ?? NO_FAULTS;
    checkPlan(this.plan, this.roles);
    this.rng = new Rng(options.seed);
    this.minLatency = options.latency?.min ?? 1;
    this.spanLatency = (options.latency?.max ?? 5) - this.minLatency;
    this.maxSteps = options.maxSteps ?? 100_000;
    this.tracer = new Tracer(
      first.protocol,
      first.roles,
      first.reliable,
      () => this.now,
      options.trace ?? true,
    );
  }

  /**
   * The same run after `steps` events: stepping back is replaying a prefix (role code keeps
   * its own state, so a run cannot be rewound in place). Role code must be a function of what
   * its endpoint returns (and of constants), as determinism requires anyway.
   */
  static async at(
    specs: readonly EndpointSpec[],
    code: Readonly<Record<Role, RoleCode>>,
    options: SimulationOptions,
    steps: number,
  ): Promise<Simulation> {
    const sim = new Simulation(specs, code, options);
    await sim.start();
    while (sim.steps < steps && (await sim.step()));
    return sim;
  }

  /** Creates the endpoints and runs every role's code up to its first receive. */
  async start(): Promise<void> {
    const wire = this.wire();
    const sessionId = this.options.sessionId ?? 'sim';
    const timeout = this.options.timeoutMs;
    for (const spec of this.specs)
      this.endpoints.set(
        spec.role,
        new SessionEndpoint(
          spec,
          sessionId,
          this.tracer,
          wire,
          timeout !== undefined ? { timeoutMs: timeout } : {},
        ),
      );
    for (const r of this.roles) {
      this.eps.push(must(this.endpoints.get(r)));
      this.done.push(false);
    }
    for (const f of this.plan.faults)
      if ((f.kind === 'crash' && f.atTime !== undefined) || f.kind === 'link')
        this.heap.push({ time: f.atTime ?? 0, seq: this.seq++, kind: 'fault', fault: f });
    for (const r of this.roles) this.launch(r);
    if (!this.quiescent()) await this.settle();
  }

  /** Takes the next event; false when the run is over (nothing left to do, or cut). */
  async step(): Promise<boolean> {
    const more = this.advance();
    if (!this.quiescent()) await this.settle();
    return more && this.cut === undefined;
  }

  /** Runs to the end (what {@link simulate} does after {@link start}). */
  async run(): Promise<void> {
    for (;;) {
      const more = this.advance();
      // Role code only needs to run when a step woke somebody (most steps just queue).
      if (!this.quiescent()) await this.settle();
      if (!more || this.cut !== undefined) return;
    }
  }

  /** Processes the next event synchronously; false when there is none left (or cut). */
  private advance(): boolean {
    if (this.cut !== undefined) return false;
    let e = this.heap.pop();
    while (e?.kind === 'timer' && e.cancelled) e = this.heap.pop();
    if (!e) {
      // Held messages go once nothing else can overtake them.
      if (this.held.length === 0) return this.finish();
      for (const m of this.held.splice(0)) this.release(m);
      return true;
    }
    this.sentSinceStep = 0;
    if (++this.steps > this.maxSteps) {
      this.cut = `more than ${this.maxSteps} steps`;
      return this.finish();
    }
    this.now = Math.max(this.now, e.time);
    if (e.kind === 'deliver') this.deliver(e.link);
    else if (e.kind === 'timer') e.fn();
    else this.fault(e.fault);
    return true;
  }

  /** The number of scheduler steps taken so far. */
  get stepCount(): number {
    return this.steps;
  }

  /** Where each role is now, and the trace so far. */
  result(): SimulationResult {
    const outcomes = this.roles.map((role): RoleOutcome => {
      const ep = must(this.endpoints.get(role));
      const error = this.settled.get(role);
      const a = ep.activity;
      const status =
        error !== undefined
          ? 'failed'
          : a === 'crashed'
            ? 'crashed'
            : a === 'done' && this.settled.has(role)
              ? 'done'
              : 'blocked';
      return { role, state: ep.state, status, ...(error !== undefined ? { error } : {}) };
    });
    const ok =
      this.cut === undefined &&
      outcomes.every((o) => o.status === 'done' || o.status === 'crashed');
    return {
      seed: this.options.seed,
      plan: this.plan,
      steps: this.steps,
      time: this.now,
      outcomes,
      ok,
      ...(this.cut !== undefined ? { cut: this.cut } : {}),
      trace: this.tracer.trace(),
      replay: `seed=${this.options.seed} plan=${JSON.stringify(this.plan)}`,
    };
  }

  // ---- internals ----

  private finish(): false {
    return false;
  }

  private wire(): Wire {
    const crashAt = new Map<Role, number>();
    for (const f of this.plan.faults)
      if (f.kind === 'crash' && f.atAction !== undefined)
        crashAt.set(f.role, Math.min(f.atAction, crashAt.get(f.role) ?? Infinity));
    return {
      transmit: (from, to, label, payload, id, text) =>
        this.transmit(from, to, { label, payload, id, text, at: 0, held: false }),
      // Asked once per send, before the endpoint changes anything. Role code that sends without
      // ever waiting yields to microtasks only, so neither the scheduler nor the watchdog's timer
      // would run again: past `maxSteps` sends (each needs a step to be delivered) it is cut.
      nextId: (from) => {
        if (++this.sentSinceStep > this.maxSteps) {
          this.cut ??= `more than ${this.maxSteps} messages sent without waiting (by ${from})`;
          throw new SimulationError('MPST590', `${from}: ${this.cut}; the run is cut`);
        }
        return this.nextMessageId++;
      },
      timer: (ms, fn) => {
        const ev: Event = {
          time: this.now + ms,
          seq: this.seq++,
          kind: 'timer',
          fn,
          cancelled: false,
        };
        this.heap.push(ev);
        return () => {
          ev.cancelled = true;
        };
      },
      activity: (ep, now) => this.onActivity(ep, now),
      crashNow: (ep) => crashAt.get(ep.role) === ep.actions,
    };
  }

  private launch(role: Role): void {
    const ep = must(this.endpoints.get(role));
    const fn = this.code[role];
    let p: Promise<void> | void;
    try {
      if (!fn) throw new SimulationError('MPST592', `no code for role ${role}`);
      p = fn(ep);
    } catch (e) {
      this.onSettled(ep, e);
      return;
    }
    Promise.resolve(p).then(
      () => this.onSettled(ep, undefined),
      (e: unknown) => this.onSettled(ep, e),
    );
  }

  private onSettled(ep: SessionEndpoint, e: unknown): void {
    let error: string | undefined;
    if (e instanceof EndpointCrashed && ep.activity === 'crashed') error = undefined;
    else if (e !== undefined) error = e instanceof Error ? e.message : JSON.stringify(e);
    else if (!ep.done && ep.activity !== 'crashed')
      error = `MPST592: ${ep.role}'s code returned in state ${ep.state}, which is not terminal`;
    this.settled.set(ep.role, error);
    this.done[this.eps.indexOf(ep)] = true;
    // Role code that gave up leaves the session: to the others it is as if it crashed.
    if (error !== undefined && ep.activity !== 'crashed') this.linksDown(ep.role, 'crashed');
    this.wake();
  }

  private onActivity(ep: SessionEndpoint, now: Activity): void {
    if (now === 'crashed') this.linksDown(ep.role, 'crashed');
    this.wake();
  }

  private quiescent(): boolean {
    const eps = this.eps;
    for (let i = 0; i < eps.length; i++)
      if (!this.done[i] && must(eps[i]).activity !== 'blocked') return false;
    return true;
  }

  private wake(): void {
    if (this.idle && this.quiescent()) this.idle();
  }

  /** Lets role code run until every role waits or has finished. */
  private async settle(): Promise<void> {
    this.waitingSince = wallNow();
    waiting.add(this);
    armWatchdog();
    try {
      while (!this.quiescent()) {
        if (this.watchdogFired) {
          this.cut = `role code ran longer than ${this.wallLimitMs} ms of real time without waiting`;
          return;
        }
        await new Promise<void>((resolve) => (this.idle = resolve));
        this.idle = undefined;
      }
    } finally {
      waiting.delete(this);
    }
  }

  /** @internal the watchdog's check */
  checkWall(now: number): void {
    if (now - this.waitingSince > this.wallLimitMs) {
      this.watchdogFired = true;
      this.idle?.();
    }
  }

  get wallLimitMs(): number {
    return this.options.wallLimitMs ?? 10_000;
  }

  private link(from: Role, to: Role): Link {
    // Two small maps instead of a string key: no allocation per message.
    let byTo = this.linkTable.get(from);
    if (!byTo) {
      byTo = new Map<Role, Link>();
      this.linkTable.set(from, byTo);
    }
    let l = byTo.get(to);
    if (!l) {
      const link: Omit<Link, 'event'> & { event?: DeliverEvent } = {
        from,
        to,
        queue: [],
        lastAt: 0,
        sent: 0,
        failed: false,
        scheduled: false,
        faults: this.plan.faults.filter(
          (f): f is Extract<Fault, { nth: number }> => 'nth' in f && f.from === from && f.to === to,
        ),
      };
      link.event = { time: 0, seq: 0, kind: 'deliver', link: link as Link };
      l = link as Link;
      byTo.set(to, l);
      this.links.push(l);
    }
    return l;
  }

  private latency(): number {
    return this.minLatency + Math.floor(this.rng.next() * (this.spanLatency + 1));
  }

  private transmit(from: Role, to: Role, m: Message): void {
    const link = this.link(from, to);
    const nth = link.sent++;
    const receiver = this.endpoints.get(to);
    if (receiver?.activity === 'crashed') {
      this.tracer.lost(from, to, m.text, m.id, 'crashed');
      return;
    }
    if (link.failed) {
      this.tracer.lost(from, to, m.text, m.id, 'link');
      return;
    }
    let extra = 0;
    for (const f of link.faults) {
      if (f.nth !== nth) continue;
      if (f.kind === 'drop') {
        this.tracer.lost(from, to, m.text, m.id, 'link');
        return;
      }
      if (f.kind === 'delay') extra += f.ms;
      if (f.kind === 'reorder') m.held = true;
    }
    this.enqueue(link, m, extra);
  }

  private enqueue(link: Link, item: InFlight, extra: number): void {
    item.at = Math.max(this.now + this.latency() + extra, link.lastAt);
    link.lastAt = item.at;
    link.queue.push(item);
    this.schedule(link);
  }

  private schedule(link: Link): void {
    const head = link.queue[0];
    if (!head || link.scheduled) return;
    if (head.held) {
      if (!this.held.includes(head)) this.held.push(head);
      return;
    }
    link.scheduled = true;
    // One heap entry per link at a time (its head), so the event object is reused.
    const ev = link.event;
    ev.time = Math.max(head.at, this.now);
    ev.seq = this.seq++;
    this.heap.push(ev);
  }

  private release(m: Message): void {
    m.held = false;
    for (const link of this.links)
      if (link.queue[0] === m) {
        m.at = this.now;
        this.schedule(link);
      }
  }

  private deliver(link: Link): void {
    link.scheduled = false;
    const item = link.queue.shift();
    if (item) {
      const ep = must(this.endpoints.get(link.to));
      if ('eof' in item) ep.peerDown(link.from, item.eof);
      else {
        ep.deliver(link.from, item.label, item.payload, item.id, item.text);
        // A message from another link overtook the held ones to this receiver: let them go.
        for (let i = this.held.length - 1; i >= 0; i--) {
          const h = must(this.held[i]);
          if (this.linkOf(h)?.to === link.to && this.linkOf(h) !== link) {
            this.held.splice(i, 1);
            this.release(h);
          }
        }
      }
    }
    this.schedule(link);
  }

  private linkOf(m: Message): Link | undefined {
    for (const link of this.links) if (link.queue[0] === m) return link;
    return undefined;
  }

  private fault(f: Fault): void {
    if (f.kind === 'crash') must(this.endpoints.get(f.role)).crash();
    else if (f.kind === 'link') {
      const link = this.link(f.from, f.to);
      if (link.failed) return;
      link.failed = true;
      for (const item of link.queue.splice(0))
        if (!('eof' in item)) {
          this.tracer.lost(f.from, f.to, item.text, item.id, 'link');
          const h = this.held.indexOf(item);
          if (h >= 0) this.held.splice(h, 1);
        }
      link.lastAt = 0;
      this.enqueue(link, { eof: 'link', at: 0, held: false }, 0);
    }
  }

  /** `role` stopped: after what it already sent, each peer learns it is gone. */
  private linksDown(role: Role, why: 'crashed'): void {
    for (const to of this.roles)
      if (to !== role) {
        const link = this.link(role, to);
        if (!link.failed) this.enqueue(link, { eof: why, at: 0, held: false }, 0);
        link.failed = true;
      }
  }
}

/**
 * One watchdog for every simulation waiting on role code (a timer per run would cost more than
 * a short run): every 100 ms it cuts the runs whose role code has not yielded for too long.
 */
const waiting = new Set<Simulation>();
let armed = false;

function armWatchdog(): void {
  if (armed) return;
  armed = true;
  realTimer(100, () => {
    armed = false;
    const now = wallNow();
    for (const sim of waiting) sim.checkWall(now);
    if (waiting.size > 0) armWatchdog();
  });
}

/**
 * Why a run was not ok, as one sentence `run not ok: …` (the cut, else each failed or blocked
 * role with its error), in a list so that it joins a caller's own property violations; an empty
 * list for an ok run. {@link assertRunOk} throws instead, with the replay.
 */
export function checkRunOk(r: SimulationResult): string[] {
  if (r.ok) return [];
  const why = r.outcomes
    .filter((o) => o.status === 'failed' || o.status === 'blocked')
    .map((o) => `${o.role} ${o.status}${o.error ? ` (${o.error})` : ''}`);
  return [`run not ok: ${r.cut ?? why.join(', ')}`];
}

/** Throws an error that names the seed and plan replaying the run, unless the run was ok. */
export function assertRunOk(r: SimulationResult): void {
  if (r.ok) return;
  const bad = r.outcomes
    .filter((o) => o.status !== 'done' && o.status !== 'crashed')
    .map(
      (o) =>
        `${o.role} ${o.status} in state ${o.state}${o.error !== undefined ? ` (${o.error})` : ''}`,
    );
  throw new SimulationError(
    'MPST590',
    `simulation failed${r.cut !== undefined ? ` (cut: ${r.cut})` : ''}: ${bad.join('; ')}. Replay with ${r.replay}`,
  );
}
