/**
 * Run trace → sequenceDiagram. Each RunTrace under test/fixtures/trace (`Name.json`) has its
 * expected diagram next to it (`Name.mmd`).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { runTraceArrows, runTraceToSequence, type RunTrace } from '@mpst/mermaid';
import { fixtureDir } from './fixtures.js';

const dir = fixtureDir('trace');
const load = (name: string): RunTrace =>
  JSON.parse(readFileSync(path.join(dir, `${name}.json`), 'utf8')) as RunTrace;

describe('snapshots', () => {
  test.each(['PaxosCrash', 'Fifo'])('%s.json', async (name) => {
    await expect(runTraceToSequence(load(name))).toMatchFileSnapshot(path.join(dir, `${name}.mmd`));
  });
});

describe('structure', () => {
  const lines = runTraceToSequence(load('PaxosCrash'))
    .trimEnd()
    .split('\n')
    .map((l) => l.trim());

  test('a message is one arrow, at its send, with send and receive times', () => {
    expect(lines).toContain('r_P1->>r_A1: prepare(1) (0.12 → 0.31 ms)');
    expect(lines.filter((l) => l.includes('prepare(1)'))).toHaveLength(3);
  });

  test('a lost message is a -x arrow', () => {
    expect(lines).toContain('r_P1-xr_A3: prepare(1) lost (0.17 ms)');
  });

  test('a timeout is a dotted cross from the peer given up on', () => {
    expect(lines).toContain('r_A3--xr_P1: timeout: P1 gives up on A3 (50.6 ms)');
  });

  test('destroy comes right before the last arrow that involves the crashed role', () => {
    const i = lines.indexOf('destroy r_A3');
    expect(i).toBeGreaterThan(0);
    expect(lines[i + 1]).toContain('r_A3--xr_P1: timeout');
    expect(lines.slice(i + 2).some((l) => l.includes('r_A3'))).toBe(false);
    expect(lines.filter((l) => l.startsWith('destroy'))).toHaveLength(1);
  });

  test(
    'without ids, sends pair with receives and losses in FIFO order per ' +
      'channel; a receive without its send is drawn alone',
    () => {
      const fifo = runTraceToSequence(load('Fifo'))
        .trimEnd()
        .split('\n')
        .map((l) => l.trim());
      expect(fifo).toContain('r_Client->>r_Server: get(1) (1 → 3.5 ms)');
      expect(fifo).toContain('r_Client->>r_Server: get(2) (2 → 4.25 ms)');
      expect(fifo).toContain('r_Server--)r_Client: item(1) (4 ms, not received)');
      expect(fifo).toContain('r_Server-xr_Client: item(2) lost (6 ms)');
      expect(fifo).toContain('r_Server-xr_Client: bye() lost (7 ms, link failed)');
      expect(fifo).toContain('r_Server->>r_Client: hello() (received 0 ms)');
      expect(fifo).toContain('participant r_Server as Server (reliable)');
      expect(fifo.at(-2)).toBe('destroy r_Client');
    },
  );
});

describe('runTraceArrows', () => {
  /** The arrow lines of a drawing, in order (Mermaid draws the arrows in this order). */
  const arrows = (mmd: string): string[] =>
    mmd
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => /^r_\w+(?:->>|-x|--x|--\)|-\))r_\w+: /.test(l));

  test.each(['PaxosCrash', 'Fifo'])(
    '%s.json: each event points at the arrow drawn for it',
    (name) => {
      const trace = load(name);
      const lines = arrows(runTraceToSequence(trace));
      const at = runTraceArrows(trace);
      expect(at).toHaveLength(trace.events.length);
      // Every arrow is some event's, and they come in order of their first event.
      expect([...new Set(at)]).toEqual(lines.map((_, i) => i));
      trace.events.forEach((e, i) => {
        const line = lines[at[i] ?? -1] ?? '';
        if (e.kind === 'crash') expect(line).toContain(`r_${e.role}-xr_${e.role}: crash`);
        else if (e.kind === 'timeout')
          expect(line).toContain(`timeout: ${e.role} gives up on ${e.peer}`);
        else expect(line).toMatch(new RegExp(`^r_${e.from}.*r_${e.to}: ${escape(e.message)}`));
      });
    },
  );

  test("a receive shares its send's arrow", () => {
    const trace = load('PaxosCrash');
    const at = runTraceArrows(trace);
    const receive = trace.events.findIndex((e) => e.kind === 'receive');
    const send = trace.events.findIndex(
      (e) =>
        e.kind === 'send' && 'id' in e && e.id === (trace.events[receive] as { id?: number }).id,
    );
    expect(receive).toBeGreaterThan(send);
    expect(at[receive]).toBe(at[send]);
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
