import type { ElaboratedProtocol, GChoice, GlobalType, GRec, Message, Role } from './global.js';
import { pushSuccessors, showMessage } from './global.js';
import { isOutput } from './direction.js';
import { Layout, type Shape } from './layout.js';
import { plainMessage } from './local-nodes.js';
import type { LocalAction, LocalType } from './local.js';

/**
 * Prints an elaborated protocol as valid Scribble (`mpst desugar`): `do` inlined, multicast
 * split, default communications shown as the crash branches they mean. A nuScr call is not
 * sugar (it starts another session): it prints as written, so a protocol that calls needs
 * the nested protocols it calls beside it to be checked again. The IR is a DAG, and so is the
 * text: what follows a choice or a recursion (its shared continuation) is written once after
 * the block, as it was in the source (see layout.ts), so the text is linear in the IR.
 */
export function printGlobal(p: ElaboratedProtocol): string {
  const created = new Set(p.nested?.newRoles);
  const roles = p.roles
    .filter((r) => !created.has(r))
    .map((r) => `${p.reliable.has(r) ? 'reliable ' : ''}role ${r}`)
    .join(', ');
  const newRoles =
    created.size > 0 ? `; new ${[...created].map((r) => `role ${r}`).join(', ')}` : '';
  const kind = p.nested ? 'nested protocol' : 'global protocol';
  const out = [
    `${p.aux ? 'aux ' : ''}${p.explicit ? 'explicit ' : ''}${kind} ${p.name}(${roles}${newRoles}) {`,
  ];
  const printer = new GlobalPrinter(p, out);
  printer.body(p.body, undefined, 1, true);
  out.push('}');
  // Continuations shared in a way a block cannot express (never made by elaboration, whose
  // sharing is all sequential composition; possible in a DAG built otherwise).
  // (Printing one may add more: the array iterator sees them.)
  for (const a of printer.layout.auxiliaries) {
    const params = p.roles.map((r) => `${p.reliable.has(r) ? 'reliable ' : ''}role ${r}`);
    out.push('', `aux global protocol ${p.name}__${String(a.index)}(${params.join(', ')}) {`);
    printer.body(a.node, a.stop, 1, true);
    out.push('}');
  }
  return `${out.join('\n')}\n`;
}

const GLOBAL_SHAPE: Shape<GlobalType> = {
  successors(g) {
    const out: GlobalType[] = [];
    pushSuccessors(g, out);
    return out;
  },
  isEnd: (g) => g.kind === 'end',
  binds: (g) => (g.kind === 'rec' ? g.label : undefined),
  jumps: (g) => (g.kind === 'var' ? [g.label] : []),
};

class GlobalPrinter {
  readonly layout: Layout<GlobalType>;

  constructor(
    readonly protocol: ElaboratedProtocol,
    readonly out: string[],
  ) {
    this.layout = new Layout(protocol.body, GLOBAL_SHAPE);
  }

