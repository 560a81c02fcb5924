import { checkFiles, checkText, memoryHost, joinPath } from '@mpst/scribble';
import { describe, expect, test } from 'vitest';

describe('program loading', () => {
  test('imports resolve under import paths; a missing module is reported at the import', () => {
    const host = memoryHost({
      'root/a/Main.scr':
        'module a.Main;\nimport b.Lib;\nimport c.Gone;\nglobal protocol M(role X, role Y) { do b.Lib.L(X, Y); }\n',
      'root/b/Lib.scr': 'module b.Lib;\nglobal protocol L(role P, role Q) { m() from P to Q; }\n',
    });
    const { program, diagnostics } = checkFiles(['root/a/Main.scr'], host);
    expect(program.modules.map((m) => m.name)).toEqual(['a.Main', 'b.Lib']);
    expect(diagnostics.map((d) => [d.code, d.span.line])).toEqual([['MPST121', 3]]);
  });

  test('memoryHost over a fallback: its own files first, the others from the fallback', () => {
    const disk = memoryHost({
      'root/a/Main.scr': 'module a.Main;\nglobal protocol Old(role X, role Y) { }\n',
      'root/b/Lib.scr': 'module b.Lib;\nglobal protocol L(role P, role Q) { m() from P to Q; }\n',
    });
    const host = memoryHost(
      {
        'root/a/Main.scr':
          'module a.Main;\nimport b.Lib;\nglobal protocol M(role X, role Y) { do b.Lib.L(X, Y); }\n',
      },
      disk,
    );
    expect(host.readFile('root/b/Lib.scr')).toBe(disk.readFile('root/b/Lib.scr'));
    expect(host.readFile('root/c/Gone.scr')).toBeUndefined();
    const { program, diagnostics } = checkFiles(['root/a/Main.scr'], host);
    expect(diagnostics).toEqual([]);
    expect(program.modules.map((m) => m.name)).toEqual(['a.Main', 'b.Lib']);
    expect(program.modules[0]?.module.protocols.map((p) => p.name.text)).toEqual(['M']);
  });

  test('import cycles are reported once', () => {
    const host = memoryHost({
      'a/A.scr':
        'module a.A;\nimport a.B;\nglobal protocol P(role X, role Y) { m() from X to Y; }\n',
      'a/B.scr':
        'module a.B;\nimport a.A;\nglobal protocol Q(role X, role Y) { m() from X to Y; }\n',
    });
    const { diagnostics } = checkFiles(['a/A.scr'], host, { importPaths: ['.'] });
    expect(diagnostics.filter((d) => d.code === 'MPST122')).toHaveLength(1);
  });

  test('unused roles follow `do` (a fixpoint): recursion alone uses nothing', () => {
    const { diagnostics } = checkText(
      'module T;\nglobal protocol T(role A, role B) { do T(A, B); }\n',
      'T.scr',
    );
    expect(diagnostics.map((d) => d.code)).toEqual(['MPST110']);
  });

  test('paths join without Node', () => {
    expect(joinPath('a/b', '../c', './d.scr')).toBe('a/c/d.scr');
    expect(joinPath('/x', 'y')).toBe('/x/y');
  });
});
