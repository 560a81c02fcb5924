import {
  makeDiagnostic,
  type Diagnostic,
  type DiagnosticCode,
  type SourceFile,
  type Span,
} from '@mpst/scribble';
import type { ElaboratedProtocol, GlobalType, GRec, Message, Origin, Role } from './global.js';
import { inliningNotes, pushSuccessors, showMessage } from './global.js';
import { rolesOf } from './elaborate.js';
import {
  LEND,
  type LBranch,
  type LChoice,
  type LocalAction,
  type LocalType,
  type LPrefix,
} from './local.js';
import { branchesOf, lchoice, lprefix, plainMessage } from './local-nodes.js';
import { isInput } from './direction.js';
import { newWalk, NO_MARK, SEEN, visit } from './global-nodes.js';

/** The message of a `connect` written without one. */
const NO_MESSAGE: Message = Object.freeze({ label: '', payload: Object.freeze([]) });

/** Projection options. */
export interface ProjectOptions {
  /**
   * Whose choice rules apply. `scribble-java`: a role other than the chooser whose behaviour
   * differs between branches must first receive in each branch (it must be *enabled*);
   * branches may start alike (the EFSM keeps both edges). `nuscr` (default): full merge — a
   * third party's sends must coincide, its receives merge; a role may take part in some
   * branches only (its state may then also end); branches must start differently.
   */
  readonly mode?: 'scribble-java' | 'nuscr';
}

/** Thrown inside projection to abandon a role; caught in {@link project}. */
class ProjectionError extends Error {
  constructor(
    readonly code: DiagnosticCode,
    message: string,
    readonly origin: Origin | undefined,
    /** Where the conflicting other branch does what clashes (a note), if known. */
    readonly other?: { readonly origin: Origin; readonly message: string },
  ) {
    super(message);
  }
}

/**
 * Projects a global type onto one role: the role's local type. Choices are merged with *full
 * merge* (nuScr): a role that does not choose may receive different labels in different
 * branches from the same sender; its sends must coincide. Crash-stop (Teatrino): the chooser
 * drops crash branches of its own crash; every other role keeps them (a receiver's crash
 * detection); in crash-stop mode a receive from an unreliable sender needs a crash branch.
 */
export function project(
  protocol: ElaboratedProtocol,
  role: Role,
  options: ProjectOptions = {},
): { local: LocalType | undefined; diagnostics: Diagnostic[] } {
  const p = new Projector(protocol, role, (options.mode ?? 'nuscr') === 'scribble-java');
  try {
    return { local: p.project(protocol.body), diagnostics: [] };
  } catch (e) {
    if (!(e instanceof ProjectionError)) throw e;
    const o = e.origin ?? protocol.origin;
    const notes: { message: string; file?: SourceFile; span?: Span }[] = [];
    if (e.other)
      notes.push({
        message: e.other.message,
        file: e.other.origin.file,
        span: e.other.origin.span,
      });
    notes.push(...inliningNotes(o));
    return {
      local: undefined,
      diagnostics: [
        makeDiagnostic(
          o.file,
          e.code,
          `cannot project \`${protocol.name}\` onto role \`${role}\`: ${e.message}`,
          o.span,
          { notes },
        ),
      ],
    };
  }
}

/** Shows a local action as in EFSM labels: `B!m(T)`, `A?m(T)`, `A?crash`. */
export function showAction(a: LocalAction): string {
  switch (a.kind) {
    // (A message without payload without showMessage's string in between: an EFSM has a label
    // per transition, and a long protocol hundreds of thousands.)
    case 'send':
      return plainMessage(a.message)
        ? `${a.peer}!${a.message.label}()`
        : `${a.peer}!${showMessage(a.message)}`;
    case 'receive':
      return plainMessage(a.message)
        ? `${a.peer}?${a.message.label}()`
        : `${a.peer}?${showMessage(a.message)}`;
    case 'request':
      return `${a.peer}!!${showMessage(a.message)}`;
    case 'accept':
      return `${a.peer}??${showMessage(a.message)}`;
    case 'disconnect':
      return `${a.peer}-/-()`;
    case 'crash':
      return `${a.peer}?crash`;
    case 'wrap-client':
      return `${a.peer}(!!)wrap`;
    case 'wrap-server':
      return `${a.peer}(??)wrap`;
  }
}

