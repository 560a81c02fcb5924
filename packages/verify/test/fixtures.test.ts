/**
 * One small system per property and semantics, with the violation kinds it must have (none
 * for the `ok` ones). Protocol fixtures are in test/fixtures; the liveness violations that
 * our projection rules out statically (a role left waiting in one branch of a choice it is
 * not told about) are hand-made systems of EFSMs, below. The rendered result (violations,
 * minimal counterexample traces with their cycles, Mermaid text) is a file snapshot in
 * __snapshots__/<case>.txt.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Efsm, EfsmTransition, LocalAction } from '@mpst/projector';
import { nodeHost } from '@mpst/scribble/node';
import { describe, expect, test } from 'vitest';
import {
  renderResult,
  verifyFiles,
  verifySystem,
  type VerifyOptions,
  type VerifyResult,
  type ViolationKind,
} from '@mpst/verify';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
/** scribble-java's model (one-message queues), as `mpst check` uses it. */
const SJ: VerifyOptions = { capacity: 1 };

function verify(file: string, opts: VerifyOptions = {}): VerifyResult[] {
  const r = verifyFiles([path.join(dir, file)], nodeHost, {
    importPaths: [dir],
    allViolations: true,
    ...opts,
  });
  expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([]);
  expect(r.results.length).toBeGreaterThan(0);
  return [...r.results];
}

/** An EFSM from `from label to` triples; labels as in scribble-java: `B!m()`, `B?m()`, and `B?crash`. */
function efsm(role: string, edges: readonly (readonly [number, string, number])[]): Efsm {
  const transitions: EfsmTransition[] = edges.map(([from, label, to]) => {
    const m = /^(\w+)([!?])(\w+)(?:\(\))?$/.exec(label);
    if (!m) throw new Error(`bad label ${label}`);
    const [, peer = '', dir = '', name = ''] = m;
    const action: LocalAction =
      name === 'crash' && dir === '?'
        ? { kind: 'crash', peer }
        : { kind: dir === '!' ? 'send' : 'receive', peer, message: { label: name, payload: [] } };
    return { from, to, action, label };
  });
  const ids = [...new Set([0, ...edges.flatMap(([a, , b]) => [a, b])])].sort((a, b) => a - b);
  const from = new Set(edges.map(([a]) => a));
  return {
    protocol: 'Hand',
    role,
    initial: 0,
    states: ids.map((id) => ({ id, terminal: !from.has(id) })),
    transitions,
  };
}

function hand(
  roles: readonly string[],
  efsms: readonly Efsm[],
  opts: VerifyOptions = {},
  reliable?: readonly string[],
): VerifyResult {
  const crashStop = reliable !== undefined;
  return verifySystem(
    { qualifiedName: 'Hand', roles, crashStop, reliable: new Set(reliable) },
    efsms,
    { allViolations: true, ...SJ, ...opts },
  );
}

/**
 * A loops once it has chosen loop(); B tells C done() when A stops, or when it detects A's crash
 * (or the link's failure).
 */
const LOOP_OR_CRASH: readonly Efsm[] = [
  efsm('A', [
    [0, 'B!loop()', 1],
    [1, 'B!ping()', 1],
    [0, 'B!stop()', 2],
  ]),
  efsm('B', [
    [0, 'A?loop()', 1],
    [1, 'A?ping()', 1],
    [0, 'A?stop()', 2],
    [0, 'A?crash', 2],
    [1, 'A?crash', 2],
    [2, 'C!done()', 3],
  ]),
  efsm('C', [[0, 'B?done()', 1]]),
];

interface Case {
  readonly name: string;
  readonly run: () => VerifyResult[];
  readonly kinds: readonly ViolationKind[];
}

