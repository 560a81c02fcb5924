/**
 * The EFSM builder's bookkeeping: states numbered as a breadth-first walk discovers them, a
 * continuation shared in the local type is one state whether its nodes were built by projection
 * (which keep their state number in a private slot) or written as plain objects (kept in a
 * map), and building the same local type again gives the same machine (slots from an earlier
 * build are not trusted).
 */
import {
  analyzeFiles,
  buildEfsm,
  efsmToDot,
  LEND,
  type LocalAction,
  type LocalType,
} from '@mpst/projector';
import { memoryHost } from '@mpst/scribble';
import { describe, expect, test } from 'vitest';

const send = (peer: string, label: string): LocalAction => ({
  kind: 'send',
  peer,
  message: { label, payload: [] },
});

/** `from -label-> to` per transition, in the machine's order. */
const edges = (local: LocalType): string[] =>
  buildEfsm('P', 'A', local).transitions.map(
    (t) => `${String(t.from)} -${t.label}-> ${String(t.to)}`,
  );

describe('buildEfsm', () => {
  test('a continuation shared by two branches (plain objects) is one state; states are breadth-first', () => {
    const join: LocalType = {
      kind: 'prefix',
      action: send('B', 'done'),
      cont: LEND,
      origin: undefined,
    };
    const local: LocalType = {
      kind: 'choice',
      branches: [
        {
          action: send('B', 'a'),
          cont: { kind: 'prefix', action: send('C', 'x'), cont: join, origin: undefined },
          origin: undefined,
        },
        { action: send('B', 'b'), cont: join, origin: undefined },
      ],
    };
    expect(edges(local)).toEqual([
      '0 -B!a()-> 1',
      '0 -B!b()-> 2',
      '1 -C!x()-> 2',
      '2 -B!done()-> 3',
    ]);
    expect(buildEfsm('P', 'A', local).states.map((s) => s.terminal)).toEqual([
      false,
      false,
      false,
      true,
    ]);
  });

  test('a recursion is the state of its body, `continue` an edge back to it', () => {
    const local: LocalType = {
      kind: 'rec',
      label: 'X',
      body: {
        kind: 'prefix',
        action: send('B', 'ping'),
        cont: {
          kind: 'prefix',
          action: send('B', 'again'),
          cont: { kind: 'var', label: 'X' },
          origin: undefined,
        },
        origin: undefined,
      },
    };
    expect(edges(local)).toEqual(['0 -B!ping()-> 1', '1 -B!again()-> 0']);
  });

  const SOURCE = `global protocol Loop(role A, role B, role C) {
  start() from A to B;
  rec X {
    choice at A {
      more() from A to B;
      fwd() from B to C;
      continue X;
    } or {
      stop() from A to B;
      stop() from B to C;
    }
  }
  done() from C to A;
}
`;

  test('building a projected local type again gives the same machine', () => {
    const r = analyzeFiles(['Loop.nuscr'], memoryHost({ 'Loop.nuscr': SOURCE }));
    expect(r.diagnostics).toEqual([]);
    const roles = r.protocols[0]?.roles ?? [];
    expect(roles.map((x) => x.role)).toEqual(['A', 'B', 'C']);
    for (const { role, local, efsm } of roles) {
      if (!local || !efsm) throw new Error(`${role} was not projected`);
      // Twice, interleaved with another role's build: every build numbers its own states.
      const again = buildEfsm(efsm.protocol, role, local);
      buildEfsm(efsm.protocol, 'other', roles[0]?.local ?? LEND);
      const third = buildEfsm(efsm.protocol, role, local);
      expect(JSON.stringify(again)).toBe(JSON.stringify(efsm));
      expect(efsmToDot(third)).toBe(efsmToDot(efsm));
    }
    const c = roles[2]?.efsm;
    expect(c?.transitions.map((t) => `${String(t.from)} -${t.label}-> ${String(t.to)}`)).toEqual([
      '0 -B?fwd()-> 0',
      '0 -B?stop()-> 1',
      '1 -A!done()-> 2',
    ]);
  });

  /** The same local type as plain objects (no state slots): the EFSM builder's general path. */
  const plain = (l: LocalType, memo = new Map<LocalType, LocalType>()): LocalType => {
    const hit = memo.get(l);
    if (hit) return hit;
    let out: LocalType;
    if (l.kind === 'prefix')
      out = { kind: 'prefix', action: l.action, cont: plain(l.cont, memo), origin: l.origin };
    else if (l.kind === 'choice')
      out = {
        ...l,
        branches: l.branches.map((b) => ({ ...b, cont: plain(b.cont, memo) })),
        ...(l.loopTo ? { loopTo: l.loopTo.map((t) => plain(t, memo)) } : {}),
      };
    else if (l.kind === 'rec') out = { ...l, body: plain(l.body, memo) };
    else out = l;
    memo.set(l, out);
    return out;
  };

  // Runs of prefixes before, inside and after choices, a continuation the branches share, a
  // loop, and roles that act in only some of them: projected prefixes are numbered by the walk
  // of a run, plain ones through the queue; both must give the same machine.
  const RUNS = `global protocol Runs(role A, role B, role C) {
  a() from A to B;
  b() from B to C;
  c() from C to A;
  choice at A {
    d() from A to B;
    e() from A to B;
    f() from A to B;
    p() from B to C;
  } or {
    g() from A to B;
    h() from A to B;
    q() from A to B;
  }
  i() from A to B;
  j() from B to C;
  rec X {
    choice at B {
      k() from B to C;
      l() from C to A;
      continue X;
    } or {
      m() from B to C;
    }
  }
  n() from C to A;
  o() from A to B;
}
`;

  test.each([
    ['Runs.nuscr', RUNS],
    ['Loop.nuscr', SOURCE],
  ])('projected and plain local types of %s give the same machines', (file, text) => {
    const r = analyzeFiles([file], memoryHost({ [file]: text }));
    expect(r.diagnostics).toEqual([]);
    for (const { role, local, efsm } of r.protocols[0]?.roles ?? []) {
      if (!local || !efsm) throw new Error(`${role} was not projected`);
      expect(JSON.stringify(buildEfsm(efsm.protocol, role, plain(local)))).toBe(
        JSON.stringify(efsm),
      );
    }
  });
});
