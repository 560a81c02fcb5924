/** Helpers shared by the workspace-level tests in tools/test. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The repository root (tools/test/ is two levels down). */
export const workspaceRoot = path.resolve(import.meta.dirname, '..', '..');

/** The fields of a package.json these tests look at. */
export interface PackageJson {
  name: string;
  version: string;
  private?: boolean;
  bin?: string | Record<string, string>;
  exports?: string | Record<string, unknown>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  nx?: { tags?: string[] };
}

export interface WorkspacePackage {
  /** Directory relative to the root, e.g. `packages/scribble`. */
  dir: string;
  /** Absolute directory. */
  absDir: string;
  json: PackageJson;
}

/** Every workspace package under `groups` (default: the root package.json's workspace folders). */
export function workspacePackages(
  groups: readonly string[] = ['packages', 'apps', 'tutorials'],
): WorkspacePackage[] {
  const out: WorkspacePackage[] = [];
  for (const group of groups) {
    const groupDir = path.join(workspaceRoot, group);
    if (!existsSync(groupDir)) continue;
    for (const entry of readdirSync(groupDir, { withFileTypes: true })) {
      const absDir = path.join(groupDir, entry.name);
      const file = path.join(absDir, 'package.json');
      if (!entry.isDirectory() || !existsSync(file)) continue;
      out.push({
        dir: `${group}/${entry.name}`,
        absDir,
        json: JSON.parse(readFileSync(file, 'utf8')) as PackageJson,
      });
    }
  }
  return out.sort((a, b) => a.dir.localeCompare(b.dir));
}

/**
 * The environment for a child `npm`: the parent's, minus the `npm_*` variables that `npm run`
 * sets (npm_config_local_prefix and friends would point the child back at this workspace).
 */
export function cleanNpmEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.toLowerCase().startsWith('npm_')) env[key] = value;
  }
  return env;
}
