/** The hash table of configurations (table.ts) against a Map of strings, on random encodings. */
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { ConfigTable } from '../src/table.js';

test('ids in order of insertion, each encoding found again, copies independent', () => {
  fc.assert(
    fc.property(
      fc.array(fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 12 }), {
        maxLength: 3000,
      }),
      (encodings) => {
        const table = new ConfigTable();
        const map = new Map<string, number>();
        let copy: ConfigTable | undefined;
        let copied = 0;
        for (const e of encodings) {
          const codes = Uint16Array.from(e);
          const key = e.join(',');
          const id = table.find(codes, codes.length);
          expect(id).toBe(map.get(key) ?? -1);
          if (id < 0) map.set(key, table.add());
          if (map.size === 1000 && !copy) {
            copy = new ConfigTable(table);
            copied = map.size;
          }
        }
        expect(table.size).toBe(map.size);
        for (const [key, id] of map) {
          const codes = Uint16Array.from(key === '' ? [] : key.split(',').map(Number));
          expect(table.find(codes, codes.length)).toBe(id);
          // The copy knows what was found before it was made, and nothing after.
          if (copy) expect(copy.find(codes, codes.length)).toBe(id < copied ? id : -1);
        }
      },
    ),
    { numRuns: 30, seed: 20261206 },
  );
});

test('truncated to k configurations: those found again with their ids, the others added anew', () => {
  fc.assert(
    fc.property(
      fc.uniqueArray(fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 8 }), {
        maxLength: 2000,
        selector: (e) => e.join(','),
      }),
      fc.nat(),
      (encodings, cut) => {
        const table = new ConfigTable();
        const codes = encodings.map((e) => Uint16Array.from(e));
        for (const c of codes) {
          expect(table.find(c, c.length)).toBe(-1);
          table.add();
        }
        const k = encodings.length === 0 ? 0 : cut % (encodings.length + 1);
        table.truncate(k);
        expect(table.size).toBe(k);
        codes.forEach((c, id) => expect(table.find(c, c.length)).toBe(id < k ? id : -1));
        // The dropped ones are added again, in another order, with new ids from k on.
        const again = codes.slice(k).reverse();
        again.forEach((c, j) => {
          expect(table.find(c, c.length)).toBe(-1);
          expect(table.add()).toBe(k + j);
        });
        again.forEach((c, j) => expect(table.find(c, c.length)).toBe(k + j));
      },
    ),
    { numRuns: 30, seed: 20261206 },
  );
});
