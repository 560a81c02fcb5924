export {
  generate,
  type GenerateOptions,
  type GeneratedFile,
  type GenerateResult,
} from './generate.js';
export { TypeResolver, fromText, type TsType, type TypeSources } from './types.js';
export { CODEGEN_VERSION } from './version.js';
export { determinise, type Determinised } from './determinise.js';
