/**
 * What the page computes from the editor's text on every edit, on the main thread: parsing,
 * checks, elaboration and projection of a tutorial protocol take a few milliseconds (the model
 * checker, which may take much longer, is in verification.ts, run by a worker). Pure: no DOM,
 * so the unit tests run it in Node.
 */
import { globalToSequence, efsmToState } from '@mpst/mermaid';
import { analyzeFiles, type ProtocolResult } from '@mpst/projector';
import type { EndpointSpec } from '@mpst/runtime';
import { hasErrors, memoryHost, type Diagnostic, type Program } from '@mpst/scribble';
import { specsOf } from './simulation.js';

/** One global protocol's pictures, as Mermaid text. */
export interface ProtocolDiagrams {
  readonly name: string;
  readonly roles: readonly string[];
  /** The global protocol as a sequence diagram. */
  readonly sequence: string;
  /** Each role's state machine as a state diagram, in the order of `roles`. */
  readonly states: readonly string[];
  /** Each role's endpoint spec, for the simulator. */
  readonly specs: readonly EndpointSpec[];
}

/** The outcome of checking and projecting the editor's text. */
export interface Analysis {
  readonly diagnostics: readonly Diagnostic[];
  /** Pictures of every (non-aux) protocol; empty when there are errors. */
  readonly protocols: readonly ProtocolDiagrams[];
  readonly ms: number;
}

/** Checks, elaborates and projects `text` as the file `file`, and draws what projected. */
export function analyzeText(file: string, text: string): Analysis {
  const t0 = performance.now();
  const result = analyzeFiles([file], memoryHost({ [file]: text }));
  const protocols = hasErrors(result.diagnostics)
    ? []
    : result.protocols.flatMap((p) => diagramsOf(p, result.program) ?? []);
  return { diagnostics: result.diagnostics, protocols, ms: performance.now() - t0 };
}

function diagramsOf(p: ProtocolResult, program: Program): ProtocolDiagrams | undefined {
  if (!p.protocol) return undefined;
  const states: string[] = [];
  for (const r of p.roles) {
    if (!r.efsm) return undefined;
    states.push(efsmToState(r.efsm, { title: `${p.name}: ${r.role}` }));
  }
  return {
    name: p.name,
    roles: p.roles.map((r) => r.role),
    sequence: globalToSequence(p.protocol),
    states,
    specs: specsOf(p, program),
  };
}
