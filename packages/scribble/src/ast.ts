import type { Comment } from './lexer.js';
import type { SourceFile, Span } from './source.js';

/**
 * The typed syntax tree of one Scribble file. Every node has a `span` (offsets into
 * {@link Module.file}); `file.slice(node.span)` recovers its exact source text. The tree is a
 * faithful record of what was written (one grammar for scribble-java, nuScr, Teatrino and our
 * extensions); meaning is given by later passes.
 */

interface NodeBase {
  readonly span: Span;
}

/** A simple name: a role, label, recursion label, parameter or protocol name. */
export interface Name extends NodeBase {
  readonly kind: 'Name';
  readonly text: string;
}

/** A dotted name such as `a.b.C` (module, protocol, data type or signature names). */
export interface QualifiedName extends NodeBase {
  readonly kind: 'QualifiedName';
  readonly parts: readonly Name[];
  /** The parts joined with `.`. */
  readonly text: string;
}

/** A double-quoted string as written, e.g. `"java.lang.Integer"`. */
export interface StringLiteral extends NodeBase {
  readonly kind: 'String';
  /** The text between the quotes. */
  readonly value: string;
}

/** One file. */
export interface Module extends NodeBase {
  readonly kind: 'Module';
  readonly file: SourceFile;
  /** nuScr pragmas, `(*# NestedProtocols, ... #*)`. */
  readonly pragmas: readonly Pragma[];
  /** `module a.b.C;` (scribble-java dialect); absent in nuScr and Teatrino files. */
  readonly moduleDecl: ModuleDecl | undefined;
  readonly imports: readonly ImportDecl[];
  /** `type`/`data` and `sig` declarations, in source order. */
  readonly nonProtocolDecls: readonly NonProtocolDecl[];
  /** Top-level global protocols and nuScr top-level `nested protocol`s, in source order. */
  readonly protocols: readonly GlobalProtocol[];
  /** Every comment of the file, in source order. */
  readonly comments: readonly Comment[];
}

export interface Pragma extends NodeBase {
  readonly kind: 'Pragma';
  readonly name: Name;
  readonly value: Name | undefined;
}

export interface ModuleDecl extends NodeBase {
  readonly kind: 'ModuleDecl';
  readonly name: QualifiedName;
}

export interface ImportDecl extends NodeBase {
  readonly kind: 'ImportDecl';
  readonly module: QualifiedName;
  readonly alias: Name | undefined;
}

/** `type <java> "java.lang.Integer" from "rt.jar" as Int;` (`data` is a synonym) or `sig <...> ... as M;`. */
export interface NonProtocolDecl extends NodeBase {
  readonly kind: 'DataDecl' | 'SigDecl';
  /** The keyword used: `type`, `data` or `sig`. */
  readonly keyword: 'type' | 'data' | 'sig';
  readonly schema: Name;
  readonly externalName: StringLiteral;
  readonly source: StringLiteral;
  readonly alias: Name;
}

/** `[aux] [explicit] global protocol P<params>(roles) { ... }`, or a nuScr `nested protocol`. */
export interface GlobalProtocol extends NodeBase {
  readonly kind: 'GlobalProtocol';
  readonly aux: boolean;
  readonly explicit: boolean;
  /** True for nuScr's `nested protocol`. */
  readonly nested: boolean;
  /** How the header was written, so the formatter can keep nuScr's `protocol P` short form. */
  readonly header: 'global protocol' | 'global' | 'protocol' | 'nested protocol';
  readonly name: Name;
  readonly params: readonly ParamDecl[];
  /** True when the parameter list was written, even if empty (`P<>(...)`). */
  readonly paramsWritten: boolean;
  readonly roles: readonly RoleDecl[];
  /** nuScr nested protocols: roles after `; new`, created by the callee. */
  readonly newRoles: readonly RoleDecl[];
  /** nuScr annotation `@"..."` after the header. */
  readonly annotation: StringLiteral | undefined;
  /** nuScr nested protocol declarations at the start of the body. */
  readonly nestedProtocols: readonly GlobalProtocol[];
  readonly body: Block;
}

