/**
 * Every role of every accepted corpus protocol (scribble-java good files and demos, nuScr
 * examples, Teatrino) and of the tutorial's protocols gets a module that compiles under
 * `tsc --strict --noEmit` (and noUncheckedIndexedAccess, noUnused*; see compile.ts).
 *
 * "Accepted" means our analysis reports no error. Payload type names nothing maps (nuScr's free
 * type names, Java types other than java.lang's) are reported as MPST500 first (asserted: the
 * diagnostic names the type); the file is then generated again with those names mapped to
 * `string` through the `types` option, as a user's mpst.config.json would, and counted. Roles
 * that cannot be generated at all (MPST501–504) are listed with their reason and asserted to be
 * exactly the known exceptions below. scribble-java's non-deterministic machines are
 * generated from their deterministic equivalents (determinise.ts). Modules are type-checked
 * in batches, one tsc program per batch. Summary: reports/codegen-corpus.md. Skips with a
 * notice when the corpus is missing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { nodeHost } from '@mpst/scribble/node';
import { analyzeFiles, type AnalysisResult } from '@mpst/projector';
import { generate, type GeneratedFile } from '@mpst/codegen';
import {
  corpusRoot,
  demoCases,
  missingCorpusNotice,
  nuscrCases,
  repoRoot,
  scribbleJavaCases,
  teatrinoFiles,
} from '../../../tools/corpus.js';
import { showErrors, typeCheck } from '../../../tools/typecheck.js';

const root = corpusRoot();
if (!root) test.skip(missingCorpusNotice('codegen corpus'), () => {});

interface Input {
  readonly set: string;
  readonly file: string;
  readonly importPaths: readonly string[];
}

/** The files to generate from, per corpus set. */
function inputs(corpus: string): Input[] {
  const sj = path.join(corpus, 'scribble-java');
  const nuscr = path.join(corpus, 'nuscr');
  const teatrino = path.join(corpus, 'teatrino');
  const tutorial = path.join(repoRoot, 'tutorials/paxos/protocols');
  return [
    ...scribbleJavaCases(corpus)
      .filter((c) => c.expected === 'accept')
      .map((c) => ({ set: 'scribble-java good', file: path.join(sj, c.rel), importPaths: [sj] })),
    ...demoCases(corpus).map((c) => ({
      set: 'scribble-java demos',
      file: path.join(sj, c.rel),
      importPaths: [path.join(sj, c.importRoot)],
    })),
    ...nuscrCases(corpus)
      .filter((c) => !c.negative)
      .map((c) => {
        const file = path.join(nuscr, c.rel);
        return { set: 'nuScr examples', file, importPaths: [path.dirname(file)] };
      }),
    ...teatrinoFiles(corpus).map((rel) => {
      const file = path.join(teatrino, rel);
      return { set: 'Teatrino', file, importPaths: [path.dirname(file)] };
    }),
    ...fs
      .readdirSync(tutorial)
      .filter((f) => f.endsWith('.scr'))
      .map((f) => ({ set: 'tutorial', file: path.join(tutorial, f), importPaths: [tutorial] })),
  ];
}

/** Roles that cannot be generated: `<file relative to the corpus> <protocol>.<role> <code>`. */
const KNOWN_EXCEPTIONS: readonly string[] = [
  // MPST504: delegation (a session endpoint as payload).
  'scribble-java/demos/game/src/game/Game1.scr Proto.Client MPST504',
  'scribble-java/demos/game/src/game/Game1.scr Proto.S1 MPST504',
  'scribble-java/demos/game/src/game/Game2.scr Proto.C MPST504',
  'scribble-java/demos/game/src/game/Game2.scr Proto.S MPST504',
  'scribble-java/demos/threebuyer/src/threebuyer/ThreeBuyer.scr Proto.C MPST504',
  'scribble-java/demos/threebuyer/src/threebuyer/ThreeBuyer.scr Proto.B MPST504',
];

