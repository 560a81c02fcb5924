/// <reference types="node" />
/**
 * Any step's role code as OS processes (step 9, "for real"). `RoleCluster.start` bundles the
 * step's `roles.ts` with a role-process main (role-process.ts) into one JavaScript file with
 * esbuild (Node 20 runs no TypeScript; the bundle keeps `@mpst/runtime` external, so it runs on
 * the workspace's built packages), starts a hub on 127.0.0.1 (TCP or WebSocket) and one process
 * per role. `decide(seed)` runs one session — one decision of a consensus step — across the
 * processes and judges it with the step's own `check`, as the simulator's runs are judged;
 * `decide(seed, { kill })` SIGKILLs a role's process in the middle of that session. Later
 * sessions open with the dead roles as crashed (`SessionDefinition.crashed`).
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import {
  checkRunOk,
  mergeTraces,
  type RoleOutcome,
  type RunTrace,
  type SimulationResult,
} from '@mpst/runtime';
import { Hub, listenTcp, listenWs, type Listening } from '@mpst/runtime/node';
import type { StepModule } from '../kit.js';
import type { RoleProcessLine, RunCommand } from './role-process.js';

const MAIN = 'tutorials/paxos/src/node/role-process.ts';

/**
 * The repository root (bundles go to its tmp/, where `@mpst/runtime` resolves): the nearest
 * folder above this module with the role-process main (this module may itself run bundled).
 */
function findRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, MAIN))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no ${MAIN} above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
  return dir;
}
const root = findRoot();

/**
 * Bundles `stepFile` (a `roles.ts` default-exporting a StepModule) with the role-process main
 * into `outFile`, an ES module Node runs as is.
 */
