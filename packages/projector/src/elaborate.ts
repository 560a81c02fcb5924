import type * as ast from '@mpst/scribble';
import {
  dialectOf,
  makeDiagnostic,
  resolveProtocol,
  visibleModules,
  type Diagnostic,
  type DiagnosticCode,
  type LoadedModule,
  type Program,
  type ProtocolRef,
  type SourceFile,
  type Span,
} from '@mpst/scribble';
import {
  END,
  walk,
  type DoCall,
  type ElaboratedProtocol,
  type GlobalType,
  type Message,
  type Origin,
  type Role,
} from './global.js';
import { gmessage } from './global-nodes.js';

/** A non-role argument value bound to a parameter while inlining `do`. */
type ArgValue =
  | { readonly kind: 'sig'; readonly message: Message }
  | { readonly kind: 'type'; readonly text: string };

interface Env {
  readonly owner: ProtocolRef;
  readonly file: SourceFile;
  /** Formal role → actual role. */
  readonly roles: ReadonlyMap<string, Role>;
  readonly args: ReadonlyMap<string, ArgValue>;
  /** User recursion label → unique IR label. */
  readonly recs: ReadonlyMap<string, string>;
  readonly via: readonly string[];
  /** The innermost `do`/`calls` being inlined (recorded in every node's origin). */
  readonly call?: DoCall;
}

interface Active {
  readonly label: string;
  used: boolean;
}

/** Elaboration limits: inlining deeper than this is reported instead of exhausting memory. */
const MAX_INLINE_DEPTH = 200;
/** At most this many `do`/`calls` expansions per protocol. */
const MAX_INLINED = 500;

/**
 * Elaborates a global protocol declaration into the global-type IR: `do` and `calls` are
 * inlined (role and non-role arguments substituted; a `do` of an instantiation already being
 * inlined becomes recursion), multicast becomes a sequence, statements after a choice or
 * recursion become the continuation of every path that reaches the end (shared, not copied),
 * and default communications become crash branches.
 */
export function elaborate(
  program: Program,
  ref: ProtocolRef,
): { protocol: ElaboratedProtocol | undefined; diagnostics: Diagnostic[] } {
  const e = new Elaborator(program);
  const protocol = e.run(ref);
  return {
    protocol: e.diagnostics.some((d) => d.severity === 'error') ? undefined : protocol,
    diagnostics: e.diagnostics,
  };
}

/** The full name of a protocol: `module.P`, or `P` in a module-less file. */
export function qualifiedProtocolName(ref: ProtocolRef): string {
  return ref.module.module.moduleDecl
    ? `${ref.module.name}.${ref.decl.name.text}`
    : ref.decl.name.text;
}

class Elaborator {
  readonly diagnostics: Diagnostic[] = [];
  readonly #active = new Map<string, Active>();
  readonly #labels = new Set<string>();
  #crashUsed = false;
  /** How many `do`/`calls` were expanded (bounded: inlining can grow exponentially). */
  #inlined = 0;

  constructor(readonly program: Program) {}

  run(ref: ProtocolRef): ElaboratedProtocol {
    const decl = ref.decl;
    const roles = new Map(decl.roles.map((r) => [r.name.text, r.name.text]));
    for (const r of decl.newRoles) roles.set(r.name.text, r.name.text);
    const args = new Map<string, ArgValue>();
    for (const p of decl.params) {
      // A protocol analysed on its own keeps its parameters symbolic (scribble-java prints `X()`).
      args.set(
        p.name.text,
        p.keyword === 'sig'
          ? { kind: 'sig', message: { label: p.name.text, payload: [] } }
          : { kind: 'type', text: p.name.text },
      );
    }
    const env: Env = {
      owner: ref,
      file: ref.module.module.file,
      roles,
      args,
      recs: new Map(),
      via: [],
    };
    const key = instantiationKey(ref, [...roles.values()], []);
    const active: Active = { label: this.#fresh(`__${decl.name.text}`), used: false };
    this.#active.set(key, active);
    let body = this.#block(decl.body.interactions, env, END);
    this.#active.delete(key);
    if (active.used)
      body = {
        kind: 'rec',
        label: active.label,
        body,
        origin: origin(env, decl.name.span),
        fromDo: true,
        next: END,
      };
    const reliable = new Set(decl.roles.filter((r) => r.reliable).map((r) => r.name.text));
    return {
      name: decl.name.text,
      qualifiedName: qualifiedProtocolName(ref),
      roles: [...decl.roles.map((r) => r.name.text), ...decl.newRoles.map((r) => r.name.text)],
      explicit: decl.explicit,
      aux: decl.aux,
      ...(decl.nested ? { nested: { newRoles: decl.newRoles.map((r) => r.name.text) } } : {}),
      reliable,
      crashStop: reliable.size > 0 || this.#crashUsed,
      body,
      origin: origin(env, decl.name.span),
    };
  }

  #report(env: Env, code: DiagnosticCode, message: string, span: Span): void {
    this.diagnostics.push(makeDiagnostic(env.file, code, message, span));
  }

