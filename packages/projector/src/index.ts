export * from './global.js';
export * from './local.js';
export * from './efsm.js';
export * from './api.js';
export { elaborate, qualifiedProtocolName } from './elaborate.js';
export { project, showAction, type ProjectOptions } from './project.js';
export { buildEfsm, efsmToDot } from './efsm-build.js';
export { printGlobal, printLocal } from './print.js';
export { localTypeToJson, type LocalNodeJson, type LocalTypeJson } from './local-json.js';
export { actionDirection, isInput, isOutput, type ActionDirection } from './direction.js';
export {
  analyzeFiles,
  analyzeProgram,
  analyzeText,
  type AnalyzeTextOptions,
  matchProtocols,
  localProtocolJson,
  printLocalProtocol,
  protocolEntries,
  type ProtocolEntry,
} from './analyze.js';
