/** The Scribble tokenizer behind the editor's highlighting, line by line as CodeMirror runs it. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { StringStream } from '@codemirror/language';
import { parse, RESERVED_WORDS } from '@mpst/scribble';
import { describe, expect, test } from 'vitest';
import { startState, token } from '../src/scribble-language.js';
import { tutorialFiles } from './site.js';

/** `text` as `[tag, token]` pairs (whitespace and punctuation without a tag left out). */
function tokens(text: string): [string, string][] {
  const state = startState();
  const out: [string, string][] = [];
  for (const line of text.split('\n')) {
    const stream = new StringStream(line, 2, 2);
    while (!stream.eol()) {
      const tag = token(stream, state);
      if (tag) out.push([tag, stream.current()]);
      stream.start = stream.pos;
    }
  }
  return out;
}

describe('Scribble highlighting', () => {
  test('keywords, declared names, labels, roles, strings', () => {
    expect(tokens('type <ts> "number" from "builtin" as Ballot;')).toEqual([
      ['keyword', 'type'],
      ['variable', 'ts'],
      ['string', '"number"'],
      ['keyword', 'from'],
      ['string', '"builtin"'],
      ['keyword', 'as'],
      ['variable', 'Ballot'],
    ]);
    expect(tokens('aux global protocol Round(role P) { prepare(Ballot) from P to A; }')).toEqual([
      ['keyword', 'aux'],
      ['keyword', 'global'],
      ['keyword', 'protocol'],
      ['def', 'Round'],
      ['keyword', 'role'],
      ['variable', 'P'],
      ['property', 'prepare'],
      ['variable', 'Ballot'],
      ['keyword', 'from'],
      ['variable', 'P'],
      ['keyword', 'to'],
      ['variable', 'A'],
    ]);
  });

  test('statement keywords in a protocol body; a keyword used as a label is a label', () => {
    const body = tokens(
      'global protocol P(role A, role B) {\n' +
        'foreach A in A1, A2 { crash from A to B; done() from A to B; }\n}',
    );
    expect(body.slice(7, 22)).toEqual([
      ['keyword', 'foreach'],
      ['variable', 'A'],
      ['keyword', 'in'],
      ['variable', 'A1'],
      ['variable', 'A2'],
      ['keyword', 'crash'],
      ['keyword', 'from'],
      ['variable', 'A'],
      ['keyword', 'to'],
      ['variable', 'B'],
      ['property', 'done'],
      ['keyword', 'from'],
      ['variable', 'A'],
      ['keyword', 'to'],
      ['variable', 'B'],
    ]);
    expect(tokens('global protocol P(role A, role B) { default(Int) from A to B; }')[7]).toEqual([
      'property',
      'default',
    ]);
  });

  /** The words tagged `keyword` in `text`. */
  const keywords = (text: string): string[] =>
    tokens(text)
      .filter(([tag]) => tag === 'keyword')
      .map(([, w]) => w);

  test('keywords are decided by position, as the parser decides them (docs/language.md)', () => {
    const head = 'global protocol P(role A, role B) {\n';
    // `role from`: a role named `from`; `to` after `from` is a name too.
    expect(keywords('global protocol P(role from, role to) { m() from from to to; }')).toEqual([
      'global',
      'protocol',
      'role',
      'role',
      'from',
      'to',
    ]);
    // `data(Int) from M to S;` is a message `data`; `m(type)` has a payload type `type`.
    expect(tokens(`${head}data(Int) from A to B;\n}`)[7]).toEqual(['property', 'data']);
    expect(tokens(`${head}m(type) from A to B;\n}`).slice(7, 9)).toEqual([
      ['property', 'm'],
      ['variable', 'type'],
    ]);
    // `rec continue { … continue continue; }`: the label `continue`.
    expect(tokens(`${head}rec continue { m() from A to B; continue continue; }\n}`)).toEqual(
      expect.arrayContaining([
        ['keyword', 'rec'],
        ['variable', 'continue'],
      ]),
    );
    expect(keywords(`${head}rec continue { continue continue; }\n}`).slice(-2)).toEqual([
      'rec',
      'continue',
    ]);
    // `do from(A, B);` calls a protocol named `from`; `rec from A to B;` is a message `rec`.
    expect(keywords(`${head}do from(A, B);\n}`).slice(4)).toEqual(['do']);
    expect(keywords(`${head}rec from A to B;\n}`).slice(4)).toEqual(['from', 'to']);
    // `choice(Int) from A to B;` is a message; `choice at A {` a choice, `or` its branch.
    expect(keywords(`${head}choice(Int) from A to B;\n}`).slice(4)).toEqual(['from', 'to']);
    expect(
      keywords(`${head}choice at A { m() from A to B; } or default { n() from A to B; }\n}`).slice(
        4,
      ),
    ).toEqual(['choice', 'at', 'from', 'to', 'or', 'default', 'from', 'to']);
    // Declarations: `reliable role`, `type <ts> "T" from "M" as N;`, `import M as N;`.
    expect(keywords('global protocol P(reliable role A, role B) {}')).toEqual([
      'global',
      'protocol',
      'reliable',
      'role',
      'role',
    ]);
    expect(keywords('type <ts> "number" from "builtin" as from;')).toEqual(['type', 'from', 'as']);
    expect(keywords('import a.b as c;')).toEqual(['import', 'as']);
  });

  test('comments of every dialect, across lines and nested', () => {
    expect(tokens('// line\nmodule /* a\nb */ A')).toEqual([
      ['comment', '// line'],
      ['keyword', 'module'],
      ['comment', '/* a'],
      ['comment', 'b */'],
      ['variable', 'A'],
    ]);
    expect(tokens('(* a (* b *) c *) module (*) rest of line')).toEqual([
      ['comment', '(* a (* b *) c *)'],
      ['keyword', 'module'],
      ['comment', '(*) rest of line'],
    ]);
  });
});

