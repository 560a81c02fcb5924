import { showMessage, type Efsm, type ElaboratedProtocol } from '@mpst/projector';
import {
  ALL_PROPERTIES,
  type InputError,
  type InputErrorCode,
  type Step,
  type Verdict,
  type VerifyOptions,
  type VerifyResult,
  type Violation,
} from './api.js';
import { directedSends, exhaustivityFailure, whyNotSessionAutomata } from './exhaustive.js';
import { explore, resume, type Found, type Graph } from './explore.js';
import { checkLiveness, pathTo, TarjanScratch } from './liveness.js';
import { machineCompiler, Messages, unfairMachine, type Machine } from './machines.js';
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
export type SystemSpec = Pick<
  ElaboratedProtocol,
  'qualifiedName' | 'roles' | 'crashStop' | 'reliable'
>;

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
export function verifySystem(
  protocol: SystemSpec,
  efsms: readonly Efsm[],
  options: VerifyOptions = {},
): VerifyResult {
  const started = Date.now();
  const roles = protocol.roles;
  const messages = new Messages();
  const compile = machineCompiler(protocol.qualifiedName, roles, messages);
  // Each role's machine compiled as soon as its EFSM is found valid (with nothing invalid
  // before it), while its objects are in the cache; all of them are valid when nothing is.
  const machines: Machine[] = [];
  const invalid = checkInput(protocol, efsms, options, (role, efsm) =>
    machines.push(compile(role, efsm)),
  );
  if (invalid.length > 0) return invalidResult(protocol, options, invalid, started);
  const properties = options.properties ?? ALL_PROPERTIES;
  const liveness = properties.includes('progress') || properties.includes('reception');
  const fair = options.fair === true;
  const all = options.allViolations === true;
  const maxStates = options.maxStates ?? DEFAULT_MAX_STATES;
  const unreliable = protocol.crashStop ? roles.filter((r) => !protocol.reliable.has(r)) : [];
  const mayCrash = roles.map((r) => protocol.crashStop && !protocol.reliable.has(r));
  const links = options.unreliableLinks ?? [];
  // Unbounded queues (neither capacity nor bound): the least k at which the system is
  // k-exhaustive, when that theory applies (exhaustive.ts); else sends that would make a
  // queue longer than DEFAULT_QUEUE_LIMIT are cut.
  const unbounded = options.capacity === undefined && options.bound === undefined;
  const notSessionAutomata = unbounded ? whyNotSessionAutomata(machines, links.length) : undefined;
  const searchK = unbounded && notSessionAutomata === undefined;
  // The unfair-choice model (unless `fair`): the machines with scribble-java's transform,
  // undefined when one is too large to build, the machines themselves when none changes.
  const transformed = fair || !liveness ? machines : machines.map(unfairMachine);
  const unfair = transformed.every((m): m is Machine => m !== undefined) ? transformed : undefined;
  const forkAt = unfair && unfair !== machines ? differsIn(machines, unfair) : undefined;
  const exploreOptions = {
    maxStates,
    allViolations: all,
    onProgress: options.onProgress,
    protocol: protocol.qualifiedName,
    progressEvery: options.progressEvery ?? 250_000,
    started,
  };

  /** The arrays of the terminal-set searches, shared by every graph this verification checks. */
  const tarjan = new TarjanScratch();

  /**
   * The whole check on one model (queues of a capacity, or a bound on them), with or without
   * partial-order reduction; with `exhaustive`, also whether its graphs are k-exhaustive
   * ('unknown' when a violation stopped the search before the graph was complete).
   */
  const run = (reduce: boolean, model: QueueModel) => {
    const system = (ms: readonly Machine[], like?: System): System =>
      new System(roles, ms, messages, mayCrash, links, model.capacity, model.bound, like);
    const sys = system(machines);
    const g = explore(sys, {
      ...exploreOptions,
      edges: liveness || model.exhaustive,
      blocked: model.exhaustive,
      reduce,
      safety: properties.includes('safety'),
      model: 'fair',
      started: Date.now(),
      forkAt,
    });
    const violations: Violation[] = [];
    /** The violations that hold whatever the queues' capacity (see `trusted` below). */
    const real: Violation[] = [];
    const add = (
      s: System,
      graph: Graph,
      fs: readonly Found[],
      unfair: boolean,
      live: boolean,
    ): void => {
      for (const f of fs) {
        const v = toViolation(s, graph, f, unfair);
        violations.push(v);
        if (!live && f.held !== true) real.push(v);
      }
    };
    add(sys, g, g.found, false, false);
    let exhaustive: 'yes' | 'no' | 'unknown' = 'unknown';
    let why: string | undefined;
    if (model.exhaustive && (g.found.length === 0 || all) && !g.stoppedAtMax) {
      why = exhaustivityFailure(sys, g);
      exhaustive = why === undefined ? 'yes' : 'no';
    }
    let livenessUnsure = false;
    let unfairStates = 0;
    let unfairTooBig = false;
    if (liveness && (violations.length === 0 || all)) {
      const live = checkLiveness(sys, g, properties, all, tarjan);
      livenessUnsure = live.incomplete;
      add(sys, g, live.found, false, true);
      if (!fair && (violations.length === 0 || all)) {
        if (!unfair) unfairTooBig = true;
        else if (forkAt) {
          // Unfair runs are fair runs too: only the liveness checks can find anything new.
          const usys = system(unfair, sys);
          const uo = {
            ...exploreOptions,
            edges: true,
            blocked: model.exhaustive,
            reduce,
            safety: false,
            model: 'unfair' as const,
            started: Date.now(),
          };
          // Up to the first configuration where a transformed choice state is reached, the two
          // systems take the same steps: the fair search, marked there, goes on with this one,
          // on the fair graph rolled back (so `g`'s vectors are not read after this; its
          // counts and violations stay).
          const ug = g.fork ? resume(g.fork, usys, uo) : explore(usys, uo);
          unfairStates = ug.size;
          const ulive = checkLiveness(usys, ug, properties, all, tarjan);
          livenessUnsure ||= ulive.incomplete || ug.stoppedAtMax;
          if (exhaustive === 'yes' && !ug.stoppedAtMax) {
            why = exhaustivityFailure(usys, ug);
            if (why !== undefined) exhaustive = 'no';
          }
          const seen = new Set(violations.map((v) => v.kind));
          add(
            usys,
            ug,
            ulive.found.filter((f) => !seen.has(f.kind)),
            true,
            true,
          );
        }
      }
    }
    return {
      g,
      violations,
      real,
      exhaustive,
      why,
      livenessUnsure,
      unfairStates,
      unfairTooBig,
      reduced: reduce,
    };
  };
  type Outcome = ReturnType<typeof run>;
  /**
   * What a run found that holds with unbounded queues: everything when its graphs are
   * k-exhaustive (or it is not a run of the k search); else only the violations a
   * configuration shows whatever the capacity (stuck and orphan messages, roles waiting for
   * each other or for finished roles, a stop where no send waits for room), or none.
   */
  const trusted = (o: Outcome, model: QueueModel): Violation[] =>
    !model.exhaustive || o.exhaustive === 'yes' ? o.violations : o.real;

  // With a bound, cut sends must be seen to make the verdict inconclusive: reduction could
  // skip the configurations where they happen, so it only runs when nothing can be cut (and
  // no link can fail: a failure changes the effect of the sender's steps). In the k search,
  // only when every sending state sends to one peer (see directedSends) and no role may crash
  // (the argument for it in ARCHITECTURE.md does not cover crashes).
  let model: QueueModel;
  let reduce: boolean;
  let outcome: Outcome;
  let exhaustiveK: number | undefined;
  if (searchK) {
    reduce = options.reduce !== false && directedSends(machines) && !protocol.crashStop;
    model = { capacity: 1, bound: undefined, exhaustive: true };
    outcome = run(reduce, model);
    for (let k = 2; outcome.exhaustive !== 'yes' && k <= EXHAUSTIVE_LIMIT; k++) {
      if (outcome.g.stoppedAtMax || trusted(outcome, model).length > 0) break;
      model = { capacity: k, bound: undefined, exhaustive: true };
      outcome = run(reduce, model);
    }
    if (outcome.exhaustive === 'yes') exhaustiveK = model.capacity;
  } else {
    const bound =
      options.bound ?? (options.capacity === undefined ? DEFAULT_QUEUE_LIMIT : undefined);
    model = { capacity: options.capacity, bound, exhaustive: false };
    reduce = options.reduce !== false && bound === undefined && links.length === 0;
    outcome = run(reduce, model);
  }
  let violations = trusted(outcome, model);
  if (reduce && violations.length > 0 && options.shortest !== false) {
    // The reduced graph skips interleavings, so its counterexamples need not be shortest:
    // search again without reduction, and keep that answer when it is complete. (In the k
    // search, the same capacity: the reduced run already said whether it is k-exhaustive.)
    const full = run(false, model);
    const fullViolations = exhaustiveK !== undefined ? full.violations : trusted(full, model);
    if (fullViolations.length > 0 && !full.g.stoppedAtMax) {
      outcome = full;
      violations = fullViolations;
    }
  }
  const { g, livenessUnsure, unfairStates, unfairTooBig, reduced } = outcome;

  const incomplete = g.stoppedAtMax
    ? {
        reason: 'max-states' as const,
        message:
          `stopped after ${String(maxStates)} states (--max-states): ` +
          'the state space was not fully explored' +
          (notSessionAutomata !== undefined
            ? ` (unbounded queues; k-exhaustivity does not apply: ${notSessionAutomata})`
            : ''),
      }
    : g.cut
      ? {
          reason: 'bound' as const,
          message:
            options.bound !== undefined
              ? `inconclusive beyond bound ${String(options.bound)}: some sends were not explored ` +
                `because a queue held ${String(options.bound)} messages`
              : `inconclusive: a queue grew to ${String(DEFAULT_QUEUE_LIMIT)} messages ` +
                'and longer ones were not explored ' +
                `(k-exhaustivity does not apply: ${notSessionAutomata ?? ''}; ` +
                'use --capacity K for queues that hold K messages, or --bound K)',
        }
      : searchK && exhaustiveK === undefined && violations.length === 0
        ? {
            reason: 'not-exhaustive' as const,
            message:
              `inconclusive: queues may grow without bound, and the system is not k-exhaustive ` +
              `for any k <= ${String(EXHAUSTIVE_LIMIT)}: ${outcome.why ?? 'unknown'} ` +
              '(use --capacity K for queues that hold K messages, or --bound K)',
          }
        : unfairTooBig
          ? {
              reason: 'unfair' as const,
              message:
                'the unfair-choice model was too large to build: progress under unfair output choice ' +
                'was not checked (--fair checks fair choice only)',
            }
          : livenessUnsure
            ? {
                reason: 'max-states' as const,
                message:
                  'progress was not fully checked: the unfair-choice model exceeded ' +
                  `${String(maxStates)} states (--max-states)`,
              }
            : undefined;
  const verdict: Verdict =
    violations.length > 0 ? 'violation' : incomplete ? 'inconclusive' : 'verified';
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
    ...(exhaustiveK !== undefined ? { exhaustive: exhaustiveK } : {}),
  };
}

