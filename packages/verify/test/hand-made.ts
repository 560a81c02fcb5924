/**
 * Hand-made systems for the verifier's tests: role EFSMs written as transition lists, and a
 * result as its verdict with its kinds of violation.
 */
import type { Efsm, EfsmTransition } from '@mpst/projector';
import type { VerifyResult } from '@mpst/verify';

/** A transition as [from, '!' (send), '?' (receive) or 'crash' (detect), peer, label, to]. */
export type T = readonly [number, '!' | '?' | 'crash', string, string, number];

/** An EFSM from its transitions; state ids are renumbered 0..n-1 in order, 0 first. */
export function efsm(role: string, ts: readonly T[]): Efsm {
  const ids = [...new Set([0, ...ts.flatMap((t) => [t[0], t[4]])])].sort((a, b) => a - b);
  const transitions: EfsmTransition[] = ts.map(([from, kind, peer, label, to]) => ({
    from: ids.indexOf(from),
    to: ids.indexOf(to),
    action:
      kind === 'crash'
        ? { kind, peer }
        : { kind: kind === '!' ? 'send' : 'receive', peer, message: { label, payload: [] } },
    label: kind === 'crash' ? `${peer}?crash` : `${peer}${kind}${label}()`,
  }));
  return {
    protocol: 'X',
    role,
    initial: 0,
    states: ids.map((_, id) => ({ id, terminal: !transitions.some((t) => t.from === id) })),
    transitions,
  };
}

/** A result as `verdict: kind, kind` (each kind of violation once, sorted). */
export const kinds = (r: VerifyResult): string =>
  `${r.verdict}: ${[...new Set(r.violations.map((v) => v.kind))].sort().join(', ')}`;
