/**
 * What the refactoring panel computes (in a worker: planning verifies, which may take a
 * second): @mpst/crash-refactor's plan for the chosen unreliable roles, or a reviewed plan
 * (some decisions changed by the learner) applied again, and the before/after sequence
 * diagrams of the protocol. Pure (no DOM, no worker API): the unit tests run it in Node.
 */
import { applyPlan, planRefactoring, type Decision, type Plan } from '@mpst/crash-refactor';
import { refactoringDiff } from '@mpst/mermaid';
import { analyzeFiles, type ElaboratedProtocol } from '@mpst/projector';
import { memoryHost } from '@mpst/scribble';

/** A request: plan afresh (no `plan`), or apply a reviewed plan to the same text. */
export interface RefactorInput {
  readonly file: string;
  readonly text: string;
  readonly protocol: string;
  readonly unreliable: readonly string[];
  /** A plan for `text` whose decisions' `chosen` the learner may have changed. */
  readonly plan?: Plan;
}

/** The panel's answer (plain data: it is posted). */
export interface Refactoring {
  readonly plan: Plan;
  /** Before/after sequence diagrams (Mermaid text), when both texts elaborate. */
  readonly diff?: {
    readonly before: string;
    readonly after: string;
    readonly added: number;
    readonly removed: number;
  };
  readonly ms: number;
}

/** Plans (or re-applies) the refactoring of `input.protocol` in `input.text`. */
export function refactorText(input: RefactorInput): Refactoring {
  const t0 = performance.now();
  const plan = input.plan
    ? applyPlan(input.text, input.plan, { file: input.file })
    : planRefactoring(
        input.text,
        input.protocol,
        { unreliable: input.unreliable },
        { file: input.file },
      );
  const before = elaborated(input.file, input.text, input.protocol);
  const after =
    plan.output === input.text ? before : elaborated(input.file, plan.output, input.protocol);
  const diff = before && after ? refactoringDiff(before, after) : undefined;
  return { plan, ...(diff ? { diff } : {}), ms: performance.now() - t0 };
}

function elaborated(file: string, text: string, protocol: string): ElaboratedProtocol | undefined {
  return analyzeFiles([file], memoryHost({ [file]: text })).protocols.find(
    (p) => p.name === protocol,
  )?.protocol;
}

/** `plan` with decision `id` handled by option `chosen` (what the learner picked). */
export function choose(plan: Plan, id: string, chosen: number): Plan {
  return {
    ...plan,
    decisions: plan.decisions.map((d) => (d.id === id ? { ...d, chosen } : d)),
  };
}

/**
 * Whether the option taken at `d` adds messages to runs without failures (the planner's last
 * resort, when handling alone does not verify): the panel asks the learner to review it.
 */
export function changesFailureFreeRuns(d: Decision): boolean {
  return d.options[d.chosen]?.changesFailureFreeRuns === true;
}
