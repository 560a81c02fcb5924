/**
 * A small JSON Schema (draft 2020-12) validator for the schemas the packages publish, for
 * tests: exactly the keywords below. A schema that uses any other keyword is refused (nothing
 * is silently ignored).
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = Readonly<Record<string, Json>>;

/** Annotations: accepted, not checked. */
export const ANNOTATIONS: ReadonlySet<string> = new Set(['$schema', 'title', 'description']);
/** The keywords {@link validate} implements. */
export const KEYWORDS: ReadonlySet<string> = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'enum',
  'minimum',
  'oneOf',
  '$ref',
  '$defs',
]);

export const isObject = (v: Json | undefined): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every schema object in the document (the root, `$defs`, `properties`, `items`, `oneOf`). */
export function subschemas(s: JsonObject): JsonObject[] {
  const out: JsonObject[] = [s];
  for (const group of [s['properties'], s['$defs']])
    if (isObject(group))
      for (const v of Object.values(group)) if (isObject(v)) out.push(...subschemas(v));
  const items = s['items'];
  if (isObject(items)) out.push(...subschemas(items));
  const oneOf = s['oneOf'];
  if (Array.isArray(oneOf)) for (const v of oneOf) if (isObject(v)) out.push(...subschemas(v));
  return out;
}

function typeOk(type: Json, v: Json): boolean {
  switch (type) {
    case 'object':
      return isObject(v);
    case 'array':
      return Array.isArray(v);
    case 'string':
      return typeof v === 'string';
    case 'boolean':
      return typeof v === 'boolean';
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    default:
      throw new Error(`unsupported type ${JSON.stringify(type)}`);
  }
}

/** Validation errors of `v` against the document `root` (empty when valid), with JSON paths. */
export function validate(root: JsonObject, v: Json): string[] {
  const resolve = (ref: string): JsonObject => {
    const m = /^#\/\$defs\/([A-Za-z]+)$/.exec(ref);
    const defs = root['$defs'];
    const target = m?.[1] !== undefined && isObject(defs) ? defs[m[1]] : undefined;
    if (!isObject(target)) throw new Error(`unsupported or dangling $ref ${ref}`);
    return target;
  };
  const go = (s: JsonObject, x: Json, path: string): string[] => {
    const errors: string[] = [];
    for (const key of Object.keys(s))
      if (!KEYWORDS.has(key) && !ANNOTATIONS.has(key))
        throw new Error(`the validator does not implement '${key}'`);
    const ref = s['$ref'];
    if (typeof ref === 'string') errors.push(...go(resolve(ref), x, path));
    const type = s['type'];
    if (type !== undefined && !typeOk(type, x))
      return [...errors, `${path}: expected ${JSON.stringify(type)}, got ${JSON.stringify(x)}`];
    const en = s['enum'];
    if (Array.isArray(en) && !en.includes(x))
      errors.push(`${path}: ${JSON.stringify(x)} is not one of ${JSON.stringify(en)}`);
    const min = s['minimum'];
    if (typeof min === 'number' && typeof x === 'number' && x < min)
      errors.push(`${path}: ${String(x)} < ${String(min)}`);
    const oneOf = s['oneOf'];
    if (Array.isArray(oneOf)) {
      const passing = oneOf.filter((b) => isObject(b) && go(b, x, path).length === 0).length;
      if (passing !== 1)
        errors.push(`${path}: matches ${String(passing)} of the oneOf branches, not exactly 1`);
    }
    const items = s['items'];
    if (isObject(items) && Array.isArray(x))
      x.forEach((y, i) => errors.push(...go(items, y, `${path}[${String(i)}]`)));
    if (isObject(x)) {
      const props = isObject(s['properties']) ? s['properties'] : {};
      const required = s['required'];
      if (Array.isArray(required))
        for (const r of required)
          if (typeof r === 'string' && !(r in x)) errors.push(`${path}: missing '${r}'`);
      for (const [k, y] of Object.entries(x)) {
        const p = props[k];
        if (isObject(p)) errors.push(...go(p, y, `${path}.${k}`));
        else if (s['additionalProperties'] === false) errors.push(`${path}: unexpected '${k}'`);
      }
    }
    return errors;
  };
  return go(root, v, '$');
}
