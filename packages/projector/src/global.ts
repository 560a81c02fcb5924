import type { SourceFile, Span } from '@mpst/scribble';

/** A role name. */
export type Role = string;

/** Where an IR node came from, for diagnostics and pictures. */
export interface Origin {
  readonly file: SourceFile;
  readonly span: Span;
  /** The chain of `do` calls that inlined this node, outermost first (protocol names). */
  readonly via?: readonly string[];
  /**
   * The innermost `do` (or `calls`) that inlined this node; its own `origin.call` is the next
   * one out. One object per call, so pictures can box each call (`do P(A, B)`) on its own.
   */
  readonly call?: DoCall;
}

/** One inlined `do P(A, B);` (or nuScr `calls`): shared by every node the call produced. */
export interface DoCall {
  /** The called protocol's simple name. */
  readonly protocol: string;
  /** The actual role arguments (the protocol's own roles), in the callee's parameter order. */
  readonly roles: readonly Role[];
  /** The role arguments as written at the call (the caller's names, for an inlined caller). */
  readonly written: readonly string[];
  /** The callee's role parameters, as declared (`roles[i]` plays `params[i]`). */
  readonly params: readonly Role[];
  /** The call statement, in the caller. */
  readonly origin: Origin;
}

/** A message: label and payload types as text (`Int`, `x: Int`, `Proto@Role`). */
export interface Message {
  readonly label: string;
  readonly payload: readonly string[];
  /**
   * Set on the invitations of a nested-protocol call (nuScr `A calls P(A, B);`): the caller
   * sends one to each other role argument. Their label is nuScr's `call(A, P(A,B))`, which no
   * source label can spell, and they carry no payload.
   */
  readonly call?: Invitation;
}

/**
 * The call an invitation message belongs to: `caller calls protocol(roles)`, or `do
 * protocol(roles)` of a global protocol under nuScr's `NestedProtocols` pragma (caller = the
 * first role).
 */
export interface Invitation {
  readonly caller: Role;
  readonly protocol: string;
  readonly roles: readonly Role[];
  readonly written: 'calls' | 'do';
}

/**
 * The global-type IR that elaboration produces: `do` inlined, multicast split, sequencing by
 * continuation. It is a DAG: the continuation after a choice is one shared object referenced
 * from every branch, so composing k choices costs O(k), not O(2^k).
 */
export type GlobalType = GMessage | GCrash | GChoice | GRec | GVar | GEnd | GConnection | GSeq;

/**
 * `first; then` where `first` never ends (it only loops): the roles of `first` stay in it
 * forever, every other role goes on with `then` (scribble-java's reading of statements after a
 * non-terminating `rec`).
 */
export interface GSeq {
  readonly kind: 'seq';
  readonly first: GlobalType;
  readonly then: GlobalType;
  /** Roles that take part in `first`. */
  readonly firstRoles: ReadonlySet<Role>;
}

/** `from → to: message; cont`. */
export interface GMessage {
  readonly kind: 'message';
  readonly from: Role;
  readonly to: Role;
  readonly message: Message;
  readonly cont: GlobalType;
  readonly origin: Origin | undefined;
}

/**
 * `crash from → to; cont`: `to` learns that `from` crashed. As the first interaction of a
 * choice branch it marks that branch as the crash-handling branch (Teatrino).
 */
export interface GCrash {
  readonly kind: 'crash';
  readonly from: Role;
  readonly to: Role;
  readonly cont: GlobalType;
  readonly origin: Origin | undefined;
  /** True when this came from desugaring a default communication (`or default { ... }`). */
  readonly fromDefault: boolean;
}

/** `choice at chooser { b1 } or { b2 } ...`; each branch already includes the continuation. */
export interface GChoice {
  readonly kind: 'choice';
  readonly at: Role;
  readonly branches: readonly GlobalType[];
  readonly origin: Origin | undefined;
  /** Index of the branch written `or default { ... }`, if any. */
  readonly defaultBranch: number | undefined;
  /**
   * What follows the choice: the continuation its branches share (they join there again);
   * branches that end or jump back never reach it. Set by elaboration; pictures draw it once.
   */
  readonly next?: GlobalType;
}

/** `rec label { body }`. */
export interface GRec {
  readonly kind: 'rec';
  readonly label: string;
  readonly body: GlobalType;
  readonly origin: Origin | undefined;
  /** True when the recursion comes from a recursive `do`/`calls`, not a written `rec`. */
  readonly fromDo?: boolean;
  /** What follows the recursion (reached by the paths that leave it), as for {@link GChoice.next}. */
  readonly next?: GlobalType;
}