  /** Where the block's branches meet again: elaboration's record of it, else the DAG's join. */
  #join(g: GChoice | GRec, stop: GlobalType | undefined): GlobalType | undefined {
    // (A continuation elaboration recorded but no branch reaches is not written after it.)
    return g.next ? this.layout.join(g, stop, g.next) : this.layout.join(g, stop);
  }

  /**
   * Prints `g` up to `stop` (the enclosing block's continuation, written after the block).
   * `placed`: `g` is written here even if shared (a join after its block, an auxiliary's body).
   */
  body(g: GlobalType, stop: GlobalType | undefined, depth: number, placed = false): void {
    const out = this.out;
    const pad = '  '.repeat(depth);
    let cur = g;
    let here = placed;
    for (;;) {
      if (cur === stop) return;
      const aux = here ? undefined : this.layout.auxiliary(cur, stop);
      here = false;
      if (aux) {
        const p = this.protocol;
        out.push(`${pad}do ${p.name}__${String(aux.index)}(${p.roles.join(', ')});`);
        return;
      }
      switch (cur.kind) {
        case 'end':
          return;
        case 'message': {
          const { call } = cur.message;
          if (call) {
            // The invitations of one call are consecutive and share their message: print the call.
            const callee = `${call.protocol}(${call.roles.join(', ')})`;
            out.push(`${pad}${call.written === 'do' ? 'do' : `${call.caller} calls`} ${callee};`);
            const m = cur.message;
            while (cur.kind === 'message' && cur.message === m && cur !== stop) cur = cur.cont;
            continue;
          }
          out.push(`${pad}${showMessage(cur.message)} from ${cur.from} to ${cur.to};`);
          cur = cur.cont;
          continue;
        }
        case 'crash':
          out.push(
            `${pad}crash from ${cur.from} to ${cur.to};${cur.fromDefault ? ' // default communication' : ''}`,
          );
          cur = cur.cont;
          continue;
        case 'connect': {
          const shown = hasMessage(cur.message) ? `${showMessage(cur.message)} ` : '';
          out.push(`${pad}${shown}connect ${cur.from} to ${cur.to};`);
          cur = cur.cont;
          continue;
        }
        case 'disconnect':
          out.push(`${pad}disconnect ${cur.from} and ${cur.to};`);
          cur = cur.cont;
          continue;
        case 'wrap':
          out.push(`${pad}wrap ${cur.from} to ${cur.to};`);
          cur = cur.cont;
          continue;
        case 'var':
          out.push(`${pad}continue ${cur.label};`);
          return;
        case 'rec': {
          const join = this.#join(cur, stop);
          out.push(`${pad}rec ${cur.label} {`);
          this.body(cur.body, join ?? stop, depth + 1);
          out.push(`${pad}}`);
          if (join === undefined) return;
          cur = join;
          here = true;
          continue;
        }
        case 'seq':
          out.push(
            `${pad}// the roles of this part never leave it: ${[...cur.firstRoles].join(', ')}`,
          );
          this.body(cur.first, cur.then, depth);
          out.push(`${pad}// the other roles go on here`);
          cur = cur.then;
          continue;
        case 'choice': {
          const c = cur;
          const join = this.#join(c, stop);
          c.branches.forEach((b, i) => {
            out.push(
              i === 0
                ? `${pad}choice at ${c.at} {`
                : `${pad}} or {${i === c.defaultBranch ? ' // default' : ''}`,
            );
            this.body(b, join ?? stop, depth + 1);
          });
          out.push(`${pad}}`);
          if (join === undefined) return;
          cur = join;
          here = true;
          continue;
        }
      }
    }
  }
}

/**
 * Prints a local type in Scribble local syntax:
 * `local protocol P_R at R(role A, self R) { m(T) to A; ... }`. Crash detection prints as
 * `crash from A;`. Like {@link printGlobal}, a continuation shared by the branches of a choice
 * (a node of the local DAG with several parents, where they meet again) is written once after
 * the choice.
 */
export function printLocal(p: ElaboratedProtocol, role: Role, local: LocalType): string {
  const roles = p.roles.map((r) => (r === role ? `self ${r}` : `role ${r}`)).join(', ');
  const out = [`local protocol ${p.name}_${role} at ${role}(${roles}) {`];
  const printer = new LocalPrinter(p, role, local, out);
  printer.body(local, undefined, 1, true);
  out.push('}');
  // A continuation several paths share but no block ends at (e.g. reached from some branches
  // of a choice, the others ending): an auxiliary local protocol, called where it is reached.
  // (Printing one may add more: the array iterator sees them.)
  for (const a of printer.layout.auxiliaries) {
    out.push('', `local protocol ${printer.auxName(a.index)} at ${role}(${roles}) {`);
    printer.body(a.node, a.stop, 1, true);
    out.push('}');
  }
  return `${out.join('\n')}\n`;
}

const LOCAL_SHAPE: Shape<LocalType> = {
  successors(l) {
    switch (l.kind) {
      case 'prefix':
        return [l.cont];
      case 'rec':
        return [l.body];
      case 'choice':
        return [...l.branches.map((b) => b.cont), ...(l.loopTo ?? [])];
      default:
        return [];
    }
  },
  isEnd: (l) => l.kind === 'end',
  binds: (l) => (l.kind === 'rec' ? l.label : undefined),
  jumps: (l) => (l.kind === 'var' ? [l.label] : l.kind === 'choice' ? (l.loops ?? []) : []),
};

class LocalPrinter {
  readonly layout: Layout<LocalType>;

