/**
 * What the verification worker computes from the editor's text: the model checker in
 * scribble-java's model, as `mpst check` runs it, and the first counterexample as a sequence
 * diagram. Pure (no DOM, no worker API): the unit tests run it in Node.
 */
import { counterexampleToSequence } from '@mpst/mermaid';
import { analyzeFiles } from '@mpst/projector';
import { hasErrors, memoryHost, type Diagnostic } from '@mpst/scribble';
import { SCRIBBLE_JAVA_MODEL, verificationDiagnostics, verifyProtocol } from '@mpst/verify';

/** One protocol's verification, as the worker reports it (plain data: it is posted). */
export interface ProtocolVerification {
  readonly name: string;
  readonly verdict: 'verified' | 'violation' | 'inconclusive' | 'invalid';
  readonly states: number;
  readonly transitions: number;
  readonly ms: number;
  /** The first violation's one-line message and its shortest trace as a sequence diagram. */
  readonly counterexample?: { readonly message: string; readonly sequence: string };
  /** Why the verdict is inconclusive. */
  readonly note?: string;
}

/** The worker's answer for one text. */
export interface Verification {
  /** False when the text has errors: nothing was verified. */
  readonly verified: boolean;
  readonly protocols: readonly ProtocolVerification[];
  /** MPST300–MPST307, at the interactions at fault. */
  readonly diagnostics: readonly Diagnostic[];
  readonly ms: number;
}

/** Checks and verifies `text` in scribble-java's model, as `mpst check` does. */
export function verifyText(file: string, text: string): Verification {
  const t0 = performance.now();
  const analysis = analyzeFiles([file], memoryHost({ [file]: text }));
  if (hasErrors(analysis.diagnostics))
    return { verified: false, protocols: [], diagnostics: [], ms: performance.now() - t0 };
  const protocols: ProtocolVerification[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const p of analysis.protocols) {
    const r = verifyProtocol(p, SCRIBBLE_JAVA_MODEL);
    if (!r) continue;
    diagnostics.push(...verificationDiagnostics(p, r));
    const [first] = r.violations;
    protocols.push({
      name: p.name,
      verdict: r.verdict,
      states: r.states + r.unfairStates,
      transitions: r.transitions,
      ms: r.elapsedMs,
      ...(first
        ? {
            counterexample: {
              message: `${first.kind}: ${first.message}`,
              sequence: counterexampleToSequence(r.roles, first, {
                reliable: [...(p.protocol?.reliable ?? [])],
                title: `${p.name}: ${first.kind}`,
              }),
            },
          }
        : {}),
      ...(r.incomplete ? { note: r.incomplete.message } : {}),
    });
  }
  return { verified: true, protocols, diagnostics, ms: performance.now() - t0 };
}
