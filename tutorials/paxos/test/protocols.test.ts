// The tutorial's protocols are teaching material: each must check without a single diagnostic,
// and the plain-Scribble Paxos must mean exactly what the `foreach` version means.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { analyzeFiles, printGlobal, type AnalysisResult } from '@mpst/projector';
import { nodeHost } from '@mpst/scribble/node';
import { describe, expect, it } from 'vitest';

const dir = fileURLToPath(new URL('../protocols/', import.meta.url));

function analyze(file: string): AnalysisResult {
  return analyzeFiles([`${dir}${file}`], nodeHost);
}

describe('tutorial protocols', () => {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.scr'))
    .sort();

  it('has the steps the README lists', () => {
    expect(files).toEqual(['Paxos.scr', 'PaxosPlain.scr', 'PrepareRound.scr']);
  });

  for (const file of files) {
    it(`${file} checks without diagnostics and projects every role`, () => {
      const result = analyze(file);
      expect(result.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
      for (const p of result.protocols) {
        for (const r of p.roles) expect(r.efsm, `${p.name} at ${r.role}`).toBeDefined();
      }
    });
  }

  it('PaxosPlain.scr desugars to the same global type as Paxos.scr', () => {
    const body = (file: string): string => {
      const p = analyze(file).protocols.find((x) => x.name === 'Paxos')?.protocol;
      if (!p) throw new Error(`no Paxos in ${file}`);
      // The header names the module; the bodies must be equal line for line.
      return printGlobal(p).split('\n').slice(1).join('\n');
    };
    expect(body('PaxosPlain.scr')).toBe(body('Paxos.scr'));
  });
});
