import { memoryHost } from '@mpst/scribble';
import { SCRIBBLE_JAVA_MODEL, verifyFiles } from '@mpst/verify';
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { randomFailureModel, randomProtocol } from './random-protocols.mjs';
import { planRefactoring } from '../src/index.js';

/** Whether the text checks, projects and verifies (its own declarations say who may crash). */
function verifies(text: string): boolean {
  const v = verifyFiles(['Rand.nuscr'], memoryHost({ 'Rand.nuscr': text }), SCRIBBLE_JAVA_MODEL);
  return v.diagnostics.every((d) => d.severity !== 'error') && v.results[0]?.verdict === 'verified';
}

// A few dozen cases here (bounded time); bench/refactor-property.mjs runs >= 1,000 and prints
// the shares.
test('random reliable protocols x random crash models: the default plan verifies or says why in MPST4xx', () => {
  const outcome = { verified: 0, explained: 0 };
  const cases = fc
    .tuple(randomProtocol(), fc.nat())
    .chain(([p]) => randomFailureModel(p.roles).map((model) => ({ ...p, model })))
    .filter((c) => verifies(c.text));
  fc.assert(
    fc.property(cases, ({ text, model }) => {
      const plan = planRefactoring(text, 'Rand', model, { file: 'Rand.nuscr' });
      if (plan.verdict === 'verified') {
        // Never claimed without reason: the output verifies again when checked from scratch,
        // and every unreliable role is the only kind of role left unmarked.
        expect(verifies(plan.output)).toBe(true);
        for (const r of model.unreliable)
          expect(plan.output).toMatch(new RegExp(`(?<!reliable )role ${r}\\b`));
        outcome.verified++;
      } else {
        const d = plan.diagnostics.find((x) => /^MPST4\d\d$/.test(x.code));
        expect(d, `no MPST4xx explanation for\n${text}`).toBeDefined();
        expect(d?.span.line).toBeGreaterThan(0);
        outcome.explained++;
      }
    }),
    { numRuns: 30, seed: 7 },
  );
  expect(outcome.verified + outcome.explained).toBe(30);
  // The handling must work on most cases, not just explain failures.
  expect(outcome.verified).toBeGreaterThan(20);
}, 60_000);
