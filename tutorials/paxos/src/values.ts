/**
 * Traces that show the values: the simulator's trace names each message by its signature
 * (`prepare(ballot: Ballot)`), which is what the protocol fixes; a tutorial's diagram of one run
 * should also show what the role code put in it (`prepare(9)`). {@link runStepWithValues} runs a
 * step with every role's endpoint wrapped to record the payloads it sends, and rewrites the
 * trace's sends and receives with them. Browser-safe.
 */
import {
  NO_FAULTS,
  type Endpoint,
  type FaultPlan,
  type RoleCode,
  type RunTrace,
} from '@mpst/runtime';
import { runStep, type StepModule, type StepRunResult } from './kit.js';

/** `label(1, "apple")`: a message with its payload values. */
export function messageWithValues(label: string, payload: readonly unknown[]): string {
  return `${label}(${payload.map((v) => JSON.stringify(v)).join(', ')})`;
}

/** What {@link observedEndpoint} reports. */
export interface EndpointHooks {
  /** After a send went through (a protocol violation throws before it). */
  readonly sent?: (label: string, payload: readonly unknown[]) => void;
  /** After a receive returned. */
  readonly received?: () => void;
}

/**
 * `ep`, telling `hooks` of each send and receive; otherwise the same endpoint (its state and
 * `done` read through). Without a `received` hook a receive is `ep`'s own promise, with no
 * extra step in between (the simulator's schedule stays the same).
 */
export function observedEndpoint(ep: Endpoint, hooks: EndpointHooks): Endpoint {
  const { sent, received } = hooks;
  return {
    get role() {
      return ep.role;
    },
    get sessionId() {
      return ep.sessionId;
    },
    get state() {
      return ep.state;
    },
    get done() {
      return ep.done;
    },
    send(to, label, payload) {
      ep.send(to, label, payload);
      sent?.(label, payload);
    },
    receive:
      received === undefined
        ? (options) => ep.receive(options)
        : async (options) => {
            const r = await ep.receive(options);
            received();
            return r;
          },
    close: () => ep.close(),
  };
}

/**
 * The trace with each message named by its values. A role's k-th send event is its k-th
 * recorded send (a role's sends are traced in the order it makes them); its receive (or loss)
 * carries the same message id.
 */
export function traceWithValues(
  trace: RunTrace,
  sent: ReadonlyMap<string, readonly string[]>,
): RunTrace {
  const next = new Map<string, number>();
  const byId = new Map<number, string>();
  const events = trace.events.map((e) => {
    if (e.kind !== 'send') return e;
    const k = next.get(e.from) ?? 0;
    next.set(e.from, k + 1);
    const text = sent.get(e.from)?.[k];
    if (text === undefined) return e;
    if (e.id !== undefined) byId.set(e.id, text);
    return { ...e, message: text };
  });
  return {
    ...trace,
    events: events.map((e) =>
      (e.kind === 'receive' || e.kind === 'lost') && e.id !== undefined && byId.has(e.id)
        ? { ...e, message: byId.get(e.id) ?? e.message }
        : e,
    ),
  };
}

/** {@link runStep}, with the trace showing the payload values of every message. */
export async function runStepWithValues<O>(
  step: StepModule<O>,
  seed: number,
  plan: FaultPlan = step.faults?.(seed) ?? NO_FAULTS,
): Promise<StepRunResult<O> & { readonly trace: RunTrace }> {
  const sent = new Map<string, string[]>();
  const recorded: StepModule<O> = {
    ...step,
    makeRun(s) {
      const run = step.makeRun(s);
      const code: Record<string, RoleCode> = {};
      for (const [role, c] of Object.entries(run.code)) {
        const log: string[] = [];
        sent.set(role, log);
        code[role] = (ep) =>
          c(
            observedEndpoint(ep, {
              sent: (label, payload) => log.push(messageWithValues(label, payload)),
            }),
          );
      }
      return { code, observe: () => run.observe() };
    },
  };
  const r = await runStep(recorded, seed, plan);
  return { ...r, trace: traceWithValues(r.result.trace, sent) };
}
