/**
 * Random systems of small EFSMs for the property tests (reduction.test.ts, fork.test.ts):
 * sends, receives, crash detection, non-determinism, loops, roles that may crash.
 */
import type { Efsm, EfsmTransition } from '@mpst/projector';

export interface Shape {
  readonly roles: readonly string[];
  /** Probability that the system is crash-stop. */
  readonly crashStop: number;
  /** Crash-stop: probability that a receive state also detects its peer's crash. */
  readonly detect: number;
  /** Crash-stop: one reliable role, or each role reliable with probability 1/2. */
  readonly reliable: 'one' | 'half';
}

export const SHAPES: readonly Shape[] = [
  { roles: ['A', 'B', 'C'], crashStop: 0.3, detect: 0.5, reliable: 'one' },
  { roles: ['A', 'B', 'C', 'D'], crashStop: 1, detect: 0.6, reliable: 'half' },
];

/** A deterministic pseudo-random system from `seed` (a linear congruential generator). */
export function randomSystem(
  seed: number,
  shape: Shape,
): { efsms: Efsm[]; crashStop: boolean; reliable: string[] } {
  const ROLES = shape.roles;
  let x = seed >>> 0 || 1;
  const rnd = (): number => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return (x >>> 8) / 0x1000000;
  };
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)] as T;
  const crashStop = rnd() < shape.crashStop;
  const efsms = ROLES.map((role): Efsm => {
    const k = 1 + Math.floor(rnd() * 4);
    const peers = ROLES.filter((r) => r !== role);
    const transitions: EfsmTransition[] = [];
    const to = (): number => Math.floor(rnd() * (k + 1));
    for (let s = 0; s < k; s++) {
      const kind = rnd();
      if (kind < 0.15 && s > 0) continue;
      const branches = 1 + Math.floor(rnd() * 2);
      if (kind < 0.55) {
        for (let b = 0; b < branches; b++) {
          const peer = pick(peers);
          const label = pick(['a', 'b']);
          transitions.push({
            from: s,
            to: to(),
            action: { kind: 'send', peer, message: { label, payload: [] } },
            label: `${peer}!${label}()`,
          });
        }
      } else {
        const peer = pick(peers);
        for (let b = 0; b < branches; b++) {
          const label = pick(['a', 'b']);
          transitions.push({
            from: s,
            to: to(),
            action: { kind: 'receive', peer, message: { label, payload: [] } },
            label: `${peer}?${label}()`,
          });
        }
        if (crashStop && rnd() < shape.detect)
          transitions.push({
            from: s,
            to: to(),
            action: { kind: 'crash', peer },
            label: `${peer}?crash`,
          });
      }
    }
    const ids = [...new Set([0, ...transitions.flatMap((t) => [t.from, t.to])])].sort(
      (a, b) => a - b,
    );
    return {
      protocol: 'Random',
      role,
      initial: 0,
      states: ids.map((id) => ({ id, terminal: !transitions.some((t) => t.from === id) })),
      transitions,
    };
  });
  const reliable = !crashStop
    ? []
    : shape.reliable === 'one'
      ? [pick(ROLES)]
      : ROLES.filter(() => rnd() < 0.5);
  return { efsms, crashStop, reliable };
}

/**
 * A random system of small EFSMs for the search for k-exhaustivity (exhaustive.test.ts):
 * states that send (to one peer, or, with `sendPeers` 'many', each branch to a random peer),
 * that receive (from one peer, or, with `receivePeers` 'many', each branch from a random
 * peer; with `detect`, half of them also detect the crash of their first branch's peer), two
 * branches with the same action now and then (non-determinism), loops.
 */
export function randomUnboundedSystem(
  seed: number,
  roles: readonly string[],
  peers: {
    readonly sendPeers: 'one' | 'many';
    readonly receivePeers: 'one' | 'many';
    readonly detect?: boolean;
  },
): Efsm[] {
  let x = seed >>> 0 || 1;
  const rnd = (): number => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return (x >>> 8) / 0x1000000;
  };
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)] as T;
  return roles.map((role): Efsm => {
    const k = 1 + Math.floor(rnd() * 4);
    const others = roles.filter((r) => r !== role);
    const transitions: EfsmTransition[] = [];
    for (let s = 0; s < k; s++) {
      if (s > 0 && rnd() < 0.15) continue;
      const send = rnd() < 0.5;
      const many = send ? peers.sendPeers === 'many' : peers.receivePeers === 'many';
      const first = pick(others);
      const branches = 1 + Math.floor(rnd() * 2);
      for (let b = 0; b < branches; b++) {
        const peer = many ? pick(others) : first;
        const label = pick(['a', 'b']);
        transitions.push({
          from: s,
          to: Math.floor(rnd() * (k + 1)),
          action: { kind: send ? 'send' : 'receive', peer, message: { label, payload: [] } },
          label: `${peer}${send ? '!' : '?'}${label}()`,
        });
      }
      if (!send && peers.detect === true && rnd() < 0.5)
        transitions.push({
          from: s,
          to: Math.floor(rnd() * (k + 1)),
          action: { kind: 'crash', peer: first },
          label: `${first}?crash`,
        });
    }
    const ids = [...new Set([0, ...transitions.flatMap((t) => [t.from, t.to])])].sort(
      (a, b) => a - b,
    );
    // State ids 0..n-1 (the Efsm contract).
    const renamed = transitions.map((t) => ({
      ...t,
      from: ids.indexOf(t.from),
      to: ids.indexOf(t.to),
    }));
    return {
      protocol: 'Random',
      role,
      initial: 0,
      states: ids.map((_, id) => ({ id, terminal: !renamed.some((t) => t.from === id) })),
      transitions: renamed,
    };
  });
}
