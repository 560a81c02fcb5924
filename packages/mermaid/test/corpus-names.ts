/**
 * Every name the corpora use — roles, message labels, payload types as written (`Int`,
 * `x: Int{x > 0}`, `Proto@Role`), protocol, recursion and module names, data-type strings —
 * and synthetic diagrams that put each of them in every position a diagram has.
 */
import path from 'node:path';
import { parse } from '@mpst/scribble';
import { END, type Efsm, type ElaboratedProtocol, type GlobalType } from '@mpst/projector';
import { efsmToState, globalToSequence } from '@mpst/mermaid';
import { listFiles, readText } from '../../../tools/corpus.js';
import type { NamedDiagram } from './corpus-diagrams.js';

/** Every distinct name of every `.scr`/`.nuscr` file under the corpus root (bad ones too), sorted. */
export function corpusNames(root: string): string[] {
  const names = new Set<string>();
  for (const rel of listFiles(root, ['.scr', '.nuscr'])) {
    const text = readText(path.join(root, rel));
    const { module } = parse(text, rel);
    collect(module, text, names);
  }
  names.delete('');
  return [...names].sort();
}

/** Walks any syntax node: names, qualified names, strings, and payloads as written. */
function collect(node: unknown, source: string, out: Set<string>): void {
  if (Array.isArray(node)) {
    for (const n of node) collect(n, source, out);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const n = node as {
    readonly kind?: unknown;
    readonly text?: unknown;
    readonly value?: unknown;
    readonly span?: { start: number; end: number };
  };
  if (n.kind === 'Name' || n.kind === 'QualifiedName') {
    if (typeof n.text === 'string') out.add(n.text);
  } else if (n.kind === 'String' && typeof n.value === 'string') {
    out.add(n.value);
  } else if (
    (n.kind === 'NamedPayload' || n.kind === 'DelegationPayload' || n.kind === 'PayloadType') &&
    n.span
  ) {
    out.add(source.slice(n.span.start, n.span.end));
  }
  for (const [key, value] of Object.entries(node)) {
    if (key === 'file' || key === 'span' || key === 'comments') continue;
    collect(value, source, out);
  }
}

/** Names per synthetic diagram, and per participant or label in it. */
const PER_DIAGRAM = 100;
const PER_LABEL = 10;

/**
 * For each group of names, two diagrams that use each name once in every kind of place a
 * diagram has. Names are joined with spaces, ten to a participant or label (escaping works
 * character by character, so a name inside a longer text is escaped as it is alone; fewer
 * elements keep the browser's layout time down):
 * - a protocol whose participant aliases and message labels are the names, with a recursion
 *   label (`loop` header, `continue` note) and a `do` call (box note) made of all of them;
 * - a state machine whose transition labels are the names, with a crash-detection marker
 *   (a quoted state name) made of all of them.
 */
export function nameDiagrams(names: readonly string[]): NamedDiagram[] {
  const out: NamedDiagram[] = [];
  const origin = { file: parse('', 'names').module.file, span: { start: 0, end: 0 } };
  for (let i = 0; i < names.length; i += PER_DIAGRAM) {
    const group = names.slice(i, i + PER_DIAGRAM);
    const all = group.join(' ');
    const labels: string[] = [];
    for (let k = 0; k < group.length; k += PER_LABEL)
      labels.push(group.slice(k, k + PER_LABEL).join(' '));
    const call = {
      protocol: all,
      roles: labels.slice(0, 2),
      written: labels.slice(0, 2),
      params: labels.slice(0, 2),
      origin,
    };
    let body: GlobalType = { kind: 'var', label: all, origin };
    for (let j = labels.length - 1; j >= 0; j--) {
      const from = labels[j] ?? '';
      const to = labels[(j + 1) % labels.length] ?? '';
      body = {
        kind: 'message',
        from,
        to,
        message: { label: labels[j] ?? '', payload: [] },
        cont: body,
        origin: { ...origin, call },
      };
    }
    const crash: GlobalType = {
      kind: 'crash',
      from: labels[0] ?? '',
      to: labels[1] ?? labels[0] ?? '',
      cont: END,
      origin,
      fromDefault: false,
    };
    const protocol: ElaboratedProtocol = {
      name: all,
      qualifiedName: all,
      roles: labels,
      explicit: false,
      aux: false,
      reliable: new Set(labels.slice(1, 2)),
      crashStop: true,
      body: {
        kind: 'rec',
        label: all,
        body: {
          kind: 'choice',
          at: labels[0] ?? '',
          branches: [body, crash],
          origin,
          defaultBranch: 0,
        },
        origin,
      },
      origin,
    };
    out.push({
      name: `names ${String(i)}: sequence`,
      text: globalToSequence(protocol, { title: all }),
      shows: group,
    });
    const efsm: Efsm = {
      protocol: all,
      role: labels[0] ?? '',
      initial: 0,
      states: [
        ...labels.map((_, j) => ({ id: j, terminal: false })),
        { id: labels.length, terminal: true },
      ],
      transitions: [
        ...labels.map((label, j) => ({
          from: j,
          to: j + 1,
          action: { kind: 'send' as const, peer: label, message: { label, payload: [] } },
          label,
        })),
        { from: 0, to: labels.length, action: { kind: 'crash' as const, peer: all }, label: all },
      ],
    };
    out.push({ name: `names ${String(i)}: state`, text: efsmToState(efsm), shows: group });
  }
  return out;
}
