/**
 * The app's pure parts, in Node: step discovery on the tutorial's real files (and its errors),
 * safe Markdown, and what the page and the worker compute for each step's protocol.
 */
import { describe, expect, test } from 'vitest';
import { analyzeText } from '../src/analysis.js';
import { escapeHtml, renderMarkdown } from '../src/markdown.js';
import { discoverSteps, frontMatter, resolvePath } from '../src/steps.js';
import { verifyText } from '../src/verification.js';
import { tutorialFiles } from './site.js';

const discovery = discoverSteps(tutorialFiles());

describe('steps', () => {
  test('the tutorial folder yields its steps in order, without problems', () => {
    expect(discovery.problems).toEqual([]);
    const steps = discovery.steps.filter((s) => s.kind === 'step');
    expect(steps.map((s) => [s.number, s.id, s.protocolPath])).toEqual([
      [1, '01-one-acceptor', 'tutorials/paxos/steps/01-one-acceptor/OneAcceptor.scr'],
      [2, '02-phase-one', 'tutorials/paxos/steps/02-phase-one/PhaseOne.scr'],
      [3, '03-phase-two', 'tutorials/paxos/steps/03-phase-two/PhaseTwo.scr'],
      [4, '04-single-decree', 'tutorials/paxos/steps/04-single-decree/SingleDecree.scr'],
      [5, '05-two-proposers', 'tutorials/paxos/steps/05-two-proposers/TwoProposers.scr'],
      [6, '06-unreliable-network', 'tutorials/paxos/steps/06-unreliable-network/TwoProposers.scr'],
      [7, '07-failures', 'tutorials/paxos/steps/07-failures/TwoProposers.scr'],
      [8, '08-break-it', 'tutorials/paxos/steps/08-break-it/Crossed.scr'],
      [9, '09-for-real', 'tutorials/paxos/steps/06-unreliable-network/TwoProposers.scr'],
    ]);
    for (const s of discovery.steps) {
      expect(s.title).not.toMatch(/^\d/);
      expect(s.prose).not.toMatch(/^---/);
      expect(s.prose).not.toContain(`# ${s.title}`);
    }
  });

  test('every example folder is discovered after the steps, as `examples/<name>`', () => {
    const examples = Object.keys(tutorialFiles())
      .flatMap((f) => /^tutorials\/examples\/([^/]+)\/README\.md$/.exec(f)?.[1] ?? [])
      .sort();
    const found = discovery.steps.filter((s) => s.kind === 'example');
    expect(found.map((s) => s.id)).toEqual(examples.map((e) => `examples/${e}`));
    expect(found.map((s) => s.number)).toEqual(examples.map((_, i) => i + 1));
    // After every step.
    expect(discovery.steps.findIndex((s) => s.kind === 'example')).toBe(
      found.length > 0 ? discovery.steps.length - found.length : -1,
    );
    const d = discoverSteps({
      't/examples/two-buyer/README.md': '# Two buyers',
      't/examples/two-buyer/TwoBuyer.scr': 'module TwoBuyer;',
      't/steps/01-a/README.md': '# A',
      't/steps/01-a/A.scr': 'module A;',
    });
    expect(d.steps.map((s) => [s.kind, s.number, s.id, s.dir, s.protocolFile])).toEqual([
      ['step', 1, '01-a', 't/steps/01-a', 'A.scr'],
      ['example', 1, 'examples/two-buyer', 't/examples/two-buyer', 'TwoBuyer.scr'],
    ]);
  });

  test('a .scr file in the step folder is its protocol; problems are reported, not thrown', () => {
    const d = discoverSteps({
      't/steps/02-b/README.md': '# B\ntext',
      't/steps/02-b/B.scr': 'module B;',
      't/steps/01-a/README.md': 'no title',
      't/steps/01-a/A.scr': 'module A;',
      't/steps/03-c/README.md': '# C',
      't/steps/04-d/A.scr': '',
      't/steps/05-e/README.md': '---\nprotocol: ../../p/Missing.scr\n---\n# E',
      't/steps/06-f/README.md': '# F',
      't/steps/06-f/X.scr': '',
      't/steps/06-f/Y.scr': '',
    });
    expect(d.steps.map((s) => [s.number, s.id, s.title, s.protocolFile, s.prose])).toEqual([
      [1, '01-a', '01-a', 'A.scr', 'no title'],
      [2, '02-b', 'B', 'B.scr', 'text'],
    ]);
    expect(d.problems).toEqual([
      't/steps/01-a/README.md: no `# ` title',
      't/steps/03-c: no .scr file and no `protocol:` line in README.md',
      't/steps/04-d: no README.md',
      't/steps/05-e/README.md: protocol t/p/Missing.scr not found',
      't/steps/06-f: several .scr files (t/steps/06-f/X.scr, t/steps/06-f/Y.scr): keep one per step',
    ]);
  });

  test('front matter and relative paths', () => {
    expect(frontMatter('---\nprotocol: a/b.scr\nx:  y \n---\n# T')).toEqual({
      meta: { protocol: 'a/b.scr', x: 'y' },
      body: '# T',
    });
    expect(frontMatter('# no front matter')).toEqual({ meta: {}, body: '# no front matter' });
    expect(resolvePath('tutorials/paxos/steps/01-a', '../../protocols/P.scr')).toBe(
      'tutorials/paxos/protocols/P.scr',
    );
  });
});

