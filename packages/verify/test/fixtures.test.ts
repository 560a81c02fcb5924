/**
 * One small protocol per safety property (test/fixtures): a file named `<kind>.scr` must be
 * reported with a violation of that kind; a file named `ok_*` must have none. The rendered
 * result (violations, shortest traces, Mermaid text) is a file snapshot in __snapshots__/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeHost } from '@mpst/scribble/node';
import { describe, expect, test } from 'vitest';
import { renderResult, traceToMermaid, verifyFiles, type VerifyResult } from '@mpst/verify';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.scr') || f.endsWith('.nuscr')).sort();

function verify(file: string, opts: { bound?: number; allViolations?: boolean } = {}): VerifyResult[] {
  const r = verifyFiles([path.join(dir, file)], nodeHost, { importPaths: [dir], bound: 3, allViolations: true, ...opts });
  expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([]);
  expect(r.results.length).toBeGreaterThan(0);
  return [...r.results];
}

describe('safety fixtures', () => {
  test.each(files)('%s', async (file) => {
    const results = verify(file);
    const kind = file.split(/[._]/)[0] ?? '';
    for (const r of results) {
      if (kind === 'ok') expect(r.violations.map((v) => v.message)).toEqual([]);
      else expect(r.violations.map((v) => v.kind)).toContain(kind);
    }
    await expect(results.map((r) => renderResult(r, { timing: false })).join('\n')).toMatchFileSnapshot(`__snapshots__/${file}.txt`);
  });

  test('the first violation found has a shortest trace (breadth first)', () => {
    const [r] = verify('orphan.scr', { allViolations: false });
    expect(r?.verdict).toBe('violation');
    expect(r?.violations).toHaveLength(1);
    // unfinished (B waits for more()) is reached in 2 steps; orphan needs 3.
    expect(r?.violations[0]?.kind).toBe('unfinished');
    expect(r?.violations[0]?.trace).toHaveLength(2);
  });

  test('crash-stop: crashes are explored and the protocol is crash-safe', () => {
    const [r] = verify('ok_crash.nuscr');
    expect(r?.crashStop).toBe(true);
    expect(r?.unreliable).toEqual(['C']);
    expect(r?.verdict).toBe('verified');
  });

  test('bounded queues: cut sends make the verdict inconclusive, never verified', () => {
    const [r] = verify('ok_pingpong.scr', { bound: 0 });
    expect(r?.verdict).toBe('inconclusive');
    expect(r?.incomplete?.reason).toBe('bound');
    expect(r?.incomplete?.message).toMatch(/inconclusive beyond bound 0/);
  });

  test('maxStates gives an honest inconclusive verdict', () => {
    const r = verifyFiles([path.join(dir, 'ok_pingpong.scr')], nodeHost, { importPaths: [dir], maxStates: 2 }).results[0];
    expect(r?.verdict).toBe('inconclusive');
    expect(r?.incomplete?.reason).toBe('max-states');
    expect(r?.states).toBe(2);
  });

  test('progress callback', () => {
    const seen: number[] = [];
    verifyFiles([path.join(dir, 'ok_pingpong.scr')], nodeHost, { importPaths: [dir], progressEvery: 2, onProgress: (p) => seen.push(p.states) });
    expect(seen.length).toBeGreaterThan(0);
  });
});

describe('traceToMermaid', () => {
  test('participants with prefixed ids, sends, lost messages, crashes, escaped ;', () => {
    const text = traceToMermaid(
      ['A', 'end'],
      [
        { role: 'A', kind: 'send', peer: 'end', message: 'm(a;b)', label: 'end!m(a;b)', from: 0, to: 1 },
        { role: 'end', kind: 'crashed', label: 'crash', from: 0, to: 0 },
        { role: 'A', kind: 'send', peer: 'end', message: 'n()', label: 'end!n()', lost: true, from: 1, to: 2 },
        { role: 'A', kind: 'crash', peer: 'end', label: 'end?crash', from: 2, to: 3 },
      ],
      'done; really',
      ['A'],
    );
    expect(text).toBe(
      [
        'sequenceDiagram',
        '  participant r_A as A',
        '  participant r_end as end',
        '  r_A->>r_end: m(a#59;b)',
        '  Note over r_end: end crashes',
        '  r_A-xr_end: n() (lost)',
        '  Note over r_A: A detects that end crashed',
        '  Note over r_A: done#59; really',
        '',
      ].join('\n'),
    );
  });
});
