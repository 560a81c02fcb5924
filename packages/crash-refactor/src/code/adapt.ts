import { makeDiagnostic, SourceFile, type Diagnostic, type DiagnosticCode } from '@mpst/scribble';
import ts from 'typescript';
import { applyEdits } from '../options.js';
import type { SourceEdit } from '../types.js';
import {
  correspondence,
  END_VALUE,
  readApi,
  type ApiModel,
  type ApiState,
  type Edge,
} from './api.js';

/** A file by name and text (nothing here reads files: the caller does, or a browser holds them). */
export interface TextFile {
  readonly fileName: string;
  readonly text: string;
}

/** One change the adaptation made, for the report. */
export interface CodeChange {
  readonly kind: 'rename' | 'handler' | 'defaults';
  /** 1-based line of the change in the original code. */
  readonly line: number;
  readonly description: string;
  /** For a rename: the old and the new name. */
  readonly renamed?: { readonly from: string; readonly to: string };
}

export interface AdaptResult {
  /** The adapted code; the original text when there are errors (nothing half-adapted). */
  readonly text: string;
  readonly changes: readonly CodeChange[];
  /** MPST410–MPST415, positioned in the role code (or the API module for MPST410). */
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Rewrites role code written on `before` (the module `@mpst/codegen` generated for one role of
 * the reliable protocol) so that it compiles against `after` (the same role's module for the
 * refactored protocol). Only insertions and renames: every statement, comment and handler body
 * of the user stays as written.
 *
 * - A state whose name changed is renamed at every `X.Name` (value or type) of the namespace
 *   import of the module; states are matched by walking both machines from their start.
 * - `X.S.handle(h)` where the new state requires keys `h` lacks: each missing handler (`crash`,
 *   `crash_from_P`, a new notification label) is added with a continuation chosen by rule (see
 *   {@link continuation}), and a missing `defaults` with the zero value of each payload type.
 *   An object literal gets the properties; any other expression becomes `{ ...h, key: ... }`.
 * - Where no rule applies the result is refused with a positioned MPST41x error.
 */
export function adaptRoleCode(code: TextFile, before: TextFile, after: TextFile): AdaptResult {
  const errors: Diagnostic[] = [];
  const apiError = (f: TextFile, message: string): AdaptResult => ({
    text: code.text,
    changes: [],
    diagnostics: [diag(f, 'MPST410', message, { start: 0, end: 0 })],
  });
  const old = readApi(before.fileName, before.text);
  if (typeof old === 'string') return apiError(before, old);
  const neu = readApi(after.fileName, after.text);
  if (typeof neu === 'string') return apiError(after, neu);
  const sf = ts.createSourceFile(code.fileName, code.text, ts.ScriptTarget.ES2022, true);
  const imported = apiImports(sf, before.fileName);
  // `P: typeof X` (a parameter or variable): role code shared by roles of the same shape.
  const namespaces = [...imported, ...aliases(sf, imported)];
  if (imported.length === 0)
    return {
      text: code.text,
      changes: [],
      diagnostics: [
        diag(
          code,
          'MPST410',
          `${code.fileName} does not import ${moduleBase(before.fileName)} as a namespace ` +
            `(\`import * as X from './${moduleBase(before.fileName)}.js'\`): nothing to adapt`,
          { start: 0, end: 0 },
        ),
      ],
    };
  const ctx: Ctx = {
    code,
    sf,
    old,
    neu,
    map: correspondence(old, neu),
    edits: [],
    changes: [],
    errors,
    namespaces,
    typedHandlerNames: handlerVariables(sf, namespaces),
  };
  const visit = (node: ts.Node): void => {
    const ref = stateRef(node, namespaces);
    if (ref) adaptRef(ctx, ref);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  if (errors.length > 0) return { text: code.text, changes: [], diagnostics: errors };
  return { text: applyEdits(code.text, ctx.edits), changes: ctx.changes, diagnostics: [] };
}

interface Ctx {
  readonly code: TextFile;
  readonly sf: ts.SourceFile;
  readonly old: ApiModel;
  readonly neu: ApiModel;
  /** Old state name → new state name. */
  readonly map: ReadonlyMap<string, string>;
  readonly edits: SourceEdit[];
  readonly changes: CodeChange[];
  readonly errors: Diagnostic[];
  /** The module's namespace imports and their `typeof` aliases. */
  readonly namespaces: readonly string[];
  /** Variables declared `: X.S_Handlers = { ... }`: adapted at the literal, not at `.handle`. */
  readonly typedHandlerNames: ReadonlySet<string>;
}

/** `X.Name` (value) or `X.Name` (type) where `X` is a namespace import of the module. */
interface Ref {
  readonly ns: string;
  readonly name: ts.Identifier;
  /** The whole `X.Name` node. */
  readonly node: ts.Node;
  readonly isType: boolean;
}

function stateRef(node: ts.Node, namespaces: readonly string[]): Ref | undefined {
  if (
    ts.isPropertyAccessExpression(node) &&
    ts.isIdentifier(node.expression) &&
    namespaces.includes(node.expression.text) &&
    ts.isIdentifier(node.name)
  )
    return { ns: node.expression.text, name: node.name, node, isType: false };
  if (ts.isQualifiedName(node) && ts.isIdentifier(node.left) && namespaces.includes(node.left.text))
    return { ns: node.left.text, name: node.right, node, isType: true };
  return undefined;
}

function adaptRef(ctx: Ctx, ref: Ref): void {
  const written = ref.name.text;
  const handlersSuffix = written.endsWith('_Handlers') ? '_Handlers' : '';
  const stateName =
    written === END_VALUE
      ? 'End'
      : handlersSuffix
        ? written.slice(0, -handlersSuffix.length)
        : written;
  if (!ctx.old.states.has(stateName)) return; // `spec`, `run`, `Next`, `CrashReason`, ...
  const mapped = ctx.map.get(stateName);
  if (mapped === undefined || !ctx.neu.states.has(mapped)) {
    ctx.errors.push(
      diagAt(
        ctx,
        'MPST411',
        `\`${ref.ns}.${written}\`: state ${stateName} of the old API has no single counterpart ` +
          `in the refactored one (its path from the start changed): adapt this use by hand`,
        ref.name,
      ),
    );
    return;
  }
  if (mapped !== stateName && written !== END_VALUE) {
    const renamed = `${mapped}${handlersSuffix}`;
    ctx.edits.push({ start: ref.name.getStart(), end: ref.name.getEnd(), text: renamed });
    ctx.changes.push({
      kind: 'rename',
      line: lineOf(ctx, ref.name),
      description: `${ref.ns}.${written} → ${ref.ns}.${renamed} (the state's name in the new API)`,
      renamed: { from: written, to: renamed },
    });
  }
  if (ref.isType && !handlersSuffix) return;
  const a = ctx.old.states.get(stateName);
  const b = ctx.neu.states.get(mapped);
  if (a?.kind !== 'receive' || b?.kind !== 'receive') return;
  const missing = b.handlers.filter((h) => !a.handlers.some((x) => x.key === h.key));
  const gone = a.handlers.filter((h) => !b.handlers.some((x) => x.key === h.key));
  const newDefaults = b.defaults.filter((d) => !a.defaults.some((x) => x.key === d.key));
  if (missing.length === 0 && gone.length === 0 && newDefaults.length === 0) return;
  const delta = { missing, gone, newDefaults, hadDefaults: a.defaults.length > 0 };
  // `const h: X.S_Handlers = { ... }`: the handlers are written there; `.handle(h)` is left be.
  const typed = handlersSuffix ? typedHandlers(ref) : undefined;
  const call = handlersSuffix ? typed : handleCall(ref);
  const adapted =
    call && ts.isIdentifier(call) && ctx.typedHandlerNames.has(call.text) ? undefined : call;
  if (typed === undefined && call === undefined) {
    ctx.errors.push(
      diagAt(
        ctx,
        'MPST414',
        `state ${mapped} now needs ${needs(missing, newDefaults)}, but \`${ref.ns}.${written}\` is ` +
          'used here other than as `.handle(...)` or the type of a handlers object literal: ' +
          'add them where its handlers are written',
        ref.node,
      ),
    );
    return;
  }
  if (adapted) adaptHandle(ctx, ref, b, adapted, delta);
}

/** `const h: X.S_Handlers = { ... }` around a `_Handlers` type reference: the literal. */
function typedHandlers(ref: Ref): ts.ObjectLiteralExpression | undefined {
  const t = ref.node.parent;
  const d = t.parent;
  return ts.isTypeReferenceNode(t) &&
    ts.isVariableDeclaration(d) &&
    d.type === t &&
    d.initializer &&
    ts.isObjectLiteralExpression(d.initializer)
    ? d.initializer
    : undefined;
}

/** Names of variables declared `: X.S_Handlers` with an object literal (adapted there). */
function handlerVariables(sf: ts.SourceFile, namespaces: readonly string[]): Set<string> {
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (
      ts.isVariableDeclaration(node) &&
      ts.isIdentifier(node.name) &&
      node.type &&
      ts.isTypeReferenceNode(node.type) &&
      ts.isQualifiedName(node.type.typeName) &&
      ts.isIdentifier(node.type.typeName.left) &&
      namespaces.includes(node.type.typeName.left.text) &&
      node.type.typeName.right.text.endsWith('_Handlers') &&
      node.initializer &&
      ts.isObjectLiteralExpression(node.initializer)
    )
      names.add(node.name.text);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return names;
}

/** The generated doc of a handler, as the head of its comment: `\`B\` crashed (or ...)`. */
function handlerDoc(doc: string): string {
  return doc.replace(/:? go on with \w+\.?$/, '').replace(/^Received /, 'new message ');
}

/** What a state gains and loses from the old API to the new. */
interface Delta {
  readonly missing: readonly Edge[];
  readonly gone: readonly Edge[];
  readonly newDefaults: readonly Edge[];
  readonly hadDefaults: boolean;
}

function needs(missing: readonly Edge[], defaults: readonly Edge[]): string {
  const keys = missing.map((m) => `\`${m.key}\``);
  if (defaults.length > 0) keys.push('`defaults`');
  return keys.join(', ');
}

/** `X.S.handle(arg)` around the reference, with its argument. */
function handleCall(ref: Ref): ts.Expression | undefined {
  const access = ref.node.parent;
  if (
    !ts.isPropertyAccessExpression(access) ||
    access.name.text !== 'handle' ||
    !ts.isCallExpression(access.parent) ||
    access.parent.expression !== access
  )
    return undefined;
  return access.parent.arguments.length === 1 ? access.parent.arguments[0] : undefined;
}

function adaptHandle(
  ctx: Ctx,
  ref: Ref,
  state: ApiState & { kind: 'receive' },
  arg: ts.Expression,
  { missing, gone, newDefaults, hadDefaults }: Delta,
): void {
  const literal = ts.isObjectLiteralExpression(arg) ? arg : undefined;
  for (const g of gone) {
    const p = literal?.properties.find((x) => x.name?.getText() === g.key);
    if (p)
      ctx.errors.push(
        diagAt(
          ctx,
          'MPST415',
          `state ${state.name} no longer has a \`${g.key}\` handler in the refactored API; ` +
            'removing it would drop your code: move or delete it by hand',
          p,
        ),
      );
  }
  const props: { key: string; text: string; comment: string; kind: CodeChange['kind'] }[] = [];
  for (const m of missing) {
    const body = m.target === undefined ? undefined : continuation(ctx, ref, m.target, arg);
    if (body === undefined) {
      ctx.errors.push(
        diagAt(
          ctx,
          'MPST412',
          `state ${state.name} now needs a \`${m.key}\` handler going on with ${m.target ?? '?'}, ` +
            `and no rule gives that step here (${why(ctx, m.target)}): write the handler by hand`,
          ref.node,
        ),
      );
      continue;
    }
    props.push({
      key: m.key,
      text: `${m.key}: () => ${body.text}`,
      comment: `mpst refactor: ${handlerDoc(m.doc)}: ${body.rule}`,
      kind: 'handler',
    });
  }
  if (newDefaults.length > 0) {
    if (hadDefaults) {
      ctx.errors.push(
        diagAt(
          ctx,
          'MPST414',
          `state ${state.name} has new \`defaults\` entries (${newDefaults.map((d) => d.key).join(', ')}): ` +
            'add them to the existing `defaults` by hand',
          ref.node,
        ),
      );
      return;
    }
    const entries: string[] = [];
    for (const d of newDefaults) {
      const zeros = d.payload.map(zeroOf);
      const bad = zeros.findIndex((z) => z === undefined);
      if (bad >= 0) {
        ctx.errors.push(
          diagAt(
            ctx,
            'MPST413',
            `state ${state.name} needs a default payload for \`${d.key}\`, and no rule gives a value ` +
              `of type \`${d.payload[bad]?.getText() ?? '?'}\`: write \`defaults\` by hand`,
            ref.node,
          ),
        );
        continue;
      }
      entries.push(`${d.key}: () => [${zeros.join(', ')}]`);
    }
    props.push({
      key: 'defaults',
      text: `defaults: { ${entries.join(', ')} }`,
      comment: `mpst refactor: a crashed sender or failed link counts as ${entries
        .map((e) => e.replace(/: \(\) => \[(.*)\]$/, '($1)'))
        .join(', ')}`,
      kind: 'defaults',
    });
  }
  if (props.length === 0) return;
  ctx.edits.push(...insertion(ctx, arg, literal, props));
  for (const p of props)
    ctx.changes.push({
      kind: p.kind,
      line: lineOf(ctx, ref.node),
      description: `${ref.ns}.${ref.name.text}${ref.isType ? '' : '.handle'}: added \`${p.text}\``,
    });
}

/** Why no continuation rule applies to `target` (for the error message): where the rules stop. */
function why(ctx: Ctx, target: string | undefined): string {
  let s = target === undefined ? undefined : ctx.neu.states.get(target);
  const path: string[] = [];
  while (s?.kind === 'send' && s.factories.length === 1 && s.factories[0]?.payload.length === 0) {
    path.push(`${s.factories[0].key}()`);
    s = ctx.neu.states.get(s.factories[0].target ?? '');
  }
  const after = path.length > 0 ? `after sending ${path.join(', ')}, ` : '';
  if (!s) return `${after}an unknown state`;
  if (s.kind === 'receive')
    return `${after}${s.name} receives, and no step of it is named in scope`;
  if (s.kind === 'send')
    return s.factories.length > 1
      ? `${after}${s.name} chooses between ${s.factories.map((f) => f.key).join(', ')}`
      : `${after}${s.name} sends a payload, and no step of it is named in scope`;
  return `${after}the end`;
}

/**
 * The step a new handler returns, by the first rule that applies:
 * 1. the target is End → `X.end` (the plan's branch ends: abort-and-notify after the notices);
 * 2. the target sends exactly one message without payload (a crash notice the plan added) →
 *    that factory, recursively, then rule 1 or 3;
 * 3. a step of the target is named in scope (a `const` or a parameterless function annotated
 *    with the target's type, e.g. the loop a `continue` goes round, or a `const` made by the
 *    target's `handle`/factory, a parameter of that type) → that name.
 */
function continuation(
  ctx: Ctx,
  ref: Ref,
  target: string,
  at: ts.Node,
  depth = 0,
): { text: string; rule: string } | undefined {
  const s = ctx.neu.states.get(target);
  if (!s || depth > 16) return undefined;
  if (s.kind === 'end') return { text: `${ref.ns}.end`, rule: 'end' };
  const named = namedStep(ctx, target, at);
  if (named) return { text: named, rule: `go on with \`${named}\`` };
  if (s.kind === 'send' && s.factories.length === 1) {
    const f = s.factories[0];
    if (!f?.target || f.payload.length > 0) return undefined;
    const rest = continuation(ctx, ref, f.target, at, depth + 1);
    if (!rest) return undefined;
    return {
      text: `${ref.ns}.${target}.${f.key}(${rest.text})`,
      rule: `send \`${f.key}()\`, then ${rest.rule}`,
    };
  }
  return undefined;
}

/**
 * A name in scope at `at` whose declared type is the (old or new) step type of `target`:
 * `const loop: X.T = ...`, `const loop = (): X.T => ...`, `function loop(): X.T`.
 */
function namedStep(ctx: Ctx, target: string, at: ts.Node): string | undefined {
  // Written with any name of the module (`X.T`, or an alias's `P.T`), old or new state name.
  const names = [target, ...[...ctx.map].filter(([, n]) => n === target).map(([o]) => o)];
  const types = new Set(ctx.namespaces.flatMap((ns) => names.map((n) => `${ns}.${n}`)));
  let scope: ts.Node = at;
  while (!ts.isSourceFile(scope)) {
    scope = scope.parent;
    if (ts.isFunctionLike(scope))
      for (const p of scope.parameters)
        if (ts.isIdentifier(p.name) && p.type && isStepType(p.type, types)) return p.name.text;
    const statements = ts.isBlock(scope) || ts.isSourceFile(scope) ? scope.statements : undefined;
    for (const s of statements ?? []) {
      const name = stepName(s, types);
      // Also the declaration the handler is in: handlers run later, when `name` is defined.
      if (name !== undefined) return name;
    }
  }
  return undefined;
}

/** `X.T`, or `() => X.T` (a function making the step is a `Next` too). */
function isStepType(t: ts.TypeNode, types: ReadonlySet<string>): boolean {
  if (ts.isFunctionTypeNode(t)) return t.parameters.length === 0 && types.has(t.type.getText());
  return types.has(t.getText());
}

function stepName(s: ts.Statement, types: ReadonlySet<string>): string | undefined {
  if (ts.isFunctionDeclaration(s) && s.name && s.parameters.length === 0 && s.type)
    return types.has(s.type.getText()) ? s.name.text : undefined;
  if (!ts.isVariableStatement(s)) return undefined;
  for (const d of s.declarationList.declarations) {
    if (!ts.isIdentifier(d.name)) continue;
    if (d.type && isStepType(d.type, types)) return d.name.text;
    // `const next = X.T.handle({...})` or `X.T.label(...)`: the step's state is written there.
    const init = d.initializer;
    if (
      init &&
      ts.isCallExpression(init) &&
      ts.isPropertyAccessExpression(init.expression) &&
      types.has(init.expression.expression.getText())
    )
      return d.name.text;
    const f = d.initializer;
    if (f && (ts.isArrowFunction(f) || ts.isFunctionExpression(f)) && f.parameters.length === 0)
      if (f.type && types.has(f.type.getText())) return d.name.text;
  }
  return undefined;
}

/** The zero value of a payload type as written: `0`, `''`, `false`, `[]`, a literal. */
function zeroOf(t: ts.TypeNode): string | undefined {
  switch (t.kind) {
    case ts.SyntaxKind.NumberKeyword:
      return '0';
    case ts.SyntaxKind.StringKeyword:
      return "''";
    case ts.SyntaxKind.BooleanKeyword:
      return 'false';
    case ts.SyntaxKind.ArrayType:
      return '[]';
    default:
  }
  if (ts.isLiteralTypeNode(t)) return t.literal.getText();
  if (ts.isParenthesizedTypeNode(t)) return zeroOf(t.type);
  if (ts.isTypeOperatorNode(t) && t.operator === ts.SyntaxKind.ReadonlyKeyword)
    return zeroOf(t.type);
  if (ts.isUnionTypeNode(t)) {
    for (const m of t.types) {
      const z = zeroOf(m);
      if (z !== undefined) return z;
    }
  }
  return undefined;
}

/**
 * The edit adding `props` to the handlers `arg`: into an object literal after its last property
 * (one per line, with a comment, when the literal spans lines), else `{ ...arg, props }`.
 */
function insertion(
  ctx: Ctx,
  arg: ts.Expression,
  literal: ts.ObjectLiteralExpression | undefined,
  props: readonly { text: string; comment: string }[],
): SourceEdit[] {
  const text = ctx.code.text;
  if (!literal) {
    // Two insertions, not a replacement: renames inside `arg` are edits of their own.
    const inner = props.map((p) => p.text).join(', ');
    return [
      { start: arg.getStart(), end: arg.getStart(), text: '{ ...' },
      { start: arg.getEnd(), end: arg.getEnd(), text: `, ${inner} }` },
    ];
  }
  const last = literal.properties[literal.properties.length - 1];
  const multiLine = text.slice(literal.getStart(), literal.getEnd()).includes('\n');
  if (!last) {
    const at = literal.getStart() + 1;
    return [{ start: at, end: at, text: ` ${props.map((p) => p.text).join(', ')} ` }];
  }
  if (!multiLine) {
    const at = last.getEnd();
    return [{ start: at, end: at, text: props.map((p) => `, ${p.text}`).join('') }];
  }
  const indent = lineIndent(text, last.getStart());
  const comma = literal.properties.hasTrailingComma;
  const at = comma ? text.indexOf(',', last.getEnd()) + 1 : last.getEnd();
  const lines = props.map((p) => `\n${indent}// ${p.comment}\n${indent}${p.text}`).join(',');
  return [{ start: at, end: at, text: `${comma ? '' : ','}${lines}${comma ? ',' : ''}` }];
}

function lineIndent(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start, offset))?.[0] ?? '';
}