  #fresh(base: string): string {
    let label = base;
    for (let i = 1; this.#labels.has(label); i++) label = `${base}_${String(i)}`;
    this.#labels.add(label);
    return label;
  }

  #role(env: Env, name: ast.Name): Role {
    return env.roles.get(name.text) ?? name.text;
  }

  /** Elaborates a statement list with continuation `k`, right to left (no deep recursion). */
  #block(list: readonly ast.Interaction[], env: Env, k: GlobalType): GlobalType {
    let g = k;
    for (let i = list.length - 1; i >= 0; i--) {
      const s = list[i];
      if (!s) continue;
      const next = g;
      g = this.#statement(s, env, next);
      if (i === list.length - 1 || next === END) continue;
      if (reaches(g, next)) {
        // scribble-java: nothing may follow a choice that can jump back to an enclosing `rec`.
        const jump =
          s.kind === 'Choice' && dialectOf(env.owner.module.module) === 'scribble-java'
            ? outerJump(g, next)
            : undefined;
        const after = list[i + 1];
        if (jump && after)
          this.#report(
            env,
            'MPST205',
            `nothing may follow a choice with a branch that goes back to ` +
              `\`${jump}\` (scribble-java's rule): move this into the branches`,
            after.span,
          );
        continue;
      }
      // `s` never ends. What follows is unreachable for the roles of `s`; if none of them
      // takes part in it, the other roles still run it (scribble-java agrees).
      const after = list[i + 1];
      const firstRoles = rolesOf(g);
      const thenRoles = rolesOf(next);
      const stuck = [...thenRoles].filter((r) => firstRoles.has(r));
      // Only a never-ending `rec` lets the uninvolved roles go on (scribble-java's reading);
      // after a jump (`continue`, recursive `do`) or a choice nobody leaves, nothing runs.
      if (s.kind !== 'Recursion' || g.kind === 'var' || stuck.length > 0) {
        // nuScr accepts statements after a recursive `do` (its examples do it): warn there.
        const lenient =
          (s.kind === 'Do' || s.kind === 'Calls') && dialectOf(env.owner.module.module) === 'nuscr';
        if (after && lenient) {
          this.diagnostics.push(
            makeDiagnostic(
              env.file,
              'MPST205',
              `unreachable: ${describeBlocker(s)}, so nothing after it runs`,
              after.span,
              { severity: 'warning' },
            ),
          );
        } else if (after) {
          this.#report(
            env,
            'MPST205',
            `unreachable${s.kind === 'Recursion' && stuck.length > 0 ? ` for ${quoted(stuck)}` : ''}: ` +
              `${describeBlocker(s)}, so nothing after it can run`,
            after.span,
          );
        }
        continue;
      }
      g = { kind: 'seq', first: g, then: next, firstRoles };
    }
    return g;
  }

  #statement(s: ast.Interaction, env: Env, k: GlobalType): GlobalType {
    switch (s.kind) {
      case 'MessageTransfer': {
        const from = this.#role(env, s.from);
        const message = this.#message(env, s.message);
        const o = origin(env, s.span);
        let g = k;
        for (let j = s.to.length - 1; j >= 0; j--) {
          const t = s.to[j];
          if (t) g = gmessage(from, this.#role(env, t), message, g, o);
        }
        if (!s.default) return g;
        // `m from A to B default;`: if A crashed or the link failed, B goes on as if m arrived.
        this.#crashUsed = true;
        let c = k;
        for (let j = s.to.length - 1; j >= 0; j--) {
          const t = s.to[j];
          if (t)
            c = {
              kind: 'crash',
              from,
              to: this.#role(env, t),
              cont: c,
              origin: o,
              fromDefault: true,
            };
        }
        return {
          kind: 'choice',
          at: from,
          branches: [g, c],
          origin: o,
          defaultBranch: undefined,
          next: k,
        };
      }
      case 'CrashNotice': {
        this.#crashUsed = true;
        const from = this.#role(env, s.from);
        const o = origin(env, s.span);
        let g = k;
        for (let j = s.to.length - 1; j >= 0; j--) {
          const t = s.to[j];
          if (t)
            g = {
              kind: 'crash',
              from,
              to: this.#role(env, t),
              cont: g,
              origin: o,
              fromDefault: false,
            };
        }
        return g;
      }
      case 'Choice':
        return this.#choice(s, env, k);
      case 'Recursion': {
        const label = this.#fresh(s.label.text);
        const recs = new Map(env.recs);
        recs.set(s.label.text, label);
        const body = this.#block(s.body.interactions, { ...env, recs }, k);
        return { kind: 'rec', label, body, origin: origin(env, s.span), next: k };
      }
      case 'Continue':
        return {
          kind: 'var',
          label: env.recs.get(s.label.text) ?? s.label.text,
          origin: origin(env, s.span),
        };
      case 'Foreach': {
        let g = k;
        for (let j = s.roles.length - 1; j >= 0; j--) {
          const r = s.roles[j];
          if (!r) continue;
          const roles = new Map(env.roles);
          roles.set(s.variable.text, this.#role(env, r));
          g = this.#block(s.body.interactions, { ...env, roles }, g);
        }
        return g;
      }
      case 'Do':
        if (nestedProtocols(env.owner.module)) {
          const caller = s.roleArgs[0];
          return caller
            ? this.#call('do', this.#role(env, caller), s.protocol, s.roleArgs, env, k, s.span)
            : k;
        }
        return this.#do(s, env, k);
      case 'Calls':
        return this.#call(
          'calls',
          this.#role(env, s.caller),
          s.protocol,
          s.roleArgs,
          env,
          k,
          s.span,
        );
      case 'Connect':
        return {
          kind: 'connect',
          from: this.#role(env, s.from),
          to: this.#role(env, s.to),
          message: s.message ? this.#message(env, s.message) : { label: '', payload: [] },
          cont: k,
          origin: origin(env, s.span),
        };
      case 'Disconnect':
        return {
          kind: 'disconnect',
          from: this.#role(env, s.left),
          to: this.#role(env, s.right),
          message: undefined,
          cont: k,
          origin: origin(env, s.span),
        };
      case 'Wrap':
        return {
          kind: 'wrap',
          from: this.#role(env, s.from),
          to: this.#role(env, s.to),
          message: undefined,
          cont: k,
          origin: origin(env, s.span),
        };
    }
  }

  #choice(s: ast.Choice, env: Env, k: GlobalType): GlobalType {
    let at = this.#role(env, s.at);
    if (!env.roles.has(s.at.text)) {
      // nuScr: an undeclared choice subject (warned about by the checks) is ignored; the
      // first sender of the first branch chooses.
      const first = s.branches[0]?.body.interactions.find((i) => i.kind === 'MessageTransfer');
      if (first?.kind === 'MessageTransfer') at = this.#role(env, first.from);
    }
    const o = origin(env, s.span);
    const branches: GlobalType[] = [];
    let defaultBranch: number | undefined;
    for (const b of s.branches) {
      if (b.body.interactions.length === 0) {
        this.#report(
          env,
          'MPST201',
          `this branch of the choice at \`${at}\` is empty: the chooser must act first in every branch`,
          b.span,
        );
      }
      const body = this.#block(b.body.interactions, env, k);
      // Checked where the branch starts with a written interaction or a call; inlined `do`
      // bodies are left to projection (their first actor is a parameter's instance).
      const head = b.body.interactions[0]?.kind;
      const written =
        head === 'MessageTransfer' ||
        head === 'CrashNotice' ||
        head === 'Connect' ||
        head === 'Calls' ||
        (head === 'Do' && nestedProtocols(env.owner.module));
      const actor = written && !b.default ? firstActor(body) : undefined; // default branches: MPST208
      if (actor && actor.role !== at) {
        this.#report(
          env,
          'MPST201',
          `the choice is at \`${at}\`, but \`${actor.role}\` acts first in this ` +
            `branch: the chooser must act first in every branch`,
          actor.origin?.span ?? b.span,
        );
      }
      branches.push(body);
      if (!b.default) continue;
      defaultBranch = branches.length - 1;
      // `or default { m() from A to B; rest }` adds `or { crash from A to B; rest }`: if A crashed
      // or the link failed, B continues as in the default branch (docs/language.md, "Default
      // communications").
      const first = b.body.interactions[0];
      if (first?.kind !== 'MessageTransfer' || this.#role(env, first.from) !== at) {
        this.#report(
          env,
          'MPST208',
          `a default branch must start with a message from the chooser \`${at}\``,
          b.span,
        );
        continue;
      }
      this.#crashUsed = true;
      const rest = this.#block(b.body.interactions.slice(1), env, k);
      let g = rest;
      for (let j = first.to.length - 1; j >= 0; j--) {
        const t = first.to[j];
        if (t)
          g = {
            kind: 'crash',
            from: at,
            to: this.#role(env, t),
            cont: g,
            origin: origin(env, first.span),
            fromDefault: true,
          };
      }
      branches.push(g);
    }
    return { kind: 'choice', at, branches, origin: o, defaultBranch, next: k };
  }

  #do(s: ast.Do, env: Env, k: GlobalType): GlobalType {
    const target = resolveProtocol(this.program, env.owner, s.protocol, 'global');
    if (!target) return k; // reported by @mpst/scribble's checks
    const decl = target.decl;
    const actual = s.roleArgs.map((r) => this.#role(env, r));
    if (actual.length !== decl.roles.length || (s.args?.length ?? 0) !== decl.params.length)
      return k; // reported by the checks
    const args = new Map<string, ArgValue>();
    decl.params.forEach((p, i) => {
      const a = s.args?.[i];
      if (!a) return;
      args.set(p.name.text, this.#argValue(env, a, p.keyword === 'sig'));
    });
    return this.#inline(
      target,
      actual,
      args,
      env,
      k,
      s.span,
      s.roleArgs.map((r) => r.text),
    );
  }

  /**
   * nuScr's nested protocols (`A calls P(B, C);`, and `do P(A, B, C);` under the
   * `NestedProtocols` pragma, where the first role calls): the caller invites every other role
   * argument to a separate session of `P`, which is checked and projected on its own (nuScr's
   * InviteCreateL/AcceptL). Here an invitation is a message from the caller, labelled as nuScr
   * labels it (`call(A, P(A,B))`: caller, callee and role arguments, so two calls with other
   * roles are other choices) and marked with the call, so choices, merging and the model
   * checker treat it like any other message; `new` roles are created inside `P`'s session.
   */
  #call(
    written: 'calls' | 'do',
    caller: Role,
    protocol: ast.Name | ast.QualifiedName,
    roleArgs: readonly ast.Name[],
    env: Env,
    k: GlobalType,
    span: Span,
  ): GlobalType {
    const actual = roleArgs.map((r) => this.#role(env, r));
    const call = { caller, protocol: protocol.text, roles: actual, written };
    const message: Message = {
      label: `call(${caller}, ${protocol.text}(${actual.join(',')}))`,
      payload: [],
      call,
    };
    const o = origin(env, span);
    let g = k;
    const invited = [...new Set(actual)].filter((r) => r !== caller);
    for (let j = invited.length - 1; j >= 0; j--) {
      g = gmessage(caller, invited[j] ?? '', message, g, o);
    }
    return g;
  }

  #inline(
    target: ProtocolRef,
    actual: readonly Role[],
    args: ReadonlyMap<string, ArgValue>,
    env: Env,
    k: GlobalType,
    span: Span,
    /** The role arguments as written in the caller (before its own substitution). */
    written: readonly string[],
  ): GlobalType {
    const decl = target.decl;
    const key = instantiationKey(target, actual, [...args.values()]);
    const active = this.#active.get(key);
    if (active) {
      active.used = true;
      return { kind: 'var', label: active.label, origin: origin(env, span) };
    }
    if (++this.#inlined > MAX_INLINED) {
      if (this.#inlined === MAX_INLINED + 1)
        this.#report(
          env,
          'MPST209',
          `more than ${String(MAX_INLINED)} \`do\`/\`calls\` expansions: the protocol is too large once inlined`,
          span,
        );
      return k;
    }
    if (env.via.length >= MAX_INLINE_DEPTH) {
      this.#report(
        env,
        'MPST209',
        `\`do\` nests deeper than ${String(MAX_INLINE_DEPTH)} calls without repeating an instantiation`,
        span,
      );
      return k;
    }
    const roles = new Map<string, Role>();
    decl.roles.forEach((r, i) => roles.set(r.name.text, actual[i] ?? r.name.text));
    const entry: Active = {
      label: this.#fresh(`__${decl.name.text}_${actual.join('_')}`),
      used: false,
    };
    this.#active.set(key, entry);
    const inner: Env = {
      owner: target,
      file: target.module.module.file,
      roles,
      args,
      recs: new Map(),
      via: [...env.via, decl.name.text],
      call: {
        protocol: decl.name.text,
        roles: actual,
        written,
        params: decl.roles.map((r) => r.name.text),
        origin: origin(env, span),
      },
    };
    let body = this.#block(decl.body.interactions, inner, k);
    this.#active.delete(key);
    if (entry.used)
      body = {
        kind: 'rec',
        label: entry.label,
        body,
        origin: origin(env, span),
        fromDo: true,
        next: k,
      };
    return body;
  }

  #argValue(env: Env, a: ast.NonRoleArgument, wantSig: boolean): ArgValue {
    if (a.kind === 'SignatureLiteral') return { kind: 'sig', message: this.#message(env, a) };
    const bound = a.parts.length === 1 ? env.args.get(a.text) : undefined;
    if (bound) return bound;
    if (wantSig) return { kind: 'sig', message: { label: this.#typeName(env, a), payload: [] } };
    return { kind: 'type', text: this.#typeName(env, a) };
  }

  #message(env: Env, m: ast.Message): Message {
    if (m.kind === 'MessageName') {
      const bound = m.name.parts.length === 1 ? env.args.get(m.name.text) : undefined;
      if (bound?.kind === 'sig') return bound.message;
      return { label: m.name.text, payload: [] };
    }
    // Most messages carry nothing: one shared empty payload list instead of one per message.
    return {
      label: m.label?.text ?? '',
      payload: m.payloads.length === 0 ? NO_PAYLOAD : m.payloads.map((p) => this.#payload(env, p)),
    };
  }

  #payload(env: Env, p: ast.PayloadElement): string {
    switch (p.kind) {
      case 'PayloadType': {
        const bound = p.type.parts.length === 1 ? env.args.get(p.type.text) : undefined;
        if (bound?.kind === 'type') return bound.text;
        return this.#typeName(env, p.type);
      }
      case 'NamedPayload':
        return `${p.variable.text}: ${this.#typeName(env, p.type)}`;
      case 'DelegationPayload':
        return `${p.protocol.text}@${p.role.text}`;
    }
  }

  /** A qualified type name with its module prefix resolved to the module's full name. */
  #typeName(env: Env, q: ast.QualifiedName): string {
    if (q.parts.length === 1) return q.text;
    const prefix = q.parts
      .slice(0, -1)
      .map((p) => p.text)
      .join('.');
    const member = q.parts[q.parts.length - 1]?.text ?? '';
    const target = visibleModules(this.program, env.owner.module).get(prefix);
    return target ? `${target.name}.${member}` : q.text;
  }
}

