/**
 * Global protocol → sequenceDiagram. Each protocol under test/fixtures/sequence has its
 * expected text next to it (`Name.mmd`; `Name.box.mmd` / `Name.inline.mmd` for the other
 * `doCalls` styles of the `do` fixtures; `Choice.highlight.mmd` for highlighting). Update with
 * `npx vitest run -u`; render.test.ts renders every expected file in a browser.
 */
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { globalToSequence } from '@mpst/mermaid';
import type { ElaboratedProtocol } from '@mpst/projector';
import { analyzeFixture, fixtureDir, protocolFiles, stem } from './fixtures.js';

const dir = fixtureDir('sequence');

function protocolOf(rel: string): ElaboratedProtocol {
  const [r] = analyzeFixture(path.join(dir, rel));
  if (!r?.protocol) throw new Error(`${rel}: not elaborated`);
  return r.protocol;
}

describe('snapshots', () => {
  test.each(protocolFiles(dir))('%s', async (rel) => {
    const p = protocolOf(rel);
    await expect(globalToSequence(p)).toMatchFileSnapshot(path.join(dir, `${stem(rel)}.mmd`));
    if (rel.startsWith('do/')) {
      await expect(globalToSequence(p, { doCalls: 'box' })).toMatchFileSnapshot(
        path.join(dir, `${stem(rel)}.box.mmd`),
      );
      await expect(globalToSequence(p, { doCalls: 'inline' })).toMatchFileSnapshot(
        path.join(dir, `${stem(rel)}.inline.mmd`),
      );
    }
  });

  test('highlighting a set of interactions (every cancel() message)', async () => {
    const p = protocolOf('Choice.nuscr');
    const text = globalToSequence(p, {
      highlight: (g) => g.kind === 'message' && g.message.label === 'cancel',
    });
    await expect(text).toMatchFileSnapshot(path.join(dir, 'Choice.highlight.mmd'));
    expect(text.match(/rect rgb\(255, 236, 179\)/g)).toHaveLength(3);
  });
});

describe('structure', () => {
  test('participants in declaration order; reliable roles marked in a crash-stop protocol only', () => {
    expect(globalToSequence(protocolOf('Crash.nuscr'))).toMatch(
      /participant r_C as C \(reliable\)\n {2}participant r_W as W\n {2}participant r_S as S \(reliable\)/,
    );
    expect(globalToSequence(protocolOf('Messages.nuscr'))).toMatch(
      /participant r_Client as Client\n {2}participant r_Server as Server\n {2}participant r_Log as Log\n/,
    );
  });

  test('what follows a choice is drawn once, after the block', () => {
    const text = globalToSequence(protocolOf('Choice.nuscr'));
    expect(text.match(/receipt\(\)/g)).toHaveLength(1);
    expect(text.trimEnd().split('\n').at(-1)).toBe('  r_Seller->>r_Buyer: receipt()');
  });

  test('what follows a loop is drawn after it', () => {
    const text = globalToSequence(protocolOf('Recursion.nuscr'));
    expect(text.trimEnd().split('\n').slice(-2)).toEqual([
      '  end',
      '  r_Server->>r_Client: stats(Int)',
    ]);
  });

  test('crash branches are options of a critical block; default branches are marked', () => {
    expect(globalToSequence(protocolOf('Crash.nuscr'))).toMatch(
      /critical W acts, which may crash\n[^]*\n {2}option W crashed\n {4}r_W--xr_S: crash\n/,
    );
    const d = globalToSequence(protocolOf('Default.nuscr'));
    expect(d).toContain('else or default');
    expect(d).toContain('option default: A crashed or its message was lost');
    expect(d).toContain('critical P acts, with a default');
  });

  test('each do call is its own box; box mode leaves the calls out; inline mode draws no box', () => {
    const p = protocolOf('do/Round.scr');
    const expand = globalToSequence(p);
    expect(expand.match(/Note over r_P,r_A\d: do Ask\(P, A\d\)/g)).toEqual([
      'Note over r_P,r_A1: do Ask(P, A1)',
      'Note over r_P,r_A2: do Ask(P, A2)',
      'Note over r_P,r_A1: do Ask(P, A1)',
    ]);
    const box = globalToSequence(p, { doCalls: 'box' });
    expect(box).not.toContain('prepare(Ballot)');
    expect(box).toContain('do Retry(P, A1, A2)');
    const inline = globalToSequence(p, { doCalls: 'inline' });
    expect(inline).not.toContain('rect');
    expect(inline.match(/prepare\(Ballot\)/g)).toHaveLength(3);
  });

  test(
    'box mode folds the outermost call, even one that starts with a ' +
      'recursive call; a protocol calling itself stays a loop',
    () => {
      const box = globalToSequence(protocolOf('do/Nested.scr'), { doCalls: 'box' });
      expect(box).toContain('loop do Nested(A, B)');
      expect(box).toContain('Note over r_A,r_B: do Outer(A, B)');
      expect(box).not.toContain('Inner');
    },
  );

  test('Mermaid keywords and digits-first names are behind prefixed ids', () => {
    const text = globalToSequence(protocolOf('Names.nuscr'));
    expect(text).toContain('participant r_end as end');
    expect(text).toContain('participant r_1st as 1st');
    expect(text).toContain('r_end->>r_loop: note(x#58; Int)'.replace('#58;', ':'));
  });

  test('the text is deterministic', () => {
    expect(globalToSequence(protocolOf('do/Round.scr'))).toBe(
      globalToSequence(protocolOf('do/Round.scr')),
    );
  });
});