function key(a: LocalAction): string {
  return a.kind === 'send' || a.kind === 'receive' || a.kind === 'request' || a.kind === 'accept'
    ? `${a.kind} ${a.peer} ${a.message.label}`
    : `${a.kind} ${a.peer}`;
}

class Projector {
  readonly #memo = new Map<GlobalType, LocalType>();
  /** Roles that may crash (crash-stop mode only). */
  readonly #unreliable: ReadonlySet<Role>;
  /** Receives that open a choice branch whose choice also has the matching crash branch. */
  readonly #covered = new Set<GlobalType>();
  /** Pairs being merged through recursion unfolding, for co-inductive merging. */
  readonly #merging = new Map<LocalType, Map<LocalType, { label: string; used: boolean }>>();
  /** Every recursion seen so far, by (unique) label. */
  readonly #recs = new Map<string, GlobalType>();
  /** Continuations already projected (or being projected) ahead of their blocks: {@link #prime}. */
  readonly #primed = new Set<GlobalType>();
  /** What every role's projection shares: the DAG's joins and its prefix chains by role. */
  readonly #dag: DagIndex;

  constructor(
    readonly protocol: ElaboratedProtocol,
    readonly role: Role,
    /** scribble-java mode (see {@link ProjectOptions.mode}). */
    readonly scribbleJava: boolean,
  ) {
    this.#unreliable = new Set(
      protocol.crashStop ? protocol.roles.filter((r) => !protocol.reliable.has(r)) : [],
    );
    this.#dag = dagIndex(protocol);
  }

  project(g: GlobalType): LocalType {
    const hit = this.#memo.get(g);
    if (hit) return hit;
    this.#prime(g);
    // A chain of prefixes is walked without recursion (long sequences must not exhaust the
    // stack), through the nodes where this role acts only (found once for all roles). Only
    // chain heads are memoised: other nodes are reached once.
    const chain = this.#dag.chain(g);
    const mine = chain.byRole.get(this.role);
    let l: LocalType;
    if (mine === undefined) l = chain.end === g ? this.#compound(g) : this.project(chain.end);
    else {
      // Errors in chain order first, as a walk from the head would find them.
      if (this.#unreliable.size > 0) for (const n of mine) this.#checkReceive(n);
      l = chain.end === g ? this.#compound(g) : this.project(chain.end);
      for (let i = mine.length - 1; i >= 0; i--) {
        const n = mine[i];
        if (n) l = lprefix(this.#action(n), l, n.origin);
      }
    }
    this.#memo.set(g, l);
    return l;
  }

  /**
   * Projects what follows the blocks after `g` first, last block first: the continuations of
   * choices and recursions in sequence (`next`, where their branches meet again). Otherwise
   * each choice projects the rest of the protocol from inside its branches, one stack frame
   * group per choice: k choices in sequence would need a stack k deep. Results are memoised,
   * so the branches then find their continuation projected. An error here is left for the walk
   * in order (which reports the first one, as before); priming stops there.
   */
  #prime(g: GlobalType): void {
    const later: GlobalType[] = [];
    for (let cur = g; ; ) {
      const end = this.#dag.chain(cur).end;
      const next = end.kind === 'choice' || end.kind === 'rec' ? end.next : undefined;
      if (next === undefined || next.kind === 'end' || this.#primed.has(next)) break;
      if (this.#memo.has(next)) break;
      this.#primed.add(next);
      later.push(next);
      cur = next;
    }
    for (let i = later.length - 1; i >= 0; i--) {
      const n = later[i];
      if (n === undefined) continue;
      try {
        this.project(n);
      } catch (e) {
        if (e instanceof ProjectionError) return;
        throw e;
      }
    }
  }

  /** A receive from a role that may crash needs a crash branch beside it (crash-stop mode). */
  #checkReceive(g: PrefixNode): void {
    const r = this.role;
    if (
      g.kind === 'message' &&
      g.to === r &&
      this.#unreliable.has(g.from) &&
      !this.#covered.has(g)
    ) {
      throw new ProjectionError(
        'MPST207',
        `\`${r}\` receives \`${showMessage(g.message)}\` from \`${g.from}\`, ` +
          `which may crash, but nothing handles that crash: put the message in ` +
          `\`choice at ${g.from} { ... } or { crash from ${g.from} to ${r}; ... ` +
          `}\`, mark it \`default\`, or declare \`reliable role ${g.from}\``,
        g.origin,
      );
    }
  }

  /** This role's action at a prefix node where it acts (see {@link DagIndex.chain}). */
  #action(g: PrefixNode): LocalAction {
    const r = this.role;
    switch (g.kind) {
      case 'message':
        return g.from === r
          ? { kind: 'send', peer: g.to, message: g.message }
          : { kind: 'receive', peer: g.from, message: g.message };
      case 'crash':
        return { kind: 'crash', peer: g.from };
      case 'connect':
        return g.from === r
          ? { kind: 'request', peer: g.to, message: g.message ?? NO_MESSAGE }
          : { kind: 'accept', peer: g.from, message: g.message ?? NO_MESSAGE };
      case 'disconnect':
        return { kind: 'disconnect', peer: g.from === r ? g.to : g.from };
      case 'wrap':
        return g.from === r
          ? { kind: 'wrap-client', peer: g.to }
          : { kind: 'wrap-server', peer: g.from };
    }
  }

  #compound(g: GlobalType): LocalType {
    switch (g.kind) {
      case 'end':
        return LEND;
      case 'var':
        return { kind: 'var', label: g.label };
      case 'rec': {
        this.#recs.set(g.label, g.body);
        let body = this.project(g.body);
        // A role not involved in the body: `rec X { continue X }` is `end`.
        if (body.kind === 'var' && body.label === g.label) return LEND;
        // A loop back to X at X's own head does nothing: drop it.
        if (body.kind === 'choice' && body.loops?.includes(g.label)) {
          const loops = body.loops.filter((x) => x !== g.label);
          if (body.branches.length === 0 && loops.length === 0) return LEND;
          if (body.branches.length === 0 && loops.length === 1)
            return { kind: 'var', label: loops[0] ?? g.label };
          body = lchoice(body.branches, loops);
        }
        return freeIn(g.label, body) ? { kind: 'rec', label: g.label, body } : body;
      }
      case 'choice':
        return this.#choice(g);
      case 'seq':
        return g.firstRoles.has(this.role) ? this.project(g.first) : this.project(g.then);
      default:
        throw new Error(`internal: ${g.kind} is a prefix`);
    }
  }

  #choice(g: Extract<GlobalType, { kind: 'choice' }>): LocalType {
    const r = this.role;
    // Nobody observes their own crash: drop crash branches of this role's crash.
    const branches = g.branches.filter((b) => !(b.kind === 'crash' && b.from === r));
    // A crash branch `crash from X to r; ...` (its leading crash notices) covers r's first
    // receive from X in every other branch.
    const notified = new Set<Role>();
    for (const c of branches) {
      for (let n: GlobalType = c; n.kind === 'crash'; n = n.cont)
        if (n.to === r) notified.add(n.from);
    }
    if (notified.size > 0) {
      for (const b of branches) {
        // A branch that itself notes X's crash is not covered by it: there, X has crashed and a
        // later receive from X needs a crash branch of its own.
        const seen = new Set<Role>();
        for (let n: GlobalType = b; n.kind === 'crash'; n = n.cont)
          if (n.to === r) seen.add(n.from);
        for (let n: GlobalType = b; n.kind === 'message' || n.kind === 'crash'; n = n.cont) {
          if (n.kind === 'message' && n.to === r && notified.has(n.from) && !seen.has(n.from)) {
            this.#covered.add(n);
            seen.add(n.from);
          }
          if (n.kind === 'message' && (n.from === r || n.to === r) && !notified.has(n.from)) break;
        }
      }
    }
    const locals = branches.map((b) => this.project(b));
    if (g.at === r) {
      // The chooser: each branch must start with its own output; the choice is their union.
      locals.forEach((local, i) => {
        let l = local;
        while (l.kind === 'rec') l = l.body;
        if (l.kind === 'var') return; // `continue X` as a whole branch: a loop back, merged below
        if (
          (l.kind !== 'choice' && l.kind !== 'prefix') ||
          branchesOf(l).some((b) => isInput(b.action))
        ) {
          const b = branches[i];
          throw new ProjectionError(
            'MPST201',
            `\`${r}\` chooses here, so it must ` +
              `${l.kind === 'choice' || l.kind === 'prefix' ? 'send, not receive,' : 'act'} ` +
              `first in every branch`,
            (b && firstOrigin(b)) ?? g.origin,
          );
        }
      });
      return this.#mergeAll(locals, g.origin, true);
    }
    // (A role whose behaviour is the same object in every branch of a real choice is not
    // involved in it: the shared continuation after the choice.)
    if (this.scribbleJava && !(locals.length > 1 && new Set(locals).size === 1)) {
      locals.forEach((l, i) => {
        // Looping back is fine only if the loop's head makes this role wait for a message.
        const label = l.kind === 'var' ? l.label : undefined;
        const head = label === undefined ? undefined : this.#recs.get(label);
        if (label !== undefined && head && this.#actsFirst(head) && this.#involvedIn(g)) {
          const b = branches[i];
          throw new ProjectionError(
            'MPST202',
            `\`${r}\` is not enabled in a branch of the choice at \`${g.at}\`: ` +
              `that branch goes back to \`${label}\`, where \`${r}\` sends before it ` +
              `is told which branch was chosen`,
            (b && firstOrigin(b)) ?? g.origin,
          );
        }
      });
    }
    if (this.scribbleJava && new Set(locals).size > 1) {
      locals.forEach((l, i) => {
        const bs = branchesOf(l);
        if (
          (l.kind === 'choice' || l.kind === 'prefix') &&
          !bs.every((b) => isInput(b.action)) &&
          this.#involvedIn(g)
        ) {
          const b = branches[i];
          throw new ProjectionError(
            'MPST202',
            `\`${r}\` is not enabled in a branch of the choice at \`${g.at}\`: it ` +
              'must receive a message before it sends ' +
              `(\`${showAction(bs[0]?.action ?? { kind: 'crash', peer: '?' })}\`)`,
            bs[0]?.origin ?? (b && firstOrigin(b)) ?? g.origin,
          );
        }
      });
    }
    return this.#mergeAll(locals, g.origin, false);
  }

  /**
   * Whether this role acts inside the branches of `g` (following `continue`s into their loops)
   * before they reach what follows the choice. scribble-java checks enabling only for such
   * roles: one that acts only after the choice (bad/liveness/messagelive/unfair/Test03b.scr)
   * needs no telling, whichever branch was taken. Called only before reporting: it walks.
   */
  #involvedIn(g: Extract<GlobalType, { kind: 'choice' }>): boolean {
    const r = this.role;
    const seen = new Set<GlobalType>();
    const stack: GlobalType[] = [...g.branches];
    for (let n = stack.pop(); n !== undefined; n = stack.pop()) {
      if (n === g.next || seen.has(n)) continue;
      seen.add(n);
      if (
        n.kind === 'choice'
          ? n.at === r
          : n.kind !== 'var' &&
            n.kind !== 'end' &&
            n.kind !== 'rec' &&
            n.kind !== 'seq' &&
            (n.from === r || n.to === r)
      )
        return true;
      if (n.kind === 'var') {
        const body = this.#recs.get(n.label);
        if (body) stack.push(body);
      } else pushSuccessors(n, stack);
    }
    return false;
  }

  /** Whether this role takes no part at all in the body of recursion `label`. */
  #idleIn(label: string): boolean {
    const body = this.#recs.get(label);
    return body !== undefined && !rolesOf(body).has(this.role);
  }

  /** Whether this role's first action in `g` may be an output (it would act unprompted). */
  #actsFirst(g: GlobalType): boolean {
    const seen = new Set<GlobalType>();
    const stack = [g];
    while (stack.length > 0) {
      const n = stack.pop();
      if (!n || seen.has(n)) continue;
      seen.add(n);
      switch (n.kind) {
        case 'message':
        case 'connect':
          if (n.from === this.role) return true;
          if (n.to !== this.role) stack.push(n.cont);
          break;
        case 'crash':
        case 'disconnect':
        case 'wrap':
          if (n.from !== this.role && n.to !== this.role) stack.push(n.cont);
          break;
        case 'choice':
          if (n.at === this.role) return true;
          stack.push(...n.branches);
          break;
        case 'rec':
          stack.push(n.body);
          break;
        case 'seq':
          stack.push(n.firstRoles.has(this.role) ? n.first : n.then);
          break;
        default:
          break;
      }
    }
    return false;
  }

  #mergeAll(locals: readonly LocalType[], origin: Origin | undefined, chooser: boolean): LocalType {
    let acc = locals[0] ?? LEND;
    for (let i = 1; i < locals.length; i++)
      acc = this.#merge(acc, locals[i] ?? LEND, origin, chooser);
    return acc;
  }

  /** Full merge of two branch projections (for the chooser, internal choices union). */
  #merge(a: LocalType, b: LocalType, origin: Origin | undefined, chooser: boolean): LocalType {
    if (a === b) return a;
    if (a.kind === 'end' && b.kind === 'end') return a;
    // scribble-java's explicit connections: a role that only accepts a connection in one
    // branch and does nothing in the other waits for a connection that may never come — as
    // scribble-java reads it, a role never connected has not started (the verifier counts a
    // role still in its first state, only accepting, as done; anywhere else it is stuck).
    if (this.scribbleJava && a.kind === 'end' && onlyAccepts(b)) return b;
    if (this.scribbleJava && b.kind === 'end' && onlyAccepts(a)) return a;
    if (a.kind === 'var' && b.kind === 'var' && a.label === b.label) return a;
    if (a.kind === 'rec' && b.kind === 'rec' && a.label === b.label) {
      return { kind: 'rec', label: a.label, body: this.#merge(a.body, b.body, origin, chooser) };
    }
    // A branch that only loops back (`continue X` for this role) adds an epsilon edge to X.
    if (a.kind === 'var' && (acts(b) || b.kind === 'var'))
      return this.#merge(loopChoice(a.label), b, origin, chooser);
    if (b.kind === 'var' && acts(a)) return this.#merge(a, loopChoice(b.label), origin, chooser);
    // Recursion against something else: unfold once. Merging the same pair again inside is a
    // loop of the merged type: tie it with a fresh recursion (co-inductive merge).
    if ((a.kind === 'rec' && b.kind !== 'end') || (b.kind === 'rec' && a.kind !== 'end')) {
      const inner = this.#merging.get(a)?.get(b);
      if (inner) {
        inner.used = true;
        return { kind: 'var', label: inner.label };
      }
      const entry = {
        label: `${a.kind === 'rec' ? a.label : ''}_${b.kind === 'rec' ? b.label : ''}_m${String(this.#merging.size)}`,
        used: false,
      };
      const row = this.#merging.get(a) ?? new Map<LocalType, { label: string; used: boolean }>();
      row.set(b, entry);
      this.#merging.set(a, row);
      const merged = this.#merge(
        a.kind === 'rec' ? unfold(a) : a,
        b.kind === 'rec' ? unfold(b) : b,
        origin,
        chooser,
      );
      row.delete(b);
      return entry.used ? { kind: 'rec', label: entry.label, body: merged } : merged;
    }
    // A role with nothing left to do here either way: looping idly is ending.
    if (a.kind === 'end' && b.kind === 'choice' && b.branches.length === 0) return a;
    if (b.kind === 'end' && a.kind === 'choice' && a.branches.length === 0) return b;
    // Looping back into a loop this role takes no part in is, for this role, ending.
    if (
      (a.kind === 'var' && b.kind === 'end' && this.#idleIn(a.label)) ||
      (b.kind === 'var' && a.kind === 'end' && this.#idleIn(b.label))
    )
      return LEND;
    if (acts(a) && acts(b)) {
      const ab = branchesOf(a);
      const bb = branchesOf(b);
      if (ab.length === 0 || bb.length === 0) return this.#union(a, b, origin);
      const aIn = ab.every((x) => isInput(x.action));
      const bIn = bb.every((x) => isInput(x.action));
      const aOut = ab.every((x) => !isInput(x.action));
      const bOut = bb.every((x) => !isInput(x.action));
      if (aIn && bIn) {
        const peers = new Set(
          [...ab, ...bb].filter((x) => x.action.kind !== 'crash').map((x) => x.action.peer),
        );
        if (peers.size > 1) {
          // Point at a receive of the later branch, with a note at one of the earlier branch.
          const x = ab.find((u) => u.action.kind !== 'crash');
          const y =
            bb.find((v) => v.action.kind !== 'crash' && v.action.peer !== x?.action.peer) ?? bb[0];
          throw new ProjectionError(
            'MPST203',
            `\`${this.role}\` would not know whom to wait for: it receives from ` +
              `${[...peers].map((p) => `\`${p}\``).join(' in one branch and from ')} in another`,
            y?.origin ?? origin,
            clash(x, this.role, origin),
          );
        }
        return this.#union(a, b, origin);
      }
      if (aOut && bOut) {
        if (chooser) return this.#union(a, b, origin, true);
        const ka = ab
          .map((x) => key(x.action))
          .sort()
          .join('|');
        const kb = bb
          .map((x) => key(x.action))
          .sort()
          .join('|');
        if (ka !== kb) {
          throw new ProjectionError(
            'MPST210',
            `\`${this.role}\` does not choose here, yet it ${describeFirst(a)} in ` +
              `one branch and ${describeFirst(b)} in another`,
            bb[0]?.origin ?? origin,
            clash(ab[0], this.role, origin),
          );
        }
        return this.#union(a, b, origin);
      }
    }
    const [x, y] = [firstBranch(a), firstBranch(b)];
    throw new ProjectionError(
      'MPST210',
      `\`${this.role}\` ${describeFirst(a)} in one branch but ` +
        `${describeFirst(b)} in another, and cannot tell the branches apart`,
      (y ?? x)?.origin ?? origin,
      clash(y ? x : undefined, this.role, origin),
    );
  }

  /** Union of two choices' branches; equal actions merge their continuations. */
  #union(
    a: LPrefix | LChoice,
    b: LPrefix | LChoice,
    origin: Origin | undefined,
    chooser = false,
  ): LPrefix | LChoice {
    const out: LBranch[] = [...branchesOf(a)];
    for (const y of branchesOf(b)) {
      const k = key(y.action);
      const i = out.findIndex((x) => key(x.action) === k);
      const x = i < 0 ? undefined : out[i];
      if (!x) {
        out.push(y);
        continue;
      }
      if (chooser && !this.scribbleJava) {
        throw new ProjectionError(
          'MPST204',
          `two branches of \`${this.role}\`'s choice start with ` +
            `\`${showAction(y.action)}\`: the others could not tell them apart`,
          y.origin ?? origin,
        );
      }
      if (
        (x.action.kind === 'send' || x.action.kind === 'receive') &&
        (y.action.kind === 'send' || y.action.kind === 'receive')
      ) {
        if (payloadTypes(x.action.message.payload) !== payloadTypes(y.action.message.payload)) {
          throw new ProjectionError(
            'MPST204',
            `\`${this.role}\` cannot tell \`${showMessage(x.action.message)}\` ` +
              `from \`${showMessage(y.action.message)}\`: one label, two payloads`,
            y.origin ?? origin,
          );
        }
      }
      // scribble-java keeps both edges (a non-deterministic EFSM): which branch the role is in
      // is decided when it takes the edge, and its model checker judges the consequences.
      if (this.scribbleJava && x.cont !== y.cont) {
        out.push(y);
        continue;
      }
      let cont: LocalType;
      try {
        cont = this.#merge(x.cont, y.cont, y.origin ?? origin, false);
      } catch (e) {
        // scribble-java keeps both edges (a non-deterministic EFSM) and leaves the consequences
        // to its model checker; nuScr's full merge rejects.
        if (!(e instanceof ProjectionError) || !this.scribbleJava) throw e;
        out.push(y);
        continue;
      }
      out[i] = { action: x.action, cont, origin: x.origin };
    }
    const al = a.kind === 'choice' ? a : undefined;
    const bl = b.kind === 'choice' ? b : undefined;
    const loops = [...new Set([...(al?.loops ?? []), ...(bl?.loops ?? [])])];
    const loopTo = [...new Set([...(al?.loopTo ?? []), ...(bl?.loopTo ?? [])])];
    return lchoice(out, loops, loopTo);
  }
}

