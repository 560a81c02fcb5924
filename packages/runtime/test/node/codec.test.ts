/**
 * The pluggable frame codec: a binary codec (Node's structured-clone serializer) carries
 * `Uint8Array` payloads that JSON cannot, over TCP and WebSocket; a peer speaking another
 * codec, or bytes the codec cannot read, is a typed MPST570 and a closed connection. And a
 * session opened with a role already crashed starts without it.
 */
import { deserialize, serialize } from 'node:v8';
import { describe, expect, test } from 'vitest';
import { TransportError } from '@mpst/runtime';
import {
  connectTcp,
  connectWs,
  encodeFrame,
  FrameDecoder,
  Hub,
  jsonCodec,
  listenTcp,
  listenWs,
  type FrameCodec,
  type HubClient,
} from '@mpst/runtime/node';
import { specFor, specsOf, WORK } from '../protocols.js';

/** Binary frames: v8's serializer keeps a Uint8Array a Uint8Array (JSON makes it an object). */
const v8Codec: FrameCodec = {
  name: 'v8-serialized',
  encode: (frame) => serialize(frame),
  decode: (bytes) => deserialize(bytes) as unknown,
};

const BLOB = `type <ts> "Uint8Array" from "builtin" as Bytes;
global protocol Blob(role A, role B) {
  put(Bytes) from A to B;
  digest(Int, Bytes) from B to A;
}`;
const blob = specsOf(BLOB, 'Blob', { Bytes: (v) => v instanceof Uint8Array });

async function pair(kind: 'tcp' | 'ws', hubCodec: FrameCodec, clientCodec: FrameCodec) {
  const hub = new Hub({ codec: hubCodec });
  const server = kind === 'tcp' ? await listenTcp(hub) : await listenWs(hub);
  const connect = (): Promise<HubClient> =>
    kind === 'tcp'
      ? connectTcp({ port: server.port, codec: clientCodec })
      : connectWs({ url: `ws://127.0.0.1:${server.port}`, codec: clientCodec });
  return { hub, server, connect };
}

describe.each(['tcp', 'ws'] as const)('%s', (kind) => {
  test('a binary codec carries Uint8Array payloads end to end', async () => {
    const { hub, server, connect } = await pair(kind, v8Codec, v8Codec);
    const clients = [await connect(), await connect()];
    try {
      hub.openSession('b', { protocol: 'Blob', roles: ['A', 'B'] });
      const [a, b] = await Promise.all([
        clients[0]!.join(specFor(blob, 'A'), 'b'),
        clients[1]!.join(specFor(blob, 'B'), 'b'),
      ]);
      const data = Uint8Array.from([0, 1, 2, 250, 255]);
      a.send('B', 'put', [data]);
      const got = await b.receive();
      const bytes = got.kind === 'message' ? (got.payload[0] as Uint8Array) : undefined;
      expect(bytes).toBeInstanceOf(Uint8Array);
      expect([...(bytes ?? [])]).toEqual([0, 1, 2, 250, 255]);
      b.send('A', 'digest', [bytes?.length ?? -1, (bytes ?? data).slice().reverse()]);
      const back = await a.receive();
      expect(back.kind === 'message' && back.payload[0]).toBe(5);
      expect(back.kind === 'message' && [...(back.payload[1] as Uint8Array)]).toEqual([
        255, 250, 2, 1, 0,
      ]);
      expect([a.done, b.done]).toEqual([true, true]);
    } finally {
      for (const c of clients) c.close();
      await server.close();
    }
  });

  test('a client speaking JSON to a hub that speaks v8: MPST570, connection closed', async () => {
    const { hub, server, connect } = await pair(kind, v8Codec, jsonCodec);
    try {
      hub.openSession('b', { protocol: 'Blob', roles: ['A', 'B'] });
      // The hub's hello is v8 bytes: the JSON client cannot read it and gives up.
      const client = await connect();
      const joined = client.join(specFor(blob, 'A'), 'b', { joinTimeoutMs: 2_000 });
      await expect(joined).rejects.toBeInstanceOf(TransportError);
      await expect(joined).rejects.toMatchObject({ code: 'MPST570' });
      client.close();
    } finally {
      await server.close();
    }
  }, 10_000);
});

