/**
 * Payload types: how a type name written in a protocol (`Int`, `Ballot`, `a.b.Data`) becomes a
 * TypeScript type and a run-time check (the JSON validator the runtime applies to every
 * payload it sends or receives).
 */
import type { Program } from '@mpst/scribble';
import { identifier, quote } from './identifiers.js';

/** A payload type resolved to TypeScript. */
export interface TsType {
  /** The type as written in the generated module (`number`, `Ballot`). */
  readonly text: string;
  /**
   * The check as a TypeScript expression of type `(value: unknown) => boolean`. Types whose
   * shape codegen cannot know (imported TypeScript types) accept any JSON value; the comment
   * in `note` says so in the generated code.
   */
  readonly check: string;
  readonly note?: string;
  /** `import type { name as alias } from 'from'` that the type needs. */
  readonly importFrom?: { readonly name: string; readonly alias: string; readonly from: string };
}

/** Built-in names, as the runtime also reads them (ARCHITECTURE.md, "Generated code ↔ runtime"). */
const BUILTIN: Readonly<Record<string, string>> = {
  Int: 'number',
  int: 'number',
  number: 'number',
  String: 'string',
  string: 'string',
  Bool: 'boolean',
  bool: 'boolean',
  boolean: 'boolean',
};

/** Java types of `type <java> "..." from "rt.jar" as T;` declarations whose JSON form is plain. */
const JAVA: Readonly<Record<string, string>> = {
  'java.lang.Integer': 'number',
  'java.lang.Long': 'number',
  'java.lang.Short': 'number',
  'java.lang.Byte': 'number',
  'java.lang.Double': 'number',
  'java.lang.Float': 'number',
  'java.lang.String': 'string',
  'java.lang.Character': 'string',
  'java.lang.Boolean': 'boolean',
  int: 'number',
  long: 'number',
  double: 'number',
  float: 'number',
  boolean: 'boolean',
};

/**
 * The names above whose values are integers: their check is the runtime's own for `Int` (a safe
 * integer), not any number, so a generated endpoint refuses to send `1.5` or `NaN` as an `Int`.
 */
const INTEGERS = new Set([
  'Int',
  'int',
  'long',
  'java.lang.Integer',
  'java.lang.Long',
  'java.lang.Short',
  'java.lang.Byte',
]);

const INTEGER: TsType = {
  text: 'number',
  check: '(value: unknown): boolean => Number.isSafeInteger(value)',
};

/**
 * The type names every generated module declares or imports itself (emit.ts): an imported
 * payload type is never aliased to one of them (`as Step` is imported as `Step_`).
 */
const MODULE_TYPES = new Set([
  'Step',
  'Next',
  'Then',
  'End',
  'RawStep',
  'Handler',
  'ReceiveTable',
  'CrashReason',
  'Endpoint',
  'EndpointSpec',
  'Received',
  'LinearityError',
]);

/** Where a payload type's mapping comes from, for {@link TypeResolver}. */
export interface TypeSources {
  /** Options / `mpst.config.json` `types`: protocol type name → TypeScript type text. Wins over everything. */
  readonly config?: Readonly<Record<string, string>>;
}

/**
 * Resolves the payload type names of one program. Order: the configured mapping, then the
 * program's `type <ts> "T" from "M" as N;` declarations (`builtin` or an empty source: the
 * text `T` itself; else `import type { T as N } from 'M'`), then `type <java>` declarations of
 * the plain `java.lang` types, then the built-in names. Anything else is unmapped (undefined):
 * the caller reports it (MPST500), never `unknown`.
 */
export class TypeResolver {
  readonly #config: Readonly<Record<string, string>>;
  readonly #declared = new Map<string, { schema: string; external: string; source: string }>();

