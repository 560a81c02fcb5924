import type * as ast from './ast.js';
import type { Comment } from './lexer.js';

/** Options for {@link format}. */
export interface FormatOptions {
  /** One level of indentation (default two spaces). */
  readonly indent?: string;
}

/**
 * Prints a module as canonical Scribble text. Comments are kept (each before the item it
 * preceded, or at the end of the line it ended), and one blank line is kept wherever the
 * source had blank lines between items. `parse(format(m))` has the same tree as `m`.
 */
export function format(module: ast.Module, options: FormatOptions = {}): string {
  return new Printer(module, options.indent ?? '  ').print();
}

class Printer {
  readonly #lines: string[] = [];
  readonly #comments: readonly Comment[];
  readonly #text: string;
  #next = 0;
  #depth = 0;
  /** Source offset where the last printed item ended (for same-line comments, blank lines). */
  #lastEnd = 0;
  /** Whether the last printed line ends in a comment (nothing may be appended to it). */
  #lastIsComment = false;

  constructor(
    readonly module: ast.Module,
    readonly unit: string,
  ) {
    this.#comments = module.comments;
    this.#text = module.file.text;
  }

  print(): string {
    const m = this.module;
    if (m.pragmas.length > 0) {
      const first = m.pragmas[0];
      if (first)
        this.#item(
          first.span,
          `(*# ${m.pragmas.map((p) => (p.value ? `${p.name.text}: ${p.value.text}` : p.name.text)).join(', ')} #*)`,
        );
    }
    if (m.moduleDecl) this.#item(m.moduleDecl.span, `module ${m.moduleDecl.name.text};`);
    for (const i of m.imports)
      this.#item(i.span, `import ${i.module.text}${i.alias ? ` as ${i.alias.text}` : ''};`);
    for (const d of m.nonProtocolDecls) {
      this.#item(
        d.span,
        `${d.keyword} <${d.schema.text}> "${d.externalName.value}" from "${d.source.value}" as ${d.alias.text};`,
      );
    }
    for (const p of m.protocols) this.#protocol(p);
    this.#flushComments(this.#text.length + 1);
    while (this.#lines.length > 0 && this.#lines[this.#lines.length - 1] === '') this.#lines.pop();
    return this.#lines.length === 0 ? '' : `${this.#lines.join('\n')}\n`;
  }

  // ---- layout helpers -------------------------------------------------------------------------

  #pad(): string {
    return this.unit.repeat(this.#depth);
  }

  /** Starts an item at source offset `span.start`: comments before it, a blank line if the source had one. */
  #begin(start: number): void {
    this.#flushComments(start);
    if (
      this.#lines.length > 0 &&
      this.#blankBetween(this.#lastEnd, start) &&
      this.#lines[this.#lines.length - 1] !== '' &&
      !this.#lastLineOpens()
    ) {
      this.#lines.push('');
    }
  }

  #lastLineOpens(): boolean {
    const last = this.#lines[this.#lines.length - 1] ?? '';
    return last.endsWith('{');
  }

  #blankBetween(from: number, to: number): boolean {
    // Ignore comment text: a blank line anywhere in the gap counts.
    return /\n[ \t]*\r?\n/.test(this.#text.slice(from, to));
  }

  #item(span: { start: number; end: number }, line: string): void {
    this.#begin(span.start);
    this.#lines.push(this.#pad() + line);
    this.#lastEnd = span.end;
    this.#lastIsComment = false;
  }

  #open(start: number, line: string): void {
    this.#begin(start);
    this.#lines.push(`${this.#pad()}${line} {`);
    this.#lastIsComment = false;
    this.#depth++;
  }

  #close(end: number, suffix = ''): void {
    this.#flushComments(end - 1);
    this.#depth--;
    this.#lines.push(`${this.#pad()}}${suffix}`);
    this.#lastEnd = end;
    this.#lastIsComment = false;
  }

  /** Prints every comment that starts before `offset`. */
  #flushComments(offset: number): void {
    while (this.#next < this.#comments.length) {
      const c = this.#comments[this.#next];
      if (!c || c.span.start >= offset) return;
      this.#next++;
      const sameLine =
        this.#lines.length > 0 &&
        c.span.start >= this.#lastEnd &&
        !/[\r\n]/.test(this.#text.slice(this.#lastEnd, c.span.start));
      const text = c.text.replace(/\s+$/, '');
      if (sameLine && !this.#lastIsComment && this.#lines[this.#lines.length - 1] !== '') {
        const last = this.#lines.length - 1;
        this.#lines[last] = `${this.#lines[last] ?? ''} ${text}`;
      } else {
        if (
          this.#lines.length > 0 &&
          this.#blankBetween(this.#lastEnd, c.span.start) &&
          this.#lines[this.#lines.length - 1] !== '' &&
          !this.#lastLineOpens()
        ) {
          this.#lines.push('');
        }
        // Multi-line comments keep their inner lines as written.
        this.#lines.push(this.#pad() + text);
      }
      this.#lastEnd = Math.max(this.#lastEnd, c.span.end);
      this.#lastIsComment = true;
    }
  }

  // ---- protocols ------------------------------------------------------------------------------

  #protocol(p: ast.GlobalProtocol): void {
    const mods = `${p.aux ? 'aux ' : ''}${p.explicit ? 'explicit ' : ''}`;
    const params = p.paramsWritten
      ? `<${p.params.map((d) => `${d.keyword} ${d.name.text}`).join(', ')}>`
      : '';
    const roles = p.roles.map(roleDecl).join(', ');
    const newRoles = p.newRoles.length > 0 ? `; new ${p.newRoles.map(roleDecl).join(', ')}` : '';
    const ann = p.annotation ? ` @"${p.annotation.value}"` : '';
    this.#open(
      p.span.start,
      `${mods}${p.header} ${p.name.text}${params}(${roles}${newRoles})${ann}`,
    );
    for (const n of p.nestedProtocols) this.#protocol(n);
    this.#interactions(p.body.interactions);
    this.#close(p.body.span.end);
  }

  #interactions(list: readonly ast.Interaction[]): void {
    for (const i of list) this.#interaction(i);
  }

  #interaction(i: ast.Interaction): void {
    switch (i.kind) {
      case 'MessageTransfer':
        this.#item(
          i.span,
          `${message(i.message)} from ${i.from.text} to ${i.to.map((r) => r.text).join(', ')}` +
            `${i.default ? ' default' : ''};${annotation(i.annotation)}`,
        );
        return;
      case 'CrashNotice':
        this.#item(i.span, `crash from ${i.from.text} to ${i.to.map((r) => r.text).join(', ')};`);
        return;
      case 'Connect':
        this.#item(
          i.span,
          `${i.message ? `${message(i.message)} ` : ''}connect ${i.from.text} to ${i.to.text};`,
        );
        return;
      case 'Disconnect':
        this.#item(i.span, `disconnect ${i.left.text} and ${i.right.text};`);
        return;
      case 'Wrap':
        this.#item(i.span, `wrap ${i.from.text} to ${i.to.text};`);
        return;
      case 'Continue':
        this.#item(
          i.span,
          `continue ${i.label.text}${i.args ? ` [${i.args.map(expression).join(', ')}]` : ''};`,
        );
        return;
      case 'Do': {
        const args = i.args
          ? `<${i.args.map((a) => (a.kind === 'QualifiedName' ? a.text : message(a))).join(', ')}>`
          : '';
        this.#item(
          i.span,
          `do ${i.protocol.text}${args}(${i.roleArgs.map((r) => r.text).join(', ')});${annotation(i.annotation)}`,
        );
        return;
      }
      case 'Calls':
        this.#item(
          i.span,
          `${i.caller.text} calls ${i.protocol.text}(${i.roleArgs.map((r) => r.text).join(', ')});` +
            annotation(i.annotation),
        );
        return;
      case 'Foreach':
        this.#open(
          i.span.start,
          `foreach ${i.variable.text} in ${i.roles.map((r) => r.text).join(', ')}`,
        );
        this.#interactions(i.body.interactions);
        this.#close(i.body.span.end);
        return;
      case 'Recursion': {
        const vars = i.variables ? ` [${i.variables.map(recursionVariable).join(', ')}]` : '';
        this.#open(i.span.start, `rec ${i.label.text}${vars}`);
        this.#interactions(i.body.interactions);
        this.#close(i.body.span.end);
        return;
      }
      case 'Choice': {
        i.branches.forEach((b, k) => {
          if (k === 0) this.#open(i.span.start, `choice at ${i.at.text}`);
          else {
            // `} or {` continues the closing line; comments before `or` go into the new branch.
            const last = this.#lines.length - 1;
            this.#lines[last] = `${this.#lines[last] ?? ''} or ${b.default ? 'default ' : ''}{`;
            this.#depth++;
          }
          this.#interactions(b.body.interactions);
          this.#close(b.body.span.end);
        });
        return;
      }
    }
  }
}

