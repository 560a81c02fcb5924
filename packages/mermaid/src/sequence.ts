import {
  pushSuccessors,
  showMessage,
  walk,
  type DoCall,
  type ElaboratedProtocol,
  type GlobalType,
  type Role,
} from '@mpst/projector';
import { aliasText, frontMatter, participantIds, text } from './escape.js';

/** Options of {@link globalToSequence}. */
export interface SequenceOptions {
  /**
   * How a sub-protocol composed with `do P(A, B);` is drawn:
   * - `expand` (default): its interactions, inside a shaded box headed `do P(A, B)`;
   * - `box`: only the box, naming the call; its interactions are left out;
   * - `inline`: its interactions, without a box (as `mpst desugar` prints them).
   */
  readonly doCalls?: 'expand' | 'box' | 'inline';
  /** Interactions (nodes of the protocol's body) to highlight: drawn inside a coloured box. */
  readonly highlight?: ReadonlySet<GlobalType> | ((g: GlobalType) => boolean);
  /** The highlight colour, a Mermaid `rect` colour. Default `rgb(255, 236, 179)` (amber). */
  readonly highlightColor?: string;
  /** A title above the diagram. Default: none. */
  readonly title?: string;
}

/** The colour of `do` boxes: translucent, so nested calls get darker. */
export const DO_BOX_COLOR = 'rgba(120, 160, 230, 0.12)';
/** The default highlight colour. */
export const HIGHLIGHT_COLOR = 'rgb(255, 236, 179)';

/**
 * A global protocol as a Mermaid `sequenceDiagram`. Participants come in declaration order
 * (`reliable` roles of a crash-stop protocol are marked), messages carry their payload types,
 * a choice is an `alt` labelled with its chooser (`or default` marks the default branch), a
 * choice with crash-handling branches is a `critical` block whose `option`s are the crash
 * branches, `rec` is a `loop`, `continue` a note across all participants, and every inlined
 * `do` a box named after the call (see {@link SequenceOptions.doCalls}).
 *
 * The elaborated body is a DAG: what follows a choice is shared by its branches. It is drawn
 * once, after the block, using the continuation elaboration records (`next`).
 */
export function globalToSequence(p: ElaboratedProtocol, options: SequenceOptions = {}): string {
  return new SequenceWriter(p, options).write();
}

/** A box open around some interactions: an inlined `do` call, or the highlight. */
type Frame = DoCall | 'highlight';

/** What a `continue` shows, by recursion label. */
type RecNames = ReadonlyMap<string, string>;

class SequenceWriter {
  readonly #lines: string[] = [];
  #depth = 1;
  readonly #ids: Map<Role, string>;
  readonly #order: Role[];
  readonly #doCalls: 'expand' | 'box' | 'inline';
  readonly #highlighted: (g: GlobalType) => boolean;
  readonly #highlightColor: string;

  constructor(
    readonly protocol: ElaboratedProtocol,
    readonly options: SequenceOptions,
  ) {
    this.#order = [...protocol.roles];
    // Roles the body uses but the declaration does not list (none after elaboration, but a
    // hand-made IR may have them) still get a participant line, after the declared ones.
    const known = new Set(this.#order);
    walk(protocol.body, (g) => {
      for (const r of rolesOf(g)) {
        if (!known.has(r)) {
          known.add(r);
          this.#order.push(r);
        }
      }
      return undefined;
    });
    this.#ids = participantIds(this.#order);
    this.#doCalls = options.doCalls ?? 'expand';
    const h = options.highlight;
    this.#highlighted =
      h === undefined ? () => false : typeof h === 'function' ? h : (g) => h.has(g);
    this.#highlightColor = options.highlightColor ?? HIGHLIGHT_COLOR;
  }

  write(): string {
    const p = this.protocol;
    if (this.options.title !== undefined) this.#lines.push(...frontMatter(this.options.title));
    this.#lines.push('sequenceDiagram');
    for (const r of this.#order) {
      const mark = p.crashStop && p.reliable.has(r) ? ' (reliable)' : '';
      this.#line(`participant ${this.#id(r)} as ${aliasText(r + mark)}`);
    }
    this.#chain(p.body, undefined, [], false, new Map());
    return `${this.#lines.join('\n')}\n`;
  }

  #line(s: string): void {
    this.#lines.push(`${'  '.repeat(this.#depth)}${s}`);
  }

