/**
 * Fixture + snapshot tests: every file in fixtures/ is checked and formatted; the rendered
 * diagnostics and the formatted text are compared with `<file>.expected.txt` beside it.
 * Files named `_error_*` must be rejected, all others accepted. Update with `vitest -u`.
 */
import { checkFiles, format, parse, renderDiagnostics, type ModuleHost } from '@mpst/scribble';
import { nodeHost } from '@mpst/scribble/node';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';

const FIXTURES = join(import.meta.dirname, 'fixtures');

/** Reads fixture files by paths relative to fixtures/, so snapshots hold no machine paths. */
const host: ModuleHost = { readFile: (p) => nodeHost.readFile(join(FIXTURES, p)) };

function fixtureFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return fixtureFiles(full);
    return /\.(scr|nuscr)$/.test(name) ? [relative(FIXTURES, full)] : [];
  });
}

/** Strips spans (and the file) so that trees of different texts can be compared. */
export function shape(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (k, v: unknown) =>
      k === 'span' || k === 'file' || k === 'start' || k === 'end'
        ? undefined
        : k === 'default' && v
          ? true
          : v,
    ),
  );
}

describe('fixtures', () => {
  for (const rel of fixtureFiles(FIXTURES).sort()) {
    test(rel, async () => {
      const importRoot = rel.startsWith('imports/') ? ['imports'] : ['.'];
      const { program, diagnostics } = checkFiles([rel], host, { importPaths: importRoot });
      const sources = new Map(program.modules.map((m) => [m.path, m.module.file]));
      const rendered = renderDiagnostics(diagnostics, { source: (f) => sources.get(f) });
      const root = program.modules[0];
      if (!root) throw new Error(`fixture ${rel} did not load`);
      const syntaxOk = !parse(root.module.file).diagnostics.some((d) => d.severity === 'error');
      const formatted = syntaxOk
        ? format(root.module)
        : '(not formatted: the file has syntax errors)\n';
      const errors = diagnostics.filter((d) => d.severity === 'error');
      if (/(^|\/)_error_/.test(rel)) expect(errors.length).toBeGreaterThan(0);
      else expect(errors).toEqual([]);
      for (const d of diagnostics) {
        expect(d.code).toMatch(/^MPST\d{3}$/);
        expect(d.span.line).toBeGreaterThanOrEqual(1);
      }
      if (syntaxOk) {
        // Round trip: the formatted text parses to the same tree, and formatting is idempotent.
        const again = parse(formatted, rel);
        expect(again.diagnostics).toEqual([]);
        expect(
          shape({ ...again.module, comments: again.module.comments.map((c) => c.text.trim()) }),
        ).toEqual(
          shape({ ...root.module, comments: root.module.comments.map((c) => c.text.trim()) }),
        );
        expect(format(again.module)).toBe(formatted);
      }
      await expect(
        `== diagnostics\n${rendered || '(none)\n'}== format\n${formatted}`,
      ).toMatchFileSnapshot(join(FIXTURES, `${rel}.expected.txt`));
    });
  }
});