describe('markdown', () => {
  test('renders prose, code and safe links', () => {
    expect(renderMarkdown('## What\n\nA `do` call, **bold**, [docs](../docs/x.md).')).toBe(
      '<h2>What</h2>\n<p>A <code>do</code> call, <strong>bold</strong>, <a href="../docs/x.md">docs</a>.</p>\n',
    );
    expect(renderMarkdown('[site](https://example.org/a?b=1&c=2)')).toBe(
      '<p><a href="https://example.org/a?b=1&#38;c=2" rel="noopener noreferrer" target="_blank">site</a></p>\n',
    );
  });

  test.each([
    ['<script>alert(1)</script>', '<script'],
    ['<img src=x onerror=alert(1)>', '<img'],
    ['text <b onclick="x()">bold</b>', '<b'],
    ['<div>\nblock\n</div>', '<div'],
    ['[x](javascript:alert(1))', 'href'],
    ['[x](JaVaScRiPt:alert(1))', 'href'],
    ['[x](&#106;avascript:alert(1))', 'href'],
    ['[x](data:text/html,<script>alert(1)</script>)', 'href'],
    ['[x](vbscript:msgbox)', 'href'],
    ['![alt](https://tracker.example/pixel.png)', '<img'],
    ['<javascript:alert(1)>', 'href'],
  ])('no raw HTML or unsafe URL gets through: %s', (md, forbidden) => {
    expect(renderMarkdown(md)).not.toContain(forbidden);
  });

  test('escapeHtml', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
      '&#60;a href=&#34;x&#34;&#62;&#39;&#38;&#39;&#60;/a&#62;',
    );
  });
});

describe('what the page and the worker compute', () => {
  test.each(discovery.steps.map((s) => [s.id, s] as const))(
    '%s: no diagnostics, a sequence diagram and a state machine per role, verified',
    (_id, step) => {
      const a = analyzeText(step.protocolFile, step.protocol);
      expect(a.diagnostics).toEqual([]);
      expect(a.protocols).toHaveLength(1);
      const [p] = a.protocols;
      expect(p?.sequence).toMatch(/^sequenceDiagram/m);
      expect(p?.states).toHaveLength(p?.roles.length ?? -1);
      for (const s of p?.states ?? []) expect(s).toMatch(/^stateDiagram-v2/m);
      const v = verifyText(step.protocolFile, step.protocol);
      expect(v.verified).toBe(true);
      expect(v.diagnostics).toEqual([]);
      expect(v.protocols.map((x) => x.verdict)).toEqual(['verified']);
      expect(v.protocols[0]?.states).toBeGreaterThan(1);
    },
  );

  test('an error: positioned diagnostics, no diagrams, nothing verified', () => {
    const a = analyzeText(
      'P.scr',
      'module P;\nglobal protocol P(role A, role B) {\n  m() from A to C;\n}\n',
    );
    expect(
      a.diagnostics.map((d) => `${String(d.span.line)}:${String(d.span.column)} ${d.code}`),
    ).toEqual(['2:32 MPST110', '3:17 MPST101']);
    expect(a.protocols).toEqual([]);
    expect(verifyText('P.scr', 'module P;\nglobal protocol P(role A) {}\n').verified).toBe(false);
  });

  test('a deadlock: the verifier diagnostic and the counterexample as a sequence diagram', () => {
    const text = [
      'module D;',
      'global protocol D(role A, role B) {',
      '  choice at A { go() from A to B; x() from B to A; y() from A to B; }',
      '  or { go() from A to B; y() from A to B; x() from B to A; }',
      '}',
    ].join('\n');
    const v = verifyText('D.scr', text);
    expect(v.protocols.map((p) => p.verdict)).toEqual(['violation']);
    expect(v.diagnostics.map((d) => d.code)).toEqual(['MPST302']);
    expect(v.protocols[0]?.counterexample?.message).toMatch(/^deadlock: /);
    expect(v.protocols[0]?.counterexample?.sequence).toMatch(/^sequenceDiagram/m);
  });
});
