/**
 * Every diagram the render test draws: the global sequence diagram and each role's state
 * diagram of every protocol that the toolchain accepts in the shared corpus (scribble-java
 * good files and demos, nuScr examples outside `errors/`, Teatrino), and of every protocol of
 * the Paxos tutorial (aux ones included: the tutorial shows them too).
 */
import path from 'node:path';
import { analyzeFiles, type AnalysisResult } from '@mpst/projector';
import { nodeHost } from '@mpst/scribble/node';
import { efsmToState, globalToSequence } from '@mpst/mermaid';
import { demoCases, nuscrCases, repoRoot, scribbleJavaCases, teatrinoFiles } from '../../../tools/corpus.js';

export interface NamedDiagram {
  /** Where it comes from: `corpus/file.scr Protocol` or `... Protocol@Role`. */
  readonly name: string;
  readonly text: string;
}

export interface DiagramSet {
  readonly diagrams: NamedDiagram[];
  /** Files analysed, files accepted, protocols drawn. */
  readonly files: number;
  readonly accepted: number;
  readonly protocols: number;
}

/** The corpus files to try, with their import roots. */
function corpusFiles(root: string): { file: string; importPaths: string[] }[] {
  const sj = path.join(root, 'scribble-java');
  const out = scribbleJavaCases(root)
    .filter((c) => c.expected === 'accept')
    .map((c) => ({ file: path.join(sj, c.rel), importPaths: [sj] }));
  for (const d of demoCases(root)) out.push({ file: path.join(sj, d.rel), importPaths: [path.join(sj, d.importRoot)] });
  for (const c of nuscrCases(root)) {
    if (!c.negative) out.push({ file: path.join(root, 'nuscr', c.rel), importPaths: [] });
  }
  for (const rel of teatrinoFiles(root)) out.push({ file: path.join(root, 'teatrino', rel), importPaths: [] });
  return out;
}

/** Adds the diagrams of every elaborated, fully projected protocol of `r`. */
function addDiagrams(label: string, r: AnalysisResult, out: NamedDiagram[]): number {
  let n = 0;
  for (const p of r.protocols) {
    if (!p.protocol || p.roles.some((x) => !x.efsm)) continue;
    n++;
    out.push({ name: `${label} ${p.name}`, text: globalToSequence(p.protocol) });
    for (const x of p.roles) if (x.efsm) out.push({ name: `${label} ${p.name}@${x.role}`, text: efsmToState(x.efsm) });
  }
  return n;
}

/** The corpus diagrams (every protocol of every file without errors). */
export function corpusDiagrams(root: string): DiagramSet {
  const diagrams: NamedDiagram[] = [];
  let accepted = 0;
  let protocols = 0;
  const files = corpusFiles(root);
  for (const { file, importPaths } of files) {
    const r = analyzeFiles([file], nodeHost, { importPaths });
    if (r.diagnostics.some((d) => d.severity === 'error')) continue;
    accepted++;
    protocols += addDiagrams(path.relative(root, file), r, diagrams);
  }
  return { diagrams, files: files.length, accepted, protocols };
}

/** The tutorial's protocol files. */
export const TUTORIAL_FILES = ['tutorials/paxos/protocols/PrepareRound.scr', 'tutorials/paxos/protocols/Paxos.scr'];

/** Every protocol of the tutorial, aux ones included. */
export function tutorialDiagrams(): DiagramSet {
  const diagrams: NamedDiagram[] = [];
  let protocols = 0;
  let accepted = 0;
  for (const rel of TUTORIAL_FILES) {
    const file = path.join(repoRoot, rel);
    const all = analyzeFiles([file], nodeHost);
    const names = all.program.modules.filter((m) => m.root).flatMap((m) => m.module.protocols.filter((p) => !p.nested).map((p) => p.name.text));
    let ok = true;
    for (const name of names) {
      const r = analyzeFiles([file], nodeHost, { protocol: name });
      if (r.diagnostics.some((d) => d.severity === 'error')) ok = false;
      protocols += addDiagrams(rel, r, diagrams);
    }
    if (ok) accepted++;
  }
  return { diagrams, files: TUTORIAL_FILES.length, accepted, protocols };
}