const CASES: readonly Case[] = [
  { name: 'deadlock', run: () => verify('deadlock.scr', SJ), kinds: ['deadlock'] },
  { name: 'orphan', run: () => verify('orphan.scr', SJ), kinds: ['orphan', 'unfinished'] },
  { name: 'stuck', run: () => verify('stuck.scr', SJ), kinds: ['stuck', 'unfinished'] },
  { name: 'unfinished', run: () => verify('unfinished.scr', SJ), kinds: ['orphan', 'unfinished'] },
  { name: 'ok_pingpong', run: () => verify('ok_pingpong.scr', SJ), kinds: [] },
  { name: 'ok_crash', run: () => verify('ok_crash.nuscr', SJ), kinds: [] },
  { name: 'ok_unconnected', run: () => verify('ok_unconnected.scr', SJ), kinds: [] },
  // A may always choose ping(): C starves under unfair choice only.
  { name: 'progress_unfair', run: () => verify('progress_unfair.scr', SJ), kinds: ['progress'] },
  {
    name: 'ok_progress_fair',
    run: () => verify('progress_unfair.scr', { ...SJ, fair: true }),
    kinds: [],
  },
  {
    // A and B loop forever once A has chosen loop(); C waits for done() from B for ever, whatever the scheduler.
    name: 'progress',
    run: () => [
      hand(
        ['A', 'B', 'C'],
        [
          efsm('A', [
            [0, 'B!loop()', 1],
            [1, 'B!ping()', 1],
            [0, 'B!stop()', 2],
          ]),
          efsm('B', [
            [0, 'A?loop()', 1],
            [1, 'A?ping()', 1],
            [0, 'A?stop()', 2],
            [2, 'C!done()', 3],
          ]),
          efsm('C', [[0, 'B?done()', 1]]),
        ],
      ),
    ],
    kinds: ['progress'],
  },
  {
    // C sends hello() and finishes; B may loop with A for ever and never take it.
    name: 'reception',
    run: () => [
      hand(
        ['A', 'B', 'C'],
        [
          efsm('A', [
            [0, 'B!loop()', 1],
            [1, 'B!ping()', 1],
            [0, 'B!stop()', 2],
          ]),
          efsm('B', [
            [0, 'A?loop()', 1],
            [1, 'A?ping()', 1],
            [0, 'A?stop()', 2],
            [2, 'C?hello()', 3],
          ]),
          efsm('C', [[0, 'B!hello()', 1]]),
        ],
      ),
    ],
    kinds: ['reception'],
  },
  {
    // A may crash (B is reliable); B handles A's crash before req() but not while it waits for data().
    name: 'crash',
    run: () => [
      hand(
        ['A', 'B'],
        [
          efsm('A', [
            [0, 'B!req()', 1],
            [1, 'B!data()', 2],
          ]),
          efsm('B', [
            [0, 'A?req()', 1],
            [0, 'A?crash', 3],
            [1, 'A?data()', 2],
          ]),
        ],
        {},
        ['B'],
      ),
    ],
    kinds: ['unfinished'],
  },
  // A may crash; the starvation of C (A always chooses ping()) is in the scenario where A never does.
  { name: 'progress_crash', run: () => verify('progress_crash.scr', SJ), kinds: ['progress'] },
  // D may crash but takes no part in the loop: C and D starve whether D crashes or not.
  {
    name: 'progress_bystander',
    run: () => verify('progress_bystander.scr', SJ),
    kinds: ['progress'],
  },
  {
    // Fair choice: once A has chosen loop() it pings for ever; B handles A's crash by telling C,
    // but while A is alive and looping (it need not crash) C waits for done() for ever.
    name: 'progress_crash_fair',
    run: () => [hand(['A', 'B', 'C'], LOOP_OR_CRASH, { fair: true }, ['B', 'C'])],
    kinds: ['progress'],
  },
  {
    // The same machines without crashes but with an unreliable link A->B: B takes its crash
    // branch when the link fails, but while it does not fail C starves.
    name: 'progress_link',
    run: () => [
      hand(['A', 'B', 'C'], LOOP_OR_CRASH, {
        fair: true,
        unreliableLinks: [{ from: 'A', to: 'B' }],
      }),
    ],
    kinds: ['progress'],
  },
  {
    name: 'ok_link',
    run: () => verify('link.nuscr', { ...SJ, unreliableLinks: [{ from: 'C', to: 'S' }] }),
    kinds: [],
  },
  {
    name: 'link',
    run: () => verify('link.nuscr', { ...SJ, unreliableLinks: [{ from: 'S', to: 'L' }] }),
    kinds: ['unfinished'],
  },
];

