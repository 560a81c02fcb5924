import { showMessage, type Efsm, type ElaboratedProtocol } from '@mpst/projector';
import { ALL_PROPERTIES, type InputError, type Step, type Verdict, type VerifyOptions, type VerifyResult, type Violation } from './api.js';
import { explore, type Found, type Graph } from './explore.js';
import { checkLiveness, configAt } from './liveness.js';
import { compileMachines, Messages, unfairMachine, type Machine } from './machines.js';
import { System, type Config, type Event } from './system.js';

/** The default of {@link VerifyOptions.maxStates}. */
export const DEFAULT_MAX_STATES = 1_000_000;

/**
 * With neither `capacity` nor `bound`, sends that would make a queue longer than this are
 * cut (verdict `inconclusive`): a queue that grows without limit would otherwise make every
 * configuration bigger than the last and exhaust memory long before `maxStates`.
 */
export const DEFAULT_QUEUE_LIMIT = 64;

/** What {@link verifySystem} needs of a protocol: an elaborated protocol, or a hand-made system. */
export type SystemSpec = Pick<ElaboratedProtocol, 'qualifiedName' | 'roles' | 'crashStop' | 'reliable'>;

/**
 * Explores every configuration of the system of role EFSMs communicating through asynchronous
 * FIFO queues (one per ordered pair of roles) and checks the selected properties: safety in
 * each configuration; progress and eventual reception on the terminal sets of the state graph
 * (its bottom strongly connected components once crash and link-failure steps are left out:
 * every crash scenario, "nobody crashes" included), under fair output choice and, unless
 * `fair`, under unfair output choice (scribble-java's default). The search is depth first
 * with partial-order reduction where it applies (see {@link VerifyOptions.reduce}), and a
 * violation found so is searched again breadth first, for shortest traces; else breadth
 * first. Invalid input (see {@link checkVerifyOptions}) gives the verdict `invalid`.
 *
 * With crash-stop semantics (`protocol.crashStop`), every role not declared reliable may
 * crash in any non-terminal state; messages to a crashed role are dropped, those it sent stay
 * deliverable, and a receiver takes its `crash` transition from a crashed peer once the queue
 * from that peer is empty. Unreliable links fail the same way for their receiver only.
 *
 * Explicit connections are read as plain messages: `request` is a send, `accept` a receive of
 * the same message; `disconnect` and `wrap` are local steps.
 */
