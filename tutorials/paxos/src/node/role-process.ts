/// <reference types="node" />
/**
 * One role of a step as an OS process of its own (step 9). `serveRole(step)` is the main of a
 * role process that `RoleCluster` (processes.ts) starts: it connects once to the hub (TCP or
 * WebSocket, from the environment), then runs one session per `run` command it reads on stdin,
 * with fresh role code from `step.makeRun(seed)` — the same role code the simulator runs.
 *
 * The parent and the process speak JSON lines. stdin: `{"t":"run","session","seed","haltAfter"?}`.
 * stdout: `{"t":"ready"}` once connected; `{"t":"halted","session"}` when the role has done
 * `haltAfter` sends and receives in that session — the process then freezes (it blocks its
 * own thread, so it does nothing more: not a message, not a leave) until the parent SIGKILLs
 * it, which puts the crash at a chosen point of the protocol; `{"t":"result","session","role",
 * "status","error"?,"observation","trace"}` when the role's code has finished. The process
 * exits when stdin closes, so it never outlives its parent.
 */
import { createInterface } from 'node:readline';
import { connectTcp, connectWs, type HubClient } from '@mpst/runtime/node';
import type { StepModule } from '../kit.js';
import { observedEndpoint } from '../values.js';

/** The environment a role process reads (set by `RoleCluster`). */
export interface RoleProcessEnv {
  /** The role this process plays. */
  readonly MPST_ROLE: string;
  /** `tcp` or `ws`. */
  readonly MPST_TRANSPORT: string;
  readonly MPST_PORT: string;
  /** The hub's shared secret (role authentication). */
  readonly MPST_SECRET?: string;
  /** Receive timeout of every endpoint, ms (crash detection beyond closed connections). */
  readonly MPST_TIMEOUT_MS?: string;
}

/** A line this process writes on stdout. */
export type RoleProcessLine =
  | { readonly t: 'ready'; readonly role: string }
  | { readonly t: 'halted'; readonly session: string }
  | {
      readonly t: 'result';
      readonly session: string;
      readonly role: string;
      readonly status: 'done' | 'failed';
      readonly state: number;
      readonly error?: string;
      readonly observation: unknown;
      readonly trace: unknown;
    };

const write = (line: RoleProcessLine): void =>
  void process.stdout.write(`${JSON.stringify(line)}\n`);

/** A command the parent writes on stdin. */
export interface RunCommand {
  readonly t: 'run';
  readonly session: string;
  readonly seed: number;
  readonly haltAfter?: number;
}

/** Says so, then blocks this process for good (the parent's SIGKILL ends it). */
function halt(session: string): never {
  write({ t: 'halted', session }); // stdout to a pipe is written synchronously on Linux
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  throw new Error('unreachable: a halted process is killed');
}

async function runSession<O>(
  step: StepModule<O>,
  client: HubClient,
  role: string,
  session: string,
  seed: number,
  timeoutMs: number | undefined,
  haltAfter: number | undefined,
): Promise<void> {
  const spec = step.specs.find((s) => s.role === role);
  if (!spec) throw new Error(`step ${step.protocol} has no role ${role}`);
  const run = step.makeRun(seed);
  const code = run.code[role];
  if (!code) throw new Error(`step ${step.protocol} has no code for ${role}`);
  let n = 0;
  const acted = (): void => {
    if (++n === haltAfter) halt(session);
  };
  let status: 'done' | 'failed' = 'failed';
  let error: string | undefined;
  let state = -1;
  try {
    const ep = await client.join(spec, session, timeoutMs !== undefined ? { timeoutMs } : {});
    try {
      await code(observedEndpoint(ep, { sent: acted, received: acted }));
      if (ep.done) status = 'done';
      else error = `${role}'s code returned in state ${ep.state}, before the end`;
    } finally {
      state = ep.state;
      ep.close();
    }
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  const trace = client.trace(session, role);
  client.release(session);
  write({
    t: 'result',
    session,
    role,
    status,
    state,
    ...(error !== undefined ? { error } : {}),
    observation: run.observe(),
    trace,
  });
}

/** The main of a role process: see the module comment. */
export async function serveRole<O>(step: StepModule<O>): Promise<void> {
  const env = process.env as Partial<RoleProcessEnv>;
  const role = env.MPST_ROLE ?? '';
  const port = Number(env.MPST_PORT);
  const secret = env.MPST_SECRET !== undefined ? { secret: env.MPST_SECRET } : {};
  const timeoutMs = env.MPST_TIMEOUT_MS !== undefined ? Number(env.MPST_TIMEOUT_MS) : undefined;
  const client =
    env.MPST_TRANSPORT === 'ws'
      ? await connectWs({ url: `ws://127.0.0.1:${port}`, ...secret })
      : await connectTcp({ port, ...secret });
  write({ t: 'ready', role });
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (text) => {
    const cmd = JSON.parse(text) as RunCommand;
    runSession(step, client, role, cmd.session, cmd.seed, timeoutMs, cmd.haltAfter).catch(
      (e: unknown) => {
        process.stderr.write(`${role}: ${String(e)}\n`);
        process.exit(1);
      },
    );
  });
  lines.on('close', () => {
    client.close();
    process.exit(0);
  });
}
