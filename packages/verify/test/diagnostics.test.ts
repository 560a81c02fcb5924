/**
 * Verification diagnostics point at the interaction at fault: the EFSM transition a role is
 * stuck in, or the send that put the unreceived message in its queue — found through the
 * origins projection records for each transition, not by matching message texts (the same
 * interaction text may occur several times, and nuScr names payloads that the queues do not).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeFiles } from '@mpst/projector';
import { DIAGNOSTIC_CODES } from '@mpst/scribble';
import { nodeHost } from '@mpst/scribble/node';
import { describe, expect, test } from 'vitest';
import { SCRIBBLE_JAVA_MODEL, verifyAnalysed } from '@mpst/verify';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** `line:column code` of each verification diagnostic of a fixture, in scribble-java's model. */
function at(file: string): string[] {
  const a = analyzeFiles([path.join(dir, file)], nodeHost, { importPaths: [dir] });
  expect(a.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return verifyAnalysed(a.protocols, SCRIBBLE_JAVA_MODEL).diagnostics.map(
    (d) => `${String(d.span.line)}:${String(d.span.column)} ${d.code}`,
  );
}

/** The notes of each verification diagnostic of a fixture, with `line:column` when they have a place. */
function notes(file: string): string[][] {
  const a = analyzeFiles([path.join(dir, file)], nodeHost, { importPaths: [dir] });
  expect(a.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return verifyAnalysed(a.protocols, SCRIBBLE_JAVA_MODEL).diagnostics.map((d) =>
    (d.notes ?? []).map((n) =>
      n.span ? `${String(n.span.line)}:${String(n.span.column)} ${n.message}` : n.message,
    ),
  );
}

describe('verification diagnostics point at the interaction at fault', () => {
  test('inside an inlined `do`: at the interaction in the callee, with a note at the call', () => {
    // Line 12 is `stop() from Y to Z;` in Loop, the message A (Z) waits for; line 18 the `do`.
    expect(at('progress_inlined.scr')).toEqual(['12:7 MPST304']);
    const [only] = notes('progress_inlined.scr');
    // (Only the place and the call: the wording of the note is @mpst/projector's.)
    expect(only?.at(-1)).toMatch(/^18:3 inlined from .*Loop\(B, C, A\)/);
  });

  test('deadlock: the receive A is stuck in (line 10), not the first `x() from B to A` (line 6)', () => {
    expect(at('deadlock_repeat.scr')).toEqual(['10:5 MPST302']);
  });

  test('reception with nuScr named payloads: the send of the ignored hello(z: int)', () => {
    expect(at('reception_named.nuscr')).toEqual(['10:7 MPST305']);
  });

  test('progress: the first transition of the starved role (C waits for stop() from B)', () => {
    expect(at('progress_crash.scr')).toEqual(['12:7 MPST304']);
  });

  test('stuck with two non-empty queues: the one from the peer the role waits on (C), not the first (A)', () => {
    // The queue from A holds w() (line 11 is its first occurrence); B waits on C, whose y() was sent at line 16.
    expect(at('stuck_two_queues.scr')).toEqual(['16:5 MPST300']);
  });

  test('stuck: the send of the message at the head of the queue the role waits on', () => {
    // B took the branch expecting v(Str); A sent v(Int) (line 10).
    expect(at('stuck.scr')).toEqual(['10:5 MPST300']);
  });

  test('invalid input: an error MPST307 at the protocol (nothing was verified), not the warning MPST306', () => {
    const a = analyzeFiles([path.join(dir, 'ok_pingpong.scr')], nodeHost, { importPaths: [dir] });
    const ds = verifyAnalysed(a.protocols, {
      ...SCRIBBLE_JAVA_MODEL,
      unreliableLinks: [{ from: 'A', to: 'Z' }],
    }).diagnostics;
    expect(ds.map((d) => `${d.severity} ${d.code}`)).toEqual(['error MPST307']);
    expect(ds[0]?.message).toMatch(
      /was not verified: unreliable link A->Z: no role 'Z'.*\(unknown-role\)$/,
    );
    expect(DIAGNOSTIC_CODES.MPST307).toBe('invalid verification input');
  });
});
