/// <reference types="node" />
/**
 * The wire format of the TCP transport: each frame is a 4-byte big-endian length, then that
 * many bytes of one encoded frame (UTF-8 JSON unless a {@link FrameCodec} says otherwise). The
 * WebSocket transport sends the same encoding, one frame per WebSocket message.
 */
import { must } from '../clock.js';
import { TransportError } from '../errors.js';

/** A protocol message: the same frame in both directions (the hub forwards the same fields). */
export interface MsgFrame {
  readonly t: 'msg';
  readonly session: string;
  readonly from: string;
  readonly to: string;
  readonly label: string;
  readonly payload: readonly unknown[];
  readonly id: number;
  readonly text: string;
}

/** Frames from the hub to a client. */
export type ServerFrame =
  | { readonly t: 'hello'; readonly nonce: string }
  | { readonly t: 'joined'; readonly session: string; readonly role: string }
  | { readonly t: 'start'; readonly session: string }
  | MsgFrame
  | {
      readonly t: 'down';
      readonly session: string;
      readonly peer: string;
      readonly reason: 'crashed' | 'link';
    }
  | { readonly t: 'abort'; readonly session: string; readonly reason: string }
  | {
      readonly t: 'error';
      readonly code: string;
      readonly message: string;
      readonly session?: string;
    };

/** Frames from a client to the hub. */
export type ClientFrame =
  | {
      readonly t: 'join';
      readonly session: string;
      readonly protocol: string;
      readonly role: string;
      readonly mac?: string;
    }
  | MsgFrame
  | { readonly t: 'leave'; readonly session: string; readonly role: string };

/** The default frame size limit: 1 MiB. */
export const DEFAULT_MAX_FRAME_BYTES = 1 << 20;

/**
 * How frames become bytes on the wire and back. Hub and clients must use the same codec.
 * {@link jsonCodec} is the default; replace it to carry payload values JSON cannot (binary
 * data as `Uint8Array`, `Map`, `bigint`) or for a more compact encoding. `decode` reads bytes
 * from an untrusted peer: it must throw (never hang, never run code) on bytes it cannot read,
 * and the transport turns that into MPST570. The decoded value is checked as a frame and each
 * payload against the protocol, as with JSON.
 */
export interface FrameCodec {
  /** Named in errors (`frame is not <name>`). */
  readonly name: string;
  /** A string goes out as UTF-8 (a text message over WebSocket); bytes as they are (binary). */
  encode(frame: ServerFrame | ClientFrame): string | Uint8Array;
  decode(bytes: Uint8Array): unknown;
}

/** The default codec: UTF-8 JSON (text messages over WebSocket). */
export const jsonCodec: FrameCodec = {
  name: 'JSON',
  encode: (frame) => JSON.stringify(frame),
  decode: (bytes) =>
    JSON.parse(
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8'),
    ) as unknown,
};

/** Decodes one frame's bytes, turning any failure of the codec into MPST570. */
export function decodeWith(codec: FrameCodec, bytes: Uint8Array): unknown {
  try {
    return codec.decode(bytes);
  } catch {
    throw new TransportError('MPST570', `frame is not ${codec.name}`);
  }
}

/** One TCP frame: a 4-byte big-endian length, then the codec's bytes. */
export function encodeFrame(
  frame: ServerFrame | ClientFrame,
  codec: FrameCodec = jsonCodec,
): Buffer {
  const encoded = codec.encode(frame);
  const body = typeof encoded === 'string' ? Buffer.from(encoded, 'utf8') : encoded;
  const out = Buffer.allocUnsafe(4 + body.length);
  out.writeUInt32BE(body.length, 0);
  out.set(body, 4);
  return out;
}

/**
 * Splits a byte stream into frames. `push` returns the complete frames' decoded values and
 * throws {@link TransportError} MPST571 for a length over the limit and MPST570 for a body the
 * codec cannot decode. `pending` tells whether part of a frame is buffered (truncation,
 * slow-loris).
 */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private size = 0;

  constructor(
    private readonly maxFrameBytes = DEFAULT_MAX_FRAME_BYTES,
    private readonly codec: FrameCodec = jsonCodec,
  ) {}

  get pending(): boolean {
    return this.size > 0;
  }

  push(data: Buffer): unknown[] {
    this.chunks.push(data);
    this.size += data.length;
    const out: unknown[] = [];
    let buf =
      this.chunks.length === 1 ? must(this.chunks[0]) : Buffer.concat(this.chunks, this.size);
    let off = 0;
    while (buf.length - off >= 4) {
      const len = buf.readUInt32BE(off);
      if (len > this.maxFrameBytes)
        throw new TransportError(
          'MPST571',
          `frame of ${len} bytes exceeds the limit of ${this.maxFrameBytes}`,
        );
      if (buf.length - off - 4 < len) break;
      out.push(decodeWith(this.codec, buf.subarray(off + 4, off + 4 + len)));
      off += 4 + len;
    }
    buf = off === 0 ? buf : buf.subarray(off);
    this.chunks = buf.length > 0 ? [buf] : [];
    this.size = buf.length;
    return out;
  }
}

const isStr = (v: unknown): v is string => typeof v === 'string';

/** The fields of a `msg` frame, which goes both ways. */
const isMessage = (f: Record<string, unknown>): boolean =>
  isStr(f['from']) &&
  isStr(f['to']) &&
  isStr(f['label']) &&
  Array.isArray(f['payload']) &&
  typeof f['id'] === 'number' &&
  isStr(f['text']);

/** Checks a decoded value is a client frame (the hub trusts nothing). */
export function asClientFrame(v: unknown): ClientFrame {
  const f = v as Record<string, unknown> | null;
  if (typeof f === 'object' && f !== null && isStr(f['session'])) {
    if (
      f['t'] === 'join' &&
      isStr(f['protocol']) &&
      isStr(f['role']) &&
      (f['mac'] === undefined || isStr(f['mac']))
    )
      return f as unknown as ClientFrame;
    if (f['t'] === 'msg' && isMessage(f)) return f as unknown as ClientFrame;
    if (f['t'] === 'leave' && isStr(f['role'])) return f as unknown as ClientFrame;
  }
  throw new TransportError('MPST570', 'not a known frame');
}

/** Checks a decoded value is a server frame (a client trusts the hub only as far as shapes go). */
export function asServerFrame(v: unknown): ServerFrame {
  const f = v as Record<string, unknown> | null;
  if (typeof f === 'object' && f !== null && isStr(f['t'])) {
    const t = f['t'];
    if (t === 'hello' && isStr(f['nonce'])) return f as unknown as ServerFrame;
    if (t === 'error' && isStr(f['code']) && isStr(f['message']))
      return f as unknown as ServerFrame;
    if (isStr(f['session'])) {
      if (t === 'joined' || t === 'start') return f as unknown as ServerFrame;
      if (t === 'msg' && isMessage(f)) return f as unknown as ServerFrame;
      if (t === 'down' && isStr(f['peer']) && (f['reason'] === 'crashed' || f['reason'] === 'link'))
        return f as unknown as ServerFrame;
      if (t === 'abort' && isStr(f['reason'])) return f as unknown as ServerFrame;
    }
  }
  throw new TransportError('MPST570', 'not a known frame');
}
