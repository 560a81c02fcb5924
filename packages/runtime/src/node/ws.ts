/// <reference types="node" />
/**
 * WebSocket (the `ws` package): the same frames as TCP, one frame per WebSocket message (a text
 * message for JSON, a binary one for a codec that encodes to bytes). `maxPayload` enforces the
 * frame limit (MPST571); a message the codec cannot decode, or that is not a frame, is MPST570;
 * a frame left half-sent longer than `frameTimeoutMs` is MPST577 (slow-loris); a connection
 * that ends inside a frame is MPST572.
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import WebSocket, { WebSocketServer, type RawData } from 'ws';
import { TransportError } from '../errors.js';
import { HubClient } from './client.js';
import { decodeWith, DEFAULT_MAX_FRAME_BYTES, jsonCodec, type FrameCodec } from './frames.js';
import type { Hub } from './hub.js';
import type { Listening, ListenOptions } from './tcp.js';

const bytes = (data: RawData): Buffer =>
  Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer);

/** Watches the raw socket under a WebSocket: bytes that do not become a message in time. */
function watchPartial(
  socket: Socket,
  ws: WebSocket,
  ms: number,
  fail: (e: TransportError) => void,
): () => boolean {
  let timer: NodeJS.Timeout | undefined;
  socket.on('data', () => {
    if (timer === undefined) {
      timer = setTimeout(
        () => fail(new TransportError('MPST577', `a frame was left unfinished for ${ms} ms`)),
        ms,
      );
      timer.unref();
    }
  });
  const clear = (): void => {
    clearTimeout(timer);
    timer = undefined;
  };
  // 'message' is emitted in the same tick as the 'data' that completed it.
  ws.on('message', () => setImmediate(clear));
  ws.on('pong', clear);
  ws.on('close', () => clearTimeout(timer));
  return () => timer !== undefined;
}

function errorOf(e: Error & { code?: string }): TransportError {
  if (e.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH')
    return new TransportError('MPST571', e.message);
  return new TransportError('MPST570', e.message);
}

/** Serves `hub` over WebSocket. */
export function listenWs(hub: Hub, options: ListenOptions = {}): Promise<Listening> {
  const host = options.host ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    const wss = new WebSocketServer({
      host,
      port: options.port ?? 0,
      maxPayload: hub.maxFrameBytes,
    });
    wss.on('connection', (ws: WebSocket, req: IncomingMessage) => {
      const socket = req.socket;
      let failed = false;
      const h = hub.attach({
        remote: `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`,
        send: (frame) => {
          if (ws.readyState === WebSocket.OPEN) ws.send(hub.codec.encode(frame));
        },
        close: () => ws.close(),
      });
      const fail = (e: TransportError): void => {
        if (failed) return;
        failed = true;
        h.fail(e);
        ws.terminate();
      };
      const partial = watchPartial(socket, ws, hub.frameTimeoutMs, fail);
      ws.on('message', (data) => {
        if (failed) return;
        try {
          h.frame(decodeWith(hub.codec, bytes(data)));
        } catch (e) {
          fail(e instanceof TransportError ? e : new TransportError('MPST570', String(e)));
        }
      });
      ws.on('error', (e) => fail(errorOf(e)));
      ws.on('close', () => {
        if (partial() && !failed) {
          failed = true;
          h.fail(new TransportError('MPST572', 'connection closed in the middle of a frame'));
        }
        h.closed();
      });
    });
    wss.on('error', reject);
    wss.on('listening', () => {
      const addr = wss.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      wss.removeListener('error', reject);
      wss.on('error', () => undefined);
      resolve({
        host,
        port,
        close: () =>
          new Promise<void>((done) => {
            for (const c of wss.clients) c.terminate();
            wss.close(() => done());
          }),
      });
    });
  });
}

export interface WsConnectOptions {
  /** `ws://127.0.0.1:PORT`. */
  readonly url: string;
  readonly secret?: string;
  readonly maxFrameBytes?: number;
  /** The hub's codec (default JSON). */
  readonly codec?: FrameCodec;
}

/** Connects to a hub over WebSocket. */
export function connectWs(options: WsConnectOptions): Promise<HubClient> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(options.url, {
      maxPayload: options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES,
    });
    const codec = options.codec ?? jsonCodec;
    const client = new HubClient(
      {
        send: (frame) => {
          if (ws.readyState === WebSocket.OPEN) ws.send(codec.encode(frame));
        },
        close: () => ws.close(),
      },
      options.secret,
    );
    ws.on('open', () => resolve(client));
    ws.on('message', (data) => {
      try {
        client.frame(decodeWith(codec, bytes(data)));
      } catch (e) {
        client.connectionLost(
          e instanceof TransportError ? e : new TransportError('MPST570', String(e)),
        );
        ws.terminate();
      }
    });
    ws.on('error', (e) => {
      reject(new TransportError('MPST578', e.message));
      client.connectionLost(errorOf(e));
    });
    ws.on('close', () =>
      client.connectionLost(new TransportError('MPST578', 'connection to the hub closed')),
    );
  });
}