const NO_PAYLOAD: readonly string[] = Object.freeze([]);

/**
 * Where a node comes from. The span is copied: an AST node is its own span, and an origin
 * that held the node would keep the whole syntax tree alive as long as the EFSMs whose
 * transitions point at their origins (through verification, on a long protocol ~40 MB).
 */
function origin(env: Env, node: Span): Origin {
  const span = { start: node.start, end: node.end };
  if (env.via.length === 0) return { file: env.file, span };
  return env.call
    ? { file: env.file, span, via: env.via, call: env.call }
    : { file: env.file, span, via: env.via };
}

/** Whether a module enables nuScr's nested protocols, where `do P(A, ...)` is a call by `A`. */
function nestedProtocols(m: LoadedModule): boolean {
  return m.module.pragmas.some((p) => p.name.text === 'NestedProtocols');
}

function instantiationKey(
  ref: ProtocolRef,
  roles: readonly Role[],
  args: readonly ArgValue[],
): string {
  const a = args.map((v) =>
    v.kind === 'sig' ? `${v.message.label}(${v.message.payload.join(',')})` : v.text,
  );
  return `${ref.module.path}#${ref.decl.name.text}<${a.join(',')}>(${roles.join(',')})`;
}

function describeBlocker(s: ast.Interaction): string {
  switch (s.kind) {
    case 'Continue':
      return `\`continue ${s.label.text}\` jumps back`;
    case 'Choice':
      return 'no branch of this choice reaches its end';
    case 'Recursion':
      return `\`rec ${s.label.text}\` never ends`;
    case 'Do':
      return `\`do ${s.protocol.text}\` never returns`;
    default:
      return 'this never completes';
  }
}

