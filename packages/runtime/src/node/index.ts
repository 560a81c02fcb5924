/// <reference types="node" />
/**
 * `@mpst/runtime/node`: transports between processes — a hub that roles connect to over TCP
 * (length-prefixed frames) or WebSocket, with role authentication and crash detection. Frames
 * are JSON unless a {@link FrameCodec} replaces it on both sides.
 */
export {
  Hub,
  joinMac,
  type ConnHandler,
  type HubConn,
  type HubOptions,
  type SessionDefinition,
} from './hub.js';
export { HubClient, type ClientConn, type JoinOptions } from './client.js';
export {
  connectTcp,
  listenTcp,
  type ConnectOptions,
  type Listening,
  type ListenOptions,
} from './tcp.js';
export { connectWs, listenWs, type WsConnectOptions } from './ws.js';
export {
  DEFAULT_MAX_FRAME_BYTES,
  encodeFrame,
  FrameDecoder,
  jsonCodec,
  type ClientFrame,
  type FrameCodec,
  type ServerFrame,
} from './frames.js';
