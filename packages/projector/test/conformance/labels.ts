/**
 * EFSM transition labels and the label equivalences the conformance tests compare with.
 *
 * Format (scribble-java's, which ours follows): `B!m(T)` send, `B?m(T)` receive, `B!!m()`
 * request, `B??m()` accept, `B-/-()` disconnect; ours also `B?crash` (crash detection). nuScr
 * writes `B!m(x: int)` and appends the recursion-variable update of a `continue`, `A?m()[n + 1]`.
 */
import type { Efsm, LocalAction } from '@mpst/projector';
import type { LabelledGraph } from './graph.js';

export interface ParsedLabel {
  readonly peer: string;
  /** `!`, `?`, `!!`, `??`, `-/-`, or `crash`. */
  readonly dir: string;
  /** The message label (empty for none; scribble-java's `EMPTY_OP` is read as empty). */
  readonly op: string;
  readonly payloads: readonly string[];
}

/** Splits on commas outside (), {} and [] (not <>: refinements use `<` and `>` as operators). */
export function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of s) {
    if ('({['.includes(c)) depth++;
    else if (')}]'.includes(c)) depth--;
    if (c === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  if (cur.trim() !== '' || out.length > 0) out.push(cur.trim());
  return out;
}

/** Reads a label; undefined when it is in no known format. */
export function parseLabel(label: string): ParsedLabel | undefined {
  const m = /^([\w]+)(!!|\?\?|!|\?|-\/-)([\s\S]*)$/.exec(label.trim());
  if (!m) return undefined;
  const peer = m[1] ?? '';
  const dir = m[2] ?? '';
  const rest = (m[3] ?? '').trim();
  if (dir === '?' && rest === 'crash') return { peer, dir: 'crash', op: '', payloads: [] };
  // `op(payloads)`, then nuScr's optional `[recursion variable update]`.
  const open = rest.indexOf('(');
  if (open < 0) return { peer, dir, op: rest === 'EMPTY_OP' ? '' : rest, payloads: [] };
  let depth = 0;
  let close = -1;
  for (let i = open; i < rest.length; i++) {
    if (rest[i] === '(') depth++;
    else if (rest[i] === ')' && --depth === 0) {
      close = i;
      break;
    }
  }
  if (close < 0) return undefined;
  const after = rest.slice(close + 1).trim();
  if (after !== '' && !/^\[[\s\S]*\]$/.test(after)) return undefined;
  const op = rest.slice(0, open).trim();
  return {
    peer,
    dir,
    op: op === 'EMPTY_OP' ? '' : op,
    payloads: splitTopLevel(rest.slice(open + 1, close)),
  };
}

/** `a.b.C` → `C`. */
export function lastSegment(name: string): string {
  const t = name.trim();
  return t.slice(t.lastIndexOf('.') + 1);
}

/**
 * Label equivalence against scribble-java's EFSMs. Normalisation (deliberate, for printing
 * differences only):
 *   - payload type names compare by their last segment: scribble-java prints a type as written
 *     at the interaction, `good.syntax.disamb.payloads.Test01.String` or `String` for the same
 *     declaration (good/syntax/disamb/payloads/Test01), `...pack1.Import01b.TTT` for an imported
 *     one;
 *   - scribble-java does not substitute `type` parameters when inlining `do`: `do Bar<String>`
 *     into `(T) from A to B` prints `B!EMPTY_OP(T)` (good/misc/globals/gdo/Do21, Do23b, Do25,
 *     good/syntax/disamb/payloads/Test01). A reference payload that is the name of a `type`
 *     parameter declared in the program matches any payload of ours at that position;
 *   - the empty operator prints as `EMPTY_OP` there; both `EMPTY_OP` and `` read as empty.
 * Peers, directions, operators (`sig` arguments are substituted by both tools) and payload
 * counts must be equal.
 */
export function scribbleJavaLabelsMatch(
  typeParams: ReadonlySet<string>,
): (ours: string, ref: string) => boolean {
  return (ours, ref) => {
    const a = parseLabel(ours);
    const b = parseLabel(ref);
    if (!a || !b) return ours === ref;
    if (
      a.peer !== b.peer ||
      a.dir !== b.dir ||
      a.op !== b.op ||
      a.payloads.length !== b.payloads.length
    )
      return false;
    return a.payloads.every((p, i) => {
      const q = b.payloads[i] ?? '';
      return lastSegment(p) === lastSegment(q) || typeParams.has(q.trim());
    });
  };
}

/**
 * Label equivalence against nuScr's EFSMs: peer, direction, label and the number of payload
 * items. Payload types are not compared: nuScr prints named, refined payloads in its own
 * normal form (`confirmedPrice: (confirmedPrice:int{confirmedPrice = currentPrice})`) and
 * appends recursion-variable updates (`[count + 1]`), neither of which is part of our label.
 */
export function nuscrLabelsMatch(ours: string, ref: string): boolean {
  const a = parseLabel(ours);
  const b = parseLabel(ref);
  if (!a || !b) return ours === ref;
  return (
    a.peer === b.peer && a.dir === b.dir && a.op === b.op && a.payloads.length === b.payloads.length
  );
}

/** Our EFSM as a labelled graph (ids as strings, edges labelled with `label`). */
export function efsmGraph(efsm: Efsm): LabelledGraph {
  return {
    initial: String(efsm.initial),
    nodes: efsm.states.map((s) => String(s.id)),
    edges: efsm.transitions.map((t) => ({
      from: String(t.from),
      to: String(t.to),
      label: t.label,
    })),
  };
}

/** The direction marker of an action, as in labels. */
export function actionDir(a: LocalAction): string {
  switch (a.kind) {
    case 'send':
      return '!';
    case 'receive':
      return '?';
    case 'request':
      return '!!';
    case 'accept':
      return '??';
    case 'disconnect':
      return '-/-';
    case 'crash':
      return 'crash';
    case 'wrap-client':
      return '(!!)wrap';
    case 'wrap-server':
      return '(??)wrap';
  }
}