/** `continue label;` */
export interface GVar {
  readonly kind: 'var';
  readonly label: string;
  readonly origin: Origin | undefined;
}

/** The end of the protocol. */
export interface GEnd {
  readonly kind: 'end';
}

/** scribble-java explicit connections: `connect`, `disconnect`, `wrap`. */
export interface GConnection {
  readonly kind: 'connect' | 'disconnect' | 'wrap';
  readonly from: Role;
  readonly to: Role;
  /** The message of `m() connect A to B;` (connect only). */
  readonly message: Message | undefined;
  readonly cont: GlobalType;
  readonly origin: Origin | undefined;
}

/** The single `end` node. */
export const END: GEnd = Object.freeze({ kind: 'end' });

/** A protocol after elaboration. */
export interface ElaboratedProtocol {
  readonly name: string;
  /** Full name, `module.Protocol` when the file has a module. */
  readonly qualifiedName: string;
  readonly roles: readonly Role[];
  /** scribble-java `explicit` (connections are explicit) and `aux` modifiers, as declared. */
  readonly explicit: boolean;
  readonly aux: boolean;
  /** For a nuScr `nested protocol`: its roles created by the callee (`; new role V`), last in `roles`. */
  readonly nested?: { readonly newRoles: readonly Role[] };
  /** Roles declared `reliable` (Teatrino). */
  readonly reliable: ReadonlySet<Role>;
  /**
   * True when crash-stop semantics apply: the protocol declares a `reliable` role or uses
   * `crash` or a default communication. Then every role not declared reliable may crash.
   */
  readonly crashStop: boolean;
  readonly body: GlobalType;
  /** The protocol's name in its declaration: where a diagnostic about the whole protocol points. */
  readonly origin: Origin;
}

/** Pushes the successors of `g` in the DAG (branches, body, continuation) onto `stack`. */
export function pushSuccessors(g: GlobalType, stack: GlobalType[]): void {
  switch (g.kind) {
    case 'choice':
      for (const b of g.branches) stack.push(b);
      return;
    case 'rec':
      stack.push(g.body);
      return;
    case 'seq':
      stack.push(g.first, g.then);
      return;
    case 'var':
    case 'end':
      return;
    default:
      stack.push(g.cont);
  }
}

/**
 * Visits every node reachable from `g` once, depth-first without recursion (protocols can be
 * very long chains), not entering `stop`. Returns true as soon as `visit` returns true.
 */
export function walk(
  g: GlobalType,
  visit: (n: GlobalType) => boolean | undefined,
  stop?: GlobalType,
): boolean {
  const seen = new Set<GlobalType>();
  const stack: GlobalType[] = [g];
  for (let n = stack.pop(); n !== undefined; n = stack.pop()) {
    if (n === stop || seen.has(n)) continue;
    seen.add(n);
    if (visit(n) === true) return true;
    pushSuccessors(n, stack);
  }
  return false;
}

/** Formats a message as `label(T1, T2)`. */
export function showMessage(m: Message): string {
  if (m.call) return m.label;
  return m.payload.length === 0 ? `${m.label}()` : `${m.label}(${m.payload.join(', ')})`;
}

/**
 * Diagnostic notes for a node that `do` inlined: one per call, innermost first, at the call,
 * saying which role plays which parameter (the node's own text uses the callee's names).
 */
export function inliningNotes(o: Origin): { message: string; file: SourceFile; span: Span }[] {
  const notes: { message: string; file: SourceFile; span: Span }[] = [];
  for (let c = o.call; c; c = c.origin.call) {
    // `X` is `Q` (`B` here): the parameter, the argument as written, the protocol's own role.
    const shown = c.params.map((p, i) => {
      const w = c.written[i] ?? p;
      const r = c.roles[i] ?? w;
      return p === w && w === r
        ? undefined
        : `\`${p}\` is \`${w}\`${w === r ? '' : ` (\`${r}\` here)`}`;
    });
    const renamed = shown.filter((x) => x !== undefined);
    const roles = renamed.length === 0 ? '' : `, where ${renamed.join(', ')}`;
    notes.push({
      message: `inlined from \`do ${c.protocol}(${c.written.join(', ')})\`${roles}`,
      file: c.origin.file,
      span: c.origin.span,
    });
  }
  return notes;
}
