/**
 * The layering rule, checked on package.json files (eslint's @nx/enforce-module-boundaries checks
 * imports; this checks declared dependencies, and that every package is tagged as documented).
 * The table is the one in eslint.config.js and CONTRIBUTING.md.
 */
import { describe, expect, test } from 'vitest';
import { workspacePackages, type WorkspacePackage } from './workspace.js';

/** The documented layer of each planned package. apps/* and tutorials/* are layer 4. */
const LAYER_OF: Readonly<Record<string, number>> = {
  '@mpst/scribble': 0,
  '@mpst/projector': 1,
  '@mpst/verify': 2,
  // Layer 3, not 2: verify (layer 2) judges its output.
  '@mpst/crash-refactor': 3,
  '@mpst/mermaid': 3,
  '@mpst/codegen': 3,
  '@mpst/runtime': 2,
  '@mpst/cli': 4,
};
const TOP_LAYER = 4;

function layerTags(pkg: WorkspacePackage): string[] {
  return (pkg.json.nx?.tags ?? []).filter((t) => t.startsWith('layer:'));
}

function layerOf(pkg: WorkspacePackage): number | undefined {
  const [tag] = layerTags(pkg);
  return tag === undefined ? undefined : Number(tag.slice('layer:'.length));
}

const packages = workspacePackages();
const byName = new Map(packages.map((p) => [p.json.name, p]));

describe('layering', () => {
  test('@mpst/scribble is a workspace package', () => {
    expect(byName.has('@mpst/scribble')).toBe(true);
  });

  test.each(packages.map((p) => [p.dir, p] as const))(
    '%s has exactly one layer:N tag, as documented',
    (_dir, pkg) => {
      const tags = layerTags(pkg);
      expect(tags, `${pkg.dir}/package.json needs "nx": { "tags": ["layer:N"] }`).toHaveLength(1);
      const layer = layerOf(pkg);
      const documented =
        LAYER_OF[pkg.json.name] ?? (pkg.dir.startsWith('packages/') ? undefined : TOP_LAYER);
      expect(
        documented,
        `${pkg.json.name} is not in the layer table (eslint.config.js, CONTRIBUTING.md, this file)`,
      ).toBeDefined();
      expect(layer).toBe(documented);
    },
  );

  test.each(packages.map((p) => [p.dir, p] as const))(
    '%s depends only on strictly lower layers',
    (_dir, pkg) => {
      const layer = layerOf(pkg) ?? -1;
      const deps = {
        ...pkg.json.dependencies,
        ...pkg.json.devDependencies,
        ...pkg.json.peerDependencies,
        ...pkg.json.optionalDependencies,
      };
      const violations = Object.keys(deps)
        .filter((name) => byName.has(name))
        .map((name) => ({ name, layer: layerOf(byName.get(name)!) ?? Infinity }))
        .filter((dep) => dep.layer >= layer)
        .map((dep) => `${dep.name} (layer ${String(dep.layer)})`);
      expect(violations, `${pkg.json.name} is layer ${String(layer)}`).toEqual([]);
    },
  );

  test('published @mpst packages share one version (changesets "fixed" group)', () => {
    const versions = new Set(
      packages.filter((p) => p.json.private !== true).map((p) => p.json.version),
    );
    expect([...versions]).toHaveLength(1);
  });
});