test('the hub refuses bytes its codec cannot decode (MPST570) and lives on', async () => {
  const errors: TransportError[] = [];
  const hub = new Hub({ codec: v8Codec, onError: (e) => errors.push(e) });
  const server = await listenTcp(hub);
  const { connect } = await import('node:net');
  try {
    const socket = connect({ host: '127.0.0.1', port: server.port });
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => undefined);
    socket.resume(); // read (and drop) the hub's frames, so that its close is seen
    socket.write(encodeFrame({ t: 'leave', session: 'x', role: 'A' }, jsonCodec));
    await closed;
    expect(errors.map((e) => e.code)).toEqual(['MPST570']);
    expect(errors[0]?.message).toContain('frame is not v8-serialized');
    // The hub still serves a client with the right codec.
    hub.openSession('b', { protocol: 'Blob', roles: ['A', 'B'] });
    const c = await connectTcp({ port: server.port, codec: v8Codec });
    const d = await connectTcp({ port: server.port, codec: v8Codec });
    const [a] = await Promise.all([
      c.join(specFor(blob, 'A'), 'b'),
      d.join(specFor(blob, 'B'), 'b'),
    ]);
    expect(a.role).toBe('A');
    c.close();
    d.close();
  } finally {
    await server.close();
  }
});

test('FrameDecoder with a codec: frames split anywhere decode to the same values', () => {
  const frames = [
    { t: 'start', session: 's' } as const,
    {
      t: 'msg',
      session: 's',
      from: 'A',
      to: 'B',
      label: 'put',
      payload: [Uint8Array.from([1, 2, 3])],
      id: 0,
      text: 'put(Bytes)',
    } as const,
  ];
  const wire = Buffer.concat(frames.map((f) => encodeFrame(f, v8Codec)));
  for (const cut of [1, 3, 4, 5, 17, wire.length - 1]) {
    const dec = new FrameDecoder(1 << 20, v8Codec);
    const out = [...dec.push(wire.subarray(0, cut)), ...dec.push(wire.subarray(cut))];
    expect(out).toEqual(frames);
    expect(dec.pending).toBe(false);
  }
});

test('a session opened with a role crashed starts without it; the others take their crash branch', async () => {
  const work = specsOf(WORK);
  const hub = new Hub();
  const server = await listenTcp(hub);
  const clients = [
    await connectTcp({ port: server.port }),
    await connectTcp({ port: server.port }),
  ];
  try {
    hub.openSession('w', {
      protocol: 'Work',
      roles: ['S', 'W', 'B'],
      reliable: ['S', 'B'],
      crashed: ['W'],
    });
    const ended = hub.whenEnded('w');
    await expect(
      connectTcp({ port: server.port }).then((c) => c.join(specFor(work, 'W'), 'w')),
    ).rejects.toMatchObject({ code: 'MPST575' });
    const [s, b] = await Promise.all([
      clients[0]!.join(specFor(work, 'S'), 'w'),
      clients[1]!.join(specFor(work, 'B'), 'w'),
    ]);
    s.send('W', 'job', [21]); // lost: W is gone
    const r = await s.receive();
    expect(r).toMatchObject({ kind: 'crash', from: 'W' });
    s.send('B', 'job', [21]);
    const job = await b.receive();
    b.send('S', 'result', [Number(job.kind === 'message' ? job.payload[0] : 0) * 2]);
    expect(await s.receive()).toMatchObject({ kind: 'message', payload: [42] });
    s.close();
    b.close();
    const trace = await ended;
    expect(trace.events.map((e) => e.kind)).toEqual(['crash', 'lost']);
  } finally {
    for (const c of clients) c.close();
    await server.close();
  }
});