export function verifySystem(protocol: SystemSpec, efsms: readonly Efsm[], options: VerifyOptions = {}): VerifyResult {
  const started = Date.now();
  const roles = protocol.roles;
  const invalid = checkVerifyOptions(protocol, efsms, options);
  if (invalid.length > 0) return invalidResult(protocol, options, invalid, started);
  const messages = new Messages();
  const machines = compileMachines(protocol.qualifiedName, roles, efsms, messages);
  const properties = options.properties ?? ALL_PROPERTIES;
  const liveness = properties.includes('progress') || properties.includes('reception');
  const fair = options.fair === true;
  const all = options.allViolations === true;
  const maxStates = options.maxStates ?? DEFAULT_MAX_STATES;
  const unreliable = protocol.crashStop ? roles.filter((r) => !protocol.reliable.has(r)) : [];
  const mayCrash = roles.map((r) => protocol.crashStop && !protocol.reliable.has(r));
  const links = options.unreliableLinks ?? [];
  const limit = options.bound ?? (options.capacity === undefined ? DEFAULT_QUEUE_LIMIT : undefined);
  const system = (ms: readonly Machine[]): System => new System(roles, ms, messages, mayCrash, links, options.capacity, limit);
  const exploreOptions = {
    edges: liveness,
    maxStates,
    allViolations: all,
    onProgress: options.onProgress,
    progressEvery: options.progressEvery ?? 250_000,
    started,
  };

  /** The whole check on one model, with or without partial-order reduction. */
  const run = (reduce: boolean) => {
    const sys = system(machines);
    const g = explore(sys, { ...exploreOptions, reduce, safety: properties.includes('safety'), model: 'fair', started: Date.now() });
    const violations: Violation[] = g.found.map((f) => toViolation(sys, g, f, false));
    let livenessUnsure = false;
    let unfairStates = 0;
    let unfairTooBig = false;
    if (liveness && (violations.length === 0 || all)) {
      const live = checkLiveness(sys, g, properties, all);
      livenessUnsure = live.incomplete;
      violations.push(...live.found.map((f) => toViolation(sys, g, f, false)));
      if (!fair && (violations.length === 0 || all)) {
        const transformed = machines.map(unfairMachine);
        const unfair = transformed.every((m): m is Machine => m !== undefined) ? transformed : undefined;
        if (!unfair) unfairTooBig = true;
        else if (unfair.some((m, i) => m.out.length !== machines[i]?.out.length)) {
          // Unfair runs are fair runs too: only the liveness checks can find anything new.
          const usys = system(unfair);
          const ug = explore(usys, { ...exploreOptions, reduce, safety: false, model: 'unfair', started: Date.now() });
          unfairStates = ug.size;
          const ulive = checkLiveness(usys, ug, properties, all);
          livenessUnsure ||= ulive.incomplete || ug.stoppedAtMax;
          const seen = new Set(violations.map((v) => v.kind));
          violations.push(...ulive.found.filter((f) => !seen.has(f.kind)).map((f) => toViolation(usys, ug, f, true)));
        }
      }
    }
    return { g, violations, livenessUnsure, unfairStates, unfairTooBig, reduced: reduce };
  };
  // With a bound, cut sends must be seen to make the verdict inconclusive: reduction could
  // skip the configurations where they happen, so it only runs when nothing can be cut (and
  // no link can fail: a failure changes the effect of the sender's steps).
  const reduce = options.reduce !== false && limit === undefined && links.length === 0;
  let outcome = run(reduce);
  if (reduce && outcome.violations.length > 0 && options.shortest !== false) {
    // The reduced graph skips interleavings, so its counterexamples need not be shortest:
    // search again without reduction, and keep that answer when it is complete.
    const full = run(false);
    if (full.violations.length > 0 && !full.g.stoppedAtMax) outcome = full;
  }
  const { g, violations, livenessUnsure, unfairStates, unfairTooBig, reduced } = outcome;

  const incomplete = g.stoppedAtMax
    ? { reason: 'max-states' as const, message: `stopped after ${String(maxStates)} states (--max-states): the state space was not fully explored` }
    : g.cut
      ? {
          reason: 'bound' as const,
          message:
            options.bound !== undefined
              ? `inconclusive beyond bound ${String(options.bound)}: some sends were not explored because a queue held ${String(options.bound)} messages`
              : `inconclusive: a queue grew to ${String(DEFAULT_QUEUE_LIMIT)} messages and longer ones were not explored (use --capacity K for queues that hold K messages, or --bound K)`,
        }
      : unfairTooBig
        ? { reason: 'unfair' as const, message: 'the unfair-choice model was too large to build: progress under unfair output choice was not checked (--fair checks fair choice only)' }
        : livenessUnsure
          ? { reason: 'max-states' as const, message: `progress was not fully checked: the unfair-choice model exceeded ${String(maxStates)} states (--max-states)` }
          : undefined;
  const verdict: Verdict = violations.length > 0 ? 'violation' : incomplete ? 'inconclusive' : 'verified';
  return {
    protocol: protocol.qualifiedName,
    roles,
    verdict,
    states: g.size,
    transitions: g.transitions,
    violations,
    ...(incomplete ? { incomplete } : {}),
    maxQueue: g.maxQueue,
    elapsedMs: Date.now() - started,
    crashStop: protocol.crashStop,
    unreliable,
    unreliableLinks: links,
    bound: options.bound,
    capacity: options.capacity,
    maxStates,
    properties,
    fair,
    unfairStates,
    reduced,
  };
}

/**
 * What is wrong with the input of {@link verifySystem} (empty when nothing is): unreliable
 * links that name an unknown role, go from a role to itself or are listed twice; `bound`,
 * `capacity`, `maxStates`, `progressEvery` that are not integers >= 1; a role without an EFSM;
 * an EFSM whose transitions name a peer that is not a role or a state it does not have.
 * verifySystem returns these as an `invalid` verdict instead of exploring.
 */