/** `type T` / `data T` (a payload type parameter) or `sig M` (a message signature parameter). */
export interface ParamDecl extends NodeBase {
  readonly kind: 'ParamDecl';
  readonly keyword: 'type' | 'data' | 'sig';
  readonly name: Name;
}

/** `role A`, or Teatrino's `reliable role A`. */
export interface RoleDecl extends NodeBase {
  readonly kind: 'RoleDecl';
  readonly name: Name;
  readonly reliable: boolean;
}

/** `{ ... }`: a sequence of interactions. */
export interface Block extends NodeBase {
  readonly kind: 'Block';
  readonly interactions: readonly Interaction[];
}

/** Any statement of a global protocol body. */
export type Interaction =
  | MessageTransfer
  | CrashNotice
  | Choice
  | Foreach
  | Recursion
  | Continue
  | Do
  | Calls
  | Connect
  | Disconnect
  | Wrap;

/** `m(T) from A to B, C;` — optionally our `default` marker: `m(T) from A to B default;`. */
export interface MessageTransfer extends NodeBase {
  readonly kind: 'MessageTransfer';
  readonly message: Message;
  readonly from: Name;
  readonly to: readonly Name[];
  /** Span of the `default` keyword of a one-branch default communication. */
  readonly default: Span | undefined;
  readonly annotation: StringLiteral | undefined;
}

/** Teatrino's `crash from A to B, C;`: B (and C) learn that A crashed. */
export interface CrashNotice extends NodeBase {
  readonly kind: 'CrashNotice';
  readonly from: Name;
  readonly to: readonly Name[];
}

/** A message: a signature literal `label(payloads)`, or a bare name (a sig name, or a nuScr label). */
export type Message = SignatureLiteral | MessageName;

/** `label(T1, T2)`; `label` may be absent in scribble-java (`(T) from A to B;`). */
export interface SignatureLiteral extends NodeBase {
  readonly kind: 'SignatureLiteral';
  readonly label: Name | undefined;
  readonly payloads: readonly PayloadElement[];
}

/** A bare name used as a message: a `sig` name or parameter, or (nuScr) a label with no payload. */
export interface MessageName extends NodeBase {
  readonly kind: 'MessageName';
  readonly name: QualifiedName;
}

export type PayloadElement = PayloadType | NamedPayload | DelegationPayload;

/** A payload type, possibly qualified: `Int`, `a.b.Data`. */
export interface PayloadType extends NodeBase {
  readonly kind: 'PayloadType';
  readonly type: QualifiedName;
}

/** nuScr `x: Int` or refined `x: Int{x > 0}`. */
export interface NamedPayload extends NodeBase {
  readonly kind: 'NamedPayload';
  readonly variable: Name;
  readonly type: QualifiedName;
  readonly refinement: Expression | undefined;
}

/** Delegation `Proto@Role`. */
export interface DelegationPayload extends NodeBase {
  readonly kind: 'DelegationPayload';
  readonly protocol: QualifiedName;
  readonly role: Name;
}

/** `choice at A { ... } or { ... }`; a branch may be our `or default { ... }`. */
export interface Choice extends NodeBase {
  readonly kind: 'Choice';
  readonly at: Name;
  readonly branches: readonly ChoiceBranch[];
}

export interface ChoiceBranch extends NodeBase {
  readonly kind: 'ChoiceBranch';
  /** Span of the `default` keyword if this is the default branch. */
  readonly default: Span | undefined;
  readonly body: Block;
}

/**
 * Our role-list repetition: `foreach A in A1, A2, A3 { do Promise(A, P); }` means the body
 * once per listed role, in order, with `A` standing for that role.
 */
export interface Foreach extends NodeBase {
  readonly kind: 'Foreach';
  readonly variable: Name;
  readonly roles: readonly Name[];
  readonly body: Block;
}