  constructor(
    readonly protocol: ElaboratedProtocol,
    readonly role: Role,
    root: LocalType,
    readonly out: string[],
  ) {
    this.layout = new Layout(root, LOCAL_SHAPE);
  }

  auxName(index: number): string {
    return `${this.protocol.name}_${this.role}__${String(index)}`;
  }

  /**
   * Prints `l` up to `stop` (the enclosing block's continuation, written after the block).
   * `placed`: `l` is written here even if shared (a join after its block, an auxiliary's body).
   */
  body(l: LocalType, stop: LocalType | undefined, depth: number, placed = false): void {
    const out = this.out;
    const pad = '  '.repeat(depth);
    let cur = l;
    let here = placed;
    for (;;) {
      if (cur === stop) return;
      const aux = here ? undefined : this.layout.auxiliary(cur, stop);
      here = false;
      if (aux) {
        out.push(`${pad}do ${this.auxName(aux.index)}(${this.protocol.roles.join(', ')});`);
        return;
      }
      switch (cur.kind) {
        case 'end':
          return;
        case 'var':
          out.push(`${pad}continue ${cur.label};`);
          return;
        case 'rec': {
          const join = this.layout.join(cur, stop);
          out.push(`${pad}rec ${cur.label} {`);
          this.body(cur.body, join ?? stop, depth + 1);
          out.push(`${pad}}`);
          if (join === undefined) return;
          cur = join;
          here = true;
          continue;
        }
        case 'prefix':
          out.push(pad + localAction(cur.action));
          cur = cur.cont;
          continue;
        case 'choice': {
          // (Projection builds a one-branch choice only with loops; others may build one.)
          const only =
            cur.branches.length === 1 && !cur.loops?.length && !cur.loopTo?.length
              ? cur.branches[0]
              : undefined;
          if (only) {
            out.push(pad + localAction(only.action));
            cur = only.cont;
            continue;
          }
          const join = this.layout.join(cur, stop);
          const inner = join ?? stop;
          const first = cur.branches[0]?.action;
          const at = first && isOutput(first) ? 'self' : (first?.peer ?? 'self');
          // Branches: each action and what follows it; then the loops back (epsilon edges).
          const alternatives: ((d: number) => void)[] = [
            ...cur.branches.map((b) => (d: number) => {
              out.push(`${'  '.repeat(d)}${localAction(b.action)}`);
              this.body(b.cont, inner, d);
            }),
            ...(cur.loops ?? []).map(
              (label) => (d: number) => out.push(`${'  '.repeat(d)}continue ${label};`),
            ),
            ...(cur.loopTo ?? []).map((r) => (d: number) => {
              this.body(r, inner, d);
            }),
          ];
          alternatives.forEach((print, i) => {
            out.push(i === 0 ? `${pad}choice at ${at} {` : `${pad}} or {`);
            print(depth + 1);
          });
          out.push(`${pad}}`);
          if (join === undefined) return;
          cur = join;
          here = true;
          continue;
        }
      }
    }
  }
}

/** Whether a connection carries a message (`m() connect A to B;`, not `connect A to B;`). */
function hasMessage(m: Message | undefined): m is Message {
  return m !== undefined && m.label + m.payload.join('') !== '';
}

function localAction(a: LocalAction): string {
  switch (a.kind) {
    // (A message without payload without showMessage's string in between: a line per action.)
    case 'send':
      return plainMessage(a.message)
        ? `${a.message.label}() to ${a.peer};`
        : `${showMessage(a.message)} to ${a.peer};`;
    case 'receive':
      return plainMessage(a.message)
        ? `${a.message.label}() from ${a.peer};`
        : `${showMessage(a.message)} from ${a.peer};`;
    // A connection with a message (`m() connect A to B;`) keeps it: `request m() to B;`.
    case 'request':
      return hasMessage(a.message)
        ? `request ${showMessage(a.message)} to ${a.peer};`
        : `request ${a.peer};`;
    case 'accept':
      return hasMessage(a.message)
        ? `accept ${showMessage(a.message)} from ${a.peer};`
        : `accept ${a.peer};`;
    case 'disconnect':
      return `disconnect ${a.peer};`;
    case 'crash':
      return `crash from ${a.peer};`;
    case 'wrap-client':
      return `wrap to ${a.peer};`;
    case 'wrap-server':
      return `wrap from ${a.peer};`;
  }
}
