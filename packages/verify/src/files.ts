import {
  analyzeFiles,
  type AnalyzeOptions,
  type Efsm,
  type ElaboratedProtocol,
  type ModuleHost,
  type ProtocolResult,
  type RoleResult,
} from '@mpst/projector';
import { hasErrors, type Diagnostic } from '@mpst/scribble';
import type { VerifyOptions, VerifyResult } from './api.js';
import { verificationDiagnostics } from './diagnostics.js';
import { verifySystem } from './verify.js';

/**
 * The exploration limit of {@link SCRIBBLE_JAVA_MODEL}, per model (fair, and unfair output
 * choice): enough for Big with 100,000 interactions (about 200,000 configurations per model).
 */
export const SCRIBBLE_JAVA_MAX_STATES = 1_000_000;

/**
 * scribble-java's model, as `mpst check` verifies: queues of capacity 1, every property,
 * fair and unfair output choice; at most {@link SCRIBBLE_JAVA_MAX_STATES} configurations per
 * model (a warning, MPST306, says when that cut the exploration).
 */
export const SCRIBBLE_JAVA_MODEL: VerifyOptions = {
  capacity: 1,
  maxStates: SCRIBBLE_JAVA_MAX_STATES,
};

/**
 * What verification and its diagnostics use of an analysed protocol ({@link ProtocolResult}
 * is one): the protocol's names, roles, crash model and origin, and every role's EFSM.
 */
export interface VerifiableProtocol {
  /** Undefined when elaboration failed. */
  readonly protocol:
    | Pick<
        ElaboratedProtocol,
        'name' | 'qualifiedName' | 'roles' | 'crashStop' | 'reliable' | 'origin'
      >
    | undefined;
  readonly roles: readonly Pick<RoleResult, 'role' | 'efsm'>[];
}

/**
 * Only what verification needs of an analysed protocol: not its module's syntax tree nor the
 * elaborated global type, which a caller that lets the analysis go before verifying (`mpst
 * check`) then leaves to the garbage collector instead of keeping them live through the search.
 * (The EFSMs' transition origins hold copies of the source spans, not syntax nodes.)
 */
export function verifiable(p: ProtocolResult): VerifiableProtocol {
  const g = p.protocol;
  return {
    protocol: g && {
      name: g.name,
      qualifiedName: g.qualifiedName,
      roles: g.roles,
      crashStop: g.crashStop,
      reliable: g.reliable,
      origin: g.origin,
    },
    roles: p.roles.map((r) => ({ role: r.role, efsm: r.efsm })),
  };
}

/**
 * Verifies one analysed protocol (from `analyzeFiles`). Returns undefined when the protocol
 * did not elaborate or some role could not be projected (its diagnostics say why).
 */
export function verifyProtocol(
  p: VerifiableProtocol,
  options: VerifyOptions = {},
): VerifyResult | undefined {
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
export function verifyFiles(
  paths: readonly string[],
  host: ModuleHost,
  options: VerifyOptions & AnalyzeOptions = {},
): FileVerification {
  const analysis = analyzeFiles(paths, host, options);
  if (hasErrors(analysis.diagnostics)) return { diagnostics: analysis.diagnostics, results: [] };
  const results: VerifyResult[] = [];
  for (const p of analysis.protocols) {
    const r = verifyProtocol(p, options);
    if (r) results.push(r);
  }
  return { diagnostics: analysis.diagnostics, results };
}

/**
 * Verifies every analysed protocol that projected without errors and turns the violations
 * into diagnostics (MPST300–MPST307, see {@link verificationDiagnostics}).
 */
export function verifyAnalysed(
  protocols: readonly VerifiableProtocol[],
  options: VerifyOptions = SCRIBBLE_JAVA_MODEL,
): { readonly results: readonly VerifyResult[]; readonly diagnostics: readonly Diagnostic[] } {
  const results: VerifyResult[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const p of protocols) {
    const r = verifyProtocol(p, options);
    if (!r) continue;
    results.push(r);
    diagnostics.push(...verificationDiagnostics(p, r));
  }
  return { results, diagnostics };
}