/**
 * Whether a configuration (of the system of `machines`) has a role in a state where its
 * machine in `other` has other transitions: before the search reaches one, the two systems
 * have the same steps (`other` only adds states, and changes the targets of some steps of
 * the states it transforms).
 */
export function differsIn(
  machines: readonly Machine[],
  other: readonly Machine[],
): ((c: Config) => boolean) | undefined {
  const changed: (Uint8Array | undefined)[] = machines.map((m, i) => {
    const u = other[i];
    if (u === undefined || u === m) return undefined;
    const flags = new Uint8Array(m.out.length);
    let any = false;
    for (let s = 0; s < m.out.length; s++) {
      const o = m.out[s] ?? [];
      const v = u.out[s] ?? [];
      if (v.length === o.length && o.every((t, j) => t === v[j])) continue;
      flags[s] = 1;
      any = true;
    }
    return any ? flags : undefined;
  });
  const roles = changed.flatMap((f, i) => (f ? [i] : []));
  if (roles.length === 0) return undefined;
  // A loop, not `some` with a closure: this runs on every configuration the search enters.
  return (c) => {
    // eslint-disable-next-line @typescript-eslint/prefer-for-of
    for (let k = 0; k < roles.length; k++) {
      const i = roles[k] ?? 0;
      if (changed[i]?.[c.st[i] ?? 0] === 1) return true;
    }
    return false;
  };
}

