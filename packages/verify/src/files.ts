import { analyzeFiles, type AnalyzeOptions, type Efsm, type ModuleHost, type ProtocolResult } from '@mpst/projector';
import { hasErrors, type Diagnostic } from '@mpst/scribble';
import type { VerifyOptions, VerifyResult } from './api.js';
import { verifySystem } from './verify.js';

/**
 * Verifies one analysed protocol (from `analyzeFiles`). Returns undefined when the protocol
 * did not elaborate or some role could not be projected (its diagnostics say why).
 */
export function verifyProtocol(p: ProtocolResult, options: VerifyOptions = {}): VerifyResult | undefined {
  if (!p.protocol) return undefined;
  const efsms: Efsm[] = [];
  for (const r of p.roles) {
    if (!r.efsm) return undefined;
    efsms.push(r.efsm);
  }
  return verifySystem(p.protocol, efsms, options);
}

/** The outcome of {@link verifyFiles}. */
export interface FileVerification {
  readonly diagnostics: readonly Diagnostic[];
  /** One result per analysed protocol; empty when the files have errors. */
  readonly results: readonly VerifyResult[];
}

/** Checks, projects and verifies every selected protocol of the files. Nothing is verified when there are errors. */
export function verifyFiles(paths: readonly string[], host: ModuleHost, options: VerifyOptions & AnalyzeOptions = {}): FileVerification {
  const analysis = analyzeFiles(paths, host, options);
  if (hasErrors(analysis.diagnostics)) return { diagnostics: analysis.diagnostics, results: [] };
  const results: VerifyResult[] = [];
  for (const p of analysis.protocols) {
    const r = verifyProtocol(p, options);
    if (r) results.push(r);
  }
  return { diagnostics: analysis.diagnostics, results };
}
