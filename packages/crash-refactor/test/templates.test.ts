import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { memoryHost } from '@mpst/scribble';
import { SCRIBBLE_JAVA_MODEL, verifyFiles } from '@mpst/verify';
import { describe, expect, test } from 'vitest';
import { applyPlan, planRefactoring, type Plan } from '../src/index.js';

const fixture = (name: string): string =>
  readFileSync(fileURLToPath(new URL(`fixtures/templates/${name}`, import.meta.url)), 'utf8');
const PAXOS = readFileSync(
  fileURLToPath(new URL('../../../tutorials/paxos/protocols/Paxos.scr', import.meta.url)),
  'utf8',
);

/** Verified from scratch: the refactored text's own declarations say who may crash. */
function verifies(file: string, text: string): boolean {
  const v = verifyFiles([file], memoryHost({ [file]: text }), SCRIBBLE_JAVA_MODEL);
  return v.diagnostics.every((d) => d.severity !== 'error') && v.results[0]?.verdict === 'verified';
}

/** The plan as a reviewer reads it (what `--plan` writes, without the refactored text). */
function reviewable(plan: Plan): string {
  const { output: _output, ...rest } = plan;
  return `${JSON.stringify(rest, null, 2)}\n`;
}

/** The plan with the option of `template` chosen at the decision `id`. */
function choosing(plan: Plan, id: string, template: string): Plan {
  return {
    ...plan,
    decisions: plan.decisions.map((d) =>
      d.id === id ? { ...d, chosen: d.options.findIndex((o) => o.template === template) } : d,
    ),
  };
}

describe('fail over to a backup role', () => {
  const text = fixture('Store.scr');
  const id = 'Store: C waits for found from Primary#1';
  const plan = planRefactoring(text, 'Store', { unreliable: ['Primary'] }, { file: 'Store.scr' });

  test("offered for the reliable role with the crashed role's interface, after abort and notify", () => {
    const d = plan.decisions.find((x) => x.id === id);
    expect(d?.options.map((o) => o.template)).toEqual([
      'abort-notify',
      'failover',
      'quorum',
      'default',
      'default',
      'abort-notify',
    ]);
    expect(d?.options[1]?.description).toMatch(/^fail over to `Replica`/);
  });

  test("chosen in a reviewed plan: Replica answers in Primary's place, and it verifies", async () => {
    const applied = applyPlan(text, choosing(plan, id, 'failover'));
    expect(applied.verdict).toBe('verified');
    expect(verifies('Store.scr', applied.output)).toBe(true);
    await expect(applied.output).toMatchFileSnapshot('fixtures/templates/Store.failover.scr');
    await expect(reviewable(applied)).toMatchFileSnapshot(
      'fixtures/templates/Store.failover.plan.json',
    );
  });

  test('a backup the user names is offered even when it may crash too; never the detector', () => {
    // Replica may crash as well: not `reliable`, so only the user's word makes it the backup.
    const both = { unreliable: ['Primary', 'Replica'] };
    const auto = planRefactoring(text, 'Store', both, { file: 'Store.scr' });
    expect(auto.decisions[0]?.options.some((o) => o.template === 'failover')).toBe(false);
    const named = planRefactoring(text, 'Store', both, {
      file: 'Store.scr',
      backups: { Primary: 'Replica' },
    });
    const d = named.decisions[0];
    expect(d?.options.find((o) => o.template === 'failover')?.description).toMatch(/`Replica`/);
    // The replica's own replies (in the copy and after it) get handling of their own.
    const applied = applyPlan(text, choosing(named, d?.id ?? '', 'failover'));
    expect(applied.backups).toEqual({ Primary: 'Replica' });
    expect(applied.verdict).toBe('verified');
    expect(verifies('Store.scr', applied.output)).toBe(true);
    const self = planRefactoring(text, 'Store', both, {
      file: 'Store.scr',
      backups: { Primary: 'C' },
    });
    expect(self.decisions[0]?.options.some((o) => o.template === 'failover')).toBe(false);
  });

  test("a message in the middle of a block: the backup takes the crashed role's part of the rest", async () => {
    const lookup = fixture('Lookup.scr');
    const p = planRefactoring(lookup, 'Lookup', { unreliable: ['S1'] }, { file: 'Lookup.scr' });
    const d = p.decisions[0];
    expect(d?.options.map((o) => o.template)).toEqual([
      'default',
      'abort-notify',
      'failover',
      'quorum',
    ]);
    const applied = applyPlan(lookup, choosing(p, d?.id ?? '', 'failover'));
    expect(applied.verdict).toBe('verified');
    // S2 answers S1's query (replayed by C), then its own.
    expect(applied.output).toContain(
      '    crash from S1 to C;\n    query(Name) from C to S2;\n    answer(Addr) from S2 to C;\n' +
        '    query(Name) from C to S2;\n',
    );
    expect(verifies('Lookup.scr', applied.output)).toBe(true);
    await expect(applied.output).toMatchFileSnapshot('fixtures/templates/Lookup.failover.scr');
  });

  test("no backup, no failover: Paxos's aux protocols have no third role", () => {
    const p = planRefactoring(
      PAXOS,
      'Paxos',
      { unreliable: ['A1', 'A2', 'A3'] },
      { file: 'Paxos.scr' },
    );
    for (const d of p.decisions)
      expect(d.options.some((o) => o.template === 'failover')).toBe(false);
  });
});

