export type * from './api.js';
export { verifySystem, DEFAULT_MAX_STATES } from './verify.js';
export { verifyProtocol, verifyFiles, type FileVerification } from './files.js';
export { renderResult, renderTrace, renderViolation, traceToMermaid } from './render.js';
