/**
 * The TypeScript API `mpst codegen` generates for one role of the editor's protocol
 * (@mpst/codegen, a pure function: it runs in the page). Pure: no DOM, so the unit tests run it
 * in Node. Loaded on demand by the API panel (its own chunk).
 */
import { generate } from '@mpst/codegen';
import { analyzeFiles } from '@mpst/projector';
import { hasErrors, memoryHost } from '@mpst/scribble';

/** The generated module of the role, or why there is none (diagnostics as lines). */
export type RoleApi =
  | { readonly ok: true; readonly fileName: string; readonly text: string; readonly states: number }
  | { readonly ok: false; readonly problems: readonly string[] };

/** What `mpst codegen FILE --protocol PROTOCOL --role ROLE` writes for `text` as `file`. */
export function roleApi(file: string, text: string, protocol: string, role: string): RoleApi {
  const analysis = analyzeFiles([file], memoryHost({ [file]: text }), { protocol });
  const lines = (ds: typeof analysis.diagnostics): string[] =>
    ds.map((d) => `${String(d.span.line)}:${String(d.span.column)} ${d.code} ${d.message}`);
  if (hasErrors(analysis.diagnostics)) return { ok: false, problems: lines(analysis.diagnostics) };
  const result = generate(analysis, { roles: [role] });
  const file0 = result.files.find((f) => f.protocol === protocol && f.role === role);
  if (file0 === undefined)
    return {
      ok: false,
      problems: result.diagnostics.length > 0 ? lines(result.diagnostics) : [`no role ${role}`],
    };
  return { ok: true, fileName: file0.fileName, text: file0.text, states: file0.states };
}
