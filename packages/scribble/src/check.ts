import type * as ast from './ast.js';
import {
  limitDiagnostics,
  makeDiagnostic,
  type Diagnostic,
  type DiagnosticCode,
  type DiagnosticExtras,
  type Severity,
} from './diagnostics.js';
import {
  fileStem,
  loadProgram,
  type LoadedModule,
  type LoadOptions,
  type ModuleHost,
  type Program,
} from './program.js';
import type { Span } from './source.js';
import { resolveProtocol, visibleModules } from './resolve.js';

/**
 * Which flavour of Scribble a file is written in. A file with a `module` declaration follows
 * scribble-java (payload types and signatures must be declared, unused roles are errors); a
 * file without one follows nuScr/Teatrino (payload type names are free).
 */
export type Dialect = 'scribble-java' | 'nuscr';

/** The dialect of a parsed file (see {@link Dialect}). */
export function dialectOf(module: ast.Module): Dialect {
  return module.moduleDecl ? 'scribble-java' : 'nuscr';
}

/** Pragmas nuScr and Teatrino define; others get a warning. */
export const KNOWN_PRAGMAS: ReadonlySet<string> = new Set([
  'NestedProtocols',
  'RefinementTypes',
  'ShowPragmas',
  'PrintUsage',
  'SenderValidateRefinements',
  'ReceiverValidateRefinements',
  'ValidateRefinementSatisfiability',
  'ValidateRefinementProgress',
  'ErrorHandlingCrashBranch',
  'CheckDirectedChoiceDisabled',
  'SolveFreeVariables',
]);

/** The result of {@link checkFiles}: the loaded program and every diagnostic, sorted. */
export interface CheckResult {
  readonly program: Program;
  readonly diagnostics: readonly Diagnostic[];
}

/** Loads `paths` (and their imports) through `host`, parses them and runs all static checks. */
export function checkFiles(
  paths: readonly string[],
  host: ModuleHost,
  options: LoadOptions = {},
): CheckResult {
  const program = loadProgram(paths, host, options);
  return {
    program,
    diagnostics: limitDiagnostics([...program.diagnostics, ...checkProgram(program)]),
  };
}

/** A protocol declaration with the scope it was declared in (nuScr nested protocols nest). */
interface ProtocolEntry {
  readonly decl: ast.GlobalProtocol;
  readonly owner: LoadedModule;
  /** Index in the fixpoint table of used role positions. */
  readonly id: number;
}

/**
 * The protocol names declared in one scope (a module's top level, or a protocol body's nested
 * protocols), to report duplicates; lookups go through resolve.ts. Global and nested protocols
 * live in separate namespaces, as in nuScr: `do P` runs the global `P`, `A calls P` the nested one.
 */
interface Scope {
  readonly global: Map<string, ProtocolEntry>;
  readonly nested: Map<string, ProtocolEntry>;
}

type ProtocolKind = 'global' | 'nested';

interface ModuleInfo {
  readonly loaded: LoadedModule;
  readonly scope: Scope;
  readonly dataTypes: Map<string, ast.NonProtocolDecl>;
  readonly sigs: Map<string, ast.NonProtocolDecl>;
  /** Module names usable as qualifiers: own full name, own simple name, imports (or aliases). */
  readonly visible: Map<string, LoadedModule>;
}

/**
 * Name resolution and the static checks that need no projection, over a whole program:
 * modules and imports, declarations, roles, recursion labels, `do`/`calls` targets, arity and
 * argument kinds, self-messages, unused roles, data types and signatures.
 */
export function checkProgram(program: Program): Diagnostic[] {
  return new Checker(program).run();
}

/** Checks a single in-memory file (no imports are resolved). */
export function checkText(text: string, path = '<input>'): CheckResult {
  return checkFiles([path], { readFile: (p) => (p === path ? text : undefined) });
}

