/**
 * Step 9: step 6's role code as six OS processes (P1, P2, A1, A2, A3, L) talking through a hub
 * on 127.0.0.1, over TCP and over WebSocket. Some decisions with every process alive, then A3's
 * process SIGKILLed in the middle of a session (after it promised to P1, before P1's accept
 * reaches it), then decisions without A3: every one is judged like a simulated run (agreement,
 * validity) and must decide. The processes are killed in `finally`, whatever happens.
 * (The protocol, the generated API and 1,000 simulated runs are step 6's tests.)
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { RoleCluster } from '../../src/node/processes.js';
import step from '../../steps/09-for-real/roles.js';

const stepFile = fileURLToPath(new URL('../../steps/09-for-real/roles.ts', import.meta.url));

describe.each(['tcp', 'ws'] as const)('09-for-real over %s', (transport) => {
  test('six processes decide; A3 killed mid-session; the run and the later ones still decide', async () => {
    const cluster = await RoleCluster.start(step, {
      stepFile,
      transport,
      bundle: fileURLToPath(
        new URL(`../../../../tmp/role-processes/step9-${transport}.mjs`, import.meta.url),
      ),
    });
    try {
      expect(cluster.alive.sort()).toEqual(['A1', 'A2', 'A3', 'L', 'P1', 'P2']);
      for (let seed = 1; seed <= 5; seed++) {
        const run = await cluster.decide(seed);
        expect(run.violations, run.result.replay).toEqual([]);
        expect(run.result.outcomes.map((o) => o.status)).toEqual(Array(6).fill('done'));
      }
      const killed = await cluster.decide(6, { kill: { role: 'A3', afterActions: 1 } });
      expect(killed.killed).toBe('A3');
      expect(killed.violations).toEqual([]);
      expect(killed.observation.decided.length).toBeGreaterThan(0);
      const events = killed.result.trace.events;
      // A3 received P1's prepare and froze before promising; then its process was killed:
      // the hub saw its socket close (a crash), and the proposers took the default `nack`.
      expect(events.filter((e) => e.kind === 'send' && e.from === 'A3')).toEqual([]);
      expect(events.some((e) => e.kind === 'crash' && e.role === 'A3')).toBe(true);
      expect(events.some((e) => e.kind === 'timeout' && e.peer === 'A3')).toBe(true);
      expect(cluster.alive.sort()).toEqual(['A1', 'A2', 'L', 'P1', 'P2']);
      for (let seed = 7; seed <= 10; seed++) {
        const run = await cluster.decide(seed);
        expect(run.violations, run.result.replay).toEqual([]);
        expect(run.result.outcomes.find((o) => o.role === 'A3')?.status).toBe('crashed');
      }
    } finally {
      await cluster.close();
    }
    expect(cluster.alive).toEqual([]);
  }, 90_000);
});
