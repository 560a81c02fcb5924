/**
 * Role code carried from one version of a step's protocol to the next, as `mpst refactor --code`
 * does it: steps 6 and 7 check that their committed roles.ts is what the tool made.
 */
import { generate } from '@mpst/codegen';
import { adaptRoleCode } from '@mpst/crash-refactor/code';
import { analyzeFiles } from '@mpst/projector';
import { memoryHost } from '@mpst/scribble';
import { expect } from 'vitest';

/**
 * `code` (written on the API generated for `before`) adapted to the API generated for `after`,
 * role module by role module (`file`'s protocol `protocol` in both). Each adaptation must
 * succeed without a diagnostic.
 */
export function adaptedRoleCode(
  file: string,
  protocol: string,
  texts: { readonly before: string; readonly after: string },
  code: string,
): string {
  const api = (text: string) =>
    generate(analyzeFiles([file], memoryHost({ [file]: text }), { protocol })).files;
  const neu = api(texts.after);
  let text = code;
  for (const o of api(texts.before)) {
    const n = neu.find((f) => f.fileName === o.fileName);
    if (!n) throw new Error(`no ${o.fileName} after refactoring`);
    const r = adaptRoleCode({ fileName: 'roles.ts', text }, o, n);
    expect(r.diagnostics).toEqual([]);
    text = r.text;
  }
  return text;
}
