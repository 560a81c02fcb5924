/// <reference types="node" />
/**
 * TCP: `node:net` sockets carrying length-prefixed frames (JSON, or the hub's codec; frames.ts). The server
 * binds 127.0.0.1 unless told otherwise. Every refusal is a typed {@link TransportError} on
 * the hub (`onError`, `errors`), an error frame to the peer, and a closed socket — never an
 * exception out of an event handler or an unhandled rejection.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import { TransportError } from '../errors.js';
import { HubClient } from './client.js';
import {
  DEFAULT_MAX_FRAME_BYTES,
  encodeFrame,
  FrameDecoder,
  jsonCodec,
  type FrameCodec,
  type ServerFrame,
} from './frames.js';
import type { ConnHandler, Hub } from './hub.js';

export interface ListenOptions {
  /** Default 127.0.0.1 (loopback only). */
  readonly host?: string;
  /** Default 0: any free port (see `port` on the result). */
  readonly port?: number;
}

export interface Listening {
  readonly host: string;
  readonly port: number;
  /** Stops listening and closes every connection. */
  close(): Promise<void>;
}

/**
 * Reads frames from a socket into `handler`: oversized (MPST571) or malformed (MPST570) frames,
 * a frame left half-sent longer than `frameTimeoutMs` (MPST577, slow-loris) and a connection
 * that ends in the middle of a frame (MPST572) are reported to `fail`.
 */
function pump(
  socket: Socket,
  maxFrameBytes: number,
  frameTimeoutMs: number,
  codec: FrameCodec,
  handler: { frame(v: unknown): void; fail(e: TransportError): void; closed(): void },
): void {
  const decoder = new FrameDecoder(maxFrameBytes, codec);
  let partial: NodeJS.Timeout | undefined;
  let failed = false;
  const fail = (e: TransportError): void => {
    if (failed) return;
    failed = true;
    clearTimeout(partial);
    handler.fail(e);
    socket.destroy();
  };
  socket.on('data', (data: Buffer) => {
    if (failed) return;
    let frames: unknown[];
    try {
      frames = decoder.push(data);
    } catch (e) {
      fail(e instanceof TransportError ? e : new TransportError('MPST570', String(e)));
      return;
    }
    for (const f of frames) handler.frame(f);
    if (decoder.pending && partial === undefined) {
      partial = setTimeout(
        () =>
          fail(
            new TransportError('MPST577', `a frame was left unfinished for ${frameTimeoutMs} ms`),
          ),
        frameTimeoutMs,
      );
      partial.unref();
    } else if (!decoder.pending && partial !== undefined) {
      clearTimeout(partial);
      partial = undefined;
    }
  });
  // ECONNRESET and the like: the close that follows is what counts.
  socket.on('error', () => undefined);
  socket.on('close', () => {
    clearTimeout(partial);
    if (decoder.pending && !failed) {
      failed = true;
      handler.fail(new TransportError('MPST572', 'connection closed in the middle of a frame'));
    }
    handler.closed();
  });
}

/** Serves `hub` over TCP. */
export function listenTcp(hub: Hub, options: ListenOptions = {}): Promise<Listening> {
  const host = options.host ?? '127.0.0.1';
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    const remote = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    const h: ConnHandler = hub.attach({
      remote,
      send: (frame: ServerFrame) => {
        if (!socket.destroyed) socket.write(encodeFrame(frame, hub.codec));
      },
      close: () => socket.end(),
    });
    pump(socket, hub.maxFrameBytes, hub.frameTimeoutMs, hub.codec, {
      frame: (v) => h.frame(v),
      fail: (e) => h.fail(e),
      closed: () => {
        sockets.delete(socket);
        h.closed();
      },
    });
  });
  server.on('error', () => undefined);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      resolve({
        host,
        port,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

export interface ConnectOptions {
  readonly host?: string;
  readonly port: number;
  /** The hub's shared secret, if it has one. */
  readonly secret?: string;
  readonly maxFrameBytes?: number;
  /** The hub's codec (default JSON). */
  readonly codec?: FrameCodec;
}

/** Connects to a hub over TCP. */
export function connectTcp(options: ConnectOptions): Promise<HubClient> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: options.host ?? '127.0.0.1', port: options.port });
    socket.setNoDelay(true);
    const codec = options.codec ?? jsonCodec;
    const client = new HubClient(
      {
        send: (frame) => {
          if (!socket.destroyed) socket.write(encodeFrame(frame, codec));
        },
        close: () => socket.end(),
      },
      options.secret,
    );
    socket.once('connect', () => resolve(client));
    socket.once('error', (e) => reject(new TransportError('MPST578', e.message)));
    pump(socket, options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES, 30_000, codec, {
      frame: (v) => client.frame(v),
      fail: (e) => client.connectionLost(e),
      closed: () =>
        client.connectionLost(new TransportError('MPST578', 'connection to the hub closed')),
    });
  });
}
