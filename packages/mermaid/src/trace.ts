import type { Role } from '@mpst/projector';
import type { RunEvent, RunLost, RunTrace } from '@mpst/runtime';
import { printDrawing, type Item } from './drawing.js';
import { formatMs } from './escape.js';

// A run of a protocol as observed at run time: `@mpst/runtime` produces it and defines the type
// (one layer below); this package draws it. Re-exported so users of the pictures need not
// import the runtime. Plain JSON-able data.
export type {
  RunCrash,
  RunEvent,
  RunEventBase,
  RunLost,
  RunReceive,
  RunSend,
  RunTimeout,
  RunTrace,
} from '@mpst/runtime';

/**
 * A run trace as a Mermaid `sequenceDiagram`. Each message is one arrow, drawn when it was
 * sent and labelled with its send and receive times: `->>` delivered, `-x` lost, `--)` still
 * in flight when the trace ends. A crash is a `-x` mark on the crashed role's lifeline; a
 * timeout is a dotted `--x` from the peer given up on. A crashed role's lifeline ends
 * (`destroy`) at the last arrow that involves it.
 */
export function runTraceToSequence(trace: RunTrace): string {
  const { items, crashed } = drawRun(trace);
  return printDrawing({
    ...(trace.protocol !== undefined ? { title: `${trace.protocol} (run)` } : {}),
    roles: trace.roles,
    ...(trace.reliable ? { reliable: trace.reliable } : {}),
    items,
    crashed,
  });
}

/**
 * For each event of `trace`, the 0-based position of the arrow {@link runTraceToSequence}
 * draws for it, in drawing order: a receive or a loss shares its send's arrow. A viewer uses
 * it to highlight the arrow of the event a replay has reached (Mermaid draws the arrows in
 * this order).
 */
export function runTraceArrows(trace: RunTrace): number[] {
  return drawRun(trace).arrowOf;
}

function drawRun(trace: RunTrace): { items: Item[]; crashed: Role[]; arrowOf: number[] } {
  const items: Item[] = [];
  const crashed: Role[] = [];
  const arrowOf: number[] = [];
  const { receivedAt, lostAt, pairedEvents, sendOf } = pair(trace.events);
  trace.events.forEach((e, i) => {
    const paired = sendOf.get(i);
    // Every item pushed here is an arrow: its position is items.length before the push.
    arrowOf.push(paired !== undefined ? (arrowOf[paired] ?? -1) : items.length);
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
  return { items, crashed, arrowOf };
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
  /** A paired receive or loss → its send. */
  sendOf: Map<number, number>;
} {
  const receivedAt = new Map<number, number>();
  const sendOf = new Map<number, number>();
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
    sendOf.set(i, s);
    if (e.kind === 'receive') receivedAt.set(s, e.time);
    else lostAt.set(s, e);
  });
  return { receivedAt, lostAt, pairedEvents, sendOf };
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
