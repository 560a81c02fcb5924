import type { Role } from '@mpst/projector';
import { aliasText, frontMatter, participantIds, text } from './escape.js';

/**
 * A sequence diagram of something that happened (a run, a counterexample), before it is
 * printed: arrows and notes in order, plus the crashes. Printing places each crashed role's
 * `destroy` where Mermaid requires it: on the line just before the last arrow that involves
 * the role (so nothing touches it after its lifeline ends).
 */
export type Item =
  | {
      readonly kind: 'arrow';
      readonly from: Role;
      readonly to: Role;
      readonly arrow: Arrow;
      readonly label: string;
    }
  | { readonly kind: 'note'; readonly over: readonly Role[]; readonly label: string }
  | { readonly kind: 'open'; readonly header: string }
  | { readonly kind: 'close' };

/**
 * `->>` delivered, `-x` lost, `--x` crash detected (nothing was sent), `--)` sent but never
 * received, `-)` a connection.
 */
export type Arrow = '->>' | '-x' | '--x' | '--)' | '-)';

export interface Drawing {
  readonly title?: string;
  /** Participants in order, and which of them to mark `(reliable)`. */
  readonly roles: readonly Role[];
  readonly reliable?: readonly Role[];
  readonly items: readonly Item[];
  /** Roles that crashed: their lifelines end (`destroy`). */
  readonly crashed: readonly Role[];
}

/** Prints a drawing as Mermaid `sequenceDiagram` text. */
export function printDrawing(d: Drawing): string {
  // Every role that appears gets a participant line, declared ones first.
  const order = [...d.roles];
  const add = (r: Role): void => {
    if (!order.includes(r)) order.push(r);
  };
  for (const it of d.items) {
    if (it.kind === 'arrow') {
      add(it.from);
      add(it.to);
    } else if (it.kind === 'note') it.over.forEach(add);
  }
  d.crashed.forEach(add);
  const ids = participantIds(order);
  const id = (r: Role): string => ids.get(r) ?? r;
  const reliable = new Set(d.reliable ?? []);

  // The index of the last arrow involving each crashed role: `destroy` goes right before it.
  const destroyAt = new Map<number, Role[]>();
  const items = [...d.items];
  for (const r of d.crashed) {
    let last = -1;
    items.forEach((it, i) => {
      if (it.kind === 'arrow' && (it.from === r || it.to === r)) last = i;
    });
    if (last < 0 || insideBlock(items, last)) {
      // No arrow to end the lifeline on (or only inside a loop, where `destroy` cannot go):
      // end it on a crash mark of its own, after everything else.
      items.push({ kind: 'arrow', from: r, to: r, arrow: '-x', label: 'crashed' });
      last = items.length - 1;
    }
    destroyAt.set(last, [...(destroyAt.get(last) ?? []), r]);
  }

  const lines: string[] = [];
  if (d.title !== undefined) lines.push(...frontMatter(d.title));
  lines.push('sequenceDiagram');
  for (const r of order)
    lines.push(`  participant ${id(r)} as ${aliasText(reliable.has(r) ? `${r} (reliable)` : r)}`);
  let depth = 1;
  const line = (s: string): void => {
    lines.push(`${'  '.repeat(depth)}${s}`);
  };
  items.forEach((it, i) => {
    for (const r of destroyAt.get(i) ?? []) line(`destroy ${id(r)}`);
    switch (it.kind) {
      case 'arrow':
        line(`${id(it.from)}${it.arrow}${id(it.to)}: ${text(it.label)}`);
        break;
      case 'note': {
        let idx = it.over.map((r) => order.indexOf(r)).filter((n) => n >= 0);
        if (idx.length === 0) idx = order.map((_, n) => n);
        const lo = order[Math.min(...idx)] ?? '';
        const hi = order[Math.max(...idx)] ?? '';
        line(`Note over ${lo === hi ? id(lo) : `${id(lo)},${id(hi)}`}: ${text(it.label)}`);
        break;
      }
      case 'open':
        line(it.header);
        depth++;
        break;
      case 'close':
        depth--;
        line('end');
        break;
    }
  });
  return `${lines.join('\n')}\n`;
}

/** Whether item `i` lies inside an open/close block. */
function insideBlock(items: readonly Item[], i: number): boolean {
  let depth = 0;
  for (let j = 0; j < i; j++) {
    const it = items[j];
    if (it?.kind === 'open') depth++;
    else if (it?.kind === 'close') depth--;
  }
  return depth > 0;
}
