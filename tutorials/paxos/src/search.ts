/**
 * A seeded search for violating runs: step 8's tool for finding what a broken role code does
 * wrong. Every run of a step is a function of its seed (and fault plan), so a search is a scan
 * over seeds within a stated budget, and a violating run is replayed by its seed. Browser-safe.
 */
import type { FaultPlan } from '@mpst/runtime';
import { runStep, type StepModule } from './kit.js';

/** A violating run: its seed, how many messages it sent, and what it violated. */
export interface Violation {
  readonly seed: number;
  readonly messages: number;
  readonly violations: readonly string[];
}

export interface SearchResult {
  /** Seeds tried: `from` … `from + budget - 1`. */
  readonly budget: number;
  /** Every violating seed, in order. */
  readonly seeds: readonly number[];
  /** The first violating run. */
  readonly first?: Violation;
  /** The violating run with the fewest messages (the lowest seed among equals). */
  readonly shortest?: Violation;
  readonly runsPerSecond: number;
}

/** Runs seeds `from` … `from + budget - 1` (with `plan(seed)` if given) and collects violations. */
export async function searchViolations<O>(
  step: StepModule<O>,
  { from = 1, budget, plan }: { from?: number; budget: number; plan?: (seed: number) => FaultPlan },
): Promise<SearchResult> {
  const seeds: number[] = [];
  let first: Violation | undefined;
  let shortest: Violation | undefined;
  const start = Date.now();
  for (let seed = from; seed < from + budget; seed++) {
    const r = await runStep(step, seed, plan?.(seed));
    if (r.violations.length === 0) continue;
    const messages = r.result.trace.events.filter((e) => e.kind === 'send').length;
    const found: Violation = { seed, messages, violations: r.violations };
    seeds.push(seed);
    first ??= found;
    if (!shortest || messages < shortest.messages) shortest = found;
  }
  const seconds = Math.max(Date.now() - start, 1) / 1000;
  return { budget, seeds, first, shortest, runsPerSecond: budget / seconds };
}