/** Whether `target` can be reached from `g`. */
export function reaches(g: GlobalType, target: GlobalType): boolean {
  // Fast path: a prefix followed directly by `target` (every message of a long sequence).
  if (g === target || ('cont' in g && g.cont === target)) return true;
  return walk(g, (n) => n === target);
}

/** Who acts first in `g` (the sender of its first interaction), through recursion heads. */
function firstActor(g: GlobalType): { role: Role; origin: Origin | undefined } | undefined {
  let n = g;
  while (n.kind === 'rec') n = n.body;
  switch (n.kind) {
    case 'message':
    case 'crash':
    case 'connect':
    case 'disconnect':
    case 'wrap':
      return { role: n.from, origin: n.origin };
    case 'choice':
      return { role: n.at, origin: n.origin };
    default:
      return undefined;
  }
}

/** A recursion label that `g` jumps to, before reaching `stop`, without binding it itself. */
function outerJump(g: GlobalType, stop: GlobalType): string | undefined {
  const bound = new Set<string>();
  const vars: string[] = [];
  walk(
    g,
    (n) => {
      if (n.kind === 'var') vars.push(n.label);
      if (n.kind === 'rec') bound.add(n.label);
      return undefined;
    },
    stop,
  );
  return vars.find((v) => !bound.has(v));
}

/** Every role that takes part in `g`. */
export function rolesOf(g: GlobalType): Set<Role> {
  const roles = new Set<Role>();
  walk(g, (n) => {
    if (n.kind === 'choice') roles.add(n.at);
    else if (n.kind !== 'rec' && n.kind !== 'seq' && n.kind !== 'var' && n.kind !== 'end') {
      roles.add(n.from);
      roles.add(n.to);
    }
    return undefined;
  });
  return roles;
}

/** `A`, `B` (names in backticks, comma-separated). */
function quoted(names: readonly string[]): string {
  return names.map((r) => `\`${r}\``).join(', ');
}