describe('go on without the crashed role (quorum)', () => {
  const acceptors = { unreliable: ['A1', 'A2', 'A3'] };
  const plan = planRefactoring(PAXOS, 'Paxos', acceptors, { file: 'Paxos.scr' });

  test('offered at each acceptor reply as a quorum of A1, A2, A3, ranked after the nack default', () => {
    for (const d of plan.decisions) {
      const i = d.options.findIndex((o) => o.template === 'quorum');
      expect(i).toBeGreaterThan(0);
      expect(d.options[0]?.template).toBe('default');
      expect(d.options[i]?.description).toContain(
        'quorum: P goes on with the answers of the others of A1, A2, A3 (a majority, 2 of 3, ' +
          'remains while at most 1 of them fail',
      );
    }
  });

  test('chosen for both phases: P counts the answers it got, and it verifies in crash mode', async () => {
    let reviewed: Plan = plan;
    for (const id of [
      'Prepare: P waits for promise from A#1',
      'Accept: P waits for accepted from A#1',
    ])
      reviewed = choosing(reviewed, id, 'quorum');
    const applied = applyPlan(PAXOS, reviewed);
    expect(applied.verdict).toBe('verified');
    expect(applied.output).toContain(
      '    nack(Ballot) from A to P;\n  } or {\n    crash from A to P;\n  }',
    );
    expect(verifies('Paxos.scr', applied.output)).toBe(true);
    await expect(applied.output).toMatchFileSnapshot('fixtures/templates/Paxos.quorum.scr');
    await expect(reviewable(applied)).toMatchFileSnapshot(
      'fixtures/templates/Paxos.quorum.plan.json',
    );
  }, 30_000);

  test('a message in the middle of a block: the rest goes on without the crashed role', async () => {
    const text = fixture('Relay.scr');
    const p = planRefactoring(text, 'Relay', { unreliable: ['W'] }, { file: 'Relay.scr' });
    const d = p.decisions[0];
    const quorum = d?.options.find((o) => o.template === 'quorum');
    expect(quorum?.description).toMatch(/^put `result from W` and the rest of its block/);
    const applied = applyPlan(text, choosing(p, d?.id ?? '', 'quorum'));
    expect(applied.verdict).toBe('verified');
    await expect(applied.output).toMatchFileSnapshot('fixtures/templates/Relay.quorum.scr');
  });
});

describe('the ask hook (what `mpst refactor --interactive` prompts through)', () => {
  test("asked once per decision with the planner's choice; the answer binds", () => {
    const text = fixture('Store.scr');
    const asked: string[] = [];
    const plan = planRefactoring(
      text,
      'Store',
      { unreliable: ['Primary'] },
      {
        file: 'Store.scr',
        ask: (d) => {
          asked.push(`${d.id}: proposed ${d.options[d.chosen]?.template ?? 'none'}`);
          return d.options.findIndex((o) => o.template === 'failover');
        },
      },
    );
    expect(asked).toEqual(['Store: C waits for found from Primary#1: proposed abort-notify']);
    expect(plan.verdict).toBe('verified');
    expect(plan.decisions[0]?.reason).toBe('chosen at the prompt (the planner proposed option 0)');
    expect(plan.output).toBe(fixture('Store.failover.scr'));
  });
});

