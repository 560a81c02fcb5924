/** This package's version, written into every generated header (a test keeps it equal to package.json). */
export const CODEGEN_VERSION = '0.1.0';
