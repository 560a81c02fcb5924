export type * from './api.js';
export { ALL_PROPERTIES } from './api.js';
export {
  verifySystem,
  checkVerifyOptions,
  DEFAULT_MAX_STATES,
  DEFAULT_QUEUE_LIMIT,
  type SystemSpec,
} from './verify.js';
export {
  verifyProtocol,
  verifyFiles,
  verifyAnalysed,
  verifiable,
  SCRIBBLE_JAVA_MODEL,
  SCRIBBLE_JAVA_MAX_STATES,
  type FileVerification,
  type VerifiableProtocol,
} from './files.js';
export { verificationDiagnostics, violationCode } from './diagnostics.js';
export { renderResult, renderTrace, renderViolation, type RenderOptions } from './render.js';
