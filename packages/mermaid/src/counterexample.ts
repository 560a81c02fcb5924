import type { Role } from '@mpst/projector';
import type { Step, Violation } from '@mpst/verify';
import { printDrawing, type Item } from './drawing.js';
import { text } from './escape.js';

/** Options of {@link counterexampleToSequence}. */
export interface CounterexampleOptions {
  /** Roles declared `reliable` (marked). */
  readonly reliable?: readonly Role[];
  /** A title above the diagram. Default: none. */
  readonly title?: string;
}

/**
 * A verifier counterexample (`@mpst/verify`'s shortest trace of a {@link Violation}) as a
 * Mermaid `sequenceDiagram`: each message is an arrow drawn when it is sent and labelled with
 * its step numbers (`m(T) (3→5)`; `-x` lost to a crashed role, `--)` never received); a role's
 * crash is a `-x` mark that ends its lifeline, crash detection a dotted `--x` from the crashed
 * peer. A liveness violation's repeatable cycle is a `loop`; a message sent in the cycle and
 * received only when the cycle comes round again is labelled `(5→4 in the next round)`. The
 * violation itself is the last note, over the roles at fault.
 */
export function counterexampleToSequence(
  roles: readonly Role[],
  violation: Violation,
  options: CounterexampleOptions = {},
): string {
  const items: Item[] = [];
  const crashed: Role[] = [];
  const { trace, cycle = [] } = violation;
  // Receptions are matched over the lasso unrolled once more, so that a send in the cycle finds
  // the receive that takes it in the next round.
  const receivedAt = fifoReceives([...trace, ...cycle, ...cycle]);
  const ctx: DrawContext = {
    items,
    crashed,
    receivedAt,
    lassoLength: trace.length + cycle.length,
    cycleLength: cycle.length,
  };
  draw(trace, 0, ctx);
  if (cycle.length > 0) {
    items.push({ kind: 'open', header: `loop ${text('forever')}` });
    draw(cycle, trace.length, ctx);
    items.push({ kind: 'close' });
  }
  items.push({
    kind: 'note',
    over: violation.roles,
    label: `${violation.kind}: ${violation.message}`,
  });
  return printDrawing({
    ...(options.title !== undefined ? { title: options.title } : {}),
    roles,
    ...(options.reliable ? { reliable: options.reliable } : {}),
    items,
    crashed,
  });
}

interface DrawContext {
  readonly items: Item[];
  readonly crashed: Role[];
  /** Step index of each delivered send → step index of its receive (in the unrolled lasso). */
  readonly receivedAt: ReadonlyMap<number, number>;
  readonly lassoLength: number;
  readonly cycleLength: number;
}

/** Where each send is received: the k-th send from A to B with the k-th receive (FIFO queues). */
function fifoReceives(steps: readonly Step[]): Map<number, number> {
  const receivedAt = new Map<number, number>();
  const pending = new Map<string, number[]>();
  const key = (from: Role, to: Role): string => JSON.stringify([from, to]);
  steps.forEach((s, i) => {
    if (s.peer === undefined) return;
    if ((s.kind === 'send' || s.kind === 'request') && s.lost !== true) {
      const q = pending.get(key(s.role, s.peer)) ?? [];
      q.push(i);
      pending.set(key(s.role, s.peer), q);
    } else if (s.kind === 'receive' || s.kind === 'accept') {
      const from = pending.get(key(s.peer, s.role))?.shift();
      if (from !== undefined) receivedAt.set(from, i);
    }
  });
  return receivedAt;
}

/** Appends the arrows and notes of `steps`, the steps numbered from `offset + 1`. */
function draw(steps: readonly Step[], offset: number, ctx: DrawContext): void {
  const { items, crashed } = ctx;
  steps.forEach((s, i) => {
    const at = offset + i;
    const n = String(at + 1);
    const peer = s.peer ?? s.role;
    const what = s.message ?? s.label;
    switch (s.kind) {
      case 'send':
      case 'request': {
        const text = s.kind === 'request' ? `connect ${what}` : what;
        const got = ctx.receivedAt.get(at);
        if (s.lost === true)
          items.push({
            kind: 'arrow',
            from: s.role,
            to: peer,
            arrow: '-x',
            label: `${text} (${n}, lost)`,
          });
        else if (got === undefined)
          items.push({
            kind: 'arrow',
            from: s.role,
            to: peer,
            arrow: '--)',
            label: `${text} (${n}, not received)`,
          });
        else {
          const next = got >= ctx.lassoLength;
          const to = String((next ? got - ctx.cycleLength : got) + 1);
          items.push({
            kind: 'arrow',
            from: s.role,
            to: peer,
            arrow: s.kind === 'request' ? '-)' : '->>',
            label: `${text} (${n}→${to}${next ? ' in the next round' : ''})`,
          });
        }
        break;
      }
      case 'receive':
      case 'accept':
        break; // drawn with the send
      case 'crashed':
        if (!crashed.includes(s.role)) crashed.push(s.role);
        items.push({ kind: 'arrow', from: s.role, to: s.role, arrow: '-x', label: `crash (${n})` });
        break;
      case 'crash':
        items.push({
          kind: 'arrow',
          from: peer,
          to: s.role,
          arrow: '--x',
          label: `${s.role} detects the crash of ${peer} (${n})`,
        });
        break;
      case 'link-fails':
        items.push({
          kind: 'note',
          over: [s.role, peer],
          label: `link ${s.role} → ${peer} fails (${n})`,
        });
        break;
      case 'disconnect':
      case 'wrap-client':
      case 'wrap-server':
        items.push({ kind: 'note', over: [s.role], label: `${s.role}: ${s.label} (${n})` });
        break;
    }
  });
}