  #open(header: string): void {
    this.#line(header);
    this.#depth++;
  }

  #close(): void {
    this.#depth--;
    this.#line('end');
  }

  #id(r: Role): string {
    return this.#ids.get(r) ?? r;
  }

  /** `Note over` the leftmost and rightmost of `roles` (all participants when empty). */
  #noteOver(roles: readonly Role[], note: string): void {
    let idx = roles.map((r) => this.#order.indexOf(r)).filter((i) => i >= 0);
    if (idx.length === 0) idx = this.#order.map((_, i) => i);
    const lo = Math.min(...idx);
    const hi = Math.max(...idx);
    const span =
      lo === hi
        ? this.#id(this.#order[lo] ?? '')
        : `${this.#id(this.#order[lo] ?? '')},${this.#id(this.#order[hi] ?? '')}`;
    this.#line(`Note over ${span}: ${text(note)}`);
  }

  /**
   * Draws the prefix chain from `start` up to (not including) `stop`. `base` are the `do` boxes
   * the enclosing blocks keep open (and whether they highlight); boxes opened here are closed
   * before returning, so blocks nest properly.
   */
  #chain(
    start: GlobalType,
    stop: GlobalType | undefined,
    base: readonly DoCall[],
    baseHighlight: boolean,
    recs: RecNames,
  ): void {
    const open: Frame[] = [];
    let cur: GlobalType | undefined = start;
    while (cur !== undefined && cur !== stop && cur.kind !== 'end') {
      const calls = this.#doCalls === 'inline' ? [] : newCalls(cur, base);
      const first = calls[0];
      if (this.#doCalls === 'box' && first !== undefined) {
        // The outermost call not drawn yet becomes one note; drawing goes on where it returns.
        const exit = callExit(cur, first);
        if (exit !== 'several') {
          this.#sync(open, [], true);
          this.#noteOver(first.roles, `do ${showCall(first)}`);
          cur = exit;
          continue;
        }
      }
      const own =
        this.#doCalls === 'box' && cur.kind === 'rec' && cur.fromDo === true
          ? ownCall(cur)
          : undefined;
      if (own && cur.kind === 'rec') {
        // A recursive `do` (its loop is made where the call is written): the whole loop is the call.
        this.#sync(open, [], true);
        this.#noteOver(own.roles, `do ${showCall(own)}`);
        cur = cur.next;
        continue;
      }
      const wanted: Frame[] = [...calls];
      if (!baseHighlight && this.#highlighted(cur)) wanted.push('highlight');
      this.#sync(open, wanted, false);
      const inner = [...base, ...open.filter((f): f is DoCall => f !== 'highlight')];
      const lit = baseHighlight || open.includes('highlight');
      cur = this.#node(cur, inner, lit, recs);
    }
    this.#sync(open, [], false);
  }

  /** Draws one node; returns the node to continue with (undefined when the path ends). */
  #node(
    g: GlobalType,
    base: readonly DoCall[],
    lit: boolean,
    recs: RecNames,
  ): GlobalType | undefined {
    switch (g.kind) {
      case 'message':
        this.#line(`${this.#id(g.from)}->>${this.#id(g.to)}: ${text(showMessage(g.message))}`);
        return g.cont;
      case 'crash':
        // The receiver learns of the crash; nothing is sent, hence the dotted arrow with a cross.
        this.#line(
          `${this.#id(g.from)}--x${this.#id(g.to)}: ${text(g.fromDefault ? 'crash (default)' : 'crash')}`,
        );
        return g.cont;
      case 'connect': {
        const m =
          g.message && (g.message.label !== '' || g.message.payload.length > 0)
            ? ` ${showMessage(g.message)}`
            : '';
        this.#line(`${this.#id(g.from)}-)${this.#id(g.to)}: ${text(`connect${m}`)}`);
        return g.cont;
      }
      case 'wrap':
        this.#line(`${this.#id(g.from)}-)${this.#id(g.to)}: wrap`);
        return g.cont;
      case 'disconnect':
        this.#noteOver([g.from, g.to], 'disconnect');
        return g.cont;
      case 'var':
        this.#noteOver([], recs.get(g.label) ?? `continue ${g.label}`);
        return undefined;
      case 'end':
        return undefined;
      case 'rec': {
        const name = g.fromDo === true ? `do ${recCall(g, this.protocol)}` : `rec ${g.label}`;
        const inner = new Map(recs);
        inner.set(g.label, g.fromDo === true ? `${name} again` : `continue ${g.label}`);
        this.#open(`loop ${text(name)}`);
        // The loop of a recursive `do` already names the call: no box for it inside.
        const call = g.fromDo === true ? ownCall(g) : undefined;
        this.#chain(g.body, g.next, call ? [...base, call] : base, lit, inner);
        this.#close();
        return g.next;
      }
      case 'seq': {
        this.#chain(g.first, g.then, base, lit, recs);
        const stay = [...g.firstRoles];
        const go = this.#order.filter((r) => !g.firstRoles.has(r));
        this.#noteOver(
          [],
          `${stay.join(', ')} stay in the loop above, ${go.length > 0 ? go.join(', ') : 'nobody'} go on`,
        );
        return g.then;
      }
      case 'choice':
        return this.#choice(g, base, lit, recs);
    }
  }

  #choice(
    c: Extract<GlobalType, { kind: 'choice' }>,
    base: readonly DoCall[],
    lit: boolean,
    recs: RecNames,
  ): GlobalType | undefined {
    const join = c.next ?? findJoin(c.branches);
    const normal: number[] = [];
    const crash: number[] = [];
    c.branches.forEach((b, i) => (b.kind === 'crash' ? crash : normal).push(i));
    const branch = (i: number): void => {
      const b = c.branches[i];
      if (b) this.#chain(b, join, base, lit, recs);
    };
    const alt = (header: string): void => {
      normal.forEach((i, n) => {
        const isDefault = i === c.defaultBranch;
        if (n === 0) this.#open(`alt ${text(`${header}${isDefault ? ' (default)' : ''}`)}`);
        else {
          this.#depth--;
          this.#line(isDefault ? 'else or default' : 'else or');
          this.#depth++;
        }
        branch(i);
      });
      this.#close();
    };
    if (crash.length === 0) {
      alt(`choice at ${c.at}`);
      return join;
    }
    // Crash handling: the normal branches run unless the crashing role fails; each crash
    // branch is an `option` of the `critical` block.
    // A default communication (`or default`) applies also when the message is lost.
    const defaults = crash.every(
      (i) => c.branches[i]?.kind === 'crash' && c.branches[i].fromDefault,
    );
    const risk = defaults ? 'with a default' : 'which may crash';
    this.#open(
      `critical ${text(normal.length === 1 ? `${c.at} acts, ${risk}` : `choice at ${c.at}, ${risk}`)}`,
    );
    if (normal.length === 1) branch(normal[0] ?? 0);
    else if (normal.length > 1) alt(`choice at ${c.at}`);
    for (const i of crash) {
      const b = c.branches[i];
      if (b?.kind !== 'crash') continue;
      this.#depth--;
      const label = b.fromDefault
        ? `default: ${b.from} crashed or its message was lost`
        : `${b.from} crashed`;
      this.#line(`option ${text(label)}`);
      this.#depth++;
      branch(i);
    }
    this.#close();
    return join;
  }

  /** Closes and opens boxes so that exactly `wanted` (after the common prefix) is open. */
  #sync(open: Frame[], wanted: readonly Frame[], closeAll: boolean): void {
    let keep = 0;
    if (!closeAll)
      while (keep < open.length && keep < wanted.length && open[keep] === wanted[keep]) keep++;
    while (open.length > keep) {
      open.pop();
      this.#close();
    }
    for (const f of wanted.slice(keep)) {
      open.push(f);
      if (f === 'highlight') {
        this.#open(`rect ${this.#highlightColor}`);
      } else {
        this.#open(`rect ${DO_BOX_COLOR}`);
        this.#noteOver(f.roles, `do ${showCall(f)}`);
      }
    }
  }
}

