/**
 * The process harness of step 9 on a small crash-tolerant step of its own (MajorityWrite):
 * every role an OS process, a hub on 127.0.0.1 over TCP and over WebSocket, one acceptor's
 * process SIGKILLed in the middle of a session; that session and the later ones still decide.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { RoleCluster } from '../src/node/processes.js';
import step from './fixtures/majority-write.js';

const stepFile = fileURLToPath(new URL('./fixtures/majority-write.ts', import.meta.url));

describe.each(['tcp', 'ws'] as const)('%s', (transport) => {
  test('every role a process; A3 killed mid-session; every session decides', async () => {
    const cluster = await RoleCluster.start(step, {
      stepFile,
      transport,
      bundle: fileURLToPath(
        new URL(`../../../tmp/role-processes/majority-write-${transport}.mjs`, import.meta.url),
      ),
    });
    try {
      expect(cluster.alive.sort()).toEqual(['A1', 'A2', 'A3', 'L', 'P']);
      for (const seed of [1, 2]) {
        const run = await cluster.decide(seed);
        expect(run.violations).toEqual([]);
        expect(run.observation.decided).toEqual([
          { role: 'P', value: `v${seed}` },
          { role: 'L', value: `v${seed}` },
        ]);
        expect(run.result.outcomes.every((o) => o.status === 'done')).toBe(true);
      }
      const killed = await cluster.decide(3, { kill: { role: 'A3', afterActions: 1 } });
      expect(killed.killed).toBe('A3');
      expect(killed.result.plan.faults).toEqual([{ kind: 'crash', role: 'A3', atAction: 1 }]);
      expect(killed.violations).toEqual([]);
      expect(killed.observation.decided.map((d) => d.value)).toEqual(['v3', 'v3']);
      expect(cluster.alive.sort()).toEqual(['A1', 'A2', 'L', 'P']);
      // A3 froze right after receiving P's accept and was killed before answering: the hub saw
      // its socket close (a crash), and P took its crash branch for A3.
      expect(killed.result.outcomes.find((o) => o.role === 'A3')?.status).toBe('crashed');
      const events = killed.result.trace.events;
      expect(events.some((e) => e.kind === 'crash' && e.role === 'A3')).toBe(true);
      expect(events.some((e) => e.kind === 'send' && e.from === 'A3')).toBe(false);
      expect(events.some((e) => e.kind === 'timeout' && e.role === 'P')).toBe(true);
      // Later sessions open with A3 crashed from the start and still decide.
      for (const seed of [4, 5]) {
        const run = await cluster.decide(seed);
        expect(run.violations).toEqual([]);
        expect(run.observation.decided.map((d) => d.role)).toEqual(['P', 'L']);
        expect(run.result.outcomes.find((o) => o.role === 'A3')?.status).toBe('crashed');
      }
    } finally {
      await cluster.close();
    }
    expect(cluster.alive).toEqual([]);
  }, 60_000);
});

test('a step without merge() cannot run as processes', async () => {
  const { merge: _merge, ...noMerge } = step;
  await expect(RoleCluster.start(noMerge, { stepFile })).rejects.toThrow(/no merge\(\)/);
});