/** `Paxos.P1.ts` → `Paxos.P1`. */
function moduleBase(fileName: string): string {
  return (fileName.split(/[\\/]/).pop() ?? fileName).replace(/\.(d\.)?[cm]?[tj]s$/, '');
}

/** The local names of `import * as X from '.../<module>.js'` for the API module. */
function apiImports(sf: ts.SourceFile, apiFile: string): string[] {
  const base = moduleBase(apiFile);
  const names: string[] = [];
  for (const s of sf.statements) {
    if (!ts.isImportDeclaration(s) || !ts.isStringLiteral(s.moduleSpecifier)) continue;
    if (moduleBase(s.moduleSpecifier.text) !== base) continue;
    const b = s.importClause?.namedBindings;
    if (b && ts.isNamespaceImport(b)) names.push(b.name.text);
  }
  return names;
}

/**
 * Names declared with the type `typeof X` for a namespace `X` of the module, directly or through
 * a type alias (`type Api = typeof X; function f(P: Api)`).
 */
function aliases(sf: ts.SourceFile, namespaces: readonly string[]): string[] {
  const isModuleType = (t: ts.TypeNode): boolean =>
    ts.isTypeQueryNode(t) && ts.isIdentifier(t.exprName) && namespaces.includes(t.exprName.text);
  const typeAliases = new Set<string>();
  for (const st of sf.statements)
    if (ts.isTypeAliasDeclaration(st) && isModuleType(st.type)) typeAliases.add(st.name.text);
  const names: string[] = [];
  const visit = (node: ts.Node): void => {
    if (
      (ts.isParameter(node) || ts.isVariableDeclaration(node)) &&
      ts.isIdentifier(node.name) &&
      node.type &&
      (isModuleType(node.type) ||
        (ts.isTypeReferenceNode(node.type) &&
          ts.isIdentifier(node.type.typeName) &&
          typeAliases.has(node.type.typeName.text)))
    )
      names.push(node.name.text);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return names;
}

function lineOf(ctx: Ctx, node: ts.Node): number {
  return ctx.sf.getLineAndCharacterOfPosition(node.getStart()).line + 1;
}

function diagAt(ctx: Ctx, code: DiagnosticCode, message: string, node: ts.Node): Diagnostic {
  return diag(ctx.code, code, message, { start: node.getStart(), end: node.getEnd() });
}

function diag(
  f: TextFile,
  code: DiagnosticCode,
  message: string,
  span: { start: number; end: number },
): Diagnostic {
  return makeDiagnostic(new SourceFile(f.fileName, f.text), code, message, span);
}
