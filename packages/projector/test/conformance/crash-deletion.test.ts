/**
 * Crash handling is load-bearing: in every Teatrino example, deleting any one crash-handling
 * branch (`or { crash from A to B; ... }`) must make the protocol fail to project, with the
 * crash-handling diagnostic (MPST207) naming the receiver and the role that may crash — or be
 * caught by another well-formedness rule. The mutants are generated here from the corpus files.
 */
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { memoryHost, parse, type Block } from '@mpst/scribble';
import { analyzeFiles } from '@mpst/projector';
import { corpusRoot, listFiles, missingCorpusNotice, readText } from '../../../../tools/corpus.js';

const root = corpusRoot();
if (!root) console.warn(missingCorpusNotice('projector crash-branch deletion'));
const dir = path.join(root ?? '', 'teatrino', 'scribble');

/** Every choice branch (after the first) that starts with `crash from ...`. */
function crashBranches(
  block: Block,
  out: { start: number; end: number; from: string; to: string }[] = [],
): typeof out {
  for (const i of block.interactions) {
    if (i.kind === 'Choice') {
      i.branches.forEach((b, k) => {
        const first = b.body.interactions[0];
        if (k > 0 && first?.kind === 'CrashNotice') {
          out.push({
            start: b.span.start,
            end: b.span.end,
            from: first.from.text,
            to: first.to.map((t) => t.text).join(','),
          });
        }
        crashBranches(b.body, out);
      });
    } else if (i.kind === 'Recursion' || i.kind === 'Foreach') crashBranches(i.body, out);
  }
  return out;
}

const mutants: [string, string, string, string][] = [];
const codes: string[] = [];
if (root) {
  for (const file of listFiles(dir, ['.nuscr'])) {
    if (file === 'Log.nuscr') continue;
    const text = readText(path.join(dir, file));
    const { module } = parse(text, file);
    for (const p of module.protocols) {
      for (const b of crashBranches(p.body)) {
        mutants.push([
          `${file}: without \`crash from ${b.from} to ${b.to}\` at offset ${String(b.start)}`,
          file,
          text.slice(0, b.start) + text.slice(b.end),
          b.from,
        ]);
      }
    }
  }
}

describe.skipIf(!root)('Teatrino: deleting a crash branch is caught', () => {
  afterAll(() => {
    const count = new Map<string, number>();
    for (const c of codes) count.set(c, (count.get(c) ?? 0) + 1);
    console.log(
      `crash-branch deletion: ${String(mutants.length)} mutants, caught by ` +
        [...count].map(([c, n]) => `${c} ×${String(n)}`).join(', '),
    );
  });

  test('73 mutants: one per crash branch of the Teatrino examples', () => {
    expect(mutants.length).toBe(73);
  });

  test.each(mutants)('%s', (_name, file, text, crashed) => {
    const { diagnostics } = analyzeFiles([file], memoryHost({ [file]: text }));
    const errors = diagnostics.filter((d) => d.severity === 'error');
    expect(errors.length, 'the mutant was accepted').toBeGreaterThan(0);
    // Caught by projection's crash-handling rule, naming the role that may crash.
    codes.push(...new Set(errors.map((d) => d.code)));
    expect(
      errors.some(
        (d) => d.code === 'MPST207' && d.message.includes(`\`${crashed}\`, which may crash`),
      ),
      errors.map((d) => d.message).join('\n'),
    ).toBe(true);
  });
});