/** The queues of one exploration: a capacity (sends wait), a bound (sends are cut), or neither. */
interface QueueModel {
  readonly capacity: number | undefined;
  readonly bound: number | undefined;
  /** A run of the k search: record held-up sends and check k-exhaustivity. */
  readonly exhaustive: boolean;
}

/**
 * With unbounded queues, the largest k tried in the search for the least k at which the
 * system is k-exhaustive (each k is one exploration with queues of capacity k).
 */
export const EXHAUSTIVE_LIMIT = 4;

/**
 * What is wrong with the input of {@link verifySystem} (empty when nothing is), so that
 * malformed input (hand-made or read from JSON, where the types promise nothing) gives the
 * verdict `invalid` instead of a verdict about something else:
 * - options: `properties` that are empty or name an unknown property; unreliable links that
 *   name an unknown role, go from a role to itself or are listed twice; `bound`, `capacity`,
 *   `maxStates`, `progressEvery` that are not integers >= 1;
 * - roles: one listed twice;
 * - EFSMs (the contract of `Efsm` in @mpst/projector and its JSON schema): exactly one per
 *   role and none for another role; state ids 0..n-1, each once; an initial state that is
 *   one of them; transitions between its states, to a peer that is another role, with a known
 *   action kind, message actions (`send`, `receive`, `request`, `accept`) carrying a message
 *   with a string label and a string-array payload, and `terminal` set exactly on the states
 *   without outgoing transitions.
 * verifySystem returns these as an `invalid` verdict instead of exploring.
 */
