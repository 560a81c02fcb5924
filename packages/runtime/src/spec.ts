/**
 * An {@link EndpointSpec} compiled for fast stepping: per state, its send transitions by
 * (peer, label), its receive transitions by peer and label, and its crash transitions; every
 * payload type resolved to a check once. Shared by every endpoint of the same spec.
 */
import type { EfsmTransition, Message, Role } from '@mpst/projector';
import { InvalidSpec } from './errors.js';
import type { EndpointSpec, PayloadCheck } from './types.js';

const isFiniteNumber: PayloadCheck = (v) => typeof v === 'number' && Number.isFinite(v);
const isInt: PayloadCheck = (v) => typeof v === 'number' && Number.isSafeInteger(v);
const isString: PayloadCheck = (v) => typeof v === 'string';
const isBool: PayloadCheck = (v) => typeof v === 'boolean';

/** The payload types the runtime checks itself. */
export const BUILTIN_TYPES: Readonly<Record<string, PayloadCheck>> = {
  Int: isInt,
  int: isInt,
  String: isString,
  string: isString,
  Bool: isBool,
  bool: isBool,
  boolean: isBool,
  number: isFiniteNumber,
  Double: isFiniteNumber,
  double: isFiniteNumber,
  Float: isFiniteNumber,
  float: isFiniteNumber,
};

/**
 * The type name of a payload as the projector writes it: `Int`, `x: Int`, `x: Int{x > 0}`
 * (the refinement is not checked at run time), `a.b.T`.
 */
export function payloadTypeName(payload: string): string {
  let t = payload;
  const brace = t.indexOf('{');
  if (brace >= 0) t = t.slice(0, brace);
  const colon = t.indexOf(':');
  if (colon >= 0) t = t.slice(colon + 1);
  return t.trim();
}

/** `label(T1, T2)`, the message text of traces. */
export function messageText(m: Message): string {
  return `${m.label}(${m.payload.join(', ')})`;
}

/** A message transition with its payload checks resolved. */
export interface CompiledTransition {
  readonly to: number;
  readonly peer: Role;
  readonly label: string;
  readonly text: string;
  readonly checks: readonly PayloadCheck[];
  readonly types: readonly string[];
}

export interface CompiledState {
  readonly id: number;
  readonly terminal: boolean;
  /** Send transitions by peer, then label (the first, for a non-deterministic EFSM). */
  readonly sends: Map<Role, Map<string, CompiledTransition>>;
  /** Receive transitions by peer, then label. */
  readonly receives: Map<Role, Map<string, CompiledTransition>>;
  /** Crash-detection transitions: `{ peer, to }`. */
  readonly crashes: readonly { readonly peer: Role; readonly to: number }[];
  /** What the state allows, as `B!m(T)` / `A?m(T)` / `A?crash` (for error messages). */
  readonly expected: string[];
  /** Every successor state (non-deterministic duplicates included). */
  readonly next: number[];
}

/** A spec ready to run. Create with {@link compileSpec} (cached per spec object). */
export interface CompiledSpec {
  readonly spec: EndpointSpec;
  readonly states: readonly CompiledState[];
  /**
   * `peer + '\0' + label` of every receive reachable from a state (itself included), computed
   * on demand: a message no reachable state can take is a violation as soon as it arrives.
   */
  receivableFrom(state: number): ReadonlySet<string>;
}

const cache = new WeakMap<EndpointSpec, CompiledSpec>();

/** Compiles (once per spec object) and validates a spec; throws {@link InvalidSpec}. */
export function compileSpec(spec: EndpointSpec): CompiledSpec {
  const hit = cache.get(spec);
  if (hit) return hit;
  const problems: string[] = [];
  const { efsm } = spec;
  if (efsm.role !== spec.role) problems.push(`efsm is for role ${efsm.role}, not ${spec.role}`);
  if (!spec.roles.includes(spec.role)) problems.push(`role ${spec.role} is not in roles`);
  for (const r of spec.reliable)
    if (!spec.roles.includes(r)) problems.push(`reliable role ${r} is not in roles`);
  const n = efsm.states.length;
  efsm.states.forEach((s, i) => {
    if (s.id !== i) problems.push(`state ids must be 0..${n - 1} in order (found ${s.id} at ${i})`);
  });
  if (efsm.initial < 0 || efsm.initial >= n)
    problems.push(`initial state ${efsm.initial} does not exist`);
  // Own keys only: type names are free text, and `toString` is not a check.
  const checkOf = (type: string): PayloadCheck | undefined =>
    (spec.types && Object.hasOwn(spec.types, type) ? spec.types[type] : undefined) ??
    (Object.hasOwn(BUILTIN_TYPES, type) ? BUILTIN_TYPES[type] : undefined);
  const states: CompiledState[] = efsm.states.map((s) => ({
    id: s.id,
    terminal: s.terminal,
    sends: new Map(),
    receives: new Map(),
    crashes: [],
    expected: [],
    next: [],
  }));
  for (const t of efsm.transitions) {
    const from = states[t.from];
    if (!from || !states[t.to]) {
      problems.push(`transition ${t.label} from ${t.from} to ${t.to}: no such state`);
      continue;
    }
    if (t.action.peer !== spec.role && !spec.roles.includes(t.action.peer))
      problems.push(`transition ${t.label}: unknown peer ${t.action.peer}`);
    from.next.push(t.to);
    compileTransition(t, from, checkOf, problems);
  }
  if (problems.length > 0) throw new InvalidSpec([...new Set(problems)]);
  const reach = new Map<number, Set<string>>();
  const compiled: CompiledSpec = {
    spec,
    states,
    receivableFrom: (state) => {
      let set = reach.get(state);
      if (!set) {
        set = receivable(states, state);
        reach.set(state, set);
      }
      return set;
    },
  };
  cache.set(spec, compiled);
  return compiled;
}

