/**
 * Subset construction for scribble-java's non-deterministic EFSMs. In scribble-java's
 * projection mode, a choice whose branches start with the same message and whose continuations
 * do not merge stays as two transitions with one label from one state; a typed API (and the
 * runtime) must know which state a message leads to, so such a machine is replaced by the
 * deterministic one with the same traces: each state is a set of the original states, each
 * label leads to the set of all its targets. Deterministic machines are returned unchanged.
 */
import type { Efsm, EfsmTransition, Origin } from '@mpst/projector';

export interface Determinised {
  readonly efsm: Efsm;
  /** Per transition of `efsm`: the origin of the first original transition it stands for. */
  readonly origins: readonly (Origin | undefined)[] | undefined;
  /** True when the machine was changed. */
  readonly changed: boolean;
  /**
   * Set when it cannot be done: a set of states that may both end and go on (the terminal
   * state has no transitions by the `Efsm` contract), with one original transition out of it.
   */
  readonly conflict?: { readonly transition: number };
}

export function determinise(
  efsm: Efsm,
  origins: readonly (Origin | undefined)[] | undefined,
): Determinised {
  const out: number[][] = efsm.states.map(() => []);
  efsm.transitions.forEach((t, i) => out[t.from]?.push(i));
  if (!isNondeterministic(efsm, out)) return { efsm, origins, changed: false };

  const ids = new Map<string, number>();
  const sets: number[][] = [];
  const idOf = (set: readonly number[]): number => {
    const key = set.join(',');
    let id = ids.get(key);
    if (id === undefined) {
      id = sets.length;
      ids.set(key, id);
      sets.push([...set]);
    }
    return id;
  };
  idOf([efsm.initial]);
  const transitions: EfsmTransition[] = [];
  const newOrigins: (Origin | undefined)[] = [];
  let conflict: { transition: number } | undefined;
  for (let id = 0; id < sets.length; id++) {
    const members = sets[id] ?? [];
    // Transitions of every member, grouped by their printed label (kind, peer, message).
    const groups = new Map<string, { first: number; targets: Set<number> }>();
    for (const s of members) {
      for (const i of out[s] ?? []) {
        const t = efsm.transitions[i];
        if (!t) continue;
        const g = groups.get(t.label);
        if (g) g.targets.add(t.to);
        else groups.set(t.label, { first: i, targets: new Set([t.to]) });
      }
    }
    if (groups.size > 0 && members.some((s) => efsm.states[s]?.terminal === true))
      conflict ??= { transition: [...groups.values()][0]?.first ?? 0 };
    for (const g of groups.values()) {
      const t = efsm.transitions[g.first];
      if (!t) continue;
      const to = idOf([...g.targets].sort((a, b) => a - b));
      transitions.push({ from: id, to, action: t.action, label: t.label });
      newOrigins.push(origins?.[g.first]);
    }
  }
  const hasOut = new Set(transitions.map((t) => t.from));
  const states = sets.map((_, id) => ({ id, terminal: !hasOut.has(id) }));
  return {
    efsm: { protocol: efsm.protocol, role: efsm.role, initial: 0, states, transitions },
    origins: newOrigins,
    changed: true,
    ...(conflict ? { conflict } : {}),
  };
}

/** Some state has two transitions with one label to different states. */
function isNondeterministic(efsm: Efsm, out: readonly number[][]): boolean {
  return out.some((list) => {
    const seen = new Map<string, number>();
    return list.some((i) => {
      const t = efsm.transitions[i];
      if (!t) return false;
      const to = seen.get(t.label);
      seen.set(t.label, t.to);
      return to !== undefined && to !== t.to;
    });
  });
}
