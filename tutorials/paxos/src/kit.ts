/**
 * The tutorial kit: what a step folder exports and how its runs are judged. Browser-safe (the
 * web app's simulator panel imports it, the tests and `npm run tutorial` too): it depends only on
 * `@mpst/runtime`.
 *
 * A step folder `steps/NN-slug/` with role code has a `roles.ts` whose default export is a
 * {@link StepModule}: the endpoint specs (from the generated API, `generated/*.ts`), fresh role
 * code for each run, and the properties every run must keep. {@link runStep} runs one seeded
 * simulation and judges it; {@link runMany} runs a range of seeds and fault plans.
 */
import {
  NO_FAULTS,
  checkRunOk,
  simulate,
  type EndpointSpec,
  type FaultPlan,
  type RoleCode,
  type SimulationOptions,
  type SimulationResult,
} from '@mpst/runtime';

/** One run's role code and what the roles observed while running (decisions, proposals …). */
export interface StepRun<O> {
  readonly code: Readonly<Record<string, RoleCode>>;
  /** Read after the run: what the role code recorded. */
  observe(): O;
}

/** What a step with role code exports (default export of `steps/NN-slug/roles.ts`). */
export interface StepModule<O = unknown> {
  /** The global protocol the role code implements. */
  readonly protocol: string;
  /** One spec per role, from the generated modules (`A1.spec`, …). */
  readonly specs: readonly EndpointSpec[];
  /** Fresh role code for one run; the seed may choose data (ballots, values), deterministically. */
  makeRun(seed: number): StepRun<O>;
  /** Violated properties of one finished run, as sentences (empty: the run is correct). */
  check(observation: O, result: SimulationResult): string[];
  /** The fault plan of a seeded run when the step's tests draw faults (default: none). */
  faults?(seed: number): FaultPlan;
  /** Simulator options beyond seed and plan (latency, timeouts). */
  readonly options?: Omit<SimulationOptions, 'seed' | 'plan'>;
  /**
   * One observation from what each role's process observed, when every role runs in a process
   * of its own (step 9): each process calls `makeRun(seed)` itself and records only what its
   * own role did. The simulator never calls it; without it a step cannot run as processes.
   */
  readonly merge?: (parts: readonly O[]) => O;
}

/** One judged run. */
export interface StepRunResult<O> {
  readonly result: SimulationResult;
  readonly observation: O;
  /** Property violations, plus `run not ok: …` when a role failed or blocked. */
  readonly violations: readonly string[];
}

/** Runs one seeded simulation of a step and judges it. */
export async function runStep<O>(
  step: StepModule<O>,
  seed: number,
  plan: FaultPlan = step.faults?.(seed) ?? NO_FAULTS,
): Promise<StepRunResult<O>> {
  const run = step.makeRun(seed);
  const result = await simulate(step.specs, run.code, { ...step.options, seed, plan });
  const observation = run.observe();
  const violations = [...checkRunOk(result), ...step.check(observation, result)];
  return { result, observation, violations };
}

/** A summary of many runs: the failures with what replays each, and the throughput. */
export interface ManyRuns {
  readonly runs: number;
  readonly failures: readonly { seed: number; replay: string; violations: readonly string[] }[];
  readonly runsPerSecond: number;
}

/** Runs seeds `from`, `from + 1`, … (`count` runs), each with `step.faults(seed)` or `plan(seed)`. */
export async function runMany<O>(
  step: StepModule<O>,
  { from = 1, count, plan }: { from?: number; count: number; plan?: (seed: number) => FaultPlan },
): Promise<ManyRuns> {
  const failures: { seed: number; replay: string; violations: readonly string[] }[] = [];
  const start = Date.now();
  for (let seed = from; seed < from + count; seed++) {
    const r = await runStep(step, seed, plan?.(seed));
    if (r.violations.length > 0)
      failures.push({ seed, replay: r.result.replay, violations: r.violations });
  }
  const seconds = Math.max(Date.now() - start, 1) / 1000;
  return { runs: count, failures, runsPerSecond: count / seconds };
}
