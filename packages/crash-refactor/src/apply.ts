import { makeDiagnostic, SourceFile } from '@mpst/scribble';
import { planRefactoring, sourceHash } from './plan.js';
import type { Plan, RefactorOptions } from './types.js';

/**
 * Applies a (possibly edited) plan to `text`: the planning is replayed with the plan's chosen
 * option at every decision. A plan made for another text, or whose decisions no longer occur
 * (or name other interactions), is refused with an MPST405 error and `text` unchanged.
 */
export function applyPlan(text: string, plan: Plan, options: Omit<RefactorOptions, 'choices'> = {}): Plan {
  const file = options.file ?? plan.file;
  const mismatch = (message: string): Plan => ({
    ...plan,
    verdict: 'unhandled',
    output: text,
    diagnostics: [makeDiagnostic(new SourceFile(file, text), 'MPST405', message, { start: 0, end: 0 })],
  });
  if (plan.version !== 1) return mismatch(`unknown plan version ${String(plan.version)}`);
  if (sourceHash(text) !== plan.sourceHash)
    return mismatch(`the plan was made for another version of ${file} (hash ${plan.sourceHash}, file ${sourceHash(text)}): plan again`);
  const choices = new Map(plan.decisions.map((d) => [d.id, d.chosen]));
  const result = planRefactoring(text, plan.protocol, plan.failureModel, { ...options, file, choices });
  const byId = new Map(result.decisions.map((d) => [d.id, d]));
  for (const d of plan.decisions) {
    const now = byId.get(d.id);
    if (!now) return mismatch(`decision \`${d.id}\` of the plan does not occur with these choices: plan again`);
    if (now.snippet !== d.snippet)
      return mismatch(`decision \`${d.id}\` is at \`${now.snippet}\`, the plan says \`${d.snippet}\``);
  }
  const extra = result.decisions.find((d) => !choices.has(d.id));
  if (extra) return mismatch(`the plan has no decision for \`${extra.id}\` (line ${extra.location.line}): plan again`);
  return result;
}
