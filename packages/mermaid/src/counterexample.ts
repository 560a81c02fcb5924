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
 * its step numbers in the trace (`m(T) (3→5)`; `-x` lost to a crashed role, `--)` never
 * received); a role's crash is a `-x` mark that ends its lifeline, crash detection a dotted
 * `--x` from the crashed peer. A liveness violation's repeatable cycle is a `loop`. The
 * violation itself is the last note, over the roles at fault.
 */
export function counterexampleToSequence(roles: readonly Role[], violation: Violation, options: CounterexampleOptions = {}): string {
  const items: Item[] = [];
  const crashed: Role[] = [];
  draw(violation.trace, 0, items, crashed);
  // `cycle` (liveness violations) is read structurally: older @mpst/verify versions lack it.
  const cycle = (violation as { readonly cycle?: readonly Step[] }).cycle;
  if (cycle && cycle.length > 0) {
    items.push({ kind: 'open', header: `loop ${text('forever')}` });
    draw(cycle, violation.trace.length, items, crashed);
    items.push({ kind: 'close' });
  }
  items.push({ kind: 'note', over: violation.roles, label: `${violation.kind}: ${violation.message}` });
  return printDrawing({
    ...(options.title !== undefined ? { title: options.title } : {}),
    roles,
    ...(options.reliable ? { reliable: options.reliable } : {}),
    items,
    crashed,
  });
}

/** Appends the arrows and notes of `steps` (numbered from `offset + 1`). */
function draw(steps: readonly Step[], offset: number, items: Item[], crashed: Role[]): void {
  // Where each send is received: the k-th send from A to B with the k-th receive (FIFO).
  const receivedAt = new Map<number, number>();
  const pending = new Map<string, number[]>();
  const key = (from: Role, to: Role): string => JSON.stringify([from, to]);
  steps.forEach((s, i) => {
    const kind: string = s.kind;
    if (s.peer === undefined) return;
    if ((kind === 'send' || kind === 'request') && s.lost !== true) {
      const q = pending.get(key(s.role, s.peer)) ?? [];
      q.push(i);
      pending.set(key(s.role, s.peer), q);
    } else if (kind === 'receive' || kind === 'accept') {
      const from = pending.get(key(s.peer, s.role))?.shift();
      if (from !== undefined) receivedAt.set(from, i);
    }
  });
  const n = (i: number): string => String(offset + i + 1);
  steps.forEach((s, i) => {
    // Read as a string: newer @mpst/verify versions add kinds (e.g. `link-fails`).
    const kind: string = s.kind;
    const peer = s.peer ?? s.role;
    const what = s.message ?? s.label;
    switch (kind) {
      case 'send':
      case 'request': {
        const text = kind === 'request' ? `connect ${what}` : what;
        const got = receivedAt.get(i);
        if (s.lost === true) items.push({ kind: 'arrow', from: s.role, to: peer, arrow: '-x', label: `${text} (${n(i)}, lost)` });
        else if (got !== undefined) items.push({ kind: 'arrow', from: s.role, to: peer, arrow: kind === 'request' ? '-)' : '->>', label: `${text} (${n(i)}→${n(got)})` });
        else items.push({ kind: 'arrow', from: s.role, to: peer, arrow: '--)', label: `${text} (${n(i)}, not received)` });
        break;
      }
      case 'receive':
      case 'accept':
        break; // drawn with the send
      case 'crashed':
        if (!crashed.includes(s.role)) crashed.push(s.role);
        items.push({ kind: 'arrow', from: s.role, to: s.role, arrow: '-x', label: `crash (${n(i)})` });
        break;
      case 'crash':
        items.push({ kind: 'arrow', from: peer, to: s.role, arrow: '--x', label: `${s.role} detects the crash of ${peer} (${n(i)})` });
        break;
      case 'link-fails':
        items.push({ kind: 'note', over: [s.role, peer], label: `link ${s.role} → ${peer} fails (${n(i)})` });
        break;
      default:
        // disconnect, wrap: local steps.
        items.push({ kind: 'note', over: [s.role], label: `${s.role}: ${s.label} (${n(i)})` });
    }
  });
}