/** The roles a node involves (the chooser of a choice). */
function rolesOf(g: GlobalType): Role[] {
  switch (g.kind) {
    case 'choice':
      return [g.at];
    case 'rec':
    case 'seq':
    case 'var':
    case 'end':
      return [];
    default:
      return [g.from, g.to];
  }
}

/** `P(A, B)`. */
function showCall(c: DoCall): string {
  return `${c.protocol}(${c.roles.join(', ')})`;
}

/** The `do` calls that inlined `g`, outermost first. */
function callsOf(g: GlobalType): DoCall[] {
  const out: DoCall[] = [];
  const origin = g.kind === 'end' || g.kind === 'seq' ? undefined : g.origin;
  for (let c = origin?.call; c !== undefined; c = c.origin.call) out.push(c);
  return out.reverse();
}

/** The calls of `g` that are not open yet: those after the `base` the enclosing blocks opened. */
function newCalls(g: GlobalType, base: readonly DoCall[]): DoCall[] {
  const calls = callsOf(g);
  let i = 0;
  while (i < calls.length && i < base.length && calls[i] === base[i]) i++;
  return calls.slice(i).filter((c) => !base.includes(c));
}

/** The call a recursive `do` repeats: the innermost call of its body's first interaction. */
function ownCall(g: Extract<GlobalType, { kind: 'rec' }>): DoCall | undefined {
  let n: GlobalType = g.body;
  while (n.kind === 'rec') n = n.body;
  return callsOf(n).at(-1);
}

