export * from './source.js';
export * from './diagnostics.js';
export * from './lexer.js';
export type * from './ast.js';
export { RESERVED_WORDS } from './ast.js';
export * from './parser.js';
export * from './program.js';
export * from './check.js';
