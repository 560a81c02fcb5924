/**
 * The simulator panel's pure part (no DOM: the unit tests run it in Node): a seeded run of a
 * protocol in @mpst/runtime's deterministic simulator, with the step's hand-written role code
 * (`roles.ts`) or, for a protocol without it (or one the learner edited), a seeded random walk
 * through each role's state machine; the run's fault plan in a short text form for URLs; and,
 * for every position in the trace, where each role is in its state machine.
 *
 * A run is a function of (protocol, role code, seed, plan): the URL stores the last three
 * (the step names the first two), so opening it replays the identical trace.
 */
import {
  checkRunOk,
  messageText,
  payloadTypeName,
  BUILTIN_TYPES,
  Rng,
  Simulation,
} from '@mpst/runtime';
import type {
  EndpointSpec,
  Fault,
  FaultPlan,
  PayloadCheck,
  RoleCode,
  RunTrace,
  SimulationOptions,
  SimulationResult,
} from '@mpst/runtime';
import type { Efsm, EfsmTransition, ProtocolResult } from '@mpst/projector';
import type { Program } from '@mpst/scribble';

// ---- what a step's roles.ts exports ----

/**
 * The part of the tutorial kit's `StepModule` (tutorials/paxos/src/kit.ts: the default export
 * of a step's `roles.ts`) the panel uses. Written out here because the app may not import the
 * tutorial package (it is not a buildable library); the kit's type is assignable to it.
 */
export interface StepModule {
  readonly protocol: string;
  readonly specs: readonly EndpointSpec[];
  makeRun(seed: number): {
    readonly code: Readonly<Record<string, RoleCode>>;
    observe(): unknown;
  };
  // A method: its parameter is bivariant, so a kit StepModule<PaxosObservation> fits.
  check(observation: unknown, result: SimulationResult): string[];
  faults?(seed: number): FaultPlan;
  readonly options?: Omit<SimulationOptions, 'seed' | 'plan'>;
}

// ---- fault plans as text ----

const NAME = String.raw`[A-Za-z_][\w]*`;
const NUM = String.raw`\d+(?:\.\d+)?`;
const FAULT_FORMS: readonly [RegExp, (m: RegExpExecArray) => Fault][] = [
  [
    new RegExp(`^crash:(${NAME})@(t?)(${NUM})$`),
    (m) =>
      m[2] === 't'
        ? { kind: 'crash', role: m[1] ?? '', atTime: Number(m[3]) }
        : { kind: 'crash', role: m[1] ?? '', atAction: Number(m[3]) },
  ],
  [
    new RegExp(`^link:(${NAME})>(${NAME})@t(${NUM})$`),
    (m) => ({ kind: 'link', from: m[1] ?? '', to: m[2] ?? '', atTime: Number(m[3]) }),
  ],
  [
    new RegExp(`^(drop|reorder):(${NAME})>(${NAME})#(\\d+)$`),
    (m) => ({
      kind: m[1] === 'drop' ? 'drop' : 'reorder',
      from: m[2] ?? '',
      to: m[3] ?? '',
      nth: Number(m[4]),
    }),
  ],
  [
    new RegExp(`^delay:(${NAME})>(${NAME})#(\\d+)\\+(${NUM})$`),
    (m) => ({
      kind: 'delay',
      from: m[1] ?? '',
      to: m[2] ?? '',
      nth: Number(m[3]),
      ms: Number(m[4]),
    }),
  ],
];

/**
 * One fault as text: `crash:A1@2` (at its 2nd action), `crash:A1@t30` (at 30 virtual ms),
 * `link:P1>A1@t10`, `drop:P1>A1#0` (the first message on the link), `delay:P1>A1#0+20`,
 * `reorder:P1>A1#1`. Only URL-safe characters besides `>` and `+`, which URLSearchParams
 * encodes.
 */
export function formatFault(f: Fault): string {
  switch (f.kind) {
    case 'crash':
      return f.atAction !== undefined
        ? `crash:${f.role}@${String(f.atAction)}`
        : `crash:${f.role}@t${String(f.atTime ?? 0)}`;
    case 'link':
      return `link:${f.from}>${f.to}@t${String(f.atTime)}`;
    case 'delay':
      return `delay:${f.from}>${f.to}#${String(f.nth)}+${String(f.ms)}`;
    case 'drop':
    case 'reorder':
      return `${f.kind}:${f.from}>${f.to}#${String(f.nth)}`;
  }
}