describe('the last resort: a uniform crash branch that changes failure-free runs', () => {
  const text = fixture('Auth.scr');
  const model = { unreliable: ['Cl'] };

  test('not offered while handling alone can verify; then ranked last, marked, and it verifies', async () => {
    const only = planRefactoring(text, 'Auth', model, {
      file: 'Auth.scr',
      failureFreeChanges: 'never',
    });
    expect(only.verdict).toBe('violation');
    expect(only.diagnostics[0]?.code).toBe('MPST404');
    expect(only.decisions.flatMap((d) => d.options).some((o) => o.template === 'uniform')).toBe(
      false,
    );
    const plan = planRefactoring(text, 'Auth', model, { file: 'Auth.scr' });
    expect(plan.verdict).toBe('verified');
    expect(verifies('Auth.scr', plan.output)).toBe(true);
    // Where it applies it is the last option: the others keep their indices (old plans).
    for (const d of plan.decisions)
      expect([-1, d.options.length - 1]).toContain(
        d.options.findIndex((o) => o.template === 'uniform'),
      );
    const d = plan.decisions.find((x) => x.options[x.chosen]?.changesFailureFreeRuns);
    expect(d?.id).toBe('Auth: S waits for ok from Cl#1');
    // The comment on the receive moves into the new choice with it.
    expect(plan.output).toContain('ko() from Cl to S; // S learns the decision from Cl only');
    await expect(plan.output).toMatchFileSnapshot('fixtures/templates/Auth.uniform.scr');
    await expect(reviewable(plan)).toMatchFileSnapshot('fixtures/templates/Auth.uniform.plan.json');
  }, 30_000);

  test('comments after the receives it moves stay with them, word for word', () => {
    const commented = text
      .replace(
        '// S learns the decision from Cl only',
        '(* S learns the decision\n       from Cl only *)',
      )
      .replace('put(Token) from A to S;', 'put(Token) from A to S; /* last */');
    const plan = planRefactoring(commented, 'Auth', model, { file: 'Auth.scr' });
    expect(plan.verdict).toBe('verified');
    expect(plan.output).toContain(
      'ko() from Cl to S; (* S learns the decision\n       from Cl only *)\n      done() from S to A;',
    );
    expect(plan.output).toContain('put(Token) from A to S; /* last */\n    } or {');
  }, 30_000);

  test('in a loop: the roles that would go round again hear `done()` or `fatal()`', () => {
    // R2 learns R0's choice only from R1; after R1's crash R2 must end the same way in both
    // branches, so R0, which would go round `X` again, must learn that the loop ended.
    const loop = `global protocol Loop(role R0, role R1, role R2) {
  rec X {
    choice at R0 {
      more() from R0 to R1;
      m3() from R1 to R2;
      continue X;
    } or {
      stop() from R0 to R1;
      m5() from R1 to R2;
    }
  }
}
`;
    const plan = planRefactoring(
      loop,
      'Loop',
      { unreliable: ['R0', 'R1'] },
      { file: 'Loop.nuscr' },
    );
    expect(plan.verdict).toBe('verified');
    expect(verifies('Loop.nuscr', plan.output)).toBe(true);
    expect(plan.output).toContain(
      'm3() from R1 to R2;\n        done() from R2 to R0;\n        continue X;',
    );
    expect(plan.output).toContain('crash from R1 to R2;\n        fatal() from R2 to R0;\n');
  }, 30_000);

  test('a plan that chose it replays it; choosing another option there drops it', () => {
    const plan = planRefactoring(text, 'Auth', model, { file: 'Auth.scr' });
    expect(applyPlan(text, plan).output).toBe(plan.output);
    // Another option at the uniform decision: nothing changes failure-free runs, and the
    // verifier's verdict on that choice is reported, not overruled.
    const d = plan.decisions.find((x) => x.options[x.chosen]?.changesFailureFreeRuns);
    const other = applyPlan(text, {
      ...plan,
      decisions: plan.decisions.map((x) => (x === d ? { ...x, chosen: 0 } : x)),
    });
    expect(other.decisions.some((x) => x.options[x.chosen]?.changesFailureFreeRuns)).toBe(false);
    expect(other.output).not.toContain('done()');
  }, 30_000);
});
