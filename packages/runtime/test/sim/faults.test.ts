/**
 * The simulator fault test: every Teatrino example, with generic role code, under 1,000 random
 * fault plans within its reliability annotations (only non-reliable roles crash; delays and
 * reorders anywhere): no run deadlocks or hangs, and every role that did not crash ends in its
 * terminal state. A failure names the seed and plan that replay it.
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { analyzeFiles } from '@mpst/projector';
import { memoryHost } from '@mpst/scribble';
import { assertRunOk, randomPlan, simulate, type EndpointSpec, type RoleCode } from '@mpst/runtime';
import { corpusRoot, listFiles, missingCorpusNotice, repoRoot } from '../../../../tools/corpus.js';
import { anyTypes, genericRole } from '../generic-role.js';

const PLANS = 1000;
const root = corpusRoot();

/** Every protocol of every file with extension `ext` directly in `base`, as specs. */
function examples(base: string, ext: string): { name: string; specs: EndpointSpec[] }[] {
  return listFiles(base, [ext]).flatMap((file) => {
    const r = analyzeFiles(
      [basename(file)],
      memoryHost({ [basename(file)]: readFileSync(join(base, file), 'utf8') }),
    );
    return r.protocols.flatMap((p) => {
      if (!p.protocol || p.roles.some((x) => !x.efsm)) return [];
      const proto = p.protocol;
      const reliable = proto.crashStop ? [...proto.reliable] : [...proto.roles];
      const bare = p.roles.map(({ role, efsm }) => ({
        protocol: p.name,
        role,
        roles: proto.roles,
        reliable,
        efsm: efsm!,
      }));
      const types = anyTypes(bare);
      return [{ name: `${basename(file)}: ${p.name}`, specs: bare.map((s) => ({ ...s, types })) }];
    });
  });
}

/** Whether the role can reach its terminal state without crash-detection transitions. */
function reachesEnd(spec: EndpointSpec): boolean {
  const seen = new Set([spec.efsm.initial]);
  const todo = [spec.efsm.initial];
  for (let s = todo.pop(); s !== undefined; s = todo.pop()) {
    if (spec.efsm.states[s]?.terminal) return true;
    for (const t of spec.efsm.transitions)
      if (t.from === s && t.action.kind !== 'crash' && !seen.has(t.to)) {
        seen.add(t.to);
        todo.push(t.to);
      }
  }
  return false;
}

if (!root) test.skip(missingCorpusNotice('runtime simulator faults'), () => {});
else
  describe('simulator: random fault plans over the Teatrino examples', () => {
    const teatrino = examples(join(root, 'teatrino', 'scribble'), '.nuscr');
    // The tutorial's protocols (all roles reliable today: plans then only delay and reorder).
    const tutorial = examples(join(repoRoot, 'tutorials', 'paxos', 'protocols'), '.scr');
    test('the corpus has its examples', () => {
      expect(teatrino.length).toBeGreaterThanOrEqual(21);
      expect(tutorial.length).toBeGreaterThanOrEqual(3);
    });
    test.each([...teatrino, ...tutorial].map((e) => [e.name, e] as const))(
      `%s: ${PLANS} plans`,
      { timeout: 60_000 },
      async (_, ex) => {
        const { roles, reliable } = ex.specs[0]!;
        // A protocol that never ends unless a role crashes (PingPongAll) may run until the step
        // limit cuts it: then it must still be going (nobody failed, something in flight).
        const endless = ex.specs.some((s) => !reachesEnd(s));
        let crashes = 0;
        for (let seed = 1; seed <= PLANS; seed++) {
          const plan = randomPlan(roles, reliable, seed);
          const code: Record<string, RoleCode> = {};
          ex.specs.forEach((s, i) => (code[s.role] = genericRole(s, seed * 31 + i)));
          const maxSteps = endless ? 500 : 20_000;
          const r = await simulate(ex.specs, code, { seed, plan, maxSteps, trace: false });
          crashes += r.outcomes.filter((o) => o.status === 'crashed').length;
          const going =
            r.cut === `more than ${maxSteps} steps` &&
            !r.outcomes.some((o) => o.status === 'failed');
          if (!(endless && going)) {
            assertRunOk(r); // throws with "Replay with seed=… plan=…"
            const reliableDone = r.outcomes.every(
              (o) => !reliable.includes(o.role) || o.status === 'done',
            );
            expect(reliableDone, r.replay).toBe(true);
          }
        }
        // Protocols with unreliable roles did see crashes.
        if (reliable.length < roles.length) expect(crashes).toBeGreaterThan(0);
      },
    );
  });
