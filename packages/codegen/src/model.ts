/**
 * The model of one role's generated module: its EFSM's states, each named after where it is in
 * the protocol, with the keys of its factories (send states) or handlers (receive states) and
 * the payload parameters of each message. Everything the emitter prints is decided here, and
 * everything that cannot be generated is a positioned diagnostic (MPST500–MPST504).
 */
import { makeDiagnostic, type Diagnostic, type DiagnosticCode } from '@mpst/scribble';
import {
  transitionOrigins,
  type Efsm,
  type EfsmTransition,
  type Origin,
  type ProtocolResult,
} from '@mpst/projector';
import { determinise } from './determinise.js';
import { bindingName, identifier, NameScope } from './identifiers.js';
import type { TsType, TypeResolver } from './types.js';

/** One payload parameter of a message. */
export interface Param {
  readonly name: string;
  /** The protocol's type name (`Ballot`). */
  readonly protocolType: string;
  readonly type: TsType;
}

/** One transition, as a factory (send state) or handler (receive state). */
export interface Edge {
  readonly index: number;
  readonly transition: EfsmTransition;
  readonly kind: 'message' | 'crash' | 'local';
  /** The factory or handler key. */
  readonly key: string;
  readonly peer: string;
  /** The wire label (messages only; '' otherwise). */
  readonly label: string;
  readonly params: readonly Param[];
  readonly to: number;
  /** For a crash edge that stands for a `default` branch: the key of that branch's message. */
  readonly defaultOf?: string;
  readonly origin: Origin | undefined;
}

export interface StateModel {
  readonly id: number;
  readonly kind: 'send' | 'receive' | 'end';
  /** The type (and factory object) name: `Prepare_recv_prepare`, `End`. */
  readonly name: string;
  readonly edges: readonly Edge[];
  /** Where it is, for its doc comment: `do Prepare(P1, A1)`, `rec L`. */
  readonly context: readonly string[];
  readonly origin: Origin | undefined;
}

export interface RoleModel {
  readonly protocol: string;
  readonly role: string;
  readonly roles: readonly string[];
  readonly reliable: readonly string[];
  /** The role's EFSM, made deterministic when scribble-java's projection left it not (determinise.ts). */
  readonly efsm: Efsm;
  readonly determinised: boolean;
  readonly states: readonly StateModel[];
  readonly initial: StateModel;
  /** Every payload type used, by protocol name. */
  readonly types: ReadonlyMap<string, TsType>;
}

/** Names the generated module itself declares; states never take them. */
const MODULE_NAMES = ['Step', 'Next', 'Then', 'End', 'end', 'spec', 'run', 'CrashReason'];

