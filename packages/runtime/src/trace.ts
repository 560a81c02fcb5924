/**
 * Recording a run as a {@link RunTrace}: every send, receive, loss, crash and crash detection,
 * with its time (ms since the run started: virtual in the simulator, wall-clock otherwise) and
 * its logical time `seq` (position in the run).
 */
import type { Role } from '@mpst/projector';
import { RuntimeError } from './errors.js';
import type { RunEvent, RunTrace } from './types.js';

/** Collects the events of one session (or of one process's share of it). */
export class Tracer {
  readonly events: RunEvent[] = [];
  private readonly origin: number;
  private last = 0;

  constructor(
    readonly protocol: string,
    readonly roles: readonly Role[],
    readonly reliable: readonly Role[],
    /** The clock; times are reported relative to its value now. */
    private readonly clock: () => number,
    /** Off: record nothing (benchmarks). */
    readonly enabled = true,
    /** `clock` is ms since 1970: the trace records its start (`startedAt`) for merging. */
    epochClock = false,
  ) {
    this.origin = clock();
    if (epochClock) this.startedAt = this.origin;
  }

  private readonly startedAt: number | undefined;

  /** Milliseconds since the run started, never decreasing. */
  time(): number {
    // Microsecond resolution is plenty, and keeps the JSON short.
    const t = Math.round((this.clock() - this.origin) * 1000) / 1000;
    if (t > this.last) this.last = t;
    return this.last;
  }

  send(from: Role, to: Role, message: string, id: number): void {
    this.message('send', from, to, message, id);
  }

  receive(from: Role, to: Role, message: string, id: number): void {
    this.message('receive', from, to, message, id);
  }

  private message(
    kind: 'send' | 'receive',
    from: Role,
    to: Role,
    message: string,
    id: number,
  ): void {
    if (this.enabled)
      this.events.push({ kind, time: this.time(), seq: this.events.length, from, to, message, id });
  }

  lost(from: Role, to: Role, message: string, id: number, reason: 'crashed' | 'link'): void {
    if (this.enabled)
      this.events.push({
        kind: 'lost',
        time: this.time(),
        seq: this.events.length,
        from,
        to,
        message,
        id,
        reason,
      });
  }

  crash(role: Role): void {
    if (this.enabled)
      this.events.push({ kind: 'crash', time: this.time(), seq: this.events.length, role });
  }

  timeout(role: Role, peer: Role): void {
    if (this.enabled)
      this.events.push({ kind: 'timeout', time: this.time(), seq: this.events.length, role, peer });
  }

  /** The trace so far (a snapshot: later events are not added to it). */
  trace(): RunTrace {
    return {
      protocol: this.protocol,
      roles: [...this.roles],
      reliable: [...this.reliable],
      events: this.events.slice(),
      ...(this.startedAt !== undefined ? { startedAt: this.startedAt } : {}),
    };
  }
}

/**
 * Merges the traces several processes recorded of one session (each endpoint records its own
 * sends and receives; the hub records losses and crashes) by time, then by each trace's order,
 * renumbering `seq`. Traces with `startedAt` are first put on one time line (the earliest
 * start is 0); across machines that is only as good as their clocks agree.
 */
export function mergeTraces(traces: readonly RunTrace[]): RunTrace {
  const first = traces[0];
  if (!first) return { roles: [], events: [] };
  const aligned = traces.every((t) => t.startedAt !== undefined);
  const t0 = aligned ? Math.min(...traces.map((t) => t.startedAt ?? 0)) : 0;
  const all = traces.flatMap((t, ti) =>
    t.events.map((e, i) => ({
      e: aligned ? { ...e, time: e.time + (t.startedAt ?? t0) - t0 } : e,
      ti,
      i,
    })),
  );
  all.sort((a, b) => a.e.time - b.e.time || a.ti - b.ti || a.i - b.i);
  return {
    ...(first.protocol !== undefined ? { protocol: first.protocol } : {}),
    roles: first.roles,
    ...(first.reliable ? { reliable: first.reliable } : {}),
    events: all.map(({ e }, seq) => ({ ...e, seq })),
    ...(aligned ? { startedAt: t0 } : {}),
  };
}

/** A trace as JSON text (one event per line, so diffs of traces read well). */
export function runTraceToJson(trace: RunTrace): string {
  const { events, ...rest } = trace;
  const head = JSON.stringify(rest);
  const lines = events.map((e) => `  ${JSON.stringify(e)}`).join(',\n');
  return `${head.slice(0, -1)}${head === '{}' ? '' : ','}"events":[${lines === '' ? '' : `\n${lines}\n`}]}\n`;
}

const ROLE_EVENT: Record<RunEvent['kind'], readonly string[]> = {
  send: ['from', 'to', 'message'],
  receive: ['from', 'to', 'message'],
  lost: ['from', 'to', 'message'],
  crash: ['role'],
  timeout: ['role', 'peer'],
};

/** Parses and checks a trace written by {@link runTraceToJson} (or any JSON of its shape). */
export function parseRunTrace(text: string): RunTrace {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new RuntimeError('MPST593', `not JSON: ${(e as Error).message}`);
  }
  const bad = (why: string): never => {
    throw new RuntimeError('MPST593', why);
  };
  if (typeof data !== 'object' || data === null) return bad('not an object');
  const t = data as Record<string, unknown>;
  if (!isStrings(t['roles'])) bad('roles must be an array of strings');
  if (t['reliable'] !== undefined && !isStrings(t['reliable']))
    bad('reliable must be an array of strings');
  if (t['protocol'] !== undefined && typeof t['protocol'] !== 'string')
    bad('protocol must be a string');
  if (!Array.isArray(t['events'])) return bad('events must be an array');
  let last = -Infinity;
  (t['events'] as unknown[]).forEach((e, i) => {
    if (typeof e !== 'object' || e === null) bad(`event ${i} is not an object`);
    const ev = e as Record<string, unknown>;
    const fields = ROLE_EVENT[ev['kind'] as RunEvent['kind']] as readonly string[] | undefined;
    if (!fields) return bad(`event ${i}: unknown kind ${String(ev['kind'])}`);
    if (typeof ev['time'] !== 'number' || ev['time'] < last)
      bad(`event ${i}: time missing or decreasing`);
    last = ev['time'] as number;
    for (const f of fields) if (typeof ev[f] !== 'string') bad(`event ${i}: ${f} must be a string`);
    return undefined;
  });
  return data as RunTrace;
}

function isStrings(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}
