import { makeDiagnostic, SourceFile } from '@mpst/scribble';
import { planRefactoring, sourceHash } from './plan.js';
import type { Plan, RefactorOptions } from './types.js';

/**
 * Applies a (possibly edited) plan to `text`: the planning is replayed with the plan's chosen
 * option at every decision. A plan made for another text, or whose decisions name other
 * interactions than the file has there, is refused with an MPST405 error and `text` unchanged.
 */
export function applyPlan(
  text: string,
  plan: Plan,
  options: Omit<RefactorOptions, 'choices'> = {},
): Plan {
  const file = options.file ?? plan.file;
  const mismatch = (message: string): Plan => ({
    ...plan,
    roleEdits: [],
    decisions: [],
    verdict: 'unhandled',
    output: text,
    diagnostics: [
      makeDiagnostic(new SourceFile(file, text), 'MPST405', message, { start: 0, end: 0 }),
    ],
  });
  // Plans come from JSON files: the type says 1, the file may not.
  if ((plan.version as number) !== 1)
    return mismatch(`unknown plan version ${String(plan.version)}`);
  if (sourceHash(text) !== plan.sourceHash)
    return mismatch(
      `the plan was made for another version of ${file} ` +
        `(hash ${plan.sourceHash}, file ${sourceHash(text)}): plan again`,
    );
  const choices = new Map(plan.decisions.map((d) => [d.id, d.chosen]));
  // A chosen option that only the second pass offers: offer those from the start, so that the
  // plan's indices mean the same options (plans without one replay exactly as before).
  const uniform = plan.decisions.some((d) => d.options[d.chosen]?.kind === 'uniform-crash-branch');
  const result = planRefactoring(text, plan.protocol, plan.failureModel, {
    ...options,
    ...(uniform ? { failureFreeChanges: 'always' as const } : {}),
    ...(plan.backups ? { backups: plan.backups } : {}),
    file,
    choices,
  });
  // A decision the plan does not list (another choice changed what follows) gets the
  // top-ranked option, and its reason says so; plan decisions that no longer occur are moot.
  const planned = new Map(plan.decisions.map((d) => [d.id, d]));
  for (const d of result.decisions) {
    const p = planned.get(d.id);
    if (p && p.snippet !== d.snippet)
      return mismatch(
        `decision \`${d.id}\` is at \`${d.snippet}\`, the plan says \`${p.snippet}\``,
      );
  }
  return {
    ...result,
    decisions: result.decisions.map((d) =>
      planned.has(d.id)
        ? d
        : { ...d, reason: `not in the plan (an earlier choice led here): ${d.reason}` },
    ),
  };
}
