import type { Efsm } from '@mpst/projector';
import { frontMatter, stateText } from './escape.js';

/** Options of {@link efsmToState}. */
export interface StateOptions {
  /** A title above the diagram. Default: `P: role R` (protocol and role). */
  readonly title?: string;
  /** Layout direction. Default `TB` (top to bottom). */
  readonly direction?: 'TB' | 'LR';
}

/** Class of the marker drawn on a crash-detection transition. */
export const CRASH_CLASS = 'crash';

/**
 * A role's endpoint state machine as a Mermaid `stateDiagram-v2`. States are `s0`, `s1`, ...
 * (shown by number), `[*] --> s0` marks the initial state and `sN --> [*]` the terminal one.
 * Transitions carry the EFSM labels: `A1!prepare(Int)` sends, `P?promise(Int, Int)` receives.
 *
 * Crash detection (`P?crash`) must stand out, but Mermaid state diagrams cannot style a
 * transition: each crash-detection transition is therefore drawn through a small marker
 * state labelled with the action and styled with the `crash` classDef (red), i.e.
 * `s1 --> x0`, `x0 --> s3` where `x0` reads `P?crash`.
 */
export function efsmToState(efsm: Efsm, options: StateOptions = {}): string {
  const title = options.title ?? `${efsm.protocol}: role ${efsm.role}`;
  const lines = [...frontMatter(title), 'stateDiagram-v2'];
  const out = (s: string): void => {
    lines.push(`  ${s}`);
  };
  if (options.direction === 'LR') out('direction LR');
  out(`classDef ${CRASH_CLASS} fill:#fdecea,stroke:#c0392b,color:#922b21,font-style:italic`);
  out('classDef terminal fill:#e8f5e9,stroke:#2e7d32');
  for (const s of efsm.states) out(`state "${String(s.id)}" as s${String(s.id)}`);
  out(`[*] --> s${String(efsm.initial)}`);
  const markers: string[] = [];
  for (const t of efsm.transitions) {
    if (t.action.kind === 'crash') {
      const id = `x${String(markers.length)}`;
      markers.push(id);
      out(`state "${stateText(t.label)}" as ${id}`);
      out(`s${String(t.from)} --> ${id}`);
      out(`${id} --> s${String(t.to)}`);
    } else {
      out(`s${String(t.from)} --> s${String(t.to)}: ${stateText(t.label)}`);
    }
  }
  const terminal = efsm.states.filter((s) => s.terminal).map((s) => `s${String(s.id)}`);
  for (const id of terminal) out(`${id} --> [*]`);
  if (markers.length > 0) out(`class ${markers.join(',')} ${CRASH_CLASS}`);
  if (terminal.length > 0) out(`class ${terminal.join(',')} terminal`);
  return `${lines.join('\n')}\n`;
}
