import { inliningNotes, transitionOrigins, type Efsm, type Origin } from '@mpst/projector';
import {
  makeDiagnostic,
  type Diagnostic,
  type DiagnosticCode,
  type SourceFile,
  type Span,
} from '@mpst/scribble';
import type { Step, VerifyResult, Violation, ViolationKind } from './api.js';
import type { VerifiableProtocol } from './files.js';

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

/** The EFSM of `role` in an analysed protocol, and where each of its transitions comes from. */
function machineOf(
  p: VerifiableProtocol,
  role: string,
): { efsm: Efsm; origins: readonly (Origin | undefined)[] } | undefined {
  const efsm = p.roles.find((r) => r.role === role)?.efsm;
  const origins = efsm ? transitionOrigins(efsm) : undefined;
  return efsm && origins ? { efsm, origins } : undefined;
}

const MESSAGE_KINDS: ReadonlySet<string> = new Set(['send', 'receive', 'request', 'accept']);

/** The source of the first transition (a message one, if any) of `role` in its current state. */
function stateOrigin(p: VerifiableProtocol, v: Violation, role: string): Origin | undefined {
  const m = machineOf(p, role);
  const state = v.configuration.states[role];
  if (!m || state === undefined) return undefined;
  const out = m.efsm.transitions.map((t, i) => ({ t, i })).filter(({ t }) => t.from === state);
  const pick = out.find(({ t }) => MESSAGE_KINDS.has(t.action.kind)) ?? out[0];
  return pick ? m.origins[pick.i] : undefined;
}

/**
 * The source of the send that put the oldest message of queue `from → to` there: the trace is
 * replayed queue-wise (sends append, receives take the head, lost sends and a crash of `to`
 * leave nothing), and the remaining head's step is found in the sender's EFSM.
 */
function queuedOrigin(
  p: VerifiableProtocol,
  v: Violation,
  from: string,
  to: string,
): Origin | undefined {
  const queue: Step[] = [];
  for (const s of v.trace) {
    if (
      s.role === from &&
      s.peer === to &&
      (s.kind === 'send' || s.kind === 'request') &&
      s.lost !== true
    )
      queue.push(s);
    else if (s.role === to && s.peer === from && (s.kind === 'receive' || s.kind === 'accept'))
      queue.shift();
    else if (s.role === to && s.kind === 'crashed') queue.length = 0;
  }
  const head = queue[0];
  const m = machineOf(p, from);
  if (!head || !m) return undefined;
  const i = m.efsm.transitions.findIndex(
    (t) => t.from === head.from && t.to === head.to && t.label === head.label,
  );
  return i < 0 ? undefined : m.origins[i];
}

/**
 * The interaction to point at, from the origins projection records for each EFSM transition:
 * for `stuck`, `orphan` and `reception`, the send of the message at the head of the queue at
 * fault (for `stuck`, the queue from the peer the role waits on; for `reception`, preferably a
 * queue the cycle never receives from); for `deadlock`, `unfinished` and `progress`, the
 * transition the role is stuck in. The first role at fault that gives one wins.
 */
function originOf(p: VerifiableProtocol, v: Violation): Origin | undefined {
  for (const role of v.roles) {
    if (v.kind === 'deadlock' || v.kind === 'unfinished' || v.kind === 'progress') {
      const o = stateOrigin(p, v, role);
      if (o) return o;
      continue;
    }
    const queues = v.configuration.queues
      .filter((q) => q.to === role && q.messages.length > 0)
      .map((q) => q.from);
    let peers = queues;
    if (v.kind === 'stuck') {
      // A role is stuck on a message from the one peer it waits for in its state.
      const m = p.roles.find((r) => r.role === role)?.efsm;
      const state = v.configuration.states[role];
      const waitsOn = new Set(
        m?.transitions.filter((t) => t.from === state).map((t) => t.action.peer),
      );
      peers = queues.filter((q) => waitsOn.has(q));
    } else if (v.kind === 'reception') {
      const taken = new Set(
        v.cycle
          ?.filter((s) => s.role === role && (s.kind === 'receive' || s.kind === 'accept'))
          .map((s) => s.peer),
      );
      peers = [...queues.filter((q) => !taken.has(q)), ...queues.filter((q) => taken.has(q))];
    }
    for (const from of peers) {
      const o = queuedOrigin(p, v, from, role);
      if (o) return o;
    }
  }
  return undefined;
}

function stepText(s: Step): string {
  return s.kind === 'crashed'
    ? `${s.role} crashes`
    : s.kind === 'link-fails'
      ? `link ${s.label} fails`
      : `${s.role} ${s.label}${s.lost === true ? ' (lost)' : ''}`;
}

/**
 * The violations and the inconclusive verdict of a verification as diagnostics: one error per
 * violation (MPST300–MPST305) at the interaction it is about (else at the protocol's name),
 * with the counterexample (and, inside an inlined `do`, the calls) as notes; an inconclusive
 * verdict is a warning (MPST306), and an `invalid` one (nothing verified: wrong options or
 * EFSMs) an error (MPST307).
 */
export function verificationDiagnostics(p: VerifiableProtocol, r: VerifyResult): Diagnostic[] {
  const protocol = p.protocol;
  if (!protocol) return [];
  const out: Diagnostic[] = [];
  const at = (o: Origin | undefined): Origin => o ?? protocol.origin;
  for (const v of r.violations) {
    const o = at(originOf(p, v));
    const trace =
      v.trace.length === 0
        ? 'in the initial configuration'
        : `counterexample: ${v.trace.map(stepText).join(', ')}`;
    const notes: { message: string; file?: SourceFile; span?: Span }[] = [{ message: trace }];
    if (v.cycle && v.cycle.length > 0)
      notes.push({ message: `then for ever: ${v.cycle.map(stepText).join(', ')}` });
    // The interaction may come from a `do` inlined here: say which call, with which roles.
    notes.push(...inliningNotes(o));
    const what =
      v.unfair === true
        ? ' (when a choice may always pick the same branch; `--fair` assumes it does not)'
        : '';
    out.push(
      makeDiagnostic(
        o.file,
        violationCode(v.kind),
        `\`${protocol.name}\`: ${v.kind}: ${v.message}${what}`,
        o.span,
        { notes },
      ),
    );
  }
  if (r.verdict === 'invalid') {
    // Nothing was explored: an error, so that the protocol is not taken as verified.
    const why = (r.invalid ?? []).map((e) => `${e.message} (${e.code})`).join('; ');
    out.push(
      makeDiagnostic(
        protocol.origin.file,
        'MPST307',
        `\`${protocol.name}\` was not verified: ${why}`,
        protocol.origin.span,
      ),
    );
  }
  if (r.verdict === 'inconclusive' && r.incomplete) {
    out.push(
      makeDiagnostic(
        protocol.origin.file,
        'MPST306',
        `\`${protocol.name}\` was not fully verified: ${r.incomplete.message}`,
        protocol.origin.span,
        { severity: 'warning' },
      ),
    );
  }
  return out;
}
