/**
 * The layering rule, checked on package.json files (eslint's @nx/enforce-module-boundaries checks
 * imports; this checks declared dependencies). A package's layer is written in one place only,
 * its package.json tag `"nx": { "tags": ["layer:N"] }`: eslint.config.js builds its constraints
 * from the same tags, and CONTRIBUTING.md describes the rule, not a list.
 */
import { describe, expect, test } from 'vitest';
import { workspacePackages, type WorkspacePackage } from './workspace.js';

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
    '%s has exactly one layer:N tag',
    (_dir, pkg) => {
      const tags = layerTags(pkg);
      expect(tags, `${pkg.dir}/package.json needs "nx": { "tags": ["layer:N"] }`).toHaveLength(1);
      expect(tags[0]).toMatch(/^layer:(0|[1-9]\d*)$/);
    },
  );

  test('@mpst/scribble is the bottom layer; apps/ and tutorials/ are on the top one', () => {
    expect(layerOf(byName.get('@mpst/scribble')!)).toBe(0);
    const top = Math.max(...packages.map((p) => layerOf(p) ?? 0));
    const apps = packages.filter((p) => !p.dir.startsWith('packages/'));
    expect(apps.map((p) => [p.dir, layerOf(p)])).toEqual(apps.map((p) => [p.dir, top]));
  });

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
