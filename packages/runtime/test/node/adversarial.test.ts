/**
 * Hostile peers against the hub, over TCP and WebSocket: each misbehaviour ends in a typed
 * error (recorded by the hub, sent as an error frame) and a closed connection within a bounded
 * time; the process never sees an unhandled rejection or an uncaught exception.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { PeerCrashed, TransportError } from '@mpst/runtime';
import {
  connectTcp,
  connectWs,
  encodeFrame,
  FrameDecoder,
  Hub,
  joinMac,
  listenTcp,
  listenWs,
  type HubClient,
  type Listening,
} from '@mpst/runtime/node';
import { PING_PONG, specFor, specsOf, WORK } from '../protocols.js';

const unhandled: unknown[] = [];
const onUnhandled = (e: unknown): void => {
  unhandled.push(e);
};
beforeAll(() => {
  process.on('unhandledRejection', onUnhandled);
  process.on('uncaughtException', onUnhandled);
});
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
  process.off('uncaughtException', onUnhandled);
});

const SECRET = 'correct horse battery staple';
const LIMIT = 4096;

/** A raw peer that speaks frames by hand. */
interface Raw {
  readonly frames: Record<string, unknown>[];
  readonly closed: Promise<void>;
  /** Sends a well-formed frame. */
  frame(v: unknown): void;
  /** Sends raw bytes (TCP) or a raw message / raw socket bytes (WebSocket). */
  bytes(b: Buffer | string): void;
  /** Bytes straight onto the socket (under the WebSocket framing, for WebSocket). */
  socketBytes(b: Buffer): void;
  end(): void;
  nonce(): Promise<string>;
}

const within = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([
    p,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms),
    ),
  ]);

