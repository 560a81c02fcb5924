import { memoryHost } from '@mpst/scribble';
import { analyzeFiles } from '@mpst/projector';
import { generate, type GenerateOptions, type GenerateResult } from '@mpst/codegen';

/** Analyses and generates from one in-memory protocol file; fails on analysis errors. */
export function generateText(
  name: string,
  text: string,
  options: GenerateOptions = {},
): GenerateResult {
  const analysis = analyzeFiles([name], memoryHost({ [name]: text }));
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((d) => `${d.code} ${d.message}`).join('\n'));
  return generate(analysis, options);
}

/** The generated modules by file name. */
export function filesOf(result: GenerateResult): Record<string, string> {
  return Object.fromEntries(result.files.map((f) => [f.fileName, f.text]));
}