describe('fixtures: one per property, with minimal counterexamples', () => {
  test.each(CASES)('$name', async ({ name, run, kinds }) => {
    const results = run();
    for (const r of results) {
      expect([...new Set(r.violations.map((v) => v.kind))].sort()).toEqual([...kinds].sort());
      expect(r.verdict).toBe(kinds.length === 0 ? 'verified' : 'violation');
    }
    await expect(
      results.map((r) => renderResult(r, { timing: false })).join('\n'),
    ).toMatchFileSnapshot(`__snapshots__/${name}.txt`);
  });
});

describe('semantics', () => {
  test('the first violation found has a shortest trace (breadth first)', () => {
    const [r] = verify('orphan.scr', { ...SJ, allViolations: false });
    expect(r?.verdict).toBe('violation');
    expect(r?.violations).toHaveLength(1);
    // unfinished (B waits for more() from A, which has finished) is reached in 2 steps; the orphan needs 3.
    expect(r?.violations[0]?.kind).toBe('unfinished');
    expect(r?.violations[0]?.trace).toHaveLength(2);
  });

  test('liveness counterexamples are lassos: a shortest trace to the terminal set, then a cycle inside it', () => {
    const [r] = verify('progress_unfair.scr', SJ);
    const v = r?.violations[0];
    expect(v?.unfair).toBe(true);
    expect(v?.roles).toEqual(['C']);
    expect(v?.trace.map((s) => `${s.role} ${s.label}`)).toEqual(['A B!ping()']);
    expect(v?.cycle?.map((s) => `${s.role} ${s.label}`)).toEqual(['B A?ping()', 'A B!ping()']);
  });

  test(
    'liveness is checked in every crash scenario, "nobody crashes" ' +
      'included: no crash or link failure is needed',
    () => {
      const noFailure = (r: VerifyResult | undefined): void => {
        const v = r?.violations.find((x) => x.kind === 'progress');
        expect(v, 'a progress violation').toBeDefined();
        const failures = [...(v?.trace ?? []), ...(v?.cycle ?? [])].filter(
          (s) => s.kind === 'crashed' || s.kind === 'link-fails',
        );
        expect(failures).toEqual([]);
        expect(v?.configuration.crashed).toEqual([]);
        expect(v?.configuration.brokenLinks).toBeUndefined();
      };
      noFailure(verify('progress_crash.scr', SJ)[0]);
      noFailure(verify('progress_bystander.scr', SJ)[0]);
      noFailure(
        verify('progress_unfair.scr', { ...SJ, unreliableLinks: [{ from: 'B', to: 'A' }] })[0],
      );
      noFailure(hand(['A', 'B', 'C'], LOOP_OR_CRASH, { fair: true }, ['B', 'C']));
      noFailure(
        hand(['A', 'B', 'C'], LOOP_OR_CRASH, {
          fair: true,
          unreliableLinks: [{ from: 'A', to: 'B' }],
        }),
      );
    },
  );

  test('liveness after a crash is still checked: the survivors may loop for ever', () => {
    // Only after A crashes does B enter a loop where it may ping C for ever (B's choice); D
    // waits for bye(), which B sends once it stops: starved under unfair choice, after A's crash.
    const r = hand(
      ['A', 'B', 'C', 'D'],
      [
        efsm('A', [[0, 'B!go()', 1]]),
        efsm('B', [
          [0, 'A?go()', 4],
          [4, 'C!stop()', 1],
          [0, 'A?crash', 2],
          [2, 'C!ping()', 2],
          [2, 'C!stop()', 1],
          [1, 'D!bye()', 3],
        ]),
        efsm('C', [
          [0, 'B?ping()', 0],
          [0, 'B?stop()', 1],
        ]),
        efsm('D', [[0, 'B?bye()', 1]]),
      ],
      {},
      ['B', 'C', 'D'],
    );
    // A's crash is needed to reach B's loop: the trace has it, and the fair model has no violation.
    const v = r.violations.find((x) => x.kind === 'progress');
    expect(r.violations.map((x) => x.kind)).toEqual(['progress']);
    expect(v?.roles).toEqual(['D']);
    expect(v?.unfair).toBe(true);
    expect(v?.trace.some((s) => s.kind === 'crashed' && s.role === 'A')).toBe(true);
  });

  test('properties can be selected', () => {
    const [safety] = verify('progress_unfair.scr', { ...SJ, properties: ['safety'] });
    expect(safety?.verdict).toBe('verified');
    expect(safety?.unfairStates).toBe(0);
    const [progress] = verify('progress_unfair.scr', { ...SJ, properties: ['progress'] });
    expect(progress?.violations.map((v) => v.kind)).toEqual(['progress']);
    const [reception] = verify('progress_unfair.scr', { ...SJ, properties: ['reception'] });
    expect(reception?.verdict).toBe('verified');
  });

  test('crash-stop: crashes are explored and the protocol is crash-safe', () => {
    const [r] = verify('ok_crash.nuscr', SJ);
    expect(r?.crashStop).toBe(true);
    expect(r?.unreliable).toEqual(['C']);
    expect(r?.verdict).toBe('verified');
  });

  test('link failure: the receiver takes its crash branch while the sender lives on', () => {
    const [ok] = verify('link.nuscr', { ...SJ, unreliableLinks: [{ from: 'C', to: 'S' }] });
    const [none] = verify('link.nuscr', SJ);
    // The failure adds configurations: C alive and finished while S took its crash branch.
    expect(ok?.states).toBeGreaterThan(none?.states ?? 0);
    const [bad] = verify('link.nuscr', {
      ...SJ,
      unreliableLinks: [{ from: 'S', to: 'L' }],
      allViolations: false,
    });
    const trace = bad?.violations[0]?.trace ?? [];
    expect(trace.find((s) => s.kind === 'link-fails')).toMatchObject({ role: 'S', peer: 'L' });
    expect(trace.find((s) => s.lost === true)).toMatchObject({ role: 'S', peer: 'L' });
    expect(bad?.violations[0]?.configuration.brokenLinks).toEqual([{ from: 'S', to: 'L' }]);
  });

  test('a message is its label and payload types: payload names may differ (nuScr)', () => {
    const send = (name: string): Efsm => ({
      protocol: 'Hand',
      role: 'A',
      initial: 0,
      states: [
        { id: 0, terminal: false },
        { id: 1, terminal: true },
      ],
      transitions: [
        {
          from: 0,
          to: 1,
          action: { kind: 'send', peer: 'B', message: { label: 'm', payload: [name] } },
          label: `B!m(${name})`,
        },
      ],
    });
    const receive: Efsm = {
      protocol: 'Hand',
      role: 'B',
      initial: 0,
      states: [
        { id: 0, terminal: false },
        { id: 1, terminal: true },
      ],
      transitions: [
        {
          from: 0,
          to: 1,
          action: { kind: 'receive', peer: 'A', message: { label: 'm', payload: ['y: int'] } },
          label: 'A?m(y: int)',
        },
      ],
    };
    expect(hand(['A', 'B'], [send('x: int'), receive]).verdict).toBe('verified');
    expect(hand(['A', 'B'], [send('x: string'), receive]).violations.map((v) => v.kind)).toContain(
      'stuck',
    );
  });

  test('the unfair transform copies only the looping part: a long prefix does not make it give up', () => {
    // A sends 20,500 messages to B, then loops on a choice: the copies are a few states.
    const prefix = 20_500;
    const chain = (peer: string, dir: '!' | '?'): [number, string, number][] =>
      Array.from(
        { length: prefix },
        (_, i) => [i, `${peer}${dir}m()`, i + 1] as [number, string, number],
      );
    const a = efsm('A', [
      ...chain('B', '!'),
      [prefix, 'B!more()', prefix],
      [prefix, 'B!stop()', prefix + 1],
    ]);
    const b = efsm('B', [
      ...chain('A', '?'),
      [prefix, 'A?more()', prefix],
      [prefix, 'A?stop()', prefix + 1],
    ]);
    const r = hand(['A', 'B'], [a, b]);
    expect(r.incomplete).toBeUndefined();
    expect(r.verdict).toBe('verified');
    expect(r.unfairStates).toBeGreaterThan(prefix);
  });

  test('capacity: a send to a full queue waits (scribble-java: capacity 1)', () => {
    const one = verify('ok_pingpong.scr', SJ)[0];
    expect(one?.maxQueue).toBe(1);
    expect(one?.verdict).toBe('verified');
  });

  test('bounded queues: cut sends make the verdict inconclusive, never verified', () => {
    // A may ping B many times in a row: queues longer than 1 are cut.
    const [r] = verify('progress_unfair.scr', { bound: 1, fair: true });
    expect(r?.verdict).toBe('inconclusive');
    expect(r?.incomplete?.reason).toBe('bound');
    expect(r?.incomplete?.message).toMatch(/inconclusive beyond bound 1/);
  });

  test('unbounded queues where the theory of k-exhaustivity does not apply: cut at 64 messages, inconclusive', () => {
    const [r] = verify('progress_unfair.scr', { fair: true });
    expect(r?.exhaustive).toBe(1);
    // A link that may fail changes the effect of its sender's later sends: outside the proof.
    const failing = hand(['A', 'B', 'C'], LOOP_OR_CRASH, {
      capacity: undefined,
      fair: true,
      properties: ['safety'],
      unreliableLinks: [{ from: 'A', to: 'B' }],
    });
    expect(failing.verdict).toBe('inconclusive');
    expect(failing.incomplete?.reason).toBe('bound');
    expect(failing.incomplete?.message).toMatch(/k-exhaustivity does not apply: links may fail/);
    expect(failing.maxQueue).toBe(64);
  });

  test('unbounded queues, crash-stop: the verdict of every capacity', () => {
    // A may crash; with fair choice C starves while A loops (progress_crash_fair), whatever
    // the queues; without the liveness properties, safe for every queue length.
    const fair = { fair: true };
    const crashing = hand(['A', 'B', 'C'], LOOP_OR_CRASH, { ...fair, capacity: undefined }, [
      'B',
      'C',
    ]);
    expect([crashing.verdict, crashing.exhaustive]).toEqual(['violation', 1]);
    expect(crashing.violations.map((v) => v.kind)).toEqual(['progress']);
    const big = hand(['A', 'B', 'C'], LOOP_OR_CRASH, { ...fair, capacity: 5 }, ['B', 'C']);
    expect(big.violations.map((v) => v.kind)).toEqual(['progress']);
    const safe = hand(
      ['A', 'B', 'C'],
      LOOP_OR_CRASH,
      { ...fair, capacity: undefined, properties: ['safety'] },
      ['B', 'C'],
    );
    expect([safe.verdict, safe.exhaustive]).toEqual(['verified', 1]);
  });

  test('maxStates gives an honest inconclusive verdict', () => {
    const r = verifyFiles([path.join(dir, 'ok_pingpong.scr')], nodeHost, {
      importPaths: [dir],
      maxStates: 2,
    }).results[0];
    expect(r?.verdict).toBe('inconclusive');
    expect(r?.incomplete?.reason).toBe('max-states');
    expect(r?.states).toBe(2);
  });

  test('progress callback', () => {
    const seen: number[] = [];
    const protocols = new Set<string>();
    verifyFiles([path.join(dir, 'ok_pingpong.scr')], nodeHost, {
      importPaths: [dir],
      progressEvery: 2,
      onProgress: (p) => {
        seen.push(p.states);
        protocols.add(p.protocol);
      },
    });
    expect(seen.length).toBeGreaterThan(0);
    // Each report names the protocol (qualified) being verified.
    expect([...protocols]).toEqual(['ok_pingpong.PingPong']);
  });
});

