import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll } from 'vitest';
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

/**
 * A fresh folder of ES modules under the repository's tmp/ (so that generated modules'
 * `@mpst/runtime` import resolves to the workspace package), removed after the file's tests.
 */
export function moduleDir(prefix: string): string {
  const tmp = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../../tmp');
  fs.mkdirSync(tmp, { recursive: true });
  const dir = fs.mkdtempSync(path.join(tmp, prefix));
  fs.writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Transpiles TypeScript sources (by file name) into `dir` as .js files; returns their importer. */
export function writeModules(
  dir: string,
  sources: Readonly<Record<string, string>>,
): (file: string) => Promise<unknown> {
  for (const [file, text] of Object.entries(sources)) {
    const js = ts.transpileModule(text, {
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
    }).outputText;
    fs.writeFileSync(path.join(dir, jsName(file)), js);
  }
  return (file) => import(pathToFileURL(path.join(dir, jsName(file))).href);
}

function jsName(file: string): string {
  return file.endsWith('.ts') ? file.replace(/\.ts$/, '.js') : `${file}.js`;
}
