/** A conformance harness over the hub transports (TCP, WebSocket): one client per role. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { EndpointCrashed, mergeTraces, type Role } from '@mpst/runtime';
import {
  connectTcp,
  connectWs,
  Hub,
  listenTcp,
  listenWs,
  type HubClient,
} from '@mpst/runtime/node';
import type { Harness, RoleResult } from '../conformance.js';
import { recording } from '../harnesses.js';

const CHILD = fileURLToPath(new URL('./fixtures/crash-child.mjs', import.meta.url));
let sessions = 0;

/** Starts `node crash-child.mjs` and resolves once it printed "ready"; returns a kill function. */
export function startChild(
  kind: 'tcp' | 'ws',
  port: number,
  session: string,
  spec: unknown,
  receives: number,
): { ready: Promise<void>; kill: () => void; exited: Promise<void> } {
  const child = spawn(process.execPath, [CHILD, kind, String(port), session], {
    env: { ...process.env, MPST_SPEC: JSON.stringify(spec), MPST_RECEIVES: String(receives) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`child exited early (${String(code)})`)));
  });
  ready.catch(() => undefined);
  return { ready, kill: () => child.kill('SIGKILL'), exited };
}

export const hubHarness = (kind: 'tcp' | 'ws'): Harness => ({
  name: kind === 'tcp' ? 'TCP' : 'WebSocket',
  async run(req) {
    const hub = new Hub();
    const server = kind === 'tcp' ? await listenTcp(hub) : await listenWs(hub);
    const connect = (): Promise<HubClient> =>
      kind === 'tcp'
        ? connectTcp({ port: server.port })
        : connectWs({ url: `ws://127.0.0.1:${server.port}` });
    const first = req.specs[0];
    if (!first) throw new Error('no specs');
    const session = `s${++sessions}`;
    hub.openSession(session, {
      protocol: first.protocol,
      roles: first.roles,
      reliable: first.reliable,
    });
    if (req.failLink) hub.failLink(session, req.failLink.from, req.failLink.to);
    const ended = hub.whenEnded(session);
    const results: Record<Role, RoleResult> = {};
    const code = recording(req, results);
    const clients: HubClient[] = [];
    try {
      const runs = req.specs.map(async (spec) => {
        if (req.crash?.role === spec.role) {
          // The crashing role is a process of its own, killed once it has acted.
          const child = startChild(kind, server.port, session, spec, req.crash.afterActions);
          await child.ready;
          child.kill();
          await child.exited;
          results[spec.role] = { error: new EndpointCrashed(spec.role) };
          return;
        }
        const client = await connect();
        clients.push(client);
        const ep = await client.join(
          spec,
          session,
          req.timeoutMs !== undefined ? { timeoutMs: req.timeoutMs } : {},
        );
        const fn = code[spec.role];
        try {
          await fn?.(ep);
        } finally {
          ep.close();
        }
      });
      await Promise.all(runs);
      const hubTrace = await ended;
      // Each process records its own share: the endpoints their sends, receives and crash
      // detections, the hub losses and crashes.
      const shares = clients.flatMap((c) =>
        req.specs.map((s) => c.trace(session, s.role)).filter((t) => t !== undefined),
      );
      return { results, trace: mergeTraces([hubTrace, ...shares]) };
    } finally {
      for (const c of clients) c.close();
      await server.close();
    }
  },
});
