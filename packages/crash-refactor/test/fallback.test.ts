import { describe, expect, test } from 'vitest';
import { planRefactoring } from '../src/index.js';

// Two receives from A in a row, A unreliable. `m0 default` desugars to
// `choice at A { m0; k } or { crash from A to B; k }` with the rest `k` shared by both branches;
// projection once counted B's receive of `m1` in `k` as handled by that crash branch, so the
// planner had to learn from the verifier's counterexample (a fallback). Projection now reports
// `m1` as a point of its own (MPST207), and each receive gets its own default.
const TWO = `global protocol Two(role A, role B) {
  m0() from A to B; // first
  m1() from A to B;
}
`;

describe('two receives in a row from a role that may crash', () => {
  const plan = planRefactoring(TWO, 'Two', { unreliable: ['A'] }, { file: 'Two.nuscr' });

  test('each is a decision point of its own, handled by its top-ranked option', () => {
    expect(plan.verdict).toBe('verified');
    expect(plan.decisions.map((d) => [d.source, d.chosen, d.options[0]?.kind])).toEqual([
      ['MPST207', 0, 'default-message'],
      ['MPST207', 0, 'default-message'],
    ]);
    expect(plan.decisions.every((d) => !d.reason.includes('fallback'))).toBe(true);
  });

  test('the output marks both messages default, comments kept', () => {
    expect(plan.output).toBe(`global protocol Two(role A, reliable role B) {
  m0() from A to B default; // first
  m1() from A to B default;
}
`);
  });

  test('no backtracking is needed (maxAttempts 0 gives the same plan)', () => {
    const r = planRefactoring(
      TWO,
      'Two',
      { unreliable: ['A'] },
      { file: 'Two.nuscr', maxAttempts: 0 },
    );
    expect(r.verdict).toBe('verified');
    expect(r.output).toBe(plan.output);
  });
});
