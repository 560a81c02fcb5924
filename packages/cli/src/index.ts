export { main } from './main.js';
export { EXIT, UsageError, type CliIo, type FileHost } from './io.js';
export { processIo } from './node-io.js';
export { VERSION } from './version.js';
