/** Loading fixture protocols for the snapshot tests. */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { analyzeFiles, type ProtocolResult } from '@mpst/projector';
import { nodeHost } from '@mpst/scribble/node';
import { expect } from 'vitest';

/** The fixtures folder of one diagram kind: `test/fixtures/<kind>`. */
export function fixtureDir(kind: string): string {
  return path.join(import.meta.dirname, 'fixtures', kind);
}

/** The protocol files (`.scr`, `.nuscr`) under a folder, relative to it, sorted. */
export function protocolFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.scr') || f.endsWith('.nuscr'))
    .sort();
}

/** Analyses a fixture file (its folder is the import root), which must have no errors. */
export function analyzeFixture(file: string, protocol?: string): ProtocolResult[] {
  const r = analyzeFiles([file], nodeHost, {
    importPaths: [path.dirname(file)],
    ...(protocol !== undefined ? { protocol } : {}),
  });
  expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([]);
  expect(r.protocols.length).toBeGreaterThan(0);
  return [...r.protocols];
}

/** `dir/Name.scr` → `dir/Name` (where the expected `.mmd` files go). */
export function stem(file: string): string {
  return file.replace(/\.(scr|nuscr)$/, '');
}