/** Builds the model of `role` in `protocol`; undefined (with diagnostics) when it cannot be generated. */
export function roleModel(
  protocol: ProtocolResult,
  role: string,
  types: TypeResolver,
  out: Diagnostic[],
): RoleModel | undefined {
  const result = protocol.roles.find((r) => r.role === role);
  const where = protocol.module.module.file;
  const at = protocol.protocol?.origin ?? { file: where, span: protocol.module.module.span };
  const projected = result?.efsm;
  if (!projected || !protocol.protocol) {
    out.push(
      diag(
        at,
        'MPST503',
        `no code for role \`${role}\` of \`${protocol.name}\`: it has no state machine (see the errors above)`,
      ),
    );
    return undefined;
  }
  const det = determinise(projected, transitionOrigins(projected));
  const { efsm, origins } = det;
  if (det.conflict) {
    const t = projected.transitions[det.conflict.transition];
    out.push(
      diag(
        det.origins?.[0] ?? origins?.[0] ?? at,
        'MPST502',
        `no code for role \`${role}\`: its state machine is not deterministic, and made ` +
          `deterministic one of its states may both end and go on (\`${t?.label ?? '?'}\`)`,
      ),
    );
    return undefined;
  }
  const recs = new RecIndex();
  const scope = new NameScope(MODULE_NAMES);
  const resolved = new Map<string, TsType>();
  const before = out.length;
  const byState = groupBySource(efsm);
  const states: StateModel[] = efsm.states.map((s) => {
    const edges = byState[s.id] ?? [];
    const origin = edges.length > 0 ? origins?.[edges[0] ?? 0] : undefined;
    const context = contextOf(origin, recs);
    if (edges.length === 0)
      return { id: s.id, kind: 'end', name: 'End', edges: [], context, origin };
    const kind = stateKind(efsm, edges);
    if (kind === 'mixed') {
      out.push(
        diag(
          origin ?? at,
          'MPST501',
          `no code for role \`${role}\`: its state ${s.id} both sends and receives`,
        ),
      );
      return { id: s.id, kind: 'send', name: `S${s.id}`, edges: [], context, origin };
    }
    const built = buildEdges(efsm, edges, kind, origins, types, resolved, at, out);
    const name = takeStateName(
      scope,
      stateName(namePartsOf(origin, role, recs), kind, built),
      kind,
    );
    return { id: s.id, kind, name, edges: built, context, origin };
  });
  if (out.length > before) return undefined;
  const initial = states[efsm.initial];
  if (!initial) return undefined;
  return {
    protocol: efsm.protocol,
    role,
    roles: protocol.protocol.roles,
    reliable: [...protocol.protocol.reliable],
    efsm,
    determinised: det.changed,
    states,
    initial,
    types: resolved,
  };
}

/**
 * A state's name, unique in the module together with the `<name>_Handlers` interface a receive
 * state also declares (a label `Handlers` could otherwise make one state's name another's
 * interface).
 */
function takeStateName(scope: NameScope, base: string, kind: 'send' | 'receive'): string {
  for (;;) {
    const name = scope.take(base);
    if (kind === 'send' || !scope.has(`${name}_Handlers`)) {
      if (kind === 'receive') scope.take(`${name}_Handlers`);
      return name;
    }
  }
}

function diag(at: Origin, code: DiagnosticCode, message: string): Diagnostic {
  return makeDiagnostic(at.file, code, message, at.span);
}

/** Transition indices by source state. */
function groupBySource(efsm: Efsm): number[][] {
  const by: number[][] = efsm.states.map(() => []);
  efsm.transitions.forEach((t, i) => by[t.from]?.push(i));
  return by;
}

const SENDING = new Set(['send', 'request', 'disconnect', 'wrap-client', 'wrap-server']);

function stateKind(efsm: Efsm, edges: readonly number[]): 'send' | 'receive' | 'mixed' {
  const sends = edges.filter((i) => SENDING.has(efsm.transitions[i]?.action.kind ?? '')).length;
  return sends === edges.length ? 'send' : sends === 0 ? 'receive' : 'mixed';
}