  constructor(program: Program | undefined, sources: TypeSources = {}) {
    this.#config = sources.config ?? {};
    for (const m of program?.modules ?? []) {
      for (const d of m.module.nonProtocolDecls) {
        if (d.kind !== 'DataDecl') continue;
        const entry = {
          schema: d.schema.text,
          external: d.externalName.value,
          source: d.source.value,
        };
        // Both the simple alias and the module-qualified name (`a.b.Data`) may be written.
        if (!this.#declared.has(d.alias.text)) this.#declared.set(d.alias.text, entry);
        this.#declared.set(`${m.name}.${d.alias.text}`, entry);
      }
    }
  }

  /** The TypeScript type of payload type `name`, or undefined when nothing maps it. */
  resolve(name: string): TsType | undefined {
    const configured = own(this.#config, name);
    if (configured !== undefined) return fromText(configured);
    const decl = this.#declared.get(name);
    if (decl?.schema === 'ts') {
      if (decl.source === '' || decl.source === 'builtin') return fromText(decl.external);
      const simple = identifier(name.split('.').pop() ?? name);
      const alias = MODULE_TYPES.has(simple) ? `${simple}_` : simple;
      return {
        text: alias,
        check: '(_value: unknown): boolean => true',
        note: `${decl.external} from ${decl.source}: its shape is not known here, any JSON value is accepted`,
        importFrom: { name: decl.external, alias, from: decl.source },
      };
    }
    if (decl?.schema === 'java') {
      const ts = own(JAVA, decl.external);
      if (ts === undefined) return undefined;
      return INTEGERS.has(decl.external) ? INTEGER : fromText(ts);
    }
    if (decl) return undefined;
    const builtin = own(BUILTIN, name);
    if (builtin === undefined) return undefined;
    return INTEGERS.has(name) ? INTEGER : fromText(builtin);
  }
}

/**
 * `table[key]` when `table` itself has it: protocol type names are free text (nuScr), and
 * `toString` or `constructor` must not find Object.prototype's functions.
 */
function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** A TypeScript type text with the check derived from it. */
export function fromText(text: string): TsType {
  const check = checkOf(text.trim());
  return check === undefined
    ? {
        text,
        check: '(_value: unknown): boolean => true',
        note: `\`${text}\` has no generated check: any JSON value is accepted`,
      }
    : { text, check: `(value: unknown): boolean => ${check('value')}` };
}

type Check = (v: string) => string;

/**
 * A check for the TypeScript types whose JSON form codegen can test: primitives, literals,
 * `null`, arrays of those and unions of those. Undefined for anything else.
 */
function checkOf(text: string): Check | undefined {
  const parts = splitTopLevel(text, '|');
  if (parts.length > 1) {
    const checks: Check[] = [];
    for (const p of parts) {
      const c = checkOf(p.trim());
      if (!c) return undefined;
      checks.push(c);
    }
    return (v) => `(${checks.map((c) => c(v)).join(' || ')})`;
  }
  // Finite, as the runtime's `number`: JSON carries NaN and Infinity as null.
  if (text === 'number') return (v) => `Number.isFinite(${v})`;
  if (text === 'string') return (v) => `typeof ${v} === 'string'`;
  if (text === 'boolean') return (v) => `typeof ${v} === 'boolean'`;
  if (text === 'null') return (v) => `${v} === null`;
  if (/^-?\d+(\.\d+)?$/.test(text) || text === 'true' || text === 'false')
    return (v) => `${v} === ${text}`;
  const str = /^'([^'\\]*)'$|^"([^"\\]*)"$/.exec(text);
  if (str) return (v) => `${v} === ${quote(str[1] ?? str[2] ?? '')}`;
  const array = /^(?:readonly\s+)?(.+)\[\]$/.exec(text);
  if (array?.[1] !== undefined) {
    const inner = checkOf(array[1].replace(/^\((.*)\)$/, '$1').trim());
    if (!inner) return undefined;
    return (v) => `(Array.isArray(${v}) && ${v}.every((x: unknown) => ${inner('x')}))`;
  }
  const paren = /^\((.*)\)$/.exec(text);
  if (paren?.[1] !== undefined) return checkOf(paren[1].trim());
  return undefined;
}

/** Splits on `sep` outside brackets, parentheses and quotes. */
function splitTopLevel(text: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoteChar = '';
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoteChar !== '') {
      if (c === quoteChar) quoteChar = '';
    } else if (c === "'" || c === '"') quoteChar = c;
    else if (c === '(' || c === '[' || c === '<' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '>' || c === '}') depth--;
    else if (c === sep && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out;
}
