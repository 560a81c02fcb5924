/**
 * Escaping (REFERENCE.md §7): text never carries a character Mermaid's lexers treat
 * specially, ids are never keywords. Checked on hand-picked cases and on every role, label
 * and type name of the corpora (render.test.ts also draws them all in a browser).
 */
import { describe, expect, test } from 'vitest';
import {
  escapeAlias,
  escapeStateText,
  escapeText,
  identifier,
  participantIds,
} from '@mpst/mermaid';
import { corpusRoot, missingCorpusNotice } from '../../../tools/corpus.js';
import { corpusNames } from './corpus-names.js';

/** Undoes the entity codes, to check that escaping loses nothing. */
const decode = (s: string): string =>
  s.replace(/#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));
/** The text with its entity codes removed: what Mermaid's lexer sees. */
const raw = (s: string): string => s.replace(/#\d+;/g, '');

describe('hand-picked cases', () => {
  test('statement and comment characters become entity codes', () => {
    expect(escapeText('a;b #c 100%')).toBe('a#59;b #35;c 100#37;');
    expect(escapeText('List<Int> & x > 0')).toBe('List#60;Int#62; #38; x #62; 0');
    expect(escapeText('x: Int{x > 0}, Proto@Role')).toBe('x: Int{x #62; 0}, Proto@Role');
  });

  test('aliases also escape the characters that end a participant name', () => {
    expect(escapeAlias('x: Int, y@z')).toBe('x#58; Int#44; y#64;z');
  });

  test('state labels also escape colons and quotes', () => {
    expect(escapeStateText('A::b "c"')).toBe('A#58;#58;b #34;c#34;');
  });

  test('line breaks become spaces', () => {
    expect(escapeText('a\nb\r\nc')).toBe('a b c');
  });

  test('ids: prefixed words, or prefix + index for other names', () => {
    expect(identifier('r', 'end', 0)).toBe('r_end');
    expect(identifier('r', '1st', 3)).toBe('r_1st');
    expect(identifier('r', 'a.b-c', 7)).toBe('r7_abc');
    expect([...participantIds(['a.b', 'a_b', 'ab', 'a-b']).values()]).toEqual([
      'r0_ab',
      'r_a_b',
      'r_ab',
      'r3_ab',
    ]);
  });
});

const root = corpusRoot();
if (!root) console.warn(missingCorpusNotice('mermaid escaping'));

describe.skipIf(!root)('every name of the corpora', () => {
  const names = root ? corpusNames(root) : [];

  test('2,022 distinct names, awkward ones among them', () => {
    expect(names.length).toBe(2022);
    expect(names.some((n) => /^\d/.test(n))).toBe(true);
    expect(names.some((n) => /[:{}<>@ ]/.test(n))).toBe(true);
  });

  test('escaped text has no special character left, and decodes back to the name', () => {
    for (const n of names) {
      expect(raw(escapeText(n)), n).not.toMatch(/[;#%<>&\n]/);
      expect(raw(escapeAlias(n)), n).not.toMatch(/[;#%<>&:,@\n]/);
      expect(raw(escapeStateText(n)), n).not.toMatch(/[;#%<>&:"\n]/);
      expect(decode(escapeText(n)), n).toBe(n.replace(/\r\n?|\n/g, ' '));
    }
  });

  test('participant ids are distinct words that are no Mermaid keyword', () => {
    const ids = [...participantIds(names).values()];
    expect(new Set(ids).size).toBe(names.length);
    for (const id of ids) expect(id).toMatch(/^r\d*_[A-Za-z0-9_]*$/);
  });
});