class Checker {
  readonly out: Diagnostic[] = [];
  readonly infos = new Map<LoadedModule, ModuleInfo>();
  readonly entries: ProtocolEntry[] = [];
  readonly entryByDecl = new Map<ast.GlobalProtocol, ProtocolEntry>();
  /** Per protocol: which role positions (in `roles` then `newRoles` order) are used. */
  used: boolean[][] = [];
  /** `do`/`calls` argument edges: role `fromRole` of protocol `from` is passed as role `toRole` of `to`. */
  readonly flows: { from: number; fromRole: number; to: number; toRole: number }[] = [];

  constructor(readonly program: Program) {}

  report(
    m: LoadedModule,
    code: DiagnosticCode,
    message: string,
    span: Span,
    extras?: DiagnosticExtras,
  ): void {
    this.out.push(makeDiagnostic(m.module.file, code, message, span, extras));
  }

  run(): Diagnostic[] {
    for (const m of this.program.modules) this.collect(m);
    for (const m of this.program.modules) this.checkModule(m);
    this.checkUnusedRoles();
    return this.out;
  }

  // ---- declarations ---------------------------------------------------------------------------

  collect(m: LoadedModule): void {
    const scope: Scope = { global: new Map(), nested: new Map() };
    const info: ModuleInfo = {
      loaded: m,
      scope,
      dataTypes: new Map(),
      sigs: new Map(),
      visible: new Map(),
    };
    this.infos.set(m, info);
    const nonProto = new Map<string, ast.NonProtocolDecl>();
    for (const d of m.module.nonProtocolDecls) {
      const prev = nonProto.get(d.alias.text);
      if (prev) {
        this.report(m, 'MPST113', `\`${d.alias.text}\` is declared twice`, d.alias.span, {
          notes: [{ message: 'first declared here', span: prev.alias.span }],
        });
        continue;
      }
      nonProto.set(d.alias.text, d);
      (d.kind === 'SigDecl' ? info.sigs : info.dataTypes).set(d.alias.text, d);
    }
    this.declareProtocols(m, scope, m.module.protocols);
  }

  declareProtocols(m: LoadedModule, scope: Scope, protocols: readonly ast.GlobalProtocol[]): void {
    for (const p of protocols) {
      const entry: ProtocolEntry = { decl: p, owner: m, id: this.entries.length };
      this.entries.push(entry);
      this.entryByDecl.set(p, entry);
      this.used.push(new Array<boolean>(p.roles.length + p.newRoles.length).fill(false));
      const names = p.nested ? scope.nested : scope.global;
      const prev = names.get(p.name.text);
      if (prev) {
        this.report(
          m,
          'MPST102',
          `${p.nested ? 'nested ' : ''}protocol \`${p.name.text}\` is declared twice`,
          p.name.span,
          {
            notes: [{ message: 'first declared here', span: prev.decl.name.span }],
          },
        );
      } else names.set(p.name.text, entry);
    }
  }

  checkModule(m: LoadedModule): void {
    const info = this.infos.get(m);
    if (!info) return;
    const mod = m.module;
    // Module name vs file name: scribble-java compares the simple module name with the file name.
    if (mod.moduleDecl) {
      const simple = mod.moduleDecl.name.parts[mod.moduleDecl.name.parts.length - 1];
      const stem = fileStem(m.path);
      if (simple && simple.text !== stem && !m.path.startsWith('<')) {
        this.report(
          m,
          'MPST120',
          `module \`${mod.moduleDecl.name.text}\` must be in a file named \`${simple.text}.scr\`, not \`${stem}\``,
          simple.span,
          {
            fixes: /^[A-Za-z0-9_]+$/.test(stem)
              ? [
                  {
                    message: `rename the module to \`${stem}\``,
                    span: simple.span,
                    replacement: stem,
                  },
                ]
              : [],
          },
        );
      }
    }
    for (const p of mod.pragmas) {
      if (!KNOWN_PRAGMAS.has(p.name.text)) {
        this.report(
          m,
          'MPST116',
          `unknown pragma \`${p.name.text}\` (known: ${[...KNOWN_PRAGMAS].join(', ')})`,
          p.name.span,
        );
      }
    }
    const clashed = new Set<ast.ImportDecl>();
    const visible = visibleModules(this.program, m, (imp, name, clash) => {
      clashed.add(imp);
      this.report(
        m,
        'MPST123',
        `module name \`${name}\` is already visible here${clash === m ? ' (it names this module)' : ''}`,
        imp.alias?.span ?? imp.module.span,
        {
          notes: [{ message: 'give the import a different alias with `as`' }],
        },
      );
    });
    for (const [name, target] of visible) info.visible.set(name, target);
    for (const imp of mod.imports) {
      const target = this.program.imports.get(imp);
      if (
        target?.module.moduleDecl &&
        !clashed.has(imp) &&
        target.module.moduleDecl.name.text !== imp.module.text
      ) {
        this.report(
          m,
          'MPST120',
          `file \`${target.path}\` declares module ` +
            `\`${target.module.moduleDecl.name.text}\`, not \`${imp.module.text}\``,
          imp.module.span,
        );
      }
    }
    this.checkImportCycle(m);
    for (const p of mod.protocols) this.checkProtocol(info, p);
  }

