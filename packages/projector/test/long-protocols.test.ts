/**
 * Long protocols (the "Big" shape of REFERENCE.md §5): projection walks a 30,000-interaction
 * sequence without recursion and builds one `prefix` node per action of the role; the EFSM has
 * one state per action plus a constant number for the loop at the end (linear size).
 */
import { analyzeFiles, type LocalType } from '@mpst/projector';
import { memoryHost } from '@mpst/scribble';
import { describe, expect, test } from 'vitest';

/** Big with `n` messages `m<i>() from R<i mod r> to R<(i+1) mod r>;` and a loop after them. */
function big(n: number, r: number): string {
  const roles = Array.from({ length: r }, (_, k) => `role R${String(k)}`).join(', ');
  const out = [`global protocol Big(${roles}) {`];
  for (let i = 0; i < n; i++)
    out.push(`  m${String(i)}() from R${String(i % r)} to R${String((i + 1) % r)};`);
  out.push('  rec X {', '    choice at R0 {');
  for (let j = 1; j < r; j++)
    out.push(`      more${String(j)}() from R${String(j - 1)} to R${String(j)};`);
  out.push('      continue X;', '    } or {');
  for (let j = 1; j < r; j++)
    out.push(`      stop${String(j)}() from R${String(j - 1)} to R${String(j)};`);
  out.push('    }', '  }', '}', '');
  return out.join('\n');
}

/** The leading prefixes of a local type, as `peer!label` / `peer?label`. */
function leading(l: LocalType): string[] {
  const out: string[] = [];
  for (let cur = l; cur.kind === 'prefix'; cur = cur.cont) {
    const a = cur.action;
    out.push(
      `${a.peer}${a.kind === 'send' ? '!' : '?'}${'message' in a ? a.message.label : a.kind}`,
    );
  }
  return out;
}

function analyse(n: number, r: number) {
  const result = analyzeFiles(['Big.nuscr'], memoryHost({ 'Big.nuscr': big(n, r) }));
  expect(result.diagnostics).toEqual([]);
  return result.protocols[0]?.roles ?? [];
}

describe('long protocols', () => {
  test('each role gets one prefix per message it takes part in, in order', () => {
    const roles = analyse(30_000, 3);
    const r1 = roles.find((x) => x.role === 'R1')?.local;
    if (!r1) throw new Error('R1 not projected');
    const chain = leading(r1);
    // R1 receives m0, m3, ... from R0 and sends m1, m4, ... to R2: 2 of every 3 messages.
    expect(chain).toHaveLength(20_000);
    expect(chain.slice(0, 4)).toEqual(['R0?m0', 'R2!m1', 'R0?m3', 'R2!m4']);
    expect(chain.at(-1)).toBe('R2!m29998');
  });

  test('EFSM size is linear: one state per action, plus the same few for the loop', () => {
    const extra = (n: number): number[] =>
      analyse(n, 3).map(({ role, local, efsm }) => {
        if (!local || !efsm) throw new Error(`${role} not projected`);
        expect(efsm.transitions.length).toBeGreaterThanOrEqual(efsm.states.length - 1);
        return efsm.states.length - leading(local).length;
      });
    expect(extra(30_000)).toEqual(extra(300));
  });
});
