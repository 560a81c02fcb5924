import { describe, expect, test } from 'vitest';
import {
  compileSpec,
  ConcurrentReceive,
  EndpointClosed,
  InvalidSpec,
  MailboxSession,
  payloadTypeName,
  PeerCrashed,
  ProtocolViolation,
  ReceiveTimeout,
  RUNTIME_ERROR_CODES,
  type EndpointSpec,
} from '@mpst/runtime';
import { DIAGNOSTIC_CODES } from '@mpst/scribble';
import { PING_PONG, specFor, specsOf, THREE_ROLE_CHOICE, WORK } from './protocols.js';

const catching = (f: () => void): unknown => {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('did not throw');
};

describe('endpoint: checked sends', () => {
  test('a send the state does not allow throws MPST550 and changes nothing', () => {
    const s = new MailboxSession(specsOf(PING_PONG));
    const a = s.endpoint('A');
    const e = catching(() => a.send('B', 'pong', [1]));
    expect(e).toBeInstanceOf(ProtocolViolation);
    expect(e).toMatchObject({
      code: 'MPST550',
      state: 0,
      expected: ['B!ping(Int)', 'B!bye()'],
      received: 'B!pong(1)',
    });
    expect((e as Error).message).toBe(
      'MPST550: A in state 0: cannot send pong to B: got B!pong(1); expected B!ping(Int) | B!bye()',
    );
    expect(a.state).toBe(0);
    expect(s.trace().events).toEqual([]);
    expect(() => a.send('C', 'ping', [1])).toThrow(/MPST550/);
  });

  test('wrong arity or payload type throws MPST552 and changes nothing', () => {
    const a = new MailboxSession(specsOf(PING_PONG)).endpoint('A');
    expect(catching(() => a.send('B', 'ping', ['1']))).toMatchObject({
      code: 'MPST552',
      message: expect.stringContaining('payload 1 of ping is not an Int: "1"') as unknown,
    });
    // The arity error names the role, the state, the label, what it expects and what it got.
    expect(catching(() => a.send('B', 'ping', []))).toMatchObject({
      code: 'MPST552',
      message:
        'MPST552: A in state 0: wrong arity for ping: expects 1 payload value (Int), was given 0: ' +
        'got B!ping(); expected B!ping(Int) | B!bye()',
    });
    expect(catching(() => a.send('B', 'bye', [1, 'x']))).toMatchObject({
      message: expect.stringContaining(
        'wrong arity for bye: expects 0 payload values, was given 2: got B!bye(1, "x")',
      ) as unknown,
    });
    expect(catching(() => a.send('B', 'ping', [1.5]))).toMatchObject({ code: 'MPST552' });
    expect(a.state).toBe(0);
    a.send('B', 'ping', [2]);
    expect(a.state).toBe(1);
  });

  test('receiving in a send state, or twice at once, rejects', async () => {
    const s = new MailboxSession(specsOf(PING_PONG));
    await expect(s.endpoint('A').receive()).rejects.toMatchObject({ code: 'MPST550' });
    const b = s.endpoint('B');
    const first = b.receive();
    await expect(b.receive()).rejects.toBeInstanceOf(ConcurrentReceive);
    s.endpoint('A').send('B', 'bye', []);
    expect(await first).toEqual({ kind: 'message', from: 'A', label: 'bye', payload: [] });
    expect(b.done).toBe(true);
  });
});

