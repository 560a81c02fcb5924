import { describe, expect, test } from 'vitest';
import {
  checkPlan,
  parseRunTrace,
  randomPlan,
  runTraceToJson,
  Simulation,
  simulate,
  assertRunOk,
  checkRunOk,
  SimulationError,
  type Endpoint,
  type FaultPlan,
  type RoleCode,
  type EndpointSpec,
} from '@mpst/runtime';
import { PING_PONG, RING, specsOf, WORK } from '../protocols.js';

const pingPong = (rounds: number): Record<string, RoleCode> => ({
  A: async (ep) => {
    for (let i = 0; i < rounds; i++) {
      ep.send('B', 'ping', [i]);
      await ep.receive();
    }
    ep.send('B', 'bye', []);
  },
  B: async (ep) => {
    while (!ep.done) {
      const r = await ep.receive();
      if (r.kind === 'message' && r.label === 'ping') ep.send('A', 'pong', r.payload);
    }
  },
});

/** Work's W or B: receives the job and answers `result(value)`. */
const answer =
  (value: number): RoleCode =>
  async (ep) => {
    await ep.receive();
    ep.send('S', 'result', [value]);
  };

/** `ep.done` read afresh (after an await; TypeScript keeps the narrowing of the loop test). */
const finished = (ep: Endpoint): boolean => ep.done;

/** Three roles that each send to the next, so deliveries from different links interleave. */
const ringCode = (rounds: number): Record<string, RoleCode> => {
  const pass = (next: string) => async (ep: Endpoint) => {
    while (!ep.done) {
      const r = await ep.receive();
      if (r.kind !== 'message') return;
      if (!finished(ep))
        ep.send(next, r.label, r.label === 'tok' ? [Number(r.payload[0]) + 1] : []);
    }
  };
  return {
    A: async (ep) => {
      for (let i = 0; i < rounds; i++) {
        ep.send('B', 'tok', [i]);
        await ep.receive();
      }
      ep.send('B', 'stop', []);
    },
    B: pass('C'),
    C: pass('A'),
  };
};