/** A plan as text: its faults in {@link formatFault}'s form, separated by commas. */
export function formatPlan(plan: FaultPlan): string {
  return plan.faults.map(formatFault).join(',');
}

/** Parses {@link formatPlan}'s text; throws an Error naming the first fault it cannot read. */
export function parsePlan(text: string): FaultPlan {
  const faults: Fault[] = [];
  for (const part of text.split(',')) {
    const s = part.trim();
    if (s === '') continue;
    const form = FAULT_FORMS.map(([re, make]) => {
      const m = re.exec(s);
      return m ? make(m) : undefined;
    }).find((f) => f !== undefined);
    if (!form)
      throw new Error(
        `cannot read the fault \`${s}\` (forms: crash:R@n, crash:R@tMS, link:A>B@tMS, ` +
          'drop:A>B#n, delay:A>B#n+MS, reorder:A>B#n)',
      );
    faults.push(form);
  }
  return { faults };
}

// ---- the run a URL names ----

/** What the URL stores about a run (the step is the path part of the hash). */
export interface RunParams {
  readonly seed: number;
  readonly plan: FaultPlan;
  /** The trace position shown (events replayed); undefined: the end. */
  readonly at?: number;
}

/** `seed=3&faults=crash:A1@2&at=12` (URLSearchParams syntax). */
export function runQuery(p: RunParams): string {
  const q = new URLSearchParams({ seed: String(p.seed) });
  if (p.plan.faults.length > 0) q.set('faults', formatPlan(p.plan));
  if (p.at !== undefined) q.set('at', String(p.at));
  return q.toString();
}

/** The run in a query string, or undefined when it names none (no `seed`). Throws on bad values. */
export function parseRunQuery(query: string): RunParams | undefined {
  const q = new URLSearchParams(query);
  const seed = q.get('seed');
  if (seed === null) return undefined;
  if (!/^\d{1,9}$/.test(seed)) throw new Error(`seed must be a whole number, not \`${seed}\``);
  const at = q.get('at');
  if (at !== null && !/^\d{1,6}$/.test(at))
    throw new Error(`at must be a trace position, not \`${at}\``);
  return {
    seed: Number(seed),
    plan: parsePlan(q.get('faults') ?? ''),
    ...(at !== null ? { at: Number(at) } : {}),
  };
}

// ---- specs and role code for any protocol ----

/**
 * Endpoint specs of a projected protocol, as generated code would embed them. Payload types
 * declared `type <ts> "number" from "builtin" as Ballot;` are checked as their TypeScript type;
 * other declared types accept any value (as codegen does for types it cannot see into).
 */
export function specsOf(p: ProtocolResult, program: Program | undefined): EndpointSpec[] {
  const protocol = p.protocol;
  if (!protocol) return [];
  const types = declaredTypes(program);
  return p.roles.flatMap((r) =>
    r.efsm
      ? [
          {
            protocol: p.name,
            role: r.role,
            roles: protocol.roles,
            reliable: [...protocol.reliable],
            efsm: r.efsm,
            types,
          },
        ]
      : [],
  );
}

/** Checks for the payload types a program declares (`Ballot` → number). */
function declaredTypes(program: Program | undefined): Record<string, PayloadCheck> {
  const types: Record<string, PayloadCheck> = {};
  for (const m of program?.modules ?? [])
    for (const d of m.module.nonProtocolDecls) {
      if (d.kind !== 'DataDecl') continue;
      const builtin = BUILTIN_TYPES[d.externalName.value];
      types[d.alias.text] = builtin ?? ((): boolean => true);
    }
  return types;
}

/** A value of payload type `type` (seeded): numbers, strings and booleans as the type says. */
function valueOf(type: string, spec: EndpointSpec, rng: Rng): unknown {
  const check = BUILTIN_TYPES[type] ?? spec.types?.[type];
  const candidates = [rng.int(1, 9), `v${String(rng.int(1, 9))}`, rng.next() < 0.5];
  return candidates.find((v) => check?.(v) ?? typeof v === 'number');
}

/**
 * Role code for any protocol: each role walks its state machine, choosing among the sends of
 * a state with a generator seeded by (seed, role), making up payload values of the right
 * types, and receiving whatever the state accepts (crash branches included). Deterministic,
 * as the simulator requires.
 */