/** `rec X { ... }`; nuScr may declare recursion variables `rec X [x<A>: Int = 0] { ... }`. */
export interface Recursion extends NodeBase {
  readonly kind: 'Recursion';
  readonly label: Name;
  readonly variables: readonly RecursionVariable[] | undefined;
  readonly body: Block;
}

/** nuScr `x<A, B>: Int = 0`. */
export interface RecursionVariable extends NodeBase {
  readonly kind: 'RecursionVariable';
  readonly name: Name;
  readonly roles: readonly Name[];
  readonly type: PayloadElement;
  readonly init: Expression;
}

/** `continue X;` or nuScr `continue X [e1, e2];`. */
export interface Continue extends NodeBase {
  readonly kind: 'Continue';
  readonly label: Name;
  readonly args: readonly Expression[] | undefined;
}

/** `do P<args>(A, B);` */
export interface Do extends NodeBase {
  readonly kind: 'Do';
  readonly protocol: QualifiedName;
  /** Non-role arguments `<M, T>`, undefined when no `<...>` was written. */
  readonly args: readonly NonRoleArgument[] | undefined;
  readonly roleArgs: readonly Name[];
  readonly annotation: StringLiteral | undefined;
}

/** A non-role argument of `do`: a signature literal, or a (possibly qualified) data/sig name. */
export type NonRoleArgument = SignatureLiteral | QualifiedName;

/** nuScr `A calls P(A, B);` */
export interface Calls extends NodeBase {
  readonly kind: 'Calls';
  readonly caller: Name;
  readonly protocol: Name;
  readonly roleArgs: readonly Name[];
  readonly annotation: StringLiteral | undefined;
}

/** Explicit connections: `connect A to B;` or `m(T) connect A to B;`. */
export interface Connect extends NodeBase {
  readonly kind: 'Connect';
  readonly message: Message | undefined;
  readonly from: Name;
  readonly to: Name;
}

/** `disconnect A and B;` */
export interface Disconnect extends NodeBase {
  readonly kind: 'Disconnect';
  readonly left: Name;
  readonly right: Name;
}

/** `wrap A to B;` */
export interface Wrap extends NodeBase {
  readonly kind: 'Wrap';
  readonly from: Name;
  readonly to: Name;
}

/** nuScr refinement expressions. */
export type Expression =
  | { readonly kind: 'IntLiteral'; readonly span: Span; readonly value: number }
  | { readonly kind: 'BoolLiteral'; readonly span: Span; readonly value: boolean }
  | { readonly kind: 'StringExpr'; readonly span: Span; readonly value: string }
  | { readonly kind: 'VarExpr'; readonly span: Span; readonly name: string }
  | {
      readonly kind: 'UnaryExpr';
      readonly span: Span;
      readonly op: 'not' | '-' | 'len';
      readonly operand: Expression;
    }
  | {
      readonly kind: 'BinaryExpr';
      readonly span: Span;
      readonly op: BinaryOperator;
      readonly left: Expression;
      readonly right: Expression;
    }
  | { readonly kind: 'ParenExpr'; readonly span: Span; readonly inner: Expression };

export type BinaryOperator = '&&' | '||' | '=' | '<>' | '<' | '>' | '<=' | '>=' | '+' | '-';

/**
 * The keywords of the grammar. None is reserved: where a name is expected any word is a name,
 * and the parser decides keywords by position (docs/language.md, "Keywords are decided by
 * position"). Diagnostics use the set to call a word a keyword.
 */
export const RESERVED_WORDS: ReadonlySet<string> = new Set([
  'module',
  'import',
  'type',
  'data',
  'sig',
  'protocol',
  'as',
  'global',
  'local',
  'explicit',
  'aux',
  'role',
  'self',
  'from',
  'to',
  'connect',
  'disconnect',
  'wrap',
  'and',
  'choice',
  'at',
  'or',
  'rec',
  'continue',
  'do',
  'nested',
  'calls',
  'new',
]);
