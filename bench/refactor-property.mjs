// The crash-refactor property over many random cases (the unit test runs a few dozen):
// random reliable protocols (packages/crash-refactor/test/random-protocols.mjs) that check, project and verify with
// every role reliable, times a random failure model. The default plan must either verify —
// and the refactored text must verify again when checked from scratch — or explain itself
// with an MPST4xx diagnostic. Prints the share of each.
// Usage: node bench/refactor-property.mjs [CASES=1000] [SEED=42]   (after `npm run build`)
import { planRefactoring } from '@mpst/crash-refactor';
import { memoryHost } from '@mpst/scribble';
import { verifyFiles, SCRIBBLE_JAVA_MODEL } from '@mpst/verify';
import fc from 'fast-check';
import {
  randomFailureModel,
  randomProtocol,
} from '../packages/crash-refactor/test/random-protocols.mjs';

const cases = Number(process.argv[2] ?? 1000);
const seed = Number(process.argv[3] ?? 42);

/** Whether the text verifies (its own crash-stop declarations, scribble-java's model). */
function verifies(text) {
  const v = verifyFiles(['Rand.nuscr'], memoryHost({ 'Rand.nuscr': text }), SCRIBBLE_JAVA_MODEL);
  return v.diagnostics.every((d) => d.severity !== 'error') && v.results[0]?.verdict === 'verified';
}

const counts = { generated: 0, valid: 0, verified: 0, explained: 0, unexplained: 0 };
const codes = new Map();
const started = performance.now();
const gen = fc
  .tuple(randomProtocol(), fc.nat())
  .chain(([p, k]) => randomFailureModel(p.roles).map((m) => ({ ...p, model: m, k })));
let s = seed;
while (counts.valid < cases) {
  const batch = fc.sample(gen, { seed: s++, numRuns: 50 });
  for (const c of batch) {
    counts.generated++;
    if (!verifies(c.text)) continue;
    counts.valid++;
    const plan = planRefactoring(c.text, 'Rand', c.model, { file: 'Rand.nuscr' });
    if (plan.verdict === 'verified' && verifies(plan.output)) counts.verified++;
    else if (
      plan.verdict !== 'verified' &&
      plan.diagnostics.some((d) => /^MPST4\d\d$/.test(d.code))
    ) {
      counts.explained++;
      const code = plan.diagnostics.find((d) => d.code.startsWith('MPST4'))?.code;
      codes.set(code, (codes.get(code) ?? 0) + 1);
    } else {
      counts.unexplained++;
      console.log(`UNEXPLAINED (${plan.verdict}) for ${c.model.unreliable.join(',')}:\n${c.text}`);
    }
    if (counts.valid >= cases) break;
  }
}
const ms = performance.now() - started;
const pct = (x) => `${((100 * x) / counts.valid).toFixed(1)}%`;
console.log(
  `refactor property: ${counts.valid} valid cases (of ${counts.generated} generated), seed ${seed}, ` +
    `${(ms / 1000).toFixed(1)} s`,
);
console.log(
  `  verified (and re-verified from scratch): ${counts.verified} (${pct(counts.verified)})`,
);
console.log(
  `  explained by an MPST4xx diagnostic:       ${counts.explained} (${pct(counts.explained)}) ${JSON.stringify(Object.fromEntries(codes))}`,
);
console.log(`  neither (a bug):                          ${counts.unexplained}`);
process.exitCode = counts.unexplained > 0 ? 1 : 0;
