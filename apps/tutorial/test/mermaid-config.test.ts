/**
 * src/mermaid-config.ts against what the installed Mermaid's `getConfig()` does without the
 * build's change, `assignWithDepth({}, config)`: on the same source both must return the same
 * copy and share the same sub-objects with the source — keys, key order, values, property
 * attributes and prototypes compared. The sources include keys that spread syntax or an
 * assignment could treat differently (`__proto__`, `constructor`, `toString`, a symbol, an
 * integer), arrays with repeated elements, nulls and functions at every depth; and Mermaid's
 * own configuration.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { beforeAll, describe, expect, test } from 'vitest';
import { copyConfig, type AssignWithDepth } from '../src/mermaid-config.js';
import { repoRoot } from './site.js';

interface MermaidConfigModule {
  assignWithDepth_default: AssignWithDepth;
  getConfig: () => Record<string, unknown>;
  setSiteConfig: (c: Record<string, unknown>) => unknown;
}

/** The chunk of Mermaid's ESM build that defines assignWithDepth (its file name is a hash). */
async function mermaidConfigModule(): Promise<MermaidConfigModule> {
  const dir = path.join(repoRoot, 'node_modules', 'mermaid', 'dist', 'chunks', 'mermaid.core');
  const file = readdirSync(dir).find(
    (f) =>
      f.endsWith('.mjs') &&
      readFileSync(path.join(dir, f), 'utf8').includes('var assignWithDepth = '),
  );
  if (!file)
    throw new Error(`no assignWithDepth in ${dir}: see mermaidFastConfig in vite.config.ts`);
  return (await import(pathToFileURL(path.join(dir, file)).href)) as MermaidConfigModule;
}

const FN = (): number => 1;
const SYMBOL = Symbol('s');
/** Keys of the generated objects; `@@symbol` stands for {@link SYMBOL}. */
const KEYS = ['a', 'b', 'sequence', '__proto__', 'constructor', 'toString', '0', '@@symbol'];

/** A description of an input, built afresh for each run; the string `fn` stands for {@link FN}. */
type Shape = null | undefined | boolean | number | string | Shape[] | ShapeObject;
interface ShapeObject {
  [key: string]: Shape;
}

const shape: fc.Arbitrary<Shape> = fc.letrec<{ v: Shape }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom<Shape>(null, undefined, true, false, 0, 1, 'x', '', 'fn'),
    fc.array(tie('v'), { maxLength: 4 }),
    fc.array(fc.tuple(fc.constantFrom(...KEYS), tie('v')), { maxLength: 5 }).map((entries) => {
      const o: ShapeObject = {};
      for (const [k, v] of entries)
        Object.defineProperty(o, k, {
          value: v,
          writable: true,
          enumerable: true,
          configurable: true,
        });
      return o;
    }),
  ),
})).v;

function build(s: Shape): unknown {
  if (s === 'fn') return FN;
  if (Array.isArray(s)) return s.map(build);
  if (s !== null && typeof s === 'object') {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(s))
      Object.defineProperty(o, k === '@@symbol' ? SYMBOL : k, {
        value: build(s[k]),
        writable: true,
        enumerable: true,
        configurable: true,
      });
    return o;
  }
  return s;
}

/** Every object reachable from `root`, by path (first path wins). */
function paths(root: unknown, name: string, into = new Map<object, string>()): Map<object, string> {
  if (root === null || typeof root !== 'object' || into.has(root)) return into;
  into.set(root, name);
  for (const k of Reflect.ownKeys(root))
    paths((root as Record<string | symbol, unknown>)[k], `${name}.${String(k)}`, into);
  return into;
}

/** `x` as plain data: own keys in order with their attributes, prototypes, and identities. */
function describeValue(x: unknown, known: Map<object, string>, seen = new Set<object>()): unknown {
  if (x === FN) return 'FN';
  if (typeof x === 'function') return 'other function';
  if (x === null || typeof x !== 'object') return x === undefined ? 'undefined' : x;
  const proto = Object.getPrototypeOf(x) as unknown;
  const kind =
    proto === Object.prototype ? 'object' : proto === Array.prototype ? 'array' : 'other proto';
  if (seen.has(x)) return `cycle ${known.get(x) ?? '?'}`;
  seen.add(x);
  return {
    kind,
    is: known.get(x) ?? 'new',
    props: Reflect.ownKeys(x).map((k) => {
      const d = Object.getOwnPropertyDescriptor(x, k);
      return [
        String(k),
        d?.writable,
        d?.enumerable,
        d?.configurable,
        describeValue(d?.value, known, seen),
      ];
    }),
  };
}

/** Copies a fresh `src` with `copy` and describes the copy. */
function outcome(copy: (src: unknown) => unknown, src: Shape): unknown {
  const s = build(src);
  return describeValue(copy(s), paths(s, 'src'));
}

describe("the build's getConfig copies Mermaid's configuration as Mermaid does", () => {
  let mermaid: MermaidConfigModule;
  beforeAll(async () => {
    mermaid = await mermaidConfigModule();
  });

  test('on random sources', () => {
    const assign = (): AssignWithDepth => mermaid.assignWithDepth_default;
    fc.assert(
      fc.property(shape, (src) => {
        expect(outcome((x) => copyConfig(x, assign()), src)).toEqual(
          outcome((x) => assign()({}, x), src),
        );
      }),
      { numRuns: 5000 },
    );
  });

  test("on Mermaid's own configuration", () => {
    mermaid.setSiteConfig({ theme: 'neutral', securityLevel: 'strict', fontFamily: 'system-ui' });
    const config = mermaid.getConfig();
    const known = paths(config, 'config');
    const mine = describeValue(copyConfig(config, mermaid.assignWithDepth_default), known);
    expect(mine).toEqual(describeValue(mermaid.assignWithDepth_default({}, config), known));
    // It compared the real thing: dozens of sections, hundreds of settings, copied anew.
    expect(Object.keys(config).length).toBeGreaterThan(40);
    expect(mine).toMatchObject({ is: 'new' });
  });
});
