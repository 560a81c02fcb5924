/**
 * The tutorial's files, bundled at build time (Vite's import.meta.glob): every step folder's
 * README.md and .scr files, the shared protocols a step may name, and the examples' files. Paths become
 * repository-relative (`tutorials/paxos/steps/01-prepare-round/README.md`).
 */
import type { StepModule } from './simulation.js';
import { discoverSteps, type Discovery, type Step } from './steps.js';

const raw: Record<string, string> = import.meta.glob(
  [
    '../../../tutorials/paxos/steps/*/README.md',
    '../../../tutorials/paxos/steps/*/*.scr',
    '../../../tutorials/paxos/protocols/*.scr',
    '../../../tutorials/examples/*/README.md',
    '../../../tutorials/examples/*/*.scr',
  ],
  { query: '?raw', import: 'default', eager: true },
);

/** The steps, and what is wrong with the tutorial's files (shown on the page). */
export const discovery: Discovery = discoverSteps(
  Object.fromEntries(
    Object.entries(raw).map(([path, text]) => [path.replace(/^(\.\.\/)+/, ''), text]),
  ),
);

/** What a step folder's `roles.ts` exports (see tutorials/paxos/src/kit.ts). */
const roleModules = import.meta.glob<{ default: StepModule }>([
  '../../../tutorials/paxos/steps/*/roles.ts',
  '../../../tutorials/examples/*/roles.ts',
]);

/**
 * The step's role code (`roles.ts`, default export a StepModule), loaded on demand (each is a
 * chunk of its own with its generated modules), or undefined when the step has none.
 */
export function rolesOf(step: Step): (() => Promise<StepModule>) | undefined {
  const load = roleModules[`../../../${step.dir}/roles.ts`];
  return load && (() => load().then((m) => m.default));
}
