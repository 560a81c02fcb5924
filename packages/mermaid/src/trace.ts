import type { Role } from '@mpst/projector';
import { printDrawing, type Item } from './drawing.js';
import { formatMs } from './escape.js';

/**
 * A run of a protocol as observed at run time: the data type `@mpst/runtime` produces and
 * this package draws (agreed in ARCHITECTURE.md, "Agreed data types"). Plain JSON-able data.
 */
export interface RunTrace {
  /** The protocol's name (the diagram's title). */
  readonly protocol?: string;
  /** The participants, in declaration order. */
  readonly roles: readonly Role[];
  /** Roles declared `reliable` (marked in the picture). */
  readonly reliable?: readonly Role[];
  /** What happened, in the order it happened (times never decrease). */
  readonly events: readonly RunEvent[];
}

/** Fields every event has. */
export interface RunEventBase {
  /** Milliseconds since the run started. */
  readonly time: number;
}

/**
 * `from` sent `message` (`label(T1, T2)`) to `to`. `id`, when the runtime numbers messages,
 * pairs the send with its `receive` or `lost` event; without it they are paired in FIFO
 * order per ordered pair of roles (the channels are FIFO).
 */
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

/**
 * A run trace as a Mermaid `sequenceDiagram`. Each message is one arrow, drawn when it was
 * sent and labelled with its send and receive times: `->>` delivered, `-x` lost, `--)` still
 * in flight when the trace ends. A crash is a `-x` mark on the crashed role's lifeline; a
 * timeout is a dotted `--x` from the peer given up on. A crashed role's lifeline ends
 * (`destroy`) at the last arrow that involves it.
 */
export function runTraceToSequence(trace: RunTrace): string {
  const items: Item[] = [];
  const crashed: Role[] = [];
  const { receivedAt, lostAt, pairedEvents } = pair(trace.events);
  trace.events.forEach((e, i) => {
    switch (e.kind) {
      case 'send': {
        const sent = formatMs(e.time).replace(' ms', '');
        const got = receivedAt.get(i);
        const lost = lostAt.get(i);
        if (got !== undefined)
          items.push({
            kind: 'arrow',
            from: e.from,
            to: e.to,
            arrow: '->>',
            label: `${e.message} (${sent} → ${formatMs(got)})`,
          });
        else if (lost !== undefined)
          items.push({
            kind: 'arrow',
            from: e.from,
            to: e.to,
            arrow: '-x',
            label: `${e.message} lost (${formatMs(e.time)}${lost.reason === 'link' ? ', link failed' : ''})`,
          });
        else
          items.push({
            kind: 'arrow',
            from: e.from,
            to: e.to,
            arrow: '--)',
            label: `${e.message} (${formatMs(e.time)}, not received)`,
          });
        break;
      }
      case 'receive':
        // Drawn with its send, unless the send was not recorded (the trace began later).
        if (!pairedEvents.has(i))
          items.push({
            kind: 'arrow',
            from: e.from,
            to: e.to,
            arrow: '->>',
            label: `${e.message} (received ${formatMs(e.time)})`,
          });
        break;
      case 'lost':
        if (!pairedEvents.has(i))
          items.push({
            kind: 'arrow',
            from: e.from,
            to: e.to,
            arrow: '-x',
            label: `${e.message} lost (${formatMs(e.time)}${e.reason === 'link' ? ', link failed' : ''})`,
          });
        break;
      case 'crash':
        if (!crashed.includes(e.role)) crashed.push(e.role);
        items.push({
          kind: 'arrow',
          from: e.role,
          to: e.role,
          arrow: '-x',
          label: `crash (${formatMs(e.time)})`,
        });
        break;
      case 'timeout':
        items.push({
          kind: 'arrow',
          from: e.peer,
          to: e.role,
          arrow: '--x',
          label: `timeout: ${e.role} gives up on ${e.peer} (${formatMs(e.time)})`,
        });
        break;
    }
  });
  return printDrawing({
    ...(trace.protocol !== undefined ? { title: `${trace.protocol} (run)` } : {}),
    roles: trace.roles,
    ...(trace.reliable ? { reliable: trace.reliable } : {}),
    items,
    crashed,
  });
}

/**
 * Pairs each send with its receive or loss: by `id` when both carry one, else with the oldest
 * unpaired send from A to B of the same message (FIFO channels; a runtime may not report
 * every message dropped when a role crashed, so the oldest one may have vanished unreported).
 */
function pair(events: readonly RunEvent[]): {
  receivedAt: Map<number, number>;
  lostAt: Map<number, RunLost>;
  pairedEvents: Set<number>;
} {
  const receivedAt = new Map<number, number>();
  const lostAt = new Map<number, RunLost>();
  const pairedEvents = new Set<number>();
  const byId = new Map<number, number>();
  const pending = new Map<string, number[]>();
  const key = (from: Role, to: Role): string => JSON.stringify([from, to]);
  events.forEach((e, i) => {
    if (e.kind === 'send') {
      if (e.id !== undefined) byId.set(e.id, i);
      else {
        const q = pending.get(key(e.from, e.to)) ?? [];
        q.push(i);
        pending.set(key(e.from, e.to), q);
      }
      return;
    }
    if (e.kind !== 'receive' && e.kind !== 'lost') return;
    const s =
      e.id !== undefined
        ? byId.get(e.id)
        : takePending(pending.get(key(e.from, e.to)), events, e.message);
    if (s === undefined) return;
    if (e.id !== undefined) byId.delete(e.id);
    pairedEvents.add(i);
    if (e.kind === 'receive') receivedAt.set(s, e.time);
    else lostAt.set(s, e);
  });
  return { receivedAt, lostAt, pairedEvents };
}

/** Removes and returns the oldest pending send of `message` from `queue`, if any. */
function takePending(
  queue: number[] | undefined,
  events: readonly RunEvent[],
  message: string,
): number | undefined {
  if (!queue || queue.length === 0) return undefined;
  const same = queue.findIndex((i) => {
    const e = events[i];
    return e?.kind === 'send' && e.message === message;
  });
  return same >= 0 ? queue.splice(same, 1)[0] : undefined;
}
