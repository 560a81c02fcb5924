/** Several concurrent sessions over one connection pool (and two roles on one connection). */
import { expect, test } from 'vitest';
import type { Endpoint } from '@mpst/runtime';
import { connectTcp, connectWs, Hub, listenTcp, listenWs } from '@mpst/runtime/node';
import { PING_PONG, specFor, specsOf } from '../protocols.js';

const pp = specsOf(PING_PONG);

async function play(a: Endpoint, b: Endpoint, rounds: number): Promise<number[]> {
  const got: number[] = [];
  const echo = (async () => {
    for (;;) {
      const r = await b.receive();
      if (r.kind !== 'message' || r.label === 'bye') return;
      b.send('A', 'pong', [Number(r.payload[0]) + 1000]);
    }
  })();
  for (let i = 0; i < rounds; i++) {
    a.send('B', 'ping', [i]);
    const r = await a.receive();
    if (r.kind === 'message') got.push(Number(r.payload[0]));
  }
  a.send('B', 'bye', []);
  await echo;
  return got;
}

for (const kind of ['tcp', 'ws'] as const)
  test(`${kind}: ten sessions share two connections; one connection plays both roles`, async () => {
    const hub = new Hub();
    const server = kind === 'tcp' ? await listenTcp(hub) : await listenWs(hub);
    const connect = () =>
      kind === 'tcp'
        ? connectTcp({ port: server.port })
        : connectWs({ url: `ws://127.0.0.1:${server.port}` });
    const [c1, c2] = [await connect(), await connect()];
    try {
      const ids = Array.from({ length: 10 }, (_, i) => `s${i}`);
      for (const id of ids) hub.openSession(id, { protocol: 'PingPong', roles: ['A', 'B'] });
      hub.openSession('both', { protocol: 'PingPong', roles: ['A', 'B'] });
      const ended = [...ids, 'both'].map((id) => hub.whenEnded(id));
      const runs = ids.map(async (id, n) => {
        const [a, b] = await Promise.all([
          c1.join(specFor(pp, 'A'), id),
          c2.join(specFor(pp, 'B'), id),
        ]);
        return play(a, b, n + 1);
      });
      const [a, b] = await Promise.all([
        c1.join(specFor(pp, 'A'), 'both'),
        c1.join(specFor(pp, 'B'), 'both'),
      ]);
      const results = await Promise.all([...runs, play(a, b, 3)]);
      results.slice(0, 10).forEach((got, n) => {
        expect(got).toEqual(Array.from({ length: n + 1 }, (_, i) => i + 1000));
      });
      expect(results[10]).toEqual([1000, 1001, 1002]);
      const traces = await Promise.all(ended);
      // Every session ended cleanly: nothing lost, nobody crashed.
      for (const t of traces) expect(t.events).toEqual([]);
      expect(c1.trace('s0', 'A')?.events.length).toBe(3); // 1 round: ping sent, pong received, bye sent
      c1.release('s0');
      expect(c1.trace('s0', 'A')).toBeUndefined();
    } finally {
      c1.close();
      c2.close();
      await server.close();
    }
  });

test('closing a finished endpoint does not cost the connection its next session', async () => {
  const hub = new Hub();
  const server = await listenTcp(hub);
  const [c1, c2] = [
    await connectTcp({ port: server.port }),
    await connectTcp({ port: server.port }),
  ];
  try {
    for (const id of ['first', 'second']) {
      hub.openSession(id, { protocol: 'PingPong', roles: ['A', 'B'] });
      const ended = hub.whenEnded(id);
      const [a, b] = await Promise.all([
        c1.join(specFor(pp, 'A'), id),
        c2.join(specFor(pp, 'B'), id),
      ]);
      expect(await play(a, b, 1)).toEqual([1000]);
      await ended;
      // Both are done and the hub has ended the session: close() must not leave it again.
      a.close();
      b.close();
    }
    expect(hub.errors).toEqual([]);
  } finally {
    c1.close();
    c2.close();
    await server.close();
  }
});
