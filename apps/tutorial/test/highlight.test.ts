/** The Scribble tokenizer behind the editor's highlighting, line by line as CodeMirror runs it. */
import { StringStream } from '@codemirror/language';
import { describe, expect, test } from 'vitest';
import { startState, token } from '../src/scribble-language.js';

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

  test('contextual keywords, and a keyword used as a label is a label', () => {
    expect(tokens('foreach A in A1, A2 { crash from A to B; done() from A to B; }')).toEqual([
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
    expect(tokens('default(Int) from A to B;')[0]).toEqual(['property', 'default']);
  });

  test('comments of every dialect, across lines and nested', () => {
    expect(tokens('// line\nrole /* a\nb */ A')).toEqual([
      ['comment', '// line'],
      ['keyword', 'role'],
      ['comment', '/* a'],
      ['comment', 'b */'],
      ['variable', 'A'],
    ]);
    expect(tokens('(* a (* b *) c *) role (*) rest of line')).toEqual([
      ['comment', '(* a (* b *) c *)'],
      ['keyword', 'role'],
      ['comment', '(*) rest of line'],
    ]);
  });
});
