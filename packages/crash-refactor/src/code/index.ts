/**
 * `@mpst/crash-refactor/code`: carries role code written on the API `@mpst/codegen` generated
 * for a protocol over to the API of the refactored protocol (TypeScript compiler API; no Node
 * built-ins). Separate from the main entry so that protocol refactoring does not load the
 * TypeScript compiler.
 */
export { adaptRoleCode, type AdaptResult, type CodeChange, type TextFile } from './adapt.js';
export { correspondence, readApi, type ApiModel, type ApiState, type Edge } from './api.js';
export { unifiedDiff } from './diff.js';