export function checkVerifyOptions(protocol: SystemSpec, efsms: readonly Efsm[], options: VerifyOptions = {}): InputError[] {
  const errors: InputError[] = [];
  const roles = new Set(protocol.roles);
  const seen = new Set<string>();
  for (const l of options.unreliableLinks ?? []) {
    const text = `${l.from}->${l.to}`;
    const unknown = [l.from, l.to].filter((r) => !roles.has(r));
    if (unknown.length > 0) errors.push({ code: 'unknown-role', message: `unreliable link ${text}: no role ${[...new Set(unknown)].map((r) => `'${r}'`).join(', ')} in '${protocol.qualifiedName}'` });
    else if (l.from === l.to) errors.push({ code: 'self-link', message: `unreliable link ${text}: a role sends nothing to itself` });
    else if (seen.has(text)) errors.push({ code: 'duplicate-link', message: `unreliable link ${text} is listed twice` });
    seen.add(text);
  }
  const atLeastOne = (code: 'bound' | 'capacity' | 'max-states' | 'progress-every', name: string, v: number | undefined): void => {
    if (v !== undefined && !(Number.isInteger(v) && v >= 1)) errors.push({ code, message: `${name} must be an integer >= 1, not ${String(v)}` });
  };
  atLeastOne('bound', 'bound', options.bound);
  atLeastOne('capacity', 'capacity', options.capacity);
  atLeastOne('max-states', 'maxStates', options.maxStates);
  atLeastOne('progress-every', 'progressEvery', options.progressEvery);
  for (const role of protocol.roles) {
    const efsm = efsms.find((e) => e.role === role);
    if (!efsm) {
      errors.push({ code: 'missing-efsm', message: `no EFSM for role '${role}' of '${protocol.qualifiedName}'` });
      continue;
    }
    const states = new Set(efsm.states.map((s) => s.id));
    const bad = [
      ...(states.has(efsm.initial) ? [] : [`initial state ${String(efsm.initial)} is not one of its states`]),
      ...efsm.transitions.flatMap((t) => [
        ...(roles.has(t.action.peer) ? [] : [`transition ${t.label} names '${t.action.peer}', not a role`]),
        ...(states.has(t.from) && states.has(t.to) ? [] : [`transition ${t.label} goes from ${String(t.from)} to ${String(t.to)}, not both states`]),
      ]),
    ];
    if (bad.length > 0) errors.push({ code: 'malformed-efsm', message: `the EFSM of '${role}': ${bad.slice(0, 3).join('; ')}${bad.length > 3 ? ` (and ${String(bad.length - 3)} more)` : ''}` });
  }
  return errors;
}

/** The result of a run that explored nothing because the input is invalid. */
function invalidResult(protocol: SystemSpec, options: VerifyOptions, invalid: readonly InputError[], started: number): VerifyResult {
  return {
    protocol: protocol.qualifiedName,
    roles: protocol.roles,
    verdict: 'invalid',
    states: 0,
    transitions: 0,
    violations: [],
    invalid,
    maxQueue: 0,
    elapsedMs: Date.now() - started,
    crashStop: protocol.crashStop,
    unreliable: protocol.crashStop ? protocol.roles.filter((r) => !protocol.reliable.has(r)) : [],
    unreliableLinks: options.unreliableLinks ?? [],
    bound: options.bound,
    capacity: options.capacity,
    maxStates: options.maxStates ?? DEFAULT_MAX_STATES,
    properties: options.properties ?? ALL_PROPERTIES,
    fair: options.fair === true,
    unfairStates: 0,
    reduced: false,
  };
}

function toViolation(sys: System, g: Graph, f: Found, unfair: boolean): Violation {
  const path: Event[] = [];
  for (let x = f.id; x > 0; x = g.parent.get(x)) path.push(g.via[x] ?? { role: -1, t: null });
  path.reverse();
  const trace = steps(sys, sys.initial, path);
  const end = configAt(sys, g, f.id);
  return {
    kind: f.kind,
    message: f.message,
    roles: f.roles.map((i) => sys.roles[i] ?? ''),
    trace: trace.steps,
    ...(f.cycle ? { cycle: steps(sys, end, f.cycle).steps } : {}),
    ...(unfair ? { unfair: true } : {}),
    configuration: sys.view(end),
  };
}

/** Replays `events` from `c` into readable steps. */
function steps(sys: System, from: Config, events: readonly Event[]): { steps: Step[]; end: Config } {
  const out: Step[] = [];
  let c = from;
  for (const e of events) {
    if (e.role < 0) {
      const l = sys.links[-e.role - 1] ?? 0;
      const a = Math.floor(l / sys.n);
      const b = l % sys.n;
      const s = sys.machine(a).ids[c.st[a] ?? 0] ?? 0;
      const ra = sys.roles[a] ?? '';
      const rb = sys.roles[b] ?? '';
      out.push({ role: ra, kind: 'link-fails', peer: rb, label: `${ra}-/->${rb}`, from: s, to: s });
    } else {
      const m = sys.machine(e.role);
      if (!e.t) {
        const s = m.ids[c.st[e.role] ?? 0] ?? 0;
        out.push({ role: m.role, kind: 'crashed', label: 'crash', from: s, to: s });
      } else {
        const t = m.efsm.transitions[e.t.index];
        if (t) {
          const a = t.action;
          const base = { role: m.role, kind: a.kind, peer: a.peer, label: t.label, from: t.from, to: t.to };
          if ('message' in a) {
            const lost = (a.kind === 'send' || a.kind === 'request') && sys.lost(c, e.role, e.t.peer);
            out.push({ ...base, message: showMessage(a.message), ...(lost ? { lost: true } : {}) });
          } else out.push(base);
        }
      }
    }
    c = sys.apply(c, e);
  }
  return { steps: out, end: c };
}