async function waitFor(check: () => boolean, ms: number, what: string): Promise<void> {
  const t0 = Date.now();
  while (!check()) {
    if (Date.now() - t0 > ms) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function rawTcp(port: number): Promise<Raw> {
  return new Promise((resolve) => {
    const socket: Socket = connect({ host: '127.0.0.1', port });
    const frames: Record<string, unknown>[] = [];
    const dec = new FrameDecoder(1 << 20);
    socket.on('data', (d: Buffer) => frames.push(...(dec.push(d) as Record<string, unknown>[])));
    socket.on('error', () => undefined);
    const closed = new Promise<void>((r) => socket.once('close', () => r()));
    socket.once('connect', () =>
      resolve({
        frames,
        closed,
        frame: (v) => socket.write(encodeFrame(v as never)),
        bytes: (b) => socket.write(b),
        socketBytes: (b) => socket.write(b),
        end: () => socket.end(),
        nonce: async () => {
          await waitFor(() => frames.length > 0, 2000, 'hello');
          return String(frames[0]?.['nonce']);
        },
      }),
    );
  });
}

function rawWs(port: number): Promise<Raw> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}`);
    const frames: Record<string, unknown>[] = [];
    ws.on('message', (d) =>
      frames.push(JSON.parse((d as Buffer).toString('utf8')) as Record<string, unknown>),
    );
    ws.on('error', () => undefined);
    const closed = new Promise<void>((r) => ws.once('close', () => r()));
    ws.once('open', () => {
      const socket = (ws as unknown as { _socket: Socket })._socket;
      resolve({
        frames,
        closed,
        frame: (v) => ws.send(JSON.stringify(v)),
        bytes: (b) => ws.send(b),
        socketBytes: (b) => socket.write(b),
        end: () => socket.end(),
        nonce: async () => {
          await waitFor(() => frames.length > 0, 2000, 'hello');
          return String(frames[0]?.['nonce']);
        },
      });
    });
  });
}

/** A masked client WebSocket text frame header announcing `len` (< 126) bytes, and its mask. */
const wsHeader = (len: number): Buffer => Buffer.from([0x81, 0x80 | len, 1, 2, 3, 4]);

for (const kind of ['tcp', 'ws'] as const) {
  describe(`adversarial peers: ${kind}`, () => {
    let hub: Hub;
    let server: Listening;
    const clients: HubClient[] = [];
    const pp = specsOf(PING_PONG);
    const raw = (): Promise<Raw> => (kind === 'tcp' ? rawTcp(server.port) : rawWs(server.port));
    const client = async (secret?: string): Promise<HubClient> => {
      const opts = secret !== undefined ? { secret } : {};
      const c =
        kind === 'tcp'
          ? await connectTcp({ port: server.port, ...opts })
          : await connectWs({ url: `ws://127.0.0.1:${server.port}`, ...opts });
      clients.push(c);
      return c;
    };
    const refused = async (r: Raw, code: string): Promise<void> => {
      await within(r.closed, 2000, `${code}: connection closed`);
      expect(r.frames.find((f) => f['t'] === 'error')?.['code']).toBe(code);
      expect(hub.errors.map((e) => e.code)).toContain(code);
    };

    const start = async (secret?: string): Promise<void> => {
      hub = new Hub({
        maxFrameBytes: LIMIT,
        frameTimeoutMs: 200,
        joinTimeoutMs: 400,
        ...(secret !== undefined ? { secret } : {}),
      });
      server = kind === 'tcp' ? await listenTcp(hub) : await listenWs(hub);
      hub.openSession('s1', { protocol: 'PingPong', roles: ['A', 'B'] });
    };
    afterEach(async () => {
      for (const c of clients.splice(0)) c.close();
      await server.close();
      expect(unhandled).toEqual([]);
    });

    test('binds 127.0.0.1 by default', async () => {
      await start();
      expect(server.host).toBe('127.0.0.1');
    });

    test('impersonation: a join with a wrong MAC is refused (MPST573); the right one joins', async () => {
      await start(SECRET);
      const liar = await client('not the secret');
      await expect(liar.join(specFor(pp, 'A'), 's1')).rejects.toMatchObject({ code: 'MPST573' });
      const r = await raw();
      r.frame({ t: 'join', session: 's1', protocol: 'PingPong', role: 'A', mac: 'ab'.repeat(32) });
      await refused(r, 'MPST573');
      const a = await client(SECRET);
      const b = await client(SECRET);
      const [ea, eb] = await Promise.all([
        a.join(specFor(pp, 'A'), 's1'),
        b.join(specFor(pp, 'B'), 's1'),
      ]);
      ea.send('B', 'bye', []);
      expect(await eb.receive()).toMatchObject({ kind: 'message', label: 'bye' });
    });

    test('a MAC for another role or session does not carry over', async () => {
      await start(SECRET);
      const r = await raw();
      const nonce = await r.nonce();
      r.frame({
        t: 'join',
        session: 's1',
        protocol: 'PingPong',
        role: 'A',
        mac: joinMac(SECRET, nonce, 's1', 'B'),
      });
      await refused(r, 'MPST573');
    });

    test('unknown role (MPST574), second claim (MPST575), wrong session id (MPST576)', async () => {
      await start();
      const r1 = await raw();
      r1.frame({ t: 'join', session: 's1', protocol: 'PingPong', role: 'Z' });
      await refused(r1, 'MPST574');
      const first = await raw();
      first.frame({ t: 'join', session: 's1', protocol: 'PingPong', role: 'A' });
      await waitFor(() => first.frames.some((f) => f['t'] === 'joined'), 2000, 'joined');
      const second = await client();
      await expect(second.join(specFor(pp, 'A'), 's1')).rejects.toMatchObject({ code: 'MPST575' });
      const r3 = await raw();
      r3.frame({ t: 'join', session: 'nope', protocol: 'PingPong', role: 'B' });
      await refused(r3, 'MPST576');
      const r4 = await raw();
      r4.frame({ t: 'join', session: 's1', protocol: 'Other', role: 'B' });
      await refused(r4, 'MPST576');
    });

    test('a joined role that sends as another role is refused (MPST574); its role crashes', async () => {
      await start();
      const a = await client();
      const joinA = a.join(specFor(pp, 'A'), 's1');
      const r = await raw();
      r.frame({ t: 'join', session: 's1', protocol: 'PingPong', role: 'B' });
      const ea = await joinA;
      r.frame({
        t: 'msg',
        session: 's1',
        from: 'A',
        to: 'B',
        label: 'ping',
        payload: [1],
        id: 0,
        text: 'ping(Int)',
      });
      await refused(r, 'MPST574');
      // A is told B is gone: its receive does not hang (B reliable here: PeerCrashed).
      ea.send('B', 'ping', [1]);
      await expect(within(ea.receive(), 2000, 'receive')).rejects.toBeInstanceOf(PeerCrashed);
    });

    test('garbage: a frame that is not JSON, or JSON that is not a frame (MPST570)', async () => {
      await start();
      const r1 = await raw();
      if (kind === 'tcp')
        r1.bytes(Buffer.concat([Buffer.from([0, 0, 0, 5]), Buffer.from('hello')]));
      else r1.bytes('hello');
      await refused(r1, 'MPST570');
      const r2 = await raw();
      r2.frame({ t: 'join', session: 's1', role: 7 });
      await refused(r2, 'MPST570');
    });

    test('oversized frames are refused (MPST571) before they are read', async () => {
      await start();
      const r = await raw();
      if (kind === 'tcp')
        r.bytes(Buffer.from([0x40, 0, 0, 0])); // announces 1 GiB
      else r.bytes('x'.repeat(LIMIT + 1));
      await within(r.closed, 2000, 'closed');
      expect(hub.errors.map((e) => e.code)).toContain('MPST571');
    });

    test('truncated frames: the connection ends inside a frame (MPST572)', async () => {
      await start();
      const r = await raw();
      if (kind === 'tcp') r.socketBytes(Buffer.from([0, 0, 0, 100, 123, 34]));
      else r.socketBytes(Buffer.concat([wsHeader(100), Buffer.from('{"t":"jo')]));
      await new Promise((res) => setTimeout(res, 30));
      r.end();
      await waitFor(() => hub.errors.some((e) => e.code === 'MPST572'), 2000, 'MPST572');
    });

    test('slow-loris: half a frame, then silence, is cut after frameTimeoutMs (MPST577)', async () => {
      await start();
      const r = await raw();
      const t0 = Date.now();
      if (kind === 'tcp') r.socketBytes(Buffer.from([0, 0]));
      else r.socketBytes(wsHeader(50));
      await within(r.closed, 2000, 'closed');
      const took = Date.now() - t0;
      expect(took).toBeGreaterThanOrEqual(150);
      expect(took).toBeLessThan(390); // the frame limit (200 ms), not the join limit (400 ms)
      expect(hub.errors.map((e) => e.code)).toContain('MPST577');
    });

    test('a connection that never joins is closed after joinTimeoutMs (MPST577)', async () => {
      await start();
      const r = await raw();
      await within(r.closed, 2000, 'closed');
      expect(r.frames.find((f) => f['t'] === 'error')?.['code']).toBe('MPST577');
    });

    test('abrupt disconnect mid-session is a crash: the peer takes its crash branch', async () => {
      await start();
      const work = specsOf(WORK);
      hub.openSession('w', { protocol: 'Work', roles: ['S', 'W', 'B'], reliable: ['S', 'B'] });
      const [cs, cw, cb] = [await client(), await client(), await client()];
      const [s, w, b] = await Promise.all([
        cs.join(specFor(work, 'S'), 'w'),
        cw.join(specFor(work, 'W'), 'w'),
        cb.join(specFor(work, 'B'), 'w'),
      ]);
      s.send('W', 'job', [1]);
      await w.receive();
      cw.close(); // W's connection drops right after it took the job
      await expect(w.receive()).rejects.toMatchObject({ code: 'MPST558' });
      expect(await within(s.receive(), 2000, 'crash detection')).toEqual({
        kind: 'crash',
        from: 'W',
        reason: 'crashed',
      });
      s.send('B', 'job', [1]);
      const got = await b.receive();
      expect(got).toMatchObject({ kind: 'message', label: 'job' });
      b.send('S', 'result', [2]);
      expect(await s.receive()).toMatchObject({ kind: 'message', label: 'result' });
      expect(s.done && b.done).toBe(true);
    });

    test('errors reach the client as typed errors: a join to an unknown session rejects', async () => {
      await start();
      const c = await client();
      const err = await c.join(specFor(pp, 'A'), 'missing').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TransportError);
      expect(err).toMatchObject({ code: 'MPST576' });
    });
  });
}