export function checkVerifyOptions(
  protocol: SystemSpec,
  efsms: readonly Efsm[],
  options: VerifyOptions = {},
): InputError[] {
  return checkInput(protocol, efsms, options, undefined);
}

/**
 * {@link checkVerifyOptions}, calling `valid` with each role's EFSM (in the order of the
 * roles) found valid while nothing else was found invalid yet: when the result is empty, it
 * was called for every role, in order.
 */
function checkInput(
  protocol: SystemSpec,
  efsms: readonly Efsm[],
  options: VerifyOptions,
  valid: ((role: string, efsm: Efsm) => void) | undefined,
): InputError[] {
  const errors: InputError[] = [];
  const name = protocol.qualifiedName;
  const roles = new Set(protocol.roles);
  if (options.properties !== undefined) {
    const unknown = options.properties.filter(
      (p) => !(ALL_PROPERTIES as readonly string[]).includes(p),
    );
    if (options.properties.length === 0 || unknown.length > 0) {
      const what =
        unknown.length > 0
          ? `no property ${unknown.map((p) => `'${p}'`).join(', ')}`
          : 'none given';
      errors.push({
        code: 'unknown-property',
        message: `properties must name some of ${ALL_PROPERTIES.join(', ')}: ${what}`,
      });
    }
  }
  const seen = new Set<string>();
  for (const l of options.unreliableLinks ?? []) {
    const text = `${l.from}->${l.to}`;
    const unknown = [l.from, l.to].filter((r) => !roles.has(r));
    if (unknown.length > 0)
      errors.push({
        code: 'unknown-role',
        message:
          `unreliable link ${text}: no role ` +
          `${[...new Set(unknown)].map((r) => `'${r}'`).join(', ')} in '${name}'`,
      });
    else if (l.from === l.to)
      errors.push({
        code: 'self-link',
        message: `unreliable link ${text}: a role sends nothing to itself`,
      });
    else if (seen.has(text))
      errors.push({ code: 'duplicate-link', message: `unreliable link ${text} is listed twice` });
    seen.add(text);
  }
  const atLeastOne = (
    code: 'bound' | 'capacity' | 'max-states' | 'progress-every',
    what: string,
    v: number | undefined,
  ): void => {
    if (v !== undefined && !(Number.isInteger(v) && v >= 1))
      errors.push({ code, message: `${what} must be an integer >= 1, not ${String(v)}` });
  };
  atLeastOne('bound', 'bound', options.bound);
  atLeastOne('capacity', 'capacity', options.capacity);
  atLeastOne('max-states', 'maxStates', options.maxStates);
  atLeastOne('progress-every', 'progressEvery', options.progressEvery);
  const twice = protocol.roles.filter((r, i) => protocol.roles.indexOf(r) !== i);
  if (twice.length > 0)
    errors.push({
      code: 'duplicate-role',
      message: `'${name}' lists role ${[...new Set(twice)].map((r) => `'${r}'`).join(', ')} more than once`,
    });
  const stray = [...new Set(efsms.map((e) => e.role).filter((r) => !roles.has(r)))];
  if (stray.length > 0)
    errors.push({
      code: 'stray-efsm',
      message: `EFSM for ${stray.map((r) => `'${r}'`).join(', ')}, not a role of '${name}'`,
    });
  for (const role of roles) {
    const mine = efsms.filter((e) => e.role === role);
    const efsm = mine[0];
    if (!efsm)
      errors.push({ code: 'missing-efsm', message: `no EFSM for role '${role}' of '${name}'` });
    else if (mine.length > 1)
      errors.push({
        code: 'duplicate-efsm',
        message: `${String(mine.length)} EFSMs for role '${role}' of '${name}'`,
      });
    else {
      errors.push(...efsmErrors(efsm, roles));
      if (errors.length === 0) valid?.(role, efsm);
    }
  }
  return errors;
}

