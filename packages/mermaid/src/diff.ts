import { showMessage, walk, type ElaboratedProtocol, type GlobalType } from '@mpst/projector';
import { globalToSequence, type SequenceOptions } from './sequence.js';

/** A refactoring shown as two sequence diagrams. */
export interface RefactoringDiff {
  /** The protocol before, with the interactions the refactoring removed highlighted (red). */
  readonly before: string;
  /** The protocol after, with the interactions it added highlighted (green): the new crash handling. */
  readonly after: string;
  /** How many interactions were added and removed. */
  readonly added: number;
  readonly removed: number;
}

/** Colour of added interactions. */
export const ADDED_COLOR = 'rgb(200, 240, 200)';
/** Colour of removed interactions. */
export const REMOVED_COLOR = 'rgb(255, 210, 210)';

/**
 * Before/after sequence diagrams of a refactoring (such as adding crash handling to a
 * protocol), each highlighting what the other lacks. Interactions are compared as a multiset
 * of `from → to: message` (crash notices as `crash from → to`, connections by kind), not by
 * position: an interaction that only moved is not reported, and among equal ones those
 * found later in a depth-first walk of the protocol count as the added (or removed) ones.
 */
export function refactoringDiff(
  before: ElaboratedProtocol,
  after: ElaboratedProtocol,
  options: Omit<SequenceOptions, 'highlight' | 'highlightColor'> = {},
): RefactoringDiff {
  const added = unmatched(after.body, before.body);
  const removed = unmatched(before.body, after.body);
  return {
    before: globalToSequence(before, {
      ...options,
      highlight: removed,
      highlightColor: REMOVED_COLOR,
    }),
    after: globalToSequence(after, { ...options, highlight: added, highlightColor: ADDED_COLOR }),
    added: added.size,
    removed: removed.size,
  };
}

/** The interactions of `g` without a counterpart in `other`. */
function unmatched(g: GlobalType, other: GlobalType): Set<GlobalType> {
  const counts = new Map<string, number>();
  for (const n of interactions(other)) {
    const k = keyOf(n);
    if (k !== undefined) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const out = new Set<GlobalType>();
  for (const n of interactions(g)) {
    const k = keyOf(n);
    if (k === undefined) continue;
    const c = counts.get(k) ?? 0;
    if (c > 0) counts.set(k, c - 1);
    else out.add(n);
  }
  return out;
}

/** Every node of `g` in a fixed (depth-first) order. */
function interactions(g: GlobalType): GlobalType[] {
  const out: GlobalType[] = [];
  walk(g, (n) => {
    out.push(n);
    return undefined;
  });
  return out;
}

/** What identifies an interaction across versions; undefined for structure (choice, rec, ...). */
function keyOf(n: GlobalType): string | undefined {
  switch (n.kind) {
    case 'message':
      return JSON.stringify(['message', n.from, n.to, showMessage(n.message)]);
    case 'crash':
      return JSON.stringify(['crash', n.from, n.to]);
    case 'connect':
    case 'disconnect':
    case 'wrap':
      return JSON.stringify([n.kind, n.from, n.to, n.message ? showMessage(n.message) : '']);
    default:
      return undefined;
  }
}