export function randomWalkCode(
  specs: readonly EndpointSpec[],
  seed: number,
): Record<string, RoleCode> {
  const code: Record<string, RoleCode> = {};
  specs.forEach((spec, i) => {
    code[spec.role] = async (ep) => {
      const rng = new Rng((seed * 7919 + i * 104_729) >>> 0);
      while (!ep.done) {
        const out = spec.efsm.transitions.filter((t) => t.from === ep.state);
        const sends = out.filter((t) => t.action.kind === 'send');
        const other = out.find((t) => !['send', 'receive', 'crash'].includes(t.action.kind));
        if (other) throw new Error(`the simulator does not run \`${other.label}\` actions`);
        if (sends.length === 0) {
          await ep.receive();
          continue;
        }
        const t = rng.pick(sends);
        if (t.action.kind !== 'send') continue;
        const payload = t.action.message.payload.map((p) => valueOf(payloadTypeName(p), spec, rng));
        ep.send(t.action.peer, t.action.message.label, payload);
      }
    };
  });
  return code;
}

// ---- recording a run ----

/** Where the roles are after some events of the trace. */
export interface Frame {
  /** Each role's state (role order of the run). */
  readonly states: readonly number[];
  /** Each role's last transition so far (index into its EFSM's transitions), or -1. */
  readonly taken: readonly number[];
  /** Each role has crashed. */
  readonly crashed: readonly boolean[];
}

/** A finished run and the frames to step through it. */
export interface Recording {
  readonly roles: readonly string[];
  readonly specs: readonly EndpointSpec[];
  readonly result: SimulationResult;
  /** `frames[n]`: after the first n events of the trace (frames.length = events + 1). */
  readonly frames: readonly Frame[];
  /** Property violations and `run not ok: …` (empty: the run is correct). */
  readonly violations: readonly string[];
}

/**
 * Runs a session to its end in the simulator and computes a frame per trace position. The
 * states come from the trace (each event is one transition of its role's EFSM), so they are
 * exact per event, not per scheduler step; the last frame's states are the simulator's own.
 */
export async function recordRun(
  specs: readonly EndpointSpec[],
  code: Readonly<Record<string, RoleCode>>,
  options: SimulationOptions,
): Promise<Recording> {
  const sim = new Simulation(specs, code, options);
  await sim.start();
  await sim.run();
  const result = sim.result();
  const roles = sim.roles;
  const ordered = roles.map((r) => specs.find((s) => s.role === r)?.efsm);
  return {
    roles,
    specs,
    result,
    frames: framesOf(result.trace, ordered),
    violations: checkRunOk(result),
  };
}

/** The frames of a trace: each role's EFSM walked along the events that involve it. */
export function framesOf(trace: RunTrace, efsms: readonly (Efsm | undefined)[]): Frame[] {
  const index = new Map(trace.roles.map((r, i) => [r, i]));
  let states = efsms.map((e) => e?.initial ?? 0);
  let taken = efsms.map(() => -1);
  let crashed = efsms.map(() => false);
  const frames: Frame[] = [{ states, taken, crashed }];
  const move = (role: string, fits: (t: EfsmTransition) => boolean): void => {
    const i = index.get(role);
    const efsm = i === undefined ? undefined : efsms[i];
    if (i === undefined || !efsm) return;
    const t = efsm.transitions.findIndex((x) => x.from === states[i] && fits(x));
    if (t < 0) return;
    states = states.with(i, efsm.transitions[t]?.to ?? 0);
    taken = taken.with(i, t);
  };
  for (const e of trace.events) {
    if (e.kind === 'send')
      move(e.from, (t) => t.action.kind === 'send' && t.action.peer === e.to && fits(t, e.message));
    else if (e.kind === 'receive')
      move(
        e.to,
        (t) => t.action.kind === 'receive' && t.action.peer === e.from && fits(t, e.message),
      );
    else if (e.kind === 'timeout')
      move(e.role, (t) => t.action.kind === 'crash' && t.action.peer === e.peer);
    else if (e.kind === 'crash') {
      const i = index.get(e.role);
      if (i !== undefined) crashed = crashed.with(i, true);
    }
    frames.push({ states, taken, crashed });
  }
  return frames;
}

function fits(t: EfsmTransition, message: string): boolean {
  return 'message' in t.action && messageText(t.action.message) === message;
}