describe('simulator', () => {
  test('a run ends ok with every role terminal; virtual time advances by the latencies', async () => {
    const r = await simulate(specsOf(PING_PONG), pingPong(3), {
      seed: 5,
      latency: { min: 2, max: 2 },
    });
    expect(r.ok).toBe(true);
    expect(r.outcomes.map((o) => o.status)).toEqual(['done', 'done']);
    expect(r.time).toBe(14); // 7 messages, each 2 ms, one after the other
    expect(r.steps).toBe(7);
    expect(r.trace.events.map((e) => e.time)).toEqual([
      0, 2, 2, 4, 4, 6, 6, 8, 8, 10, 10, 12, 12, 14,
    ]);
    expect(r.trace.events.map((e) => e.seq)).toEqual([...Array(14).keys()]);
  });

  test('replaying (seed, plan) gives the identical trace; another seed a different one', async () => {
    const specs = specsOf(WORK);
    const code: Record<string, RoleCode> = {
      S: async (ep) => {
        ep.send('W', 'job', [1]);
        const r = await ep.receive();
        if (r.kind === 'crash') {
          ep.send('B', 'job', [1]);
          await ep.receive();
        } else ep.send('B', 'done', []);
      },
      W: answer(2),
      B: async (ep) => {
        const r = await ep.receive();
        if (r.kind === 'message' && r.label === 'job') ep.send('S', 'result', [3]);
      },
    };
    const runs = new Set<string>();
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const plan = randomPlan(['S', 'W', 'B'], ['S', 'B'], seed, { crashChance: 1, maxAction: 2 });
      const a = await simulate(specs, code, { seed, plan });
      const b = await simulate(specs, code, { seed, plan });
      assertRunOk(a);
      expect(runTraceToJson(b.trace)).toBe(runTraceToJson(a.trace));
      runs.add(runTraceToJson(a.trace));
    }
    expect(runs.size).toBeGreaterThan(1);
  });

  test('stepping forward, and back by replaying a prefix', async () => {
    const specs = specsOf(RING);
    const sim = new Simulation(specs, ringCode(2), { seed: 3 });
    await sim.start();
    const prefixes: number[] = [];
    while (await sim.step()) prefixes.push(sim.result().trace.events.length);
    const full = sim.result();
    expect(full.ok).toBe(true);
    // Back to step 4: a fresh run of 4 steps shows exactly the first events of the full trace.
    const again = await Simulation.at(specs, ringCode(2), { seed: 3 }, 4);
    expect(again.stepCount).toBe(4);
    const prefix = again.result().trace.events;
    expect(prefix.length).toBe(prefixes[3]);
    expect(prefix).toEqual(full.trace.events.slice(0, prefix.length));
  });

  test('a crash at an action: queued messages to it are lost, peers take their crash branch', async () => {
    const r = await simulate(
      specsOf(WORK),
      {
        S: async (ep) => {
          ep.send('W', 'job', [1]);
          const got = await ep.receive();
          expect(got).toEqual({ kind: 'crash', from: 'W', reason: 'crashed' });
          ep.send('B', 'job', [1]);
          await ep.receive();
        },
        W: answer(2),
        B: answer(3),
      },
      { seed: 1, plan: { faults: [{ kind: 'crash', role: 'W', atAction: 0 }] } },
    );
    assertRunOk(r);
    expect(r.outcomes.find((o) => o.role === 'W')?.status).toBe('crashed');
    const kinds = r.trace.events.map(
      (e) => `${e.kind}:${'role' in e ? e.role : `${e.from}>${e.to}`}`,
    );
    expect(kinds).toEqual([
      'send:S>W',
      'crash:W',
      'timeout:S', // W's end-of-link notice (latency 1..5) overtook the job (another draw)
      'send:S>B',
      'lost:S>W',
      'receive:S>B',
      'send:B>S',
      'receive:B>S',
    ]);
  });

  test('a dropped message is noticed by a receive timeout (virtual time)', async () => {
    const specs = specsOf(WORK);
    const r = await simulate(
      specs,
      {
        S: async (ep) => {
          ep.send('W', 'job', [1]);
          const got = await ep.receive({ timeoutMs: 1000 });
          expect(got).toEqual({ kind: 'crash', from: 'W', reason: 'timeout' });
          ep.send('B', 'job', [1]);
          await ep.receive();
        },
        W: answer(2),
        B: answer(3),
      },
      {
        seed: 1,
        plan: { faults: [{ kind: 'drop', from: 'W', to: 'S', nth: 0 }] },
        latency: { min: 1, max: 1 },
      },
    );
    assertRunOk(r);
    expect(r.time).toBe(1002); // S gave up at 1000 (its receive began at 0); 2 more hops
    expect(r.trace.events.filter((e) => e.kind === 'lost')).toMatchObject([
      { from: 'W', to: 'S', reason: 'link' },
    ]);
  });

  test('delay keeps the link FIFO; reorder lets another link overtake', async () => {
    // B and C each send to A first thing: which arrives first depends on the faults.
    const specs = specsOf(`global protocol Two(role A, role B, role C) {
      choice at B { x() from B to A; y() from C to A; } or { x2() from B to A; y() from C to A; } }`);
    const order = async (plan: FaultPlan): Promise<string[]> => {
      const got: string[] = [];
      const r = await simulate(
        specs,
        {
          A: async (ep) => {
            while (!ep.done) {
              const m = await ep.receive();
              if (m.kind === 'message') got.push(m.label);
            }
          },
          B: (ep) => ep.send('A', 'x', []),
          C: (ep) => ep.send('A', 'y', []),
        },
        { seed: 1, plan, latency: { min: 1, max: 1 } },
      );
      assertRunOk(r);
      return r.trace.events.flatMap((e) => (e.kind === 'receive' ? [e.message] : []));
    };
    expect(await order({ faults: [] })).toEqual(['x()', 'y()']);
    expect(await order({ faults: [{ kind: 'delay', from: 'B', to: 'A', nth: 0, ms: 5 }] })).toEqual(
      ['x()', 'y()'],
    );
    // A receives from B first (its state only waits on B), so y waits in A's queue either way:
    // the delivery order shows in the trace times instead.
    const held = await simulate(
      specs,
      {
        A: async (ep) => {
          while (!ep.done) await ep.receive();
        },
        B: (ep) => ep.send('A', 'x', []),
        C: (ep) => ep.send('A', 'y', []),
      },
      {
        seed: 1,
        plan: { faults: [{ kind: 'reorder', from: 'B', to: 'A', nth: 0 }] },
        latency: { min: 1, max: 1 },
      },
    );
    assertRunOk(held);
    expect(held.time).toBeGreaterThanOrEqual(1);
  });

  test('plans naming unknown roles or bad numbers are rejected (MPST591)', () => {
    expect(() => checkPlan({ faults: [{ kind: 'crash', role: 'Z', atAction: 1 }] }, ['A'])).toThrow(
      SimulationError,
    );
    expect(() =>
      checkPlan({ faults: [{ kind: 'delay', from: 'A', to: 'A', nth: -1, ms: 1 }] }, ['A']),
    ).toThrow(/MPST591.*different roles/);
    expect(() => checkPlan({ faults: [{ kind: 'crash', role: 'A' }] }, ['A'])).toThrow(
      /atAction or atTime/,
    );
  });

  test('random plans crash only non-reliable roles', () => {
    for (let seed = 0; seed < 200; seed++) {
      const plan = randomPlan(['A', 'B', 'C'], ['A', 'C'], seed, { crashChance: 1 });
      for (const f of plan.faults) if (f.kind === 'crash') expect(f.role).toBe('B');
      expect(plan.faults.some((f) => f.kind === 'crash')).toBe(true);
      checkPlan(plan, ['A', 'B', 'C']);
    }
  });

  test('a run that does not finish says how to replay it; step limit cuts it (MPST590)', async () => {
    const specs = specsOf(PING_PONG);
    const forever: Record<string, RoleCode> = {
      A: async (ep) => {
        for (;;) {
          ep.send('B', 'ping', [1]);
          await ep.receive();
        }
      },
      B: pingPong(0)['B']!,
    };
    const r = await simulate(specs, forever, { seed: 9, maxSteps: 50 });
    expect(r.ok).toBe(false);
    expect(r.cut).toBe('more than 50 steps');
    expect(() => assertRunOk(r)).toThrow(/MPST590.*Replay with seed=9 plan=\{"faults":\[\]\}/);
  });

  test('role code that only sends, never waiting, is cut at the step limit too (MPST590)', async () => {
    // `rec X { m() from A to B; continue X; }`: A may send for ever. Its code yields to
    // microtasks only (as a generated module's `run` does), so neither the scheduler nor the
    // watchdog's timer ever runs; bounded here (20,000 sends), where it used to be for ever.
    const specs = specsOf(
      'global protocol Stream(role A, role B) { rec X { m() from A to B; continue X; } }',
    );
    let sent = 0;
    const r = await simulate(
      specs,
      {
        A: async (ep) => {
          for (let i = 0; i < 20_000; i++) {
            ep.send('B', 'm', []);
            sent++;
            await Promise.resolve();
          }
        },
        B: async (ep) => {
          for (;;) await ep.receive();
        },
      },
      { seed: 1, maxSteps: 100 },
    );
    expect(sent).toBe(100);
    expect(r.ok).toBe(false);
    expect(r.cut).toBe('more than 100 messages sent without waiting (by A)');
    expect(r.outcomes.find((o) => o.role === 'A')?.error).toMatch(/^MPST590: /);
  });

  test('checkRunOk: nothing for an ok run, else one sentence with the cut or the roles at fault', async () => {
    const specs = specsOf(PING_PONG);
    expect(checkRunOk(await simulate(specs, pingPong(2), { seed: 1 }))).toEqual([]);
    // The first ping is lost (no receive timeout): A and B wait for each other for ever.
    const waiting = await simulate(specs, pingPong(1), {
      seed: 1,
      plan: { faults: [{ kind: 'drop', from: 'A', to: 'B', nth: 0 }] },
    });
    expect(checkRunOk(waiting)).toEqual(['run not ok: A blocked, B blocked']);
    const thrown = await simulate(
      specs,
      {
        A: () => {
          throw new Error('boom');
        },
        B: pingPong(0)['B']!,
      },
      { seed: 1 },
    );
    expect(checkRunOk(thrown)).toEqual([
      'run not ok: A failed (boom), B failed (MPST557: B in state 0 waits on A, which crashed (no crash branch))',
    ]);
    const cut = await simulate(specs, pingPong(100), { seed: 1, maxSteps: 10 });
    expect(checkRunOk(cut)).toEqual(['run not ok: more than 10 steps']);
  });

  test('role code that throws or stops early fails its role; the others detect it as a crash', async () => {
    const specs = specsOf(WORK);
    const r = await simulate(
      specs,
      {
        S: async (ep) => {
          ep.send('W', 'job', [1]);
          const got = await ep.receive();
          if (got.kind === 'crash') {
            ep.send('B', 'job', [1]);
            await ep.receive();
          }
        },
        W: () => {
          throw new Error('boom');
        },
        B: answer(3),
      },
      { seed: 1 },
    );
    expect(r.outcomes.map((o) => o.status)).toEqual(['done', 'failed', 'done']);
    expect(r.outcomes[1]?.error).toBe('boom');
  });

  test('the trace goes to JSON and back, in the shape @mpst/mermaid draws', async () => {
    const r = await simulate(specsOf(PING_PONG), pingPong(1), { seed: 2 });
    const json = runTraceToJson(r.trace);
    expect(parseRunTrace(json)).toEqual(r.trace);
    expect(json.split('\n')[0]).toBe(
      '{"protocol":"PingPong","roles":["A","B"],"reliable":["A","B"],"events":[',
    );
    for (const e of r.trace.events) {
      expect(typeof e.time).toBe('number');
      if (e.kind === 'send' || e.kind === 'receive') {
        expect(Object.keys(e).sort()).toEqual([
          'from',
          'id',
          'kind',
          'message',
          'seq',
          'time',
          'to',
        ]);
        expect(e.message).toMatch(/^\w+\(.*\)$/);
      }
    }
    // Each send is paired with its receive by id.
    const ids = r.trace.events.map((e) => ('id' in e ? `${e.kind}:${e.id}` : ''));
    expect(ids.filter((x) => x.startsWith('send')).map((x) => x.slice(5))).toEqual(
      ids.filter((x) => x.startsWith('receive')).map((x) => x.slice(8)),
    );
    expect(() => parseRunTrace('{"roles":["A"],"events":[{"kind":"send","time":1}]}')).toThrow(
      /MPST593.*from/,
    );
    expect(() => parseRunTrace('[')).toThrow(/MPST593/);
  });

  test('specs without a role or a spec per role are refused', () => {
    const specs: EndpointSpec[] = specsOf(PING_PONG).slice(0, 1);
    expect(() => new Simulation(specs, {}, { seed: 1 })).toThrow(/MPST591: no spec for role B/);
  });
});