export async function bundleRoleProgram(stepFile: string, outFile: string): Promise<string> {
  mkdirSync(path.dirname(outFile), { recursive: true });
  const main = path.join(root, MAIN);
  await build({
    stdin: {
      contents:
        `import step from ${JSON.stringify(path.resolve(stepFile))};\n` +
        `import { serveRole } from ${JSON.stringify(main)};\n` +
        'await serveRole(step);\n',
      resolveDir: root,
      loader: 'ts',
      sourcefile: 'role-main.ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile: outFile,
    logLevel: 'silent',
  });
  return outFile;
}

export interface ClusterOptions {
  /** The step's `roles.ts` (what the processes import; the caller imports the same module). */
  readonly stepFile: string;
  readonly transport?: 'tcp' | 'ws';
  /** Receive timeout of every endpoint, ms (default: none; a killed process closes its socket). */
  readonly timeoutMs?: number;
  /**
   * A session that has not ended within this time fails the decision, and a process not
   * connected within it fails `start` (default 20,000 ms).
   */
  readonly sessionTimeoutMs?: number;
  /** Where the bundle goes (default `<repo>/tmp/role-processes/<protocol>.mjs`). */
  readonly bundle?: string;
}

/**
 * A kill in the middle of a session: `role`'s process freezes right after its
 * `afterActions`-th send or receive of the session, and is then SIGKILLed.
 */
export interface KillPlan {
  readonly role: string;
  readonly afterActions: number;
}

/** One session run across the processes, judged. */
export interface ProcessRun<O> {
  readonly session: string;
  readonly seed: number;
  readonly observation: O;
  /** The run as the simulator would report it (`steps` 0, `time` the wall-clock ms). */
  readonly result: SimulationResult;
  readonly violations: readonly string[];
  /** From the `run` command to the last role's result, ms (join phase included). */
  readonly latencyMs: number;
  /** The role killed in this session, if any. */
  readonly killed?: string;
}

type Result = Extract<RoleProcessLine, { t: 'result' }>;

interface Child {
  readonly role: string;
  readonly proc: ChildProcessByStdio<Writable, Readable, null>;
  readonly exited: Promise<void>;
  alive: boolean;
}

interface Pending {
  readonly results: Map<string, Result>;
  readonly waitingFor: Set<string>;
  /** The planned kill, once it happened. */
  killing?: Promise<void>;
  done(): void;
}

let sessions = 0;

/** A hub and one process per role of a step. */
export class RoleCluster<O> {
  private readonly pending = new Map<string, Pending>();
  private readonly dead = new Set<string>();

  private constructor(
    private readonly step: StepModule<O>,
    private readonly hub: Hub,
    private readonly server: Listening,
    private readonly children: Map<string, Child>,
    private readonly options: ClusterOptions,
  ) {}

  /** Bundles the step, starts the hub and the processes; resolves when every one is connected. */
  static async start<O>(step: StepModule<O>, options: ClusterOptions): Promise<RoleCluster<O>> {
    if (!step.merge)
      throw new Error(`step ${step.protocol} has no merge(): it cannot run as processes`);
    const program = await bundleRoleProgram(
      options.stepFile,
      options.bundle ?? path.join(root, 'tmp', 'role-processes', `${step.protocol}.mjs`),
    );
    const hub = new Hub();
    const server = options.transport === 'ws' ? await listenWs(hub) : await listenTcp(hub);
    const children = new Map<string, Child>();
    const cluster = new RoleCluster(step, hub, server, children, options);
    try {
      await Promise.all(step.specs.map((s) => cluster.spawn(program, s.role)));
    } catch (e) {
      await cluster.close();
      throw e;
    }
    return cluster;
  }

  /** The roles whose processes still run. */
  get alive(): string[] {
    return [...this.children.values()].filter((c) => c.alive).map((c) => c.role);
  }

  /** Runs one session (one decision) with `makeRun(seed)` in every live process. */
  async decide(seed: number, { kill }: { kill?: KillPlan } = {}): Promise<ProcessRun<O>> {
    const session = `s${++sessions}-${seed}`;
    const spec = this.step.specs[0];
    if (!spec) throw new Error('a step without roles');
    this.hub.openSession(session, {
      protocol: spec.protocol, // module-qualified (`TwoProposers.TwoProposers`), as joins say
      roles: spec.roles,
      reliable: spec.reliable,
      crashed: [...this.dead],
    });
    const ended = this.hub.whenEnded(session);
    const live = this.alive;
    const started = performance.now();
    const results = new Map<string, Result>();
    const finished = new Promise<void>((resolve, reject) => {
      const ms = this.options.sessionTimeoutMs ?? 20_000;
      const timer = setTimeout(() => {
        this.pending.delete(session);
        this.hub.abort(session, `no end within ${ms} ms`);
        reject(new Error(`session ${session} (seed ${seed}) did not end within ${ms} ms`));
      }, ms);
      this.pending.set(session, {
        results,
        waitingFor: new Set(live),
        done: () => {
          clearTimeout(timer);
          this.pending.delete(session);
          resolve();
        },
      });
    });
    const pending = this.pending.get(session);
    for (const role of live)
      this.command(role, {
        t: 'run',
        session,
        seed,
        ...(kill?.role === role ? { haltAfter: kill.afterActions } : {}),
      });
    await finished;
    const latencyMs = performance.now() - started;
    // Every process has reported: a session some role never joined or left (its code failed
    // before joining) would keep the hub waiting, so end it; a no-op for one that ended.
    this.hub.abort(session, 'every role process has reported');
    const hubTrace = await ended;
    // The next session must know the killed role is dead: wait for its exit.
    await pending?.killing;
    return this.judge(session, seed, results, hubTrace, latencyMs, pending?.killing && kill);
  }

  /** SIGKILLs `role`'s process; later sessions run without it. */
  async kill(role: string): Promise<void> {
    const c = this.children.get(role);
    if (!c?.alive) return;
    c.proc.kill('SIGKILL');
    await c.exited;
  }

  /** Kills every process still running and stops the hub. */
  async close(): Promise<void> {
    await Promise.all([...this.children.keys()].map((r) => this.kill(r)));
    await this.server.close();
  }

  private judge(
    session: string,
    seed: number,
    results: Map<string, Result>,
    hubTrace: RunTrace,
    latencyMs: number,
    killed: KillPlan | undefined,
  ): ProcessRun<O> {
    const outcomes = this.step.specs.map(({ role }): RoleOutcome => {
      const r = results.get(role);
      if (!r) return { role, state: -1, status: 'crashed' };
      return { role, state: r.state, status: r.status, ...(r.error ? { error: r.error } : {}) };
    });
    const shares = [...results.values()].flatMap((r) => (r.trace ? [r.trace as RunTrace] : []));
    const trace = mergeTraces([hubTrace, ...shares]);
    const crashed = outcomes.filter((o) => o.status === 'crashed').map((o) => o.role);
    const result: SimulationResult = {
      seed,
      // What happened, as a fault plan: the killed role after its actions, the dead before any.
      plan: {
        faults: crashed.map((role) => ({
          kind: 'crash',
          role,
          atAction: role === killed?.role ? killed.afterActions : 0,
        })),
      },
      steps: 0,
      time: latencyMs,
      outcomes,
      ok: outcomes.every((o) => o.status === 'done' || o.status === 'crashed'),
      trace,
      replay: `seed=${seed} (processes; crashed: ${crashed.join(', ') || 'none'})`,
    };
    const merge = this.step.merge;
    if (!merge) throw new Error('unreachable: start() checked merge');
    // In the order of the step's roles, whatever order the processes finished in.
    const parts = this.step.specs.flatMap(({ role }) => {
      const r = results.get(role);
      return r ? [r.observation as O] : [];
    });
    const observation = merge(parts);
    const violations = [...checkRunOk(result), ...this.step.check(observation, result)];
    return {
      session,
      seed,
      observation,
      result,
      violations,
      latencyMs,
      ...(killed ? { killed: killed.role } : {}),
    };
  }

  private spawn(program: string, role: string): Promise<void> {
    const proc = spawn(process.execPath, [program], {
      cwd: root,
      env: {
        ...process.env,
        MPST_ROLE: role,
        MPST_TRANSPORT: this.options.transport ?? 'tcp',
        MPST_PORT: String(this.server.port),
        ...(this.options.timeoutMs !== undefined
          ? { MPST_TIMEOUT_MS: String(this.options.timeoutMs) }
          : {}),
      },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    const child: Child = { role, proc, exited, alive: true };
    this.children.set(role, child);
    proc.stdin.on('error', () => undefined); // a killed process's stdin: EPIPE
    void exited.then(() => this.exited(child));
    return new Promise<void>((resolve, reject) => {
      const ms = this.options.sessionTimeoutMs ?? 20_000;
      const timer = setTimeout(
        () => reject(new Error(`${role}'s process not ready in ${ms} ms`)),
        ms,
      );
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${role}'s process exited (${String(code)})`));
      });
      createInterface({ input: proc.stdout }).on('line', (text) => {
        let line: RoleProcessLine;
        try {
          line = JSON.parse(text) as RoleProcessLine;
        } catch {
          process.stderr.write(`${role}: ${text}\n`); // role code's own output
          return;
        }
        if (line.t === 'ready') {
          clearTimeout(timer);
          resolve();
        } else this.line(role, line);
      });
    });
  }

  private line(role: string, line: RoleProcessLine): void {
    if (line.t === 'ready') return;
    const p = this.pending.get(line.session);
    if (!p) return;
    if (line.t === 'halted') {
      p.killing = this.kill(role);
      return;
    }
    p.results.set(role, line);
    p.waitingFor.delete(role);
    if (p.waitingFor.size === 0) p.done();
  }

  /** A process ended (killed, or crashed): no session waits for it any more. */
  private exited(child: Child): void {
    child.alive = false;
    this.dead.add(child.role);
    for (const p of [...this.pending.values()]) {
      if (!p.waitingFor.delete(child.role)) continue;
      if (p.waitingFor.size === 0) p.done();
    }
  }

  private command(role: string, cmd: RunCommand): void {
    const c = this.children.get(role);
    if (c?.alive) c.proc.stdin.write(`${JSON.stringify(cmd)}\n`);
  }
}