describe('unbounded queues: verified for every queue length when k-exhaustive', () => {
  const unbounded: VerifyOptions = { capacity: undefined };
  test('k = 1: ping-pong, and a producer whose queue grows without bound but is always drained', () => {
    const ping = verify('ok_pingpong.scr', unbounded)[0];
    if (!ping) throw new Error('no result');
    expect(ping.verdict).toBe('verified');
    expect(ping.exhaustive).toBe(1);
    expect(renderResult(ping, { timing: false }).split('\n')[0]).toMatch(
      /: verified for every queue length \(k-exhaustive, k = 1\) — .*unbounded queues, explored with capacity 1/,
    );
    // A pings B as often as it likes: with fair choice, no violation for any queue length.
    const [fair] = verify('progress_unfair.scr', { fair: true });
    expect([fair?.verdict, fair?.exhaustive, fair?.maxQueue]).toEqual(['verified', 1, 1]);
    // Under unfair choice the starvation is real: a violation, whatever the queues.
    const [unfair] = verify('progress_unfair.scr', {});
    expect(unfair?.verdict).toBe('violation');
    expect(unfair?.violations.map((v) => v.kind)).toEqual(['progress']);
  });

  test('k = 2: A sends twice to B before C, which B waits for, hears from A', () => {
    const efsms = [
      efsm('A', [
        [0, 'B!a()', 1],
        [1, 'B!b()', 2],
        [2, 'C!c()', 3],
      ]),
      efsm('B', [
        [0, 'C?d()', 1],
        [1, 'A?a()', 2],
        [2, 'A?b()', 3],
      ]),
      efsm('C', [
        [0, 'A?c()', 1],
        [1, 'B!d()', 2],
      ]),
    ];
    const r = hand(['A', 'B', 'C'], efsms, unbounded);
    expect([r.verdict, r.exhaustive, r.maxQueue]).toEqual(['verified', 2, 2]);
    // With one-message queues the same system is stuck: A waits for room, B and C for messages.
    const one = hand(['A', 'B', 'C'], efsms, { capacity: 1 });
    expect(one.verdict).toBe('violation');
  });

  test('not k-exhaustive for any k up to the limit: B answers every a() with a b() that A never takes', () => {
    const efsms = [
      efsm('A', [[0, 'B!a()', 0]]),
      efsm('B', [
        [0, 'A?a()', 1],
        [1, 'A!b()', 0],
      ]),
    ];
    const r = hand(['A', 'B'], efsms, unbounded);
    expect(r.verdict).toBe('inconclusive');
    expect(r.exhaustive).toBeUndefined();
    expect(r.incomplete?.reason).toBe('not-exhaustive');
    expect(r.incomplete?.message).toBe(
      'inconclusive: queues may grow without bound, and the system is not k-exhaustive for any k <= 4: ' +
        // (A's queue to B fills too: B, waiting for room to send b(), takes no a() either.)
        'A cannot send to B with 4 message(s) queued, and B takes none of them unless A moves first ' +
        '(use --capacity K for queues that hold K messages, or --bound K)',
    );
  });

  test('a violation found with queues of capacity k is reported as found: real whatever the queues', () => {
    const [r] = verify('stuck.scr', unbounded);
    expect(r?.verdict).toBe('violation');
    expect(r?.violations.map((v) => v.kind)).toContain('stuck');
  });
});
