import type { Role } from '@mpst/projector';
import type { Step, VerifyResult, Violation } from './api.js';

/** Mermaid message text: a raw `;` breaks parsing (REFERENCE.md §7), `#` starts an entity. */
function mermaidText(s: string): string {
  return s.replaceAll('#', '#35;').replaceAll(';', '#59;');
}

/** A participant id that cannot clash with Mermaid keywords (`end`): `r_` + the name. */
function pid(role: Role): string {
  return `r_${role.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

/**
 * A trace as Mermaid `sequenceDiagram` text. A message is drawn when it is sent (`A->>B: m(T)`;
 * `A-xB` when the receiver had crashed and the message is lost); receptions are implicit. A
 * crash is a note over the role, crash detection a note over the detecting role. `note`, when
 * given, ends the diagram as a note over `noteRoles` (the violation).
 */
export function traceToMermaid(roles: readonly Role[], trace: readonly Step[], note?: string, noteRoles: readonly Role[] = [], cycle: readonly Step[] = []): string {
  const lines = ['sequenceDiagram'];
  for (const r of roles) lines.push(`  participant ${pid(r)} as ${mermaidText(r)}`);
  lines.push(...stepLines(trace, '  '));
  if (cycle.length > 0) lines.push('  loop forever', ...stepLines(cycle, '    '), '  end');
  if (note !== undefined) {
    const over = noteRoles.length === 0 ? roles.slice(0, 1) : noteRoles.length > 2 ? [noteRoles[0] ?? '', noteRoles[noteRoles.length - 1] ?? ''] : noteRoles;
    if (over.length > 0) lines.push(`  Note over ${over.map(pid).join(',')}: ${mermaidText(note)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The Mermaid lines of some steps, indented by `ind`. */
function stepLines(steps: readonly Step[], ind: string): string[] {
  const lines: string[] = [];
  for (const s of steps) {
    switch (s.kind) {
      case 'send':
      case 'request':
        if (s.peer !== undefined) {
          const text = `${s.kind === 'request' ? 'connect ' : ''}${s.message ?? s.label}${s.lost === true ? ' (lost)' : ''}`;
          lines.push(`${ind}${pid(s.role)}${s.lost === true ? '-x' : '->>'}${pid(s.peer)}: ${mermaidText(text)}`);
        }
        break;
      case 'crashed':
        lines.push(`${ind}Note over ${pid(s.role)}: ${mermaidText(`${s.role} crashes`)}`);
        break;
      case 'crash':
        lines.push(`${ind}Note over ${pid(s.role)}: ${mermaidText(`${s.role} detects that ${s.peer ?? ''} crashed`)}`);
        break;
      case 'disconnect':
      case 'wrap-client':
      case 'wrap-server':
        lines.push(`${ind}Note over ${pid(s.role)}: ${mermaidText(`${s.role}: ${s.label}`)}`);
        break;
      case 'link-fails':
        if (s.peer !== undefined) lines.push(`${ind}Note over ${pid(s.role)},${pid(s.peer)}: ${mermaidText(`link ${s.role} to ${s.peer} fails`)}`);
        break;
      case 'receive':
      case 'accept':
        break;
    }
  }
  return lines;
}

/**
 * A trace as numbered text lines: `3. B  A?m(T)`, `4. A  crashes`, `5. A  B!x() (lost)`,
 * `6. A  link A-/->B fails`; numbering starts at `first`.
 */
export function renderTrace(trace: readonly Step[], first = 1): string {
  const width = Math.max(0, ...trace.map((s) => s.role.length));
  const num = String(trace.length + first - 1).length;
  return trace
    .map((s, i) => {
      const what = s.kind === 'crashed' ? 'crashes' : s.kind === 'link-fails' ? `link ${s.label} fails` : s.lost === true ? `${s.label} (lost)` : s.label;
      return `${String(i + first).padStart(num)}. ${s.role.padEnd(width)}  ${what}\n`;
    })
    .join('');
}

/** One violation as text: the message, the trace and the Mermaid diagram. */
export function renderViolation(roles: readonly Role[], v: Violation): string {
  const trace = v.trace.length === 0 ? '   (the initial configuration)\n' : renderTrace(v.trace);
  const cycle = v.cycle && v.cycle.length > 0 ? `then forever (${plural(v.cycle.length, 'step')}):\n${renderTrace(v.cycle, v.trace.length + 1)}` : '';
  const head = `${v.kind}${v.unfair === true ? ' (unfair output choice)' : ''}: ${v.message}`;
  return `${head}\n\ntrace (${plural(v.trace.length, 'step')}):\n${trace}${cycle}\nmermaid:\n${traceToMermaid(roles, v.trace, head, v.roles, v.cycle)}`;
}

function plural(k: number, noun: string): string {
  return `${String(k)} ${noun}${k === 1 ? '' : 's'}`;
}

/** The whole result as text, as `mpst verify` prints it; `timing: false` leaves out the time (for snapshots). */
export function renderResult(r: VerifyResult, options: { readonly timing?: boolean } = {}): string {
  const lines: string[] = [];
  const head = r.verdict === 'verified' ? 'verified' : r.verdict === 'violation' ? `VIOLATION (${String(r.violations.length)})` : 'INCONCLUSIVE';
  const crash = r.crashStop ? `crash-stop, may crash: ${r.unreliable.length > 0 ? r.unreliable.join(', ') : 'none'}` : 'no crashes';
  const model = [
    crash,
    ...(r.unreliableLinks.length > 0 ? [`links may fail: ${r.unreliableLinks.map((l) => `${l.from}->${l.to}`).join(', ')}`] : []),
    ...(r.capacity !== undefined ? [`capacity ${String(r.capacity)}`] : []),
    ...(r.reduced ? ['partial-order reduction'] : []),
    ...(r.bound !== undefined ? [`bound ${String(r.bound)}`] : []),
    r.properties.join(', ') + (r.properties.some((p) => p !== 'safety') ? (r.fair ? ', fair choice' : `, fair and unfair choice${r.unfairStates > 0 ? ` (${String(r.unfairStates)} unfair states)` : ''}`) : ''),
  ];
  lines.push(
    `${r.protocol}: ${head} — ${String(r.states)} states, ${String(r.transitions)} transitions, max queue ${String(r.maxQueue)}${options.timing === false ? '' : `, ${String(r.elapsedMs)} ms`} (${model.join('; ')})\n`,
  );
  if (r.incomplete) lines.push(`${r.incomplete.message}\n`);
  for (const v of r.violations) lines.push(`\n${renderViolation(r.roles, v)}`);
  return lines.join('');
}
