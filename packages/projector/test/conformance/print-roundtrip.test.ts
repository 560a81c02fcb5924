/**
 * The printers on the whole corpus (see ../roundtrip.ts): for every protocol of every file we
 * accept — scribble-java good files and demos, nuScr examples, Teatrino — `printGlobal` parses
 * and elaborates to a protocol whose projections have isomorphic EFSMs, `printLocal` reads back
 * as the local type (projections in scribble-java, nuScr and crash-stop modes), and both texts
 * are linear in the IR. Skips without the corpus.
 */
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { analyzeFiles, printGlobal, type ProtocolResult } from '@mpst/projector';
import { dialectOf } from '@mpst/scribble';
import { nodeHost } from '@mpst/scribble/node';
import {
  corpusRoot,
  demoCases,
  missingCorpusNotice,
  nuscrCases,
  scribbleJavaCases,
  teatrinoFiles,
} from '../../../../tools/corpus.js';
import { roundTrips } from '../roundtrip.js';

const root = corpusRoot();
if (!root) test.skip(missingCorpusNotice('printer round trip'), () => {});

interface Case {
  readonly name: string;
  readonly file: string;
  readonly importPaths: readonly string[];
}

function cases(base: string): Case[] {
  const sj = path.join(base, 'scribble-java');
  return [
    ...scribbleJavaCases(base)
      .filter((c) => c.expected === 'accept')
      .map((c) => ({
        name: `scribble-java/${c.rel}`,
        file: path.join(sj, c.rel),
        importPaths: [sj],
      })),
    ...demoCases(base)
      .filter((c) => c.observed === 'accept')
      .map((c) => ({
        name: `scribble-java/${c.rel}`,
        file: path.join(sj, c.rel),
        importPaths: [path.join(sj, c.importRoot)],
      })),
    ...nuscrCases(base)
      .filter((c) => !c.negative)
      .map((c) => {
        const file = path.join(base, 'nuscr', c.rel);
        return { name: `nuscr/${c.rel}`, file, importPaths: [path.dirname(file)] };
      }),
    ...teatrinoFiles(base).map((rel) => {
      const file = path.join(base, 'teatrino', rel);
      return { name: `teatrino/${rel}`, file, importPaths: [path.dirname(file)] };
    }),
  ];
}

describe.skipIf(!root)('printers round-trip on the corpus', () => {
  for (const c of root ? cases(root) : []) {
    test(c.name, () => {
      const r = analyzeFiles([c.file], nodeHost, { importPaths: [...c.importPaths] });
      if (r.diagnostics.some((d) => d.severity === 'error')) return; // rejected: not printed
      const module = r.program.modules.find((m) => m.root)?.module;
      if (!module) return;
      const mode = dialectOf(module);
      // Printed side by side, nuScr nested protocols lose their scope: where two protocols of
      // the file share a name (a nested `P` in a global `P`), the text cannot say which is
      // which, so only the local round trip is checked there.
      const names = r.protocols.map((x) => x.name);
      const shadowed = new Set(names).size < names.length;
      const pragmas = module.pragmas.map((x) => x.name.text);
      const text = shadowed ? null : fileText(r.protocols, pragmas);
      for (const p of r.protocols) {
        if (!p.protocol) continue;
        expect(roundTrips(p, mode, text)).toEqual([]);
      }
    });
  }
});

/**
 * The text to re-parse: every protocol of the file (a nuScr call needs the protocols it calls
 * beside it, nested ones first) under the file's pragmas (they change what `do` means).
 */
function fileText(all: readonly ProtocolResult[], pragmas: readonly string[]): string {
  const protocols = all
    .flatMap((o) => (o.protocol ? [o.protocol] : []))
    .sort((a, b) => Number(!a.nested) - Number(!b.nested));
  const header = pragmas.length > 0 ? `(*# ${pragmas.join(', ')} #*)\n` : '';
  return header + protocols.map((o) => printGlobal(o)).join('\n');
}