function roleDecl(r: ast.RoleDecl): string {
  return `${r.reliable ? 'reliable ' : ''}role ${r.name.text}`;
}

function annotation(a: ast.StringLiteral | undefined): string {
  return a ? ` @"${a.value}"` : '';
}

/** Prints a message: `label(T1, T2)`, `(T)`, or a bare name. */
export function message(m: ast.Message): string {
  if (m.kind === 'MessageName') return m.name.text;
  return `${m.label?.text ?? ''}(${m.payloads.map(payload).join(', ')})`;
}

/** Prints one payload element. */
export function payload(p: ast.PayloadElement): string {
  switch (p.kind) {
    case 'PayloadType':
      return p.type.text;
    case 'DelegationPayload':
      return `${p.protocol.text}@${p.role.text}`;
    case 'NamedPayload':
      return `${p.variable.text}: ${p.type.text}${p.refinement ? `{${expression(p.refinement)}}` : ''}`;
  }
}

function recursionVariable(v: ast.RecursionVariable): string {
  return `${v.name.text}<${v.roles.map((r) => r.text).join(', ')}>: ${payload(v.type)} = ${expression(v.init)}`;
}

/** Prints a refinement expression (parentheses as written). */
export function expression(e: ast.Expression): string {
  switch (e.kind) {
    case 'IntLiteral':
      return String(e.value);
    case 'BoolLiteral':
      return String(e.value);
    case 'StringExpr':
      return `"${e.value}"`;
    case 'VarExpr':
      return e.name;
    case 'ParenExpr':
      return `(${expression(e.inner)})`;
    case 'UnaryExpr':
      return e.op === 'len'
        ? `len(${expression(e.operand)})`
        : e.op === 'not'
          ? `not ${expression(e.operand)}`
          : `-${expression(e.operand)}`;
    case 'BinaryExpr':
      return `${expression(e.left)} ${e.op} ${expression(e.right)}`;
  }
}
