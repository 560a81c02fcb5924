import type * as ast from './ast.js';
import type { LoadedModule, Program } from './program.js';

/** A resolved protocol declaration and the module that declares it. */
export interface ProtocolRef {
  readonly module: LoadedModule;
  readonly decl: ast.GlobalProtocol;
}

/**
 * Module names usable as qualifiers in `module`: its own full and simple name, then its imports
 * (by alias if any). A name already visible keeps its first meaning; `onClash` hears of the
 * import that tried to take it (the checks report it as MPST123).
 */
export function visibleModules(
  program: Program,
  module: LoadedModule,
  onClash?: (imp: ast.ImportDecl, visibleName: string, existing: LoadedModule) => void,
): Map<string, LoadedModule> {
  const out = new Map<string, LoadedModule>();
  out.set(module.name, module);
  const parts = module.module.moduleDecl?.name.parts;
  const simple = parts?.[parts.length - 1]?.text;
  if (simple && !out.has(simple)) out.set(simple, module);
  for (const imp of module.module.imports) {
    const name = imp.alias?.text ?? imp.module.text;
    const existing = out.get(name);
    if (existing) {
      onClash?.(imp, name, existing);
      continue;
    }
    const target = program.imports.get(imp);
    if (target) out.set(name, target);
  }
  return out;
}

/**
 * Finds the protocol a `do` (global) or `calls` (nested) names: simple names in the enclosing
 * nested scopes (innermost first) and the module, qualified names through the module's imports.
 * The checks (check.ts) report what this does not find; elaboration relies on it finding the same.
 */
export function resolveProtocol(
  program: Program,
  from: ProtocolRef,
  name: ast.QualifiedName | ast.Name,
  kind: 'global' | 'nested',
): ProtocolRef | undefined {
  const wantNested = kind === 'nested';
  if (name.kind === 'Name' || name.parts.length === 1) {
    // Innermost first: nested protocols of the enclosing protocols, then the module's top level.
    for (const scope of enclosingScopes(from.module, from.decl)) {
      const d = scope.find((p) => p.name.text === name.text && p.nested === wantNested);
      if (d) return { module: from.module, decl: d };
    }
    return undefined;
  }
  const prefix = name.parts
    .slice(0, -1)
    .map((p) => p.text)
    .join('.');
  const member = name.parts[name.parts.length - 1]?.text;
  const target = visibleModules(program, from.module).get(prefix);
  const d = target?.module.protocols.find((p) => p.name.text === member && p.nested === wantNested);
  return target && d ? { module: target, decl: d } : undefined;
}

/** The protocol lists visible from inside `decl`, innermost first. */
function enclosingScopes(
  module: LoadedModule,
  decl: ast.GlobalProtocol,
): (readonly ast.GlobalProtocol[])[] {
  const path: ast.GlobalProtocol[] = [];
  const find = (list: readonly ast.GlobalProtocol[]): boolean => {
    for (const p of list) {
      path.push(p);
      if (p === decl || find(p.nestedProtocols)) return true;
      path.pop();
    }
    return false;
  };
  find(module.module.protocols);
  const scopes: (readonly ast.GlobalProtocol[])[] = [];
  for (let i = path.length - 1; i >= 0; i--) {
    const p = path[i];
    if (p) scopes.push(p.nestedProtocols);
  }
  scopes.push(module.module.protocols);
  return scopes;
}