describe('endpoint: receives', () => {
  test('takes the oldest message among the peers the state receives from', async () => {
    const specs = specsOf(`global protocol M(role A, role B, role C) {
      choice at A { x() from A to C; y() from B to C; } or { z() from A to C; y() from B to C; } }`);
    const s = new MailboxSession(specs);
    s.endpoint('B').send('C', 'y', []);
    s.endpoint('A').send('C', 'x', []);
    const c = s.endpoint('C');
    // C's first state receives from A only: y from B waits in its own queue.
    expect(await c.receive()).toMatchObject({ from: 'A', label: 'x' });
    expect(await c.receive()).toMatchObject({ from: 'B', label: 'y' });
    expect(c.done).toBe(true);
    expect(s.trace().events.map((e) => e.kind)).toEqual(['send', 'send', 'receive', 'receive']);
  });

  test('a message that does not fit rejects (MPST551/552), is discarded, and the state stays', async () => {
    const specs = specsOf(PING_PONG);
    const bad = specsOf(PING_PONG.replace('ping(Int)', 'ping(String)'));
    const s = new MailboxSession([specFor(bad, 'A'), specFor(specs, 'B')]);
    const b = s.endpoint('B');
    s.endpoint('A').send('B', 'ping', ['x']);
    const e = await b.receive().catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'MPST552', state: 0, received: 'A?ping("x")' });
    expect(b.state).toBe(0);
  });

  test('a timeout without a crash branch rejects (MPST556) and leaves the state', async () => {
    const b = new MailboxSession(specsOf(PING_PONG)).endpoint('B');
    const e = await b.receive({ timeoutMs: 20 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ReceiveTimeout);
    expect(b.state).toBe(0);
  });

  test('a timeout with a crash branch takes it; the peer counts as crashed from then on', async () => {
    const s = new MailboxSession(specsOf(WORK), { timeoutMs: 20 });
    s.endpoint('S').send('W', 'job', [1]);
    expect(await s.endpoint('S').receive()).toEqual({
      kind: 'crash',
      from: 'W',
      reason: 'timeout',
    });
    const w = s.endpoint('W');
    await w.receive();
    w.send('S', 'result', [2]); // too late: dropped, traced lost
    const kinds = s.trace().events.map((e) => e.kind);
    expect(kinds).toEqual(['send', 'timeout', 'receive', 'send', 'lost']);
  });

  test('a reliable peer that crashes anyway: the receive rejects (MPST557) instead of hanging', async () => {
    const s = new MailboxSession(specsOf(PING_PONG));
    const pending = s.endpoint('B').receive();
    s.crash('A');
    await expect(pending).rejects.toBeInstanceOf(PeerCrashed);
    expect(() => s.endpoint('A').send('B', 'bye', [])).toThrow(/MPST558/);
  });

  test('abort ends the session: pending and later calls fail with EndpointClosed', async () => {
    const s = new MailboxSession(specsOf(THREE_ROLE_CHOICE));
    const pending = s.endpoint('S').receive();
    s.abort('operator said so');
    await expect(pending).rejects.toBeInstanceOf(EndpointClosed);
    expect(() => s.endpoint('C').send('S', 'query', ['x'])).toThrow(/MPST555.*operator said so/);
    expect(s.ended).toBe(true);
    await s.whenEnded();
  });

  test('a clean end: whenEnded resolves once every role is terminal', async () => {
    const s = new MailboxSession(specsOf(PING_PONG));
    let ended = false;
    void s.whenEnded().then(() => (ended = true));
    s.endpoint('A').send('B', 'bye', []);
    await Promise.resolve();
    expect(ended).toBe(false);
    await s.endpoint('B').receive();
    await Promise.resolve();
    expect(ended).toBe(true);
  });
});

describe('specs', () => {
  test('payload type names: named, refined, plain', () => {
    expect(payloadTypeName('x: Int{x > 0}')).toBe('Int');
    expect(payloadTypeName('Ballot')).toBe('Ballot');
    expect(payloadTypeName(' a.b.T ')).toBe('a.b.T');
  });

  test('a payload type without a check, or a role mismatch, is an InvalidSpec (MPST553)', () => {
    const spec = specFor(
      specsOf(`global protocol Q(role A, role B) { m(Ballot) from A to B; }`),
      'A',
    );
    const e = catching(() => compileSpec(spec));
    expect(e).toBeInstanceOf(InvalidSpec);
    expect((e as InvalidSpec).problems).toEqual([
      'payload type Ballot has no check (add it to spec.types)',
    ]);
    const ok: EndpointSpec = { ...spec, types: { Ballot: (v) => typeof v === 'number' } };
    expect(compileSpec(ok).states).toHaveLength(2);
    expect(catching(() => compileSpec({ ...ok, role: 'B' }))).toMatchObject({
      problems: ['efsm is for role A, not B'],
    });
  });

  test('a payload type named like a member of Object.prototype needs its check too (MPST553)', () => {
    // Free type names (nuScr): `toString` must not find Object.prototype.toString as its check,
    // which accepted every value (and `hasOwnProperty` threw a TypeError out of send).
    for (const type of ['toString', 'constructor', 'hasOwnProperty']) {
      const spec = specFor(
        specsOf(`global protocol Q(role A, role B) { m(${type}) from A to B; }`),
        'A',
      );
      expect(catching(() => compileSpec(spec))).toMatchObject({
        code: 'MPST553',
        problems: [`payload type ${type} has no check (add it to spec.types)`],
      });
      const checked = { ...spec, types: { [type]: (v: unknown) => typeof v === 'string' } };
      expect(compileSpec(checked).states).toHaveLength(2);
    }
  });

  test('every code is in MPST550–MPST599 and listed in DIAGNOSTIC_CODES (docs/diagnostics.md)', () => {
    for (const code of Object.keys(RUNTIME_ERROR_CODES)) expect(code).toMatch(/^MPST5[5-9]\d$/);
    const listed = Object.entries(DIAGNOSTIC_CODES).filter(([code]) => code >= 'MPST550');
    expect(Object.fromEntries(listed)).toEqual(RUNTIME_ERROR_CODES);
  });
});
