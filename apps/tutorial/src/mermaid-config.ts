/**
 * A faster body for Mermaid's `getConfig()`, which vite.config.ts puts in place when the app
 * is built (see `mermaidFastConfig` there).
 *
 * Why: Mermaid's `getConfig()` returns `assignWithDepth({}, currentConfig)`, a fresh copy two
 * levels deep of its whole configuration (about 900 properties: every diagram type's settings
 * and the theme's 277 variables), and its diagrams call it for nearly every message, note,
 * state and label they parse or draw. `assignWithDepth` adds each property to the empty target
 * with `Object.defineProperty`; on the 2-proposer Paxos protocol that copying was about 45% of
 * the main thread's time per keystroke. Copying into a new object with spread syntax gives the
 * same object several times faster (test/assign-with-depth.test.ts compares the two, keys,
 * order, values, attributes and shared sub-objects, on random inputs and on Mermaid's own
 * configuration). Whatever spread would copy differently (symbol keys, arrays) goes to
 * Mermaid's own function.
 */

/** Mermaid's `assignWithDepth(dst, src, { depth })`. */
export type AssignWithDepth = (dst: unknown, src: unknown, options?: { depth?: number }) => unknown;

/** What `assignWithDepth({}, src)` (depth 2) returns, with `assign` as Mermaid's function. */
export function copyConfig(src: unknown, assign: AssignWithDepth): unknown {
  return copy(src, 2, assign);
}

/** `assign({}, src, { depth })` for `depth >= 1`, as a new object. */
function copy(src: unknown, depth: number, assign: AssignWithDepth): unknown {
  if (
    src === null ||
    typeof src !== 'object' ||
    Array.isArray(src) ||
    Object.getOwnPropertySymbols(src).length > 0
  )
    return assign({}, src, { depth });
  // Own enumerable string keys in the order Object.entries gives them, as data properties
  // that are writable, enumerable and configurable (`__proto__` included): what Mermaid's
  // defineProperty calls make.
  const out: Record<string, unknown> = { ...src };
  // for-in over the copy: its own keys (Object.prototype has no enumerable ones), read with
  // V8's enum cache, which is what makes this fast.
  for (const key in out) {
    const value = out[key];
    if (typeof value !== 'object') {
      // assignWithDepth does not store a non-object where the empty target already reads an
      // object: at the inherited `__proto__`.
      if (key === '__proto__') Reflect.deleteProperty(out, key);
      continue;
    }
    // assignWithDepth skips a null source value: the key is not in the copy.
    if (value === null) Reflect.deleteProperty(out, key);
    else if (Array.isArray(value)) out[key] = assign([], value, { depth: depth - 1 });
    // assignWithDepth({}, value, { depth: 0 }) is Object.assign({}, value).
    else out[key] = depth <= 1 ? Object.assign({}, value) : copy(value, depth - 1, assign);
  }
  return out;
}
