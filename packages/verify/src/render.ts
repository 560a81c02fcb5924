import type { Step, VerifyResult, Violation } from './api.js';

/**
 * A trace as numbered text lines: `3. B  A?m(T)`, `4. A  crashes`, `5. A  B!x() (lost)`,
 * `6. A  link A-/->B fails`; numbering starts at `first`.
 */
export function renderTrace(trace: readonly Step[], first = 1): string {
  const width = Math.max(0, ...trace.map((s) => s.role.length));
  const num = String(trace.length + first - 1).length;
  return trace
    .map((s, i) => {
      const what =
        s.kind === 'crashed'
          ? 'crashes'
          : s.kind === 'link-fails'
            ? `link ${s.label} fails`
            : s.lost === true
              ? `${s.label} (lost)`
              : s.label;
      return `${String(i + first).padStart(num)}. ${s.role.padEnd(width)}  ${what}\n`;
    })
    .join('');
}

/** How {@link renderResult} and {@link renderViolation} print. */
export interface RenderOptions {
  /** `false` leaves out the time (for snapshots). */
  readonly timing?: boolean;
  /**
   * A picture of each counterexample, printed after its trace under `mermaid:` (the CLI passes
   * @mpst/mermaid's `counterexampleToSequence`; this layer draws nothing itself).
   */
  readonly diagram?: (v: Violation) => string;
}

/** One violation as text: the message, the trace and, if `options.diagram` is given, its picture. */
export function renderViolation(v: Violation, options: RenderOptions = {}): string {
  const trace = v.trace.length === 0 ? '   (the initial configuration)\n' : renderTrace(v.trace);
  const cycle =
    v.cycle && v.cycle.length > 0
      ? `then forever (${plural(v.cycle.length, 'step')}):\n${renderTrace(v.cycle, v.trace.length + 1)}`
      : '';
  const head = `${v.kind}${v.unfair === true ? ' (unfair output choice)' : ''}: ${v.message}`;
  const picture = options.diagram ? `\nmermaid:\n${options.diagram(v)}` : '';
  return `${head}\n\ntrace (${plural(v.trace.length, 'step')}):\n${trace}${cycle}${picture}`;
}

function plural(k: number, noun: string): string {
  return `${String(k)} ${noun}${k === 1 ? '' : 's'}`;
}

/** The whole result as text, as `mpst verify` prints it. */
export function renderResult(r: VerifyResult, options: RenderOptions = {}): string {
  const lines: string[] = [];
  if (r.verdict === 'invalid')
    return (
      `${r.protocol}: INVALID INPUT — nothing verified\n` +
      (r.invalid ?? []).map((e) => `${e.code}: ${e.message}\n`).join('')
    );
  const head =
    r.verdict === 'verified'
      ? r.exhaustive !== undefined
        ? `verified for every queue length (k-exhaustive, k = ${String(r.exhaustive)})`
        : 'verified'
      : r.verdict === 'violation'
        ? `VIOLATION (${String(r.violations.length)})`
        : 'INCONCLUSIVE';
  const crash = r.crashStop
    ? `crash-stop, may crash: ${r.unreliable.length > 0 ? r.unreliable.join(', ') : 'none'}`
    : 'no crashes';
  const model = [
    crash,
    ...(r.unreliableLinks.length > 0
      ? [`links may fail: ${r.unreliableLinks.map((l) => `${l.from}->${l.to}`).join(', ')}`]
      : []),
    ...(r.capacity !== undefined ? [`capacity ${String(r.capacity)}`] : []),
    ...(r.exhaustive !== undefined
      ? [`unbounded queues, explored with capacity ${String(r.exhaustive)}`]
      : []),
    ...(r.reduced ? ['partial-order reduction'] : []),
    ...(r.bound !== undefined ? [`bound ${String(r.bound)}`] : []),
    r.properties.join(', ') +
      (r.properties.some((p) => p !== 'safety')
        ? r.fair
          ? ', fair choice'
          : `, fair and unfair choice${r.unfairStates > 0 ? ` (${String(r.unfairStates)} unfair states)` : ''}`
        : ''),
  ];
  lines.push(
    `${r.protocol}: ${head} — ${String(r.states)} states, ` +
      `${String(r.transitions)} transitions, max queue ` +
      `${String(r.maxQueue)}${options.timing === false ? '' : `, ${String(r.elapsedMs)} ms`} (${model.join('; ')})\n`,
  );
  if (r.incomplete) lines.push(`${r.incomplete.message}\n`);
  for (const v of r.violations) lines.push(`\n${renderViolation(v, options)}`);
  return lines.join('');
}