interface Row {
  set: string;
  files: number;
  accepted: number;
  roles: number;
  mapped: number;
  exceptions: number;
}
const rows = new Map<string, Row>();
const exceptions: string[] = [];
const batch: { name: string; file: GeneratedFile }[] = [];
const typeErrors: string[] = [];
let modules = 0;

function rowOf(set: string): Row {
  let r = rows.get(set);
  if (!r) rows.set(set, (r = { set, files: 0, accepted: 0, roles: 0, mapped: 0, exceptions: 0 }));
  return r;
}

function relName(corpus: string, file: string): string {
  const rel = path.relative(corpus, file);
  return rel.startsWith('..') ? path.relative(repoRoot, file) : rel;
}

/** Compiles the pending modules as one program; records errors by file. */
function flush(): void {
  if (batch.length === 0) return;
  const files = Object.fromEntries(batch.map((b) => [b.name, b.file.text]));
  const errors = typeCheck(files);
  if (errors.length > 0) typeErrors.push(showErrors(errors.slice(0, 20)));
  modules += batch.length;
  batch.length = 0;
}

describe.skipIf(!root)('generated code of the corpus compiles', () => {
  const all = root ? inputs(root) : [];

  test('every accepted protocol, every role', () => {
    const corpus = root ?? '';
    all.forEach((input, n) => {
      const row = rowOf(input.set);
      row.files++;
      const analysis: AnalysisResult = analyzeFiles([input.file], nodeHost, {
        importPaths: input.importPaths,
      });
      if (analysis.diagnostics.some((d) => d.severity === 'error')) return;
      row.accepted++;
      let result = generate(analysis);
      const unmapped = result.diagnostics.filter((d) => d.code === 'MPST500');
      if (unmapped.length > 0) {
        const names = [...new Set(unmapped.map((d) => /`([^`]+)`/.exec(d.message)?.[1] ?? ''))];
        for (const d of unmapped) expect(d.message).toMatch(/^payload type `[^`]+` of `/);
        result = generate(analysis, { types: Object.fromEntries(names.map((t) => [t, 'string'])) });
        row.mapped++;
      }
      for (const p of analysis.protocols) {
        for (const { role } of p.roles) {
          if (result.files.some((f) => f.protocol === p.name && f.role === role)) continue;
          const why = result.diagnostics.find((d) => d.message.includes(`role \`${role}\``));
          const reason = why ? `${why.code} (line ${String(why.span.line)}) ${why.message}` : '?';
          exceptions.push(`${relName(corpus, input.file)} ${p.name}.${role} ${reason}`);
          row.exceptions++;
        }
      }
      for (const f of result.files) {
        row.roles++;
        batch.push({ name: `m${String(n)}/${f.fileName}`, file: f });
      }
      if (batch.length >= 400) flush();
    });
    flush();
    expect(typeErrors.join('\n\n')).toBe('');
    expect(exceptions.map((e) => e.split(' ').slice(0, 3).join(' '))).toEqual(KNOWN_EXCEPTIONS);
  }, 600_000);

  afterAll(() => {
    const table = [...rows.values()].map(
      (r) => `| ${[r.set, r.files, r.accepted, r.roles, r.mapped, r.exceptions].join(' | ')} |`,
    );
    const text = [
      '# Generated code of the corpus (`packages/codegen/test/corpus.test.ts`)',
      '',
      `${String(modules)} modules (one per role) type-checked under strict tsc, ` +
        `${String(typeErrors.length)} batches with errors.`,
      '',
      '| set | files | accepted | roles generated | files with types mapped to `string` | roles not generated |',
      '|---|---:|---:|---:|---:|---:|',
      ...table,
      '',
      'Roles not generated (reason):',
      '',
      ...(exceptions.length > 0 ? exceptions.map((e) => `- ${e}`) : ['- none']),
      '',
    ].join('\n');
    console.log(text);
    fs.mkdirSync(path.join(repoRoot, 'reports'), { recursive: true });
    fs.writeFileSync(path.join(repoRoot, 'reports/codegen-corpus.md'), text);
  });
});
