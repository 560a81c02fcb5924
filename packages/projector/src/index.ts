export * from './global.js';
export * from './local.js';
export * from './efsm.js';
export * from './api.js';
export { elaborate, qualifiedProtocolName } from './elaborate.js';
export { project, showAction, type ProjectOptions } from './project.js';
export { buildEfsm, efsmToDot } from './efsm-build.js';
export { printGlobal, printLocal } from './print.js';
export {
  analyzeFiles,
  analyzeProgram,
  analyzeText,
  type AnalyzeTextOptions,
  matchProtocols,
  printLocalProtocol,
  protocolEntries,
  type ProtocolEntry,
} from './analyze.js';
