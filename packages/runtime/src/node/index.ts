/// <reference types="node" />
/**
 * `@mpst/runtime/node`: transports between processes — a hub that roles connect to over TCP
 * (length-prefixed JSON frames) or WebSocket, with role authentication and crash detection.
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
  type ClientFrame,
  type ServerFrame,
} from './frames.js';
