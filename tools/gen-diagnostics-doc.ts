/**
 * Regenerates docs/diagnostics.md from DIAGNOSTIC_CODES (run after adding a code):
 *   npm run docs:diagnostics
 * packages/scribble/test/docs.test.ts fails while the two disagree.
 */
import { DIAGNOSTIC_CODES } from '@mpst/scribble';
import { writeFileSync } from 'node:fs';

const header = `# Diagnostic codes

Every diagnostic has a stable code. Severity is per occurrence (a few checks are warnings in the
nuScr dialect). This table is checked against \`DIAGNOSTIC_CODES\` by a test; regenerate it with
\`npm run docs:diagnostics\`.

| code | meaning |
|---|---|
`;
const rows = Object.entries(DIAGNOSTIC_CODES).map(
  ([code, meaning]) => `| ${code} | ${meaning} |\n`,
);
writeFileSync(new URL('../docs/diagnostics.md', import.meta.url), header + rows.join(''));
console.log(`docs/diagnostics.md: ${String(rows.length)} codes`);
