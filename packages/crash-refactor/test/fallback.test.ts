import { describe, expect, test } from 'vitest';
import { planRefactoring } from '../src/index.js';

// `m0 default` desugars to `choice at A { m0; k } or { crash from A to B; k }` with the rest `k`
// shared by both branches, and projection then counts B's receive of `m1` in `k` as handled by
// that crash branch (it is B's first receive from A there): the text projects, but B can wait
// forever for `m1` from a crashed A. Only the verifier sees it; the planner falls back.
const TWO = `global protocol Two(role A, role B) {
  m0() from A to B; // first
  m1() from A to B;
}
`;

describe('fallback when a projecting option does not verify', () => {
  const plan = planRefactoring(TWO, 'Two', { unreliable: ['A'] }, { file: 'Two.nuscr' });

  test('the next-ranked option is taken, with the counterexample that forced it', () => {
    expect(plan.verdict).toBe('verified');
    const [d] = plan.decisions;
    expect(d?.chosen).toBe(1);
    expect(d?.options[1]?.kind).toBe('crash-branch');
    expect(d?.source).toBe('MPST207 + verifier counterexample');
    expect(d?.reason).toMatch(
      /fallback: option 0 projected but did not verify \(unfinished: B waits for A/,
    );
    expect(d?.counterexample?.[0]).toMatch(/A\s+crashes/);
  });

  test('the output wraps the rest of the block (its lines untouched) and handles m1 in the normal branch', () => {
    expect(plan.output).toBe(`global protocol Two(role A, reliable role B) {
  choice at A {
  m0() from A to B; // first
  m1() from A to B default;
  } or {
    crash from A to B;
  }
}
`);
  });

  test('without backtracking the first option is reported as not verifying (MPST404)', () => {
    const r = planRefactoring(
      TWO,
      'Two',
      { unreliable: ['A'] },
      { file: 'Two.nuscr', maxAttempts: 0 },
    );
    expect(r.verdict).toBe('violation');
    expect(r.diagnostics[0]?.code).toBe('MPST404');
    expect(r.diagnostics[0]?.message).toMatch(
      /does not verify under the failure model: B waits for A/,
    );
    expect(r.diagnostics.map((x) => x.code)).toContain('MPST303');
  });
});
