export * from './types.js';
export * from './errors.js';
export {
  BUILTIN_TYPES,
  compileSpec,
  messageText,
  payloadTypeName,
  type CompiledSpec,
} from './spec.js';
export { Tracer, mergeTraces, parseRunTrace, runTraceToJson } from './trace.js';
export { SessionEndpoint, type Activity, type EndpointOptions, type Wire } from './endpoint.js';