  checkImportCycle(m: LoadedModule): void {
    // Report each cycle once, at the import in the lexically first module of the cycle.
    const stack: LoadedModule[] = [];
    const seen = new Set<LoadedModule>();
    const visit = (cur: LoadedModule): LoadedModule[] | undefined => {
      for (const imp of cur.module.imports) {
        const t = this.program.imports.get(imp);
        if (!t) continue;
        if (t === m) return [...stack, cur, m];
        if (seen.has(t)) continue;
        seen.add(t);
        stack.push(cur);
        const c = visit(t);
        stack.pop();
        if (c) return c;
      }
      return undefined;
    };
    const cycle = visit(m);
    if (!cycle || cycle.length < 3) return; // a self-import is reported as a duplicate visible name
    const firstIdx = this.program.modules.indexOf(m);
    if (cycle.some((c) => this.program.modules.indexOf(c) < firstIdx)) return;
    const imp = m.module.imports.find((i) => this.program.imports.get(i) === cycle[1]);
    if (!imp) return;
    this.report(
      m,
      'MPST122',
      `import cycle: ${cycle.map((c) => `\`${c.name}\``).join(' → ')}`,
      imp.module.span,
      { severity: 'warning' },
    );
  }

  // ---- protocols ------------------------------------------------------------------------------

  checkProtocol(info: ModuleInfo, p: ast.GlobalProtocol): void {
    const m = info.loaded;
    const entry = this.entryByDecl.get(p);
    if (!entry) return;
    // Header: parameters and roles share one namespace.
    const header = new Map<string, ast.Name>();
    const params = new Map<string, ast.ParamDecl>();
    for (const d of p.params) {
      const prev = header.get(d.name.text);
      if (prev)
        this.report(m, 'MPST114', `parameter \`${d.name.text}\` is declared twice`, d.name.span, {
          notes: [{ message: 'first declared here', span: prev.span }],
        });
      else {
        header.set(d.name.text, d.name);
        params.set(d.name.text, d);
      }
    }
    const roles = new Map<string, number>();
    [...p.roles, ...p.newRoles].forEach((r, i) => {
      const prev = header.get(r.name.text);
      if (prev) {
        this.report(
          m,
          'MPST100',
          `role \`${r.name.text}\` is declared twice in \`${p.name.text}\``,
          r.name.span,
          {
            notes: [{ message: 'first declared here', span: prev.span }],
          },
        );
        const used = this.used[entry.id];
        if (used) used[i] = true; // reported already; not also "unused"
      } else {
        header.set(r.name.text, r.name);
        roles.set(r.name.text, i);
      }
    });
    const reliable = new Set(p.roles.filter((r) => r.reliable).map((r) => r.name.text));
    // Nested protocols (nuScr) are visible in this body and in each other.
    const inner: Scope = { global: new Map(), nested: new Map() };
    this.declareProtocols(m, inner, p.nestedProtocols);
    const ctx: BodyContext = {
      info,
      protocol: p,
      entry,
      roles,
      params,
      reliable,
      recs: [],
      aliases: new Map(),
    };
    this.checkBlock(ctx, p.body);
    for (const n of p.nestedProtocols) this.checkProtocol(info, n);
  }

  /** Checks that `name` is a declared role; `direct` marks it used (not so for `do` arguments). */
  role(ctx: BodyContext, name: ast.Name, direct = true): void {
    const alias = ctx.aliases.size === 0 ? undefined : ctx.aliases.get(name.text);
    if (alias) {
      // Alias targets are concrete roles (resolved when the foreach was entered).
      const used = this.used[ctx.entry.id];
      for (const r of alias) {
        const i = ctx.roles.get(r.text);
        if (used && direct && i !== undefined) used[i] = true;
      }
      return;
    }
    const i = ctx.roles.get(name.text);
    if (i === undefined) {
      this.report(
        ctx.info.loaded,
        'MPST101',
        `role \`${name.text}\` is not declared in protocol \`${ctx.protocol.name.text}\``,
        name.span,
        {
          notes: [
            {
              message: `declared roles: ${[...ctx.roles.keys()].map((r) => `\`${r}\``).join(', ') || 'none'}`,
            },
          ],
        },
      );
      return;
    }
    const used = this.used[ctx.entry.id];
    if (used && direct) used[i] = true;
  }

  checkBlock(ctx: BodyContext, block: ast.Block): void {
    // Indexed loops on the per-message path: `for...of` allocates an iterator and a result
    // object per step until the optimizing compiler removes them (with checkMessage's, ~3 MB
    // for 20,000 messages).
    const list = block.interactions;
    // eslint-disable-next-line @typescript-eslint/prefer-for-of -- see above
    for (let k = 0; k < list.length; k++) {
      const i = list[k];
      if (i !== undefined) this.checkInteraction(ctx, i);
    }
  }

  checkInteraction(ctx: BodyContext, i: ast.Interaction): void {
    const m = ctx.info.loaded;
    switch (i.kind) {
      case 'MessageTransfer': {
        this.checkMessage(ctx, i.message);
        this.role(ctx, i.from);
        // (A loop, not forEach: no closure per message of a long protocol.)
        for (let k = 0; k < i.to.length; k++) {
          const t = i.to[k];
          if (t === undefined) continue;
          this.role(ctx, t);
          if (t.text === i.from.text)
            this.report(m, 'MPST109', `role \`${t.text}\` sends a message to itself`, i.span);
          // Receiver lists are short (almost always one): a scan beats a Set per message.
          for (let j = 0; j < k; j++) {
            if (i.to[j]?.text === t.text) {
              this.report(m, 'MPST106', `role \`${t.text}\` is listed twice as a receiver`, t.span);
              break;
            }
          }
        }
        return;
      }
      case 'CrashNotice':
        this.role(ctx, i.from);
        for (const t of i.to) {
          this.role(ctx, t);
          if (t.text === i.from.text)
            this.report(m, 'MPST109', `role \`${t.text}\` cannot be told of its own crash`, t.span);
        }
        if (ctx.reliable.has(i.from.text)) {
          this.report(
            m,
            'MPST118',
            `role \`${i.from.text}\` is declared \`reliable\`, so it cannot crash`,
            i.from.span,
          );
        }
        return;
      case 'Connect':
        if (i.message) this.checkMessage(ctx, i.message);
        this.role(ctx, i.from);
        this.role(ctx, i.to);
        if (i.from.text === i.to.text)
          this.report(m, 'MPST109', `role \`${i.to.text}\` connects to itself`, i.span);
        return;
      case 'Disconnect':
      case 'Wrap': {
        const [a, b] = i.kind === 'Disconnect' ? [i.left, i.right] : [i.from, i.to];
        this.role(ctx, a);
        this.role(ctx, b);
        if (a.text === b.text)
          this.report(
            m,
            'MPST109',
            `role \`${a.text}\` cannot ${i.kind === 'Wrap' ? 'wrap' : 'disconnect from'} itself`,
            i.span,
          );
        return;
      }
      case 'Choice':
        if (!ctx.roles.has(i.at.text) && dialectOf(m.module) === 'nuscr') {
          // nuScr ignores the choice subject (the first sender chooses); some of its examples
          // name an undeclared role there, so warn rather than reject.
          this.report(
            m,
            'MPST101',
            `choice subject \`${i.at.text}\` is not a declared role of ` +
              `\`${ctx.protocol.name.text}\`; the first sender of each branch chooses`,
            i.at.span,
            { severity: 'warning' },
          );
        } else this.role(ctx, i.at);
        for (const b of i.branches) this.checkBlock(ctx, b.body);
        return;
      case 'Foreach': {
        const clash = ctx.roles.has(i.variable.text) || ctx.aliases.has(i.variable.text);
        if (clash) {
          this.report(
            m,
            'MPST100',
            `\`${i.variable.text}\` is already a role here; name the foreach variable differently`,
            i.variable.span,
          );
        }
        this.checkDuplicateRoleArgs(ctx, i.roles);
        for (const r of i.roles) this.role(ctx, r, false);
        const targets = i.roles.flatMap((r) => ctx.aliases.get(r.text) ?? [r]);
        if (!clash) ctx.aliases.set(i.variable.text, targets);
        this.checkBlock(ctx, i.body);
        if (!clash) ctx.aliases.delete(i.variable.text);
        return;
      }
      case 'Recursion': {
        const shadowed = ctx.recs.find((r) => r.text === i.label.text);
        if (shadowed) {
          this.report(
            m,
            'MPST108',
            `recursion label \`${i.label.text}\` shadows an enclosing \`rec ${i.label.text}\``,
            i.label.span,
            {
              severity: 'warning',
              notes: [{ message: 'enclosing recursion here', span: shadowed.span }],
            },
          );
        }
        for (const v of i.variables ?? []) for (const r of v.roles) this.role(ctx, r);
        ctx.recs.push(i.label);
        this.checkBlock(ctx, i.body);
        ctx.recs.pop();
        return;
      }
      case 'Continue':
        if (!ctx.recs.some((r) => r.text === i.label.text)) {
          const known = ctx.recs.map((r) => `\`${r.text}\``);
          this.report(
            m,
            'MPST107',
            `\`continue ${i.label.text}\` is not inside a \`rec ${i.label.text}\``,
            i.label.span,
            {
              notes: [
                {
                  message:
                    known.length > 0
                      ? `enclosing recursion labels: ${known.join(', ')}`
                      : 'there is no enclosing `rec` here',
                },
              ],
            },
          );
        }
        return;
      case 'Do':
        this.checkDo(ctx, i);
        return;
      case 'Calls':
        this.checkCalls(ctx, i);
        return;
    }
  }

  checkMessage(ctx: BodyContext, msg: ast.Message): void {
    const { info } = ctx;
    if (msg.kind === 'SignatureLiteral') {
      // (Indexed: most payload lists are one shared frozen empty array, which `for...of`
      // iterates through a generic, allocating path; see checkBlock.)
      const payloads = msg.payloads;
      // eslint-disable-next-line @typescript-eslint/prefer-for-of -- see above
      for (let k = 0; k < payloads.length; k++) {
        const pe = payloads[k];
        if (pe !== undefined) this.checkPayload(ctx, pe);
      }
      return;
    }
    if (dialectOf(info.loaded.module) === 'nuscr') return; // a bare name is a label with no payload
    const what = this.resolveNonRoleName(ctx, msg.name);
    if (what !== 'sig') {
      this.report(
        info.loaded,
        what === 'none' ? 'MPST115' : 'MPST112',
        what === 'none'
          ? `cannot tell what \`${msg.name.text}\` is: it is neither a signature ` +
              `declared with \`sig\` nor a \`sig\` parameter (write ` +
              `\`${msg.name.text}()\` for a message with no payload)`
          : `\`${msg.name.text}\` is a data type, not a message signature`,
        msg.name.span,
        {
          fixes: [
            {
              message: 'make it a message label',
              span: msg.span,
              replacement: `${msg.name.text}()`,
            },
          ],
        },
      );
    }
  }

  checkPayload(ctx: BodyContext, pe: ast.PayloadElement): void {
    const { info } = ctx;
    if (pe.kind === 'DelegationPayload') {
      this.lookupProtocol(ctx, pe.protocol, 'global');
      return;
    }
    if (dialectOf(info.loaded.module) === 'nuscr') return; // payload type names are free in nuScr
    const type = pe.type;
    const what = this.resolveNonRoleName(ctx, type);
    if (what === 'type') return;
    this.report(
      info.loaded,
      'MPST111',
      what === 'sig'
        ? `\`${type.text}\` is a message signature, not a payload type`
        : `unknown data type \`${type.text}\`: declare it with \`type <java> ` +
            `"..." from "..." as ${type.parts[type.parts.length - 1]?.text ?? type.text};\` ` +
            `or add a \`type\` parameter`,
      type.span,
    );
  }

  /** What a (possibly qualified) non-role name refers to: a data type, a signature, or nothing. */
  resolveNonRoleName(ctx: BodyContext, name: ast.QualifiedName): 'type' | 'sig' | 'none' {
    const { info } = ctx;
    if (name.parts.length === 1) {
      const param = ctx.params.get(name.text);
      if (param) return param.keyword === 'sig' ? 'sig' : 'type';
      if (info.sigs.has(name.text)) return 'sig';
      if (info.dataTypes.has(name.text)) return 'type';
      return 'none';
    }
    const member = name.parts[name.parts.length - 1]?.text ?? '';
    const target = info.visible.get(
      name.parts
        .slice(0, -1)
        .map((p) => p.text)
        .join('.'),
    );
    const targetInfo = target ? this.infos.get(target) : undefined;
    if (!targetInfo) return 'none';
    if (targetInfo.sigs.has(member)) return 'sig';
    if (targetInfo.dataTypes.has(member)) return 'type';
    return 'none';
  }

  /** Finds the protocol a `do`/`calls`/delegation names (resolve.ts), reporting when it is not visible. */
  lookupProtocol(
    ctx: BodyContext,
    name: ast.QualifiedName | ast.Name,
    kind: ProtocolKind,
  ): ProtocolEntry | undefined {
    const { info } = ctx;
    const m = info.loaded;
    const found = resolveProtocol(this.program, { module: m, decl: ctx.protocol }, name, kind);
    const entry = found && this.entryByDecl.get(found.decl);
    if (entry) return entry;
    if (name.kind === 'Name' || name.parts.length === 1) {
      const elsewhere = this.entries.find((e) => e.owner === m && e.decl.name.text === name.text);
      if (elsewhere && elsewhere.decl.nested !== (kind === 'nested')) {
        this.report(
          m,
          'MPST119',
          kind === 'nested'
            ? `\`${name.text}\` is a global protocol: run it with \`do ` +
                `${name.text}(...)\`; \`calls\` is for nested protocols`
            : `\`${name.text}\` is a nested protocol: call it with \`<role> calls ${name.text}(...)\`, not \`do\``,
          name.span,
          { notes: [{ message: 'declared here', span: elsewhere.decl.name.span }] },
        );
        return undefined;
      }
      this.report(
        m,
        elsewhere ? 'MPST124' : 'MPST103',
        elsewhere
          ? `protocol \`${name.text}\` is nested in another protocol and not visible here`
          : `unknown protocol \`${name.text}\``,
        name.span,
        elsewhere ? { notes: [{ message: 'declared here', span: elsewhere.decl.name.span }] } : {},
      );
      return undefined;
    }
    const prefix = name.parts
      .slice(0, -1)
      .map((p) => p.text)
      .join('.');
    const target = info.visible.get(prefix);
    if (!target) {
      this.report(
        m,
        'MPST124',
        `protocol \`${name.text}\` is not visible: module \`${prefix}\` is not imported`,
        name.span,
        {
          fixes: [
            {
              message: `import \`${prefix}\``,
              span: { start: 0, end: 0 },
              replacement: `import ${prefix};\n`,
            },
          ],
        },
      );
      return undefined;
    }
    this.report(
      m,
      'MPST103',
      `module \`${target.name}\` has no protocol \`${name.parts[name.parts.length - 1]?.text ?? ''}\``,
      name.span,
    );
    return undefined;
  }

  checkDo(ctx: BodyContext, d: ast.Do): void {
    const m = ctx.info.loaded;
    for (const r of d.roleArgs) this.role(ctx, r, false);
    this.checkDuplicateRoleArgs(ctx, d.roleArgs);
    for (const a of d.args ?? []) {
      if (a.kind === 'SignatureLiteral') for (const pe of a.payloads) this.checkPayload(ctx, pe);
    }
    const target = this.lookupProtocol(ctx, d.protocol, 'global');
    if (!target) return;
    const callee = target.decl;
    const args = d.args ?? [];
    if (args.length !== callee.params.length || d.roleArgs.length !== callee.roles.length) {
      this.report(
        m,
        'MPST104',
        `\`${callee.name.text}\` takes ` +
          `${plural(callee.params.length, 'non-role argument')} and ` +
          `${plural(callee.roles.length, 'role')}, but this \`do\` passes ` +
          `${plural(args.length, 'non-role argument')} and ${plural(d.roleArgs.length, 'role')}`,
        d.span,
        {
          notes: [
            {
              message: `\`${callee.name.text}\` is declared here`,
              span: callee.name.span,
              file: target.owner.module.file,
            },
          ],
        },
      );
    } else {
      args.forEach((a, k) => {
        const param = callee.params[k];
        if (param) this.checkNonRoleArg(ctx, a, param, callee);
      });
    }
    this.recordFlows(ctx, target, d.roleArgs, 0);
  }

  checkNonRoleArg(
    ctx: BodyContext,
    a: ast.NonRoleArgument,
    param: ast.ParamDecl,
    callee: ast.GlobalProtocol,
  ): void {
    const wantSig = param.keyword === 'sig';
    const m = ctx.info.loaded;
    const text = m.module.file.slice(a.span);
    let is: 'sig' | 'type' | 'none';
    if (a.kind === 'SignatureLiteral') is = 'sig';
    else if (dialectOf(m.module) === 'nuscr') is = wantSig ? 'none' : 'type';
    else is = this.resolveNonRoleName(ctx, a);
    if (is === (wantSig ? 'sig' : 'type')) return;
    this.report(
      m,
      'MPST105',
      is === 'none'
        ? `\`${text}\` is neither a ` +
            `${wantSig ? 'message signature' : 'data type'} in scope, as parameter ` +
            `\`${param.name.text}\` of \`${callee.name.text}\` needs`
        : `\`${text}\` is a ${is === 'sig' ? 'message signature' : 'data type'}, ` +
            `but parameter \`${param.name.text}\` of \`${callee.name.text}\` is a ` +
            `\`${param.keyword}\` parameter`,
      a.span,
    );
  }

  checkCalls(ctx: BodyContext, c: ast.Calls): void {
    const m = ctx.info.loaded;
    this.role(ctx, c.caller);
    for (const r of c.roleArgs) this.role(ctx, r, false);
    this.checkDuplicateRoleArgs(ctx, c.roleArgs);
    const target = this.lookupProtocol(ctx, c.protocol, 'nested');
    if (!target) return;
    const callee = target.decl;
    if (c.roleArgs.length !== callee.roles.length) {
      this.report(
        m,
        'MPST104',
        `\`${callee.name.text}\` takes ` +
          `${plural(callee.roles.length, 'role')}${newRolesNote(callee.newRoles.length)}, ` +
          `but this call passes ${String(c.roleArgs.length)}`,
        c.span,
        {
          notes: [{ message: `\`${callee.name.text}\` is declared here`, span: callee.name.span }],
        },
      );
    }
    this.recordFlows(ctx, target, c.roleArgs, 0);
  }

  checkDuplicateRoleArgs(ctx: BodyContext, args: readonly ast.Name[]): void {
    const seen = new Map<string, ast.Name>();
    for (const a of args) {
      const prev = seen.get(a.text);
      if (prev) {
        this.report(
          ctx.info.loaded,
          'MPST106',
          `role \`${a.text}\` is passed twice: each role parameter needs a distinct role`,
          a.span,
          {
            notes: [{ message: 'first passed here', span: prev.span }],
          },
        );
      } else seen.set(a.text, a);
    }
  }

  recordFlows(
    ctx: BodyContext,
    target: ProtocolEntry,
    args: readonly ast.Name[],
    offset: number,
  ): void {
    args.forEach((a, k) => {
      for (const actual of ctx.aliases.get(a.text) ?? [a]) {
        const fromRole = ctx.roles.get(actual.text);
        if (fromRole !== undefined && k + offset < target.decl.roles.length) {
          this.flows.push({ from: ctx.entry.id, fromRole, to: target.id, toRole: k + offset });
        }
      }
    });
  }

  // ---- unused roles ---------------------------------------------------------------------------

  /**
   * A role is used when it takes part in an interaction, directly or through a `do`/`calls`
   * whose callee uses the matching parameter: a fixpoint, so that `do P(A, B);` as a whole
   * body, where `P` only recurses, uses nothing (scribble-java agrees).
   */
  checkUnusedRoles(): void {
    const used = this.used;
    let changed = true;
    while (changed) {
      changed = false;
      for (const f of this.flows) {
        const row = used[f.from];
        if (row && !row[f.fromRole] && used[f.to]?.[f.toRole]) {
          row[f.fromRole] = true;
          changed = true;
        }
      }
    }
    // A file with syntax errors has lost statements: its unused roles would be noise.
    const broken = new Set(
      this.program.diagnostics.filter((d) => d.severity === 'error').map((d) => d.span.file),
    );
    for (const e of this.entries) {
      if (broken.has(e.owner.path)) continue;
      const row = used[e.id] ?? [];
      const unused = e.decl.roles.filter((_, i) => !row[i]);
      if (unused.length === 0) continue;
      const severity: Severity =
        dialectOf(e.owner.module) === 'scribble-java' ? 'error' : 'warning';
      const names = unused.map((r) => `\`${r.name.text}\``).join(', ');
      this.report(
        e.owner,
        'MPST110',
        `${unused.length === 1 ? 'role' : 'roles'} ${names} of protocol ` +
          `\`${e.decl.name.text}\` ${unused.length === 1 ? 'takes' : 'take'} ` +
          `part in no interaction`,
        unused[0]?.name.span ?? e.decl.name.span,
        {
          severity,
          notes: unused
            .slice(1)
            .map((r) => ({ message: `\`${r.name.text}\` declared here`, span: r.name.span })),
        },
      );
    }
  }
}

interface BodyContext {
  readonly info: ModuleInfo;
  readonly protocol: ast.GlobalProtocol;
  readonly entry: ProtocolEntry;
  readonly roles: ReadonlyMap<string, number>;
  readonly params: ReadonlyMap<string, ast.ParamDecl>;
  readonly reliable: ReadonlySet<string>;
  readonly recs: ast.Name[];
  /** `foreach` variables in scope: each stands for the roles it ranges over. */
  readonly aliases: Map<string, readonly ast.Name[]>;
}

function plural(n: number, noun: string): string {
  return `${String(n)} ${noun}${n === 1 ? '' : 's'}`;
}

/** ` (its 2 new roles are created by the call)`, or nothing when a callee creates no role. */
function newRolesNote(n: number): string {
  if (n === 0) return '';
  return ` (its ${plural(n, 'new role')} ${n === 1 ? 'is' : 'are'} created by the call)`;
}
