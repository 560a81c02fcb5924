import { showMessage, walk, type GlobalType, type Origin, type ProtocolResult } from '@mpst/projector';
import { makeDiagnostic, type Diagnostic, type DiagnosticCode } from '@mpst/scribble';
import type { Step, VerifyResult, Violation, ViolationKind } from './api.js';

const CODES: Readonly<Record<ViolationKind, DiagnosticCode>> = {
  stuck: 'MPST300',
  orphan: 'MPST301',
  deadlock: 'MPST302',
  unfinished: 'MPST303',
  progress: 'MPST304',
  reception: 'MPST305',
};

/** The diagnostic code of a violation kind (MPST300–MPST305). */
export function violationCode(kind: ViolationKind): DiagnosticCode {
  return CODES[kind];
}

/** An interaction the violation is about: `from` sends `message` to `to`. */
interface Focus {
  readonly from: string;
  readonly to: string;
  readonly message: string;
}

/**
 * The interaction to point at: for `stuck`, `orphan` and `reception`, the message left in a
 * queue of the first role at fault; for `deadlock`, `unfinished` and `progress`, the first
 * message that role waits for in its current EFSM state.
 */
function focusOf(p: ProtocolResult, v: Violation): Focus | undefined {
  for (const role of v.roles) {
    if (v.kind === 'stuck' || v.kind === 'orphan' || v.kind === 'reception') {
      const q = v.configuration.queues.find((x) => x.to === role && x.messages.length > 0);
      if (q?.messages[0] !== undefined) return { from: q.from, to: role, message: q.messages[0] };
      continue;
    }
    const efsm = p.roles.find((r) => r.role === role)?.efsm;
    const state = v.configuration.states[role];
    const t = efsm?.transitions.find((x) => x.from === state && (x.action.kind === 'receive' || x.action.kind === 'send'));
    if (t && 'message' in t.action) {
      const a = t.action;
      return a.kind === 'send' ? { from: role, to: a.peer, message: showMessage(a.message) } : { from: a.peer, to: role, message: showMessage(a.message) };
    }
  }
  return undefined;
}

/** The source of the first message interaction `from → to: message` of the protocol. */
function originOf(body: GlobalType, f: Focus): Origin | undefined {
  let found: Origin | undefined;
  walk(body, (n) => {
    if (n.kind === 'message' && n.origin && n.from === f.from && n.to === f.to && showMessage(n.message) === f.message) {
      found = n.origin;
      return true;
    }
    return undefined;
  });
  return found;
}

function stepText(s: Step): string {
  return s.kind === 'crashed' ? `${s.role} crashes` : s.kind === 'link-fails' ? `link ${s.label} fails` : `${s.role} ${s.label}${s.lost === true ? ' (lost)' : ''}`;
}

/**
 * The violations and the inconclusive verdict of a verification as diagnostics: one error per
 * violation (MPST300–MPST305) at the interaction it is about (else at the protocol's name),
 * with the counterexample as notes; an inconclusive verdict is a warning (MPST306).
 */
export function verificationDiagnostics(p: ProtocolResult, r: VerifyResult): Diagnostic[] {
  const protocol = p.protocol;
  if (!protocol) return [];
  const out: Diagnostic[] = [];
  const at = (o: Origin | undefined): Origin => o ?? protocol.origin;
  for (const v of r.violations) {
    const f = focusOf(p, v);
    const o = at(f ? originOf(protocol.body, f) : undefined);
    const trace = v.trace.length === 0 ? 'in the initial configuration' : `counterexample: ${v.trace.map(stepText).join(', ')}`;
    const notes = [{ message: trace }];
    if (v.cycle && v.cycle.length > 0) notes.push({ message: `then for ever: ${v.cycle.map(stepText).join(', ')}` });
    const what = v.unfair === true ? ' (when a choice may always pick the same branch; `--fair` assumes it does not)' : '';
    out.push(makeDiagnostic(o.file, violationCode(v.kind), `\`${protocol.name}\`: ${v.kind}: ${v.message}${what}`, o.span, { notes }));
  }
  if (r.verdict === 'inconclusive' && r.incomplete) {
    out.push(makeDiagnostic(protocol.origin.file, 'MPST306', `\`${protocol.name}\` was not fully verified: ${r.incomplete.message}`, protocol.origin.span, { severity: 'warning' }));
  }
  return out;
}
