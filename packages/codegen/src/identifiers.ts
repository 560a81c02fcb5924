/**
 * TypeScript identifiers from protocol names: labels, roles, payload names and recursion labels
 * may be TypeScript keywords, start with a digit (nuScr) or hold punctuation (the invitation
 * labels of nested-protocol calls), so every name that becomes an identifier goes through here.
 */

/** Words that cannot be a binding name (parameters); property keys may still use them. */
const RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends ' +
    'false finally for function if import in instanceof new null return super switch this throw ' +
    'true try typeof var void while with yield let static implements interface package private ' +
    'protected public await arguments eval'
  ).split(' '),
);

/** `text` as an identifier: runs of other characters become `_`; a leading digit gets `_`. */
export function identifier(text: string): string {
  const words = text.replace(/[^A-Za-z0-9_$]+/g, '_').replace(/^_+|_+$/g, '');
  if (words === '') return '_';
  return /^[0-9]/.test(words) ? `_${words}` : words;
}

/** Like {@link identifier}, and never a reserved word, so it can name a parameter. */
export function bindingName(text: string): string {
  const id = identifier(text);
  return RESERVED.has(id) ? `${id}_` : id;
}

/**
 * Hands out names unique within one scope: the first request for `base` gets `base`, later
 * ones `base_2`, `base_3`, ... (names given to `reserve` are never handed out).
 */
export class NameScope {
  readonly #used = new Set<string>();

  constructor(reserved: Iterable<string> = []) {
    for (const r of reserved) this.#used.add(r);
  }

  /** Whether `name` was handed out or reserved. */
  has(name: string): boolean {
    return this.#used.has(name);
  }

  take(base: string): string {
    let name = base;
    for (let n = 2; this.#used.has(name); n++) name = `${base}_${String(n)}`;
    this.#used.add(name);
    return name;
  }
}

/** A string as a single-quoted TypeScript literal. */
export function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

/**
 * A property key: bare when it is an identifier, else quoted. `__proto__`, bare or quoted, sets
 * an object literal's prototype instead of a property, so it is a computed key.
 */
export function propertyKey(text: string): string {
  if (text === '__proto__') return `[${quote(text)}]`;
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(text) ? text : quote(text);
}