/** A state whose only actions accept connections. */
function onlyAccepts(l: LocalType): boolean {
  if (l.kind !== 'prefix' && l.kind !== 'choice') return false;
  const bs = branchesOf(l);
  return (
    bs.length > 0 &&
    bs.every((b) => b.action.kind === 'accept') &&
    (l.kind === 'prefix' || (!l.loops?.length && !l.loopTo?.length))
  );
}

/** A state that acts (or loops): a prefix or a choice. */
function acts(l: LocalType): l is LPrefix | LChoice {
  return l.kind === 'prefix' || l.kind === 'choice';
}

/** A node of the global DAG that is one interaction with a continuation. */
type PrefixNode = Extract<GlobalType, { cont: GlobalType }>;

/**
 * A maximal chain of prefix nodes from a head: for each role, the nodes where it acts (in
 * order), and the first node after the chain (a compound node, or a join of the DAG; the head
 * itself when the head is compound).
 */
interface Chain {
  readonly byRole: ReadonlyMap<Role, readonly PrefixNode[]>;
  readonly end: GlobalType;
}

/**
 * Per protocol, what the projections of all its roles share: which nodes are joins (several
 * parents; projections are memoised there) and, by chain head, the nodes of the chain where
 * each role acts. A long sequence is walked once for all roles instead of once per role.
 */