/** 1: an action kind with a message; 2: one without; undefined: not an action kind. */
function actionKind(kind: string): 1 | 2 | undefined {
  // A switch, not a set: this runs per transition (10^5 on long protocols), and the kinds are
  // literals the projector shares, which compare by reference.
  switch (kind) {
    case 'send':
    case 'receive':
    case 'request':
    case 'accept':
      return 1;
    case 'crash':
    case 'disconnect':
    case 'wrap-client':
    case 'wrap-server':
      return 2;
    default:
      return undefined;
  }
}

/** What is wrong with one role's EFSM: one error per kind of problem, naming the first three. */
function efsmErrors(efsm: Efsm, roles: ReadonlySet<string>): InputError[] {
  const role = efsm.role;
  const problems = new Map<InputErrorCode, string[]>();
  const add = (code: InputErrorCode, text: string): void => {
    const list = problems.get(code) ?? [];
    list.push(text);
    problems.set(code, list);
  };
  // The Efsm contract (projector efsm.ts and its JSON schema): ids 0..n-1, each once. A
  // repeated id would merge two states, and traces name states by id.
  // Typed arrays, not sets: machines of long protocols have hundreds of thousands of states.
  const size = efsm.states.length;
  const counts = new Uint32Array(size);
  const outside: number[] = [];
  // Index loops over states and transitions (10^5 on long protocols, once each): a for-of
  // allocated an iterator result per element until V8 optimized it (12 MB on Big 100,000).
  const states = efsm.states;
  for (let k = 0; k < states.length; k++) {
    const id = item(states, k).id;
    if (Number.isInteger(id) && id >= 0 && id < size) counts[id] = (counts[id] ?? 0) + 1;
    else outside.push(id);
  }
  counts.forEach((n, id) => {
    if (n > 1) add('state-ids', `state ${String(id)} is listed ${String(n)} times`);
  });
  if (outside.length > 0)
    add(
      'state-ids',
      `state ids must be 0..${String(size - 1)}, not ${outside.map(String).join(', ')}`,
    );
  const strays = new Set(outside);
  const isState = (id: number): boolean =>
    Number.isInteger(id) && id >= 0 && id < size ? counts[id] !== 0 : strays.has(id);
  if (!isState(efsm.initial))
    add('malformed-efsm', `initial state ${String(efsm.initial)} is not one of its states`);
  const leaving = new Uint8Array(size);
  // The last peer found a role (transitions name a few peers: one set look-up for each run).
  let knownPeer: unknown;
  const transitions = efsm.transitions;
  for (let k = 0; k < transitions.length; k++) {
    const t = item(transitions, k);
    // The types promise more than JSON input keeps: every field is checked as unknown.
    const a: { readonly kind: unknown; readonly peer: unknown; readonly message?: unknown } =
      t.action;
    const kind = typeof a.kind === 'string' ? a.kind : '';
    if (isState(t.from) && isState(t.to)) leaving[t.from] = 1;
    else
      add(
        'malformed-efsm',
        `transition ${t.label} goes from ${String(t.from)} to ${String(t.to)}, not both states`,
      );
    if (a.peer === role) add('self-peer', `transition ${t.label} has the role itself as peer`);
    // (`knownPeer` starts undefined: a transition without a peer must still be looked up.)
    else if (a.peer !== knownPeer || knownPeer === undefined) {
      if (typeof a.peer !== 'string' || !roles.has(a.peer))
        add('malformed-efsm', `transition ${t.label} names ${show(a.peer)}, not a role`);
      else knownPeer = a.peer;
    }
    const what = actionKind(kind);
    if (what === 1) {
      if (!isMessage(a.message))
        add(
          'malformed-action',
          `transition ${t.label} (${kind}) has no message with a string label and a string-array payload`,
        );
    } else if (what === undefined)
      add('unknown-action', `transition ${t.label} has action kind ${show(a.kind)}`);
  }
  // (With ids listed twice, which state a flag belongs to is unclear: state-ids says enough.)
  const flagged = problems.has('state-ids') ? [] : states;
  for (let k = 0; k < flagged.length; k++) {
    const s = item(flagged, k);
    if (s.terminal !== (leaving[s.id] !== 1))
      add(
        'malformed-efsm',
        `state ${String(s.id)} is ${s.terminal ? 'terminal but has' : 'not terminal but has no'} outgoing transitions`,
      );
  }
  return [...problems].map(([code, list]) => ({
    code,
    message:
      `the EFSM of '${role}': ${list.slice(0, 3).join('; ')}` +
      (list.length > 3 ? ` (and ${String(list.length - 3)} more)` : ''),
  }));
}