/** The edges of one state, with keys unique within it and payload parameters. */
function buildEdges(
  efsm: Efsm,
  indices: readonly number[],
  kind: 'send' | 'receive',
  origins: readonly (Origin | undefined)[] | undefined,
  types: TypeResolver,
  resolved: Map<string, TsType>,
  fallback: Origin,
  out: Diagnostic[],
): Edge[] {
  const all = indices.flatMap((i) => {
    const t = efsm.transitions[i];
    return t ? [{ i, t, origin: origins?.[i] }] : [];
  });
  // A crash edge that leaves by the same interaction (and to the same state) as a message from
  // the same peer is a `default` branch: elaboration made it a crash branch with the default
  // branch's continuation, so the handler of that message runs with the default payload.
  const defaultMessage = (c: (typeof all)[number]) =>
    all.find(
      (m) =>
        m.t.action.kind === 'receive' &&
        m.t.action.peer === c.t.action.peer &&
        m.t.to === c.t.to &&
        m.origin !== undefined &&
        m.origin.file === c.origin?.file &&
        m.origin.span.start === c.origin.span.start,
    );
  const base = (e: (typeof all)[number]): string => {
    const a = e.t.action;
    if ('message' in a) return identifier(a.message.label === '' ? 'message' : a.message.label);
    if (a.kind === 'crash') return 'crash';
    return identifier(a.kind);
  };
  const baseCount = new Map<string, number>();
  for (const e of all) baseCount.set(base(e), (baseCount.get(base(e)) ?? 0) + 1);
  const reserved =
    kind === 'receive' && all.some((e) => e.t.action.kind === 'crash') ? ['defaults'] : [];
  const scope = new NameScope(reserved);
  const seen = new Map<string, number>();
  const edges: Edge[] = [];
  for (const e of all) {
    const a = e.t.action;
    const label = 'message' in a ? a.message.label : '';
    const sig = `${a.kind} ${a.peer} ${label}`;
    const twin = seen.get(sig);
    // The same action twice to the same state (two branches that project alike): one edge.
    if (twin !== undefined && efsm.transitions[twin]?.to === e.t.to) continue;
    if (twin !== undefined) {
      out.push(
        diag(
          e.origin ?? fallback,
          'MPST502',
          `no code for role \`${efsm.role}\`: its state ${e.t.from} offers both ` +
            `\`${efsm.transitions[twin]?.label ?? '?'}\` and \`${e.t.label}\` (one label, two payload lists), ` +
            'so the code cannot tell which one a message takes',
        ),
      );
      continue;
    }
    seen.set(sig, e.i);
    const b = base(e);
    const dir = kind === 'send' ? 'to' : 'from';
    const key = scope.take((baseCount.get(b) ?? 0) > 1 ? `${b}_${dir}_${identifier(a.peer)}` : b);
    const params =
      'message' in a
        ? paramsOf(a.message.payload, label, efsm.role, e.origin ?? fallback, types, resolved, out)
        : [];
    edges.push({
      index: e.i,
      transition: e.t,
      kind: 'message' in a ? 'message' : a.kind === 'crash' ? 'crash' : 'local',
      key,
      peer: a.peer,
      label,
      params,
      to: e.t.to,
      origin: e.origin,
    });
  }
  // Second pass: crash edges that are defaults point at their message's key.
  return edges.map((edge) => {
    if (edge.kind !== 'crash') return edge;
    const entry = all.find((x) => x.i === edge.index);
    const m = entry ? defaultMessage(entry) : undefined;
    const target = m ? edges.find((x) => x.index === m.i) : undefined;
    return target ? { ...edge, defaultOf: target.key } : edge;
  });
}

/** Payload parameters: `x: Int` is named `x`, else `p0`, `p1`, ... */
function paramsOf(
  payload: readonly string[],
  label: string,
  role: string,
  at: Origin,
  types: TypeResolver,
  resolved: Map<string, TsType>,
  out: Diagnostic[],
): Param[] {
  const scope = new NameScope(['next']);
  return payload.map((text, i) => {
    const named = /^\s*([A-Za-z_][\w]*)\s*:\s*(.+)$/.exec(text);
    const typeName = (named?.[2] ?? text).replace(/\{[\s\S]*\}\s*$/, '').trim();
    const name = scope.take(named?.[1] !== undefined ? bindingName(named[1]) : `p${String(i)}`);
    const found = resolved.get(typeName) ?? resolveType(typeName, label, role, at, types, out);
    if (found) resolved.set(typeName, found);
    return { name, protocolType: typeName, type: found ?? { text: 'never', check: '' } };
  });
}

function resolveType(
  name: string,
  label: string,
  role: string,
  at: Origin,
  types: TypeResolver,
  out: Diagnostic[],
): TsType | undefined {
  if (name.includes('@')) {
    out.push(
      diag(
        at,
        'MPST504',
        `no code for role \`${role}\`: payload \`${name}\` of \`${label}\` is a delegation (a session ` +
          'handed over in a message), which generated code cannot carry',
      ),
    );
    return undefined;
  }
  const t = types.resolve(name);
  if (t) return t;
  // Point at the type name inside the interaction when it can be found there.
  const text = at.file.text;
  const found = text.indexOf(name, at.span.start);
  const span =
    found >= 0 && found + name.length <= at.span.end
      ? { start: found, end: found + name.length }
      : at.span;
  out.push(
    makeDiagnostic(
      at.file,
      'MPST500',
      `payload type \`${name}\` of \`${label}\` has no TypeScript type: declare it ` +
        `(\`type <ts> "string" from "builtin" as ${name};\`) or map it in mpst.config.json ` +
        `(\`{ "types": { "${name}": "string" } }\`)`,
      span,
    ),
  );
  return undefined;
}

