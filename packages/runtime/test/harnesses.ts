/** Harnesses for the in-memory transports (simulator, mailbox). */
import {
  EndpointCrashed,
  MailboxSession,
  simulate,
  type Endpoint,
  type Fault,
  type ReceiveOptions,
  type Role,
  type RoleCode,
} from '@mpst/runtime';
import type { Harness, RoleResult, RunRequest } from './conformance.js';

/** Role code that records what each role's case code returned or threw. */
export function recording(
  req: RunRequest,
  results: Record<Role, RoleResult>,
): Record<Role, RoleCode> {
  return Object.fromEntries(
    Object.entries(req.code).map(([role, fn]) => [
      role,
      async (ep: Endpoint) => {
        try {
          results[role] = { value: await fn(ep) };
        } catch (e) {
          results[role] = { error: e };
          if (e instanceof EndpointCrashed) throw e;
        }
      },
    ]),
  );
}

export const simHarness = (seed = 1): Harness => ({
  name: `simulator (seed ${seed})`,
  async run(req) {
    const results: Record<Role, RoleResult> = {};
    const faults: Fault[] = [];
    if (req.crash)
      faults.push({ kind: 'crash', role: req.crash.role, atAction: req.crash.afterActions });
    if (req.failLink)
      faults.push({ kind: 'link', from: req.failLink.from, to: req.failLink.to, atTime: 0 });
    const r = await simulate(req.specs, recording(req, results), {
      seed,
      plan: { faults },
      ...(req.timeoutMs !== undefined ? { timeoutMs: req.timeoutMs } : {}),
    });
    return { results, trace: r.trace };
  },
});

/** An endpoint that crashes its role (through the session) when it attempts action `at`. */
function crashingAt(ep: Endpoint, at: number, crash: () => void): Endpoint {
  let n = 0;
  const tick = (): void => {
    if (n++ === at) crash();
  };
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
    send(to: Role, label: string, payload: readonly unknown[]) {
      tick();
      ep.send(to, label, payload);
    },
    receive(options?: ReceiveOptions) {
      tick();
      return ep.receive(options);
    },
    close() {
      ep.close();
    },
  };
}

export const mailboxHarness: Harness = {
  name: 'in-process mailbox',
  async run(req) {
    const results: Record<Role, RoleResult> = {};
    const session = new MailboxSession(
      req.specs,
      req.timeoutMs !== undefined ? { timeoutMs: req.timeoutMs } : {},
    );
    if (req.failLink) session.failLink(req.failLink.from, req.failLink.to);
    const code = recording(req, results);
    await Promise.allSettled(
      Object.entries(code).map(async ([role, fn]) => {
        let ep = session.endpoint(role);
        if (req.crash?.role === role)
          ep = crashingAt(ep, req.crash.afterActions, () => session.crash(role));
        try {
          await fn(ep);
        } finally {
          // Code that returned leaves the session (a no-op when it finished or crashed).
          session.endpoint(role).close();
        }
      }),
    );
    return { results, trace: session.trace() };
  },
};