class DagIndex {
  readonly #shared: ReadonlySet<GlobalType>;
  readonly #chains = new Map<GlobalType, Chain>();
  /** Every recursion of the DAG, in depth-first order (as {@link walk} visits them). */
  readonly recursions: readonly GRec[];

  constructor(body: GlobalType) {
    // Message nodes elaboration built are marked in place (no set entry per interaction).
    const walk = newWalk();
    const seen = new Set<GlobalType>();
    const shared = new Set<GlobalType>();
    const recursions: GRec[] = [];
    const stack: GlobalType[] = [body];
    for (let n = stack.pop(); n !== undefined; n = stack.pop()) {
      const mark = visit(n, walk);
      if (mark === SEEN || (mark === NO_MARK && seen.has(n))) {
        shared.add(n);
        continue;
      }
      if (mark === NO_MARK) seen.add(n);
      if (n.kind === 'rec') recursions.push(n);
      pushSuccessors(n, stack);
    }
    this.#shared = shared;
    this.recursions = recursions;
  }

  chain(head: GlobalType): Chain {
    const hit = this.#chains.get(head);
    if (hit) return hit;
    const byRole = new Map<Role, PrefixNode[]>();
    let cur = head;
    const add = (r: Role, n: PrefixNode): void => {
      const list = byRole.get(r);
      if (list) list.push(n);
      else byRole.set(r, [n]);
    };
    while ((cur === head || !this.#shared.has(cur)) && 'cont' in cur) {
      // The roles that act here: the notified role of a crash notice, both ends otherwise.
      if (cur.kind !== 'crash' && cur.from !== cur.to) add(cur.from, cur);
      add(cur.to, cur);
      cur = cur.cont;
    }
    const chain: Chain = { byRole, end: cur };
    this.#chains.set(head, chain);
    return chain;
  }
}

const DAGS = new WeakMap<ElaboratedProtocol, DagIndex>();

/**
 * Every `rec` of a protocol's DAG, in depth-first order. Shares the traversal projection makes
 * anyway (a long protocol is walked once, not once per question).
 */
export function recursionsOf(p: ElaboratedProtocol): readonly GRec[] {
  return dagIndex(p).recursions;
}

/** The {@link DagIndex} of a protocol (computed once per protocol). */
function dagIndex(p: ElaboratedProtocol): DagIndex {
  let d = DAGS.get(p);
  if (!d) {
    d = new DagIndex(p.body);
    DAGS.set(p, d);
  }
  return d;
}

/** Payload types without nuScr's variable names (`x: Int` and `y: Int` carry the same type). */
function payloadTypes(payload: readonly string[]): string {
  return payload.map((p) => p.replace(/^[^:@]*:\s*/, '')).join(',');
}

/** A state that does nothing but loop back to `label`. */
function loopChoice(label: string): LChoice {
  return { kind: 'choice', branches: [], loops: [label] };
}

/** `rec X { B }` unfolded once: B with free `X` replaced by the recursion itself. */
function unfold(r: Extract<LocalType, { kind: 'rec' }>): LocalType {
  const memo = new Map<LocalType, LocalType>();
  const go = (l: LocalType): LocalType => {
    const hit = memo.get(l);
    if (hit) return hit;
    let out: LocalType = l;
    if (l.kind === 'var' && l.label === r.label) out = r;
    else if (l.kind === 'rec' && l.label !== r.label) {
      const body = go(l.body);
      out = body === l.body ? l : { kind: 'rec', label: l.label, body };
    } else if (l.kind === 'prefix') {
      const cont = go(l.cont);
      out = cont === l.cont ? l : lprefix(l.action, cont, l.origin);
    } else if (l.kind === 'choice') {
      const branches = l.branches.map((b) => {
        const cont = go(b.cont);
        return cont === b.cont ? b : { ...b, cont };
      });
      // An epsilon loop to X now points at the recursion object itself (no enclosing `rec X`).
      const loopsX = l.loops?.includes(r.label) ?? false;
      if (loopsX || !branches.every((b, i) => b === l.branches[i])) {
        const loops = l.loops?.filter((x) => x !== r.label) ?? [];
        const loopTo = loopsX ? [...(l.loopTo ?? []), r] : (l.loopTo ?? []);
        out = lchoice(branches, loops, loopTo);
      }
    }
    memo.set(l, out);
    return out;
  };
  return go(r.body);
}

function describeFirst(l: LocalType): string {
  if (l.kind === 'rec') return describeFirst(l.body);
  if (l.kind === 'var') return `goes back to \`${l.label}\``;
  const a = firstBranch(l)?.action;
  if (!a) return 'does nothing';
  const what =
    a.kind === 'send'
      ? `sends \`${showMessage(a.message)}\` to`
      : a.kind === 'receive'
        ? `receives \`${showMessage(a.message)}\` from`
        : `${a.kind}s`;
  return `${what} \`${a.peer}\``;
}

/** The first action of a local type (through `rec`), if it acts at once. */
function firstBranch(l: LocalType): LBranch | undefined {
  if (l.kind === 'rec') return firstBranch(l.body);
  return l.kind === 'prefix' || l.kind === 'choice' ? branchesOf(l)[0] : undefined;
}

/**
 * A note for the other side of a merge conflict: where `role` does `b` in the other branch or,
 * when it does nothing there, the choice it is not told about.
 */
function clash(
  b: LBranch | undefined,
  role: Role,
  choice: Origin | undefined,
): { origin: Origin; message: string } | undefined {
  if (b?.origin)
    return {
      origin: b.origin,
      message: `in another branch, \`${role}\` does \`${showAction(b.action)}\` instead`,
    };
  return choice
    ? { origin: choice, message: `the choice whose branch \`${role}\` is not told` }
    : undefined;
}

function firstOrigin(g: GlobalType): Origin | undefined {
  return g.kind === 'end' ? undefined : g.kind === 'seq' ? firstOrigin(g.first) : g.origin;
}

/** Whether `label` occurs free in `l` (iterative; local types can be long chains). */
function freeIn(label: string, l: LocalType): boolean {
  const seen = new Set<LocalType>();
  const stack: LocalType[] = [l];
  while (stack.length > 0) {
    const n = stack.pop();
    if (!n || seen.has(n)) continue;
    seen.add(n);
    if (n.kind === 'var' && n.label === label) return true;
    if (n.kind === 'rec' && n.label !== label) stack.push(n.body);
    if (n.kind === 'prefix') stack.push(n.cont);
    if (n.kind === 'choice') {
      if (n.loops?.includes(label)) return true;
      for (const b of n.branches) stack.push(b.cont);
      for (const t of n.loopTo ?? []) stack.push(t);
    }
  }
  return false;
}
