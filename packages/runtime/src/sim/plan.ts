/**
 * Fault plans for the simulator: what goes wrong, and when. A plan is plain JSON data, so a
 * failing run prints (seed, plan) and replaying them gives the identical run.
 */
import type { Role } from '@mpst/projector';
import { SimulationError } from '../errors.js';
import { Rng } from './random.js';

/**
 * - `crash`: `role` stops for good when it attempts its `atAction`-th send or receive (0 = before
 *   its first), or at virtual time `atTime`; queued and later messages to it are lost; the
 *   others detect it after its last message in flight arrives.
 * - `link`: the directed link `from → to` fails at virtual time `atTime`: messages in flight and
 *   later ones are lost; `to` detects it like a crash of `from` (`reason: 'link'`), while `from`
 *   lives on.
 * - `drop`: the `nth` (0-based) message on `from → to` is lost silently; the receiver only
 *   notices by a receive timeout.
 * - `delay`: the `nth` message on `from → to` takes `ms` extra; the link stays FIFO (later
 *   messages on it wait behind it), messages on other links overtake it.
 * - `reorder`: the `nth` message on `from → to` is held until `to` has been delivered a message
 *   from another sender (or nothing else is in flight): reordering across different links only.
 */
export type Fault =
  | {
      readonly kind: 'crash';
      readonly role: Role;
      readonly atAction?: number;
      readonly atTime?: number;
    }
  | { readonly kind: 'link'; readonly from: Role; readonly to: Role; readonly atTime: number }
  | { readonly kind: 'drop'; readonly from: Role; readonly to: Role; readonly nth: number }
  | {
      readonly kind: 'delay';
      readonly from: Role;
      readonly to: Role;
      readonly nth: number;
      readonly ms: number;
    }
  | { readonly kind: 'reorder'; readonly from: Role; readonly to: Role; readonly nth: number };

export interface FaultPlan {
  readonly faults: readonly Fault[];
}

export const NO_FAULTS: FaultPlan = { faults: [] };

/** Throws {@link SimulationError} (MPST591) for faults naming unknown roles or bad numbers. */
export function checkPlan(plan: FaultPlan, roles: readonly Role[]): void {
  const problems: string[] = [];
  const role = (r: Role, what: string): void => {
    if (!roles.includes(r)) problems.push(`${what}: unknown role ${r}`);
  };
  const count = (n: number | undefined, what: string): void => {
    if (n !== undefined && !(Number.isFinite(n) && n >= 0))
      problems.push(`${what}: ${n} is not a number ≥ 0`);
  };
  plan.faults.forEach((f, i) => {
    const what = `fault ${i} (${f.kind})`;
    switch (f.kind) {
      case 'crash':
        role(f.role, what);
        if (f.atAction === undefined && f.atTime === undefined)
          problems.push(`${what}: needs atAction or atTime`);
        count(f.atAction, what);
        count(f.atTime, what);
        break;
      case 'link':
        role(f.from, what);
        role(f.to, what);
        count(f.atTime, what);
        break;
      case 'delay':
      case 'drop':
      case 'reorder':
        if (f.kind === 'delay') count(f.ms, what);
        role(f.from, what);
        role(f.to, what);
        count(f.nth, what);
        break;
      default:
        problems.push(`${what}: unknown kind`);
    }
    if ('from' in f && f.from === f.to) problems.push(`${what}: a link needs two different roles`);
  });
  if (problems.length > 0) throw new SimulationError('MPST591', problems.join('; '));
}

export interface RandomPlanOptions {
  /** Chance that each non-reliable role crashes (default 0.5). */
  readonly crashChance?: number;
  /** Planned crashes happen at an action in [0, maxAction] (default 12). */
  readonly maxAction?: number;
  /** How many delay and reorder faults (each at most; default 3). */
  readonly perturbations?: number;
  /** Messages per link the perturbations pick among (default 6). */
  readonly maxNth?: number;
}

/**
 * A random plan within the protocol's reliability annotations: only roles not declared
 * `reliable` crash (at a random action); delays and reorders on random links. No link
 * failures or drops: after one, the sender lives on while the receiver took its crash branch,
 * and a protocol is only safe under that when it was written for it (default communications).
 */
export function randomPlan(
  roles: readonly Role[],
  reliable: readonly Role[],
  seed: number,
  options: RandomPlanOptions = {},
): FaultPlan {
  const rng = new Rng(seed ^ 0x5bd1e995);
  const faults: Fault[] = [];
  const crashChance = options.crashChance ?? 0.5;
  const maxAction = options.maxAction ?? 12;
  for (const r of roles)
    if (!reliable.includes(r) && rng.next() < crashChance)
      faults.push({ kind: 'crash', role: r, atAction: rng.int(0, maxAction) });
  if (roles.length >= 2) {
    const n = rng.int(0, options.perturbations ?? 3);
    for (let i = 0; i < n; i++) {
      const from = rng.pick(roles);
      const to = rng.pick(roles.filter((x) => x !== from));
      const nth = rng.int(0, options.maxNth ?? 6);
      faults.push(
        rng.next() < 0.5
          ? { kind: 'delay', from, to, nth, ms: rng.int(1, 50) }
          : { kind: 'reorder', from, to, nth },
      );
    }
  }
  return { faults };
}