function compileTransition(
  t: EfsmTransition,
  from: CompiledState,
  checkOf: (type: string) => PayloadCheck | undefined,
  problems: string[],
): void {
  const a = t.action;
  const expected = from.expected;
  if (a.kind === 'crash') {
    (from.crashes as { peer: Role; to: number }[]).push({ peer: a.peer, to: t.to });
    expected.push(`${a.peer}?crash`);
    return;
  }
  if (a.kind !== 'send' && a.kind !== 'receive' && a.kind !== 'request' && a.kind !== 'accept') {
    problems.push(`transition ${t.label}: ${a.kind} is not supported at run time`);
    return;
  }
  const types = a.message.payload.map(payloadTypeName);
  const checks: PayloadCheck[] = [];
  for (const type of types) {
    const check = checkOf(type);
    if (check) checks.push(check);
    else problems.push(`payload type ${type} has no check (add it to spec.types)`);
  }
  const c: CompiledTransition = {
    to: t.to,
    peer: a.peer,
    label: a.message.label,
    text: messageText(a.message),
    checks,
    types,
  };
  // Explicit connections (request/accept) carry a message like a send/receive.
  if (a.kind === 'send' || a.kind === 'request') {
    let byLabel = from.sends.get(a.peer);
    if (!byLabel) {
      byLabel = new Map<string, CompiledTransition>();
      from.sends.set(a.peer, byLabel);
    }
    if (!byLabel.has(c.label)) byLabel.set(c.label, c);
    expected.push(`${a.peer}!${c.text}`);
  } else {
    let byLabel = from.receives.get(a.peer);
    if (!byLabel) {
      byLabel = new Map<string, CompiledTransition>();
      from.receives.set(a.peer, byLabel);
    }
    if (!byLabel.has(c.label)) byLabel.set(c.label, c);
    expected.push(`${a.peer}?${c.text}`);
  }
}

/** Every `peer\0label` some state reachable from `start` receives. */
function receivable(states: readonly CompiledState[], start: number): Set<string> {
  const out = new Set<string>();
  const seen = new Set<number>([start]);
  const todo = [start];
  for (let s = todo.pop(); s !== undefined; s = todo.pop()) {
    const st = states[s];
    if (!st) continue;
    for (const [peer, byLabel] of st.receives)
      for (const label of byLabel.keys()) out.add(`${peer}\0${label}`);
    for (const n of st.next)
      if (!seen.has(n)) {
        seen.add(n);
        todo.push(n);
      }
  }
  return out;
}

/** Whether `payload` fits `t` (arity and every check); the reason when it does not. */
export function payloadProblem(
  t: CompiledTransition,
  payload: readonly unknown[],
): string | undefined {
  if (payload.length !== t.checks.length) {
    const want = t.checks.length;
    const types = want > 0 ? ` (${t.types.join(', ')})` : '';
    return (
      `wrong arity for ${t.label}: expects ${want} payload value${want === 1 ? '' : 's'}${types}, ` +
      `was given ${payload.length}`
    );
  }
  for (let i = 0; i < payload.length; i++) {
    if (!t.checks[i]?.(payload[i])) {
      const type = t.types[i] ?? '?';
      return `payload ${i + 1} of ${t.label} is not ${article(type)} ${type}: ${show(payload[i])}`;
    }
  }
  return undefined;
}

/** "an" before a vowel sound as far as the first letter tells (`an Int`, `a String`). */
const article = (word: string): string => (/^[aeiou]/i.test(word) ? 'an' : 'a');

/** A short, safe rendering of a value for error messages. */
export function show(v: unknown): string {
  let s: string;
  try {
    // JSON.stringify gives undefined for undefined, functions and symbols.
    const plain = v === undefined || typeof v === 'function' || typeof v === 'symbol';
    s = plain ? String(v) : JSON.stringify(v);
  } catch {
    s = Object.prototype.toString.call(v);
  }
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