/** `P(A, B)` for the loop of a recursive `do` (the protocol itself when it calls itself). */
function recCall(g: Extract<GlobalType, { kind: 'rec' }>, p: ElaboratedProtocol): string {
  const own = ownCall(g);
  return own ? showCall(own) : `${p.name}(${p.roles.join(', ')})`;
}

/**
 * Where the interactions of `call`, entered at `g`, hand over to what follows the call: the
 * one node outside the call reached from inside (END when the protocol ends there; undefined
 * when the call never returns), or `several` (then the call is drawn expanded).
 */
function callExit(g: GlobalType, call: DoCall): GlobalType | undefined | 'several' {
  const exits = new Set<GlobalType>();
  const seen = new Set<GlobalType>();
  const stack: GlobalType[] = [g];
  for (let n = stack.pop(); n !== undefined; n = stack.pop()) {
    if (seen.has(n)) continue;
    seen.add(n);
    if (!callsOf(n).includes(call))
      exits.add(n); // outside: not entered
    else pushSuccessors(n, stack);
  }
  if (exits.size > 1) return 'several';
  return exits.values().next().value;
}

/**
 * Where the branches of a choice meet again when the IR does not say (`next` unset, as in a
 * hand-made IR): the first node, breadth first from the first branch, that every branch
 * reaches. Undefined when they never meet: each branch is then drawn to its end.
 */
function findJoin(branches: readonly GlobalType[]): GlobalType | undefined {
  const [head, ...rest] = branches;
  if (!head || rest.length === 0) return undefined;
  const sets = rest.map((b) => {
    const s = new Set<GlobalType>();
    walk(b, (n) => {
      s.add(n);
      return undefined;
    });
    return s;
  });
  const queue: GlobalType[] = [head];
  const seen = new Set<GlobalType>(queue);
  for (const n of queue) {
    if (n.kind !== 'end' && sets.every((s) => s.has(n))) return n;
    const next: GlobalType[] = [];
    pushSuccessors(n, next);
    for (const m of next) {
      if (!seen.has(m)) {
        seen.add(m);
        queue.push(m);
      }
    }
  }
  return undefined;
}