/**
 * Element `k` (below the length) of `a`, as a for-of gives it: `undefined` only where the
 * (unchecked) input has a hole, where reading it then fails as before.
 */
function item<T>(a: readonly T[], k: number): T {
  return a[k] as T;
}

/** A value of the input as the message shows it: a string quoted, anything else as JSON. */
function show(x: unknown): string {
  return typeof x === 'string' ? `'${x}'` : x === undefined ? 'nothing' : JSON.stringify(x);
}

function isMessage(m: unknown): boolean {
  if (typeof m !== 'object' || m === null) return false;
  const { label, payload } = m as { label?: unknown; payload?: unknown };
  if (typeof label !== 'string' || !Array.isArray(payload)) return false;
  // An index loop, no closure: most payloads are empty, and this runs per transition.
  const types = payload as unknown[];
  // eslint-disable-next-line @typescript-eslint/prefer-for-of
  for (let k = 0; k < types.length; k++) if (typeof types[k] !== 'string') return false;
  return true;
}

/** The result of a run that explored nothing because the input is invalid. */
function invalidResult(
  protocol: SystemSpec,
  options: VerifyOptions,
  invalid: readonly InputError[],
  started: number,
): VerifyResult {
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
  // One replay gives both the readable trace and the violating configuration.
  const trace = steps(sys, sys.initial, pathTo(sys, g, f.id));
  const end = trace.end;
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
function steps(
  sys: System,
  from: Config,
  events: readonly Event[],
): { steps: Step[]; end: Config } {
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
          const base = {
            role: m.role,
            kind: a.kind,
            peer: a.peer,
            label: t.label,
            from: t.from,
            to: t.to,
          };
          if ('message' in a) {
            const lost =
              (a.kind === 'send' || a.kind === 'request') && sys.lost(c, e.role, e.t.peer);
            out.push({ ...base, message: showMessage(a.message), ...(lost ? { lost: true } : {}) });
          } else out.push(base);
        }
      }
    }
    c = sys.apply(c, e);
  }
  return { steps: out, end: c };
}