/** `Prepare_P1_recv_prepare`, `Loop_send_ping_bye`: context, direction, labels (three at most). */
function stateName(
  parts: readonly string[],
  kind: 'send' | 'receive',
  edges: readonly Edge[],
): string {
  const keys = [...new Set(edges.filter((e) => e.kind !== 'crash').map((e) => e.key))];
  const shown = keys.length > 3 ? [...keys.slice(0, 3), 'etc'] : keys;
  if (shown.length === 0) shown.push('crash');
  return [...parts, kind === 'send' ? 'send' : 'recv', ...shown].join('_');
}

/** Where an interaction is: the innermost `do` that inlined it, and its innermost `rec`. */
function contextOf(origin: Origin | undefined, recs: RecIndex): string[] {
  if (!origin) return [];
  const out: string[] = [];
  if (origin.call) out.push(`do ${origin.call.protocol}(${origin.call.roles.join(', ')})`);
  let rec: string | undefined;
  for (let o: Origin | undefined = origin; o && rec === undefined; o = o.call?.origin)
    rec = recs.innermost(o);
  if (rec !== undefined) out.push(`rec ${rec}`);
  return out;
}

/**
 * The context part of a state's name: the innermost `do` as the protocol and the other roles
 * it was called with (`Prepare_P1` for `do Prepare(P1, A1)` in A1; the roles only when at most
 * two), then the innermost `rec` label (around the interaction, else around the `do`).
 */
function namePartsOf(origin: Origin | undefined, role: string, recs: RecIndex): string[] {
  if (!origin) return [];
  const out: string[] = [];
  if (origin.call) {
    const others = origin.call.roles.filter((r) => r !== role);
    out.push(identifier([origin.call.protocol, ...(others.length <= 2 ? others : [])].join('_')));
  }
  // The innermost `rec` around the interaction, else around the `do` that inlined it.
  let rec: string | undefined;
  for (let o: Origin | undefined = origin; o && rec === undefined; o = o.call?.origin)
    rec = recs.innermost(o);
  if (rec !== undefined) out.push(identifier(rec));
  return out;
}

/** The `rec` blocks of each source file, to find the one enclosing an interaction. */
class RecIndex {
  readonly #byFile = new Map<string, { start: number; end: number; label: string }[]>();

  innermost(origin: Origin): string | undefined {
    const recs = this.#recsOf(origin);
    let best: { start: number; end: number; label: string } | undefined;
    for (const r of recs) {
      if (
        r.start <= origin.span.start &&
        origin.span.end <= r.end &&
        (!best || r.end - r.start < best.end - best.start)
      )
        best = r;
    }
    return best?.label;
  }

  #recsOf(origin: Origin): { start: number; end: number; label: string }[] {
    const known = this.#byFile.get(origin.file.path);
    if (known) return known;
    const found: { start: number; end: number; label: string }[] = [];
    // The text is enough: `rec X {` ... its matching `}` (comments and strings hold no braces
    // that matter here; a miss only loses a name part, never correctness).
    const text = origin.file.text;
    for (const m of text.matchAll(/\brec\s+([A-Za-z_]\w*)\s*(?:\[[^\]]*\]\s*)?\{/g)) {
      const open = m.index + m[0].length - 1;
      found.push({ start: m.index, end: matchingBrace(text, open), label: m[1] ?? '' });
    }
    this.#byFile.set(origin.file.path, found);
    return found;
  }
}

function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i + 1;
  }
  return text.length;
}
