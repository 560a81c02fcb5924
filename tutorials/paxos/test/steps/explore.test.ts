import { it } from 'vitest';
import { twoProposers, CORRECT } from '../../steps/05-two-proposers/roles.js';
import { runStep } from '../../src/kit.js';
it('explore', async () => {
  const muts = {
    majority1: { ...CORRECT, majority: 1 },
    acceptGt: { ...CORRECT, acceptor: { acceptEqual: false } },
    ignore: { ...CORRECT, adoptHighest: false },
    reuse: { ...CORRECT, uniqueBallots: false },
  };
  for (const [name, v] of Object.entries(muts)) {
    const step = twoProposers(v);
    const found: string[] = [];
    for (let s = 1; s <= 200; s++) {
      const r = await runStep(step, s);
      if (r.violations.length) found.push(`${s}:${r.result.trace.events.length}:${r.violations[0]!.slice(0, 60)}`);
    }
    console.log(name, found.length, found.slice(0, 3));
  }
});