/** Every word that is a keyword somewhere, in some dialect (docs/language.md). */
const KEYWORD_WORDS: ReadonlySet<string> = new Set([
  ...RESERVED_WORDS,
  ...['calls', 'false', 'len', 'not', 'true', 'crash', 'reliable', 'foreach', 'in', 'default'],
]);

/** Every `Name` node's start offset in the parser's AST of `text` (the positions of names). */
function nameStarts(text: string): Set<number> | undefined {
  const { module, diagnostics } = parse(text, 'x.scr');
  if (diagnostics.some((d) => d.severity === 'error')) return undefined;
  const starts = new Set<number>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const n = node as { kind?: unknown; span?: { start: number } };
      if (n.kind === 'Name' && n.span) starts.add(n.span.start);
      Object.values(node).forEach(walk);
    }
  };
  walk(module);
  return starts;
}

/** `text`'s words as the highlighter tags them, with their offsets. */
function taggedWords(text: string): { tag: string; word: string; at: number }[] {
  const state = startState();
  const out: { tag: string; word: string; at: number }[] = [];
  let offset = 0;
  for (const line of text.split('\n')) {
    const stream = new StringStream(line, 2, 2);
    while (!stream.eol()) {
      const tag = token(stream, state);
      if (tag && /^[A-Za-z_]/.test(stream.current()) && tag !== 'comment' && tag !== 'string')
        out.push({ tag, word: stream.current(), at: offset + stream.start });
      stream.start = stream.pos;
    }
    offset += line.length + 1;
  }
  return out;
}

describe('agreement with the parser', () => {
  const corpus = process.env['MPST_CORPUS'] ?? '/work/shared/corpus';
  const files = [
    ...Object.entries(tutorialFiles()).filter(([f]) => f.endsWith('.scr')),
    ...(existsSync(corpus)
      ? readdirSync(corpus, { recursive: true })
          .map(String)
          .filter((f) => /\.(?:scr|nuscr)$/.test(f))
          .map((f) => [f, readFileSync(path.join(corpus, f), 'utf8')] as const)
      : []),
  ];

  test('a word is a keyword exactly where the parser reads no name (tutorial and corpus files)', () => {
    const wrong: string[] = [];
    let checked = 0;
    for (const [file, text] of files) {
      const names = nameStarts(text);
      if (!names) continue;
      checked++;
      for (const { tag, word, at } of taggedWords(text)) {
        // Other words may be names the AST keeps elsewhere (refinement variables): skip them.
        if (!KEYWORD_WORDS.has(word)) continue;
        const isName = names.has(at);
        if ((tag === 'keyword') === isName)
          wrong.push(
            `${file}@${String(at)}: \`${word}\` is ${isName ? 'a name' : 'a keyword'}, tagged ${tag}`,
          );
      }
    }
    expect(checked).toBeGreaterThan(3);
    expect(wrong.slice(0, 20)).toEqual([]);
  });
});
