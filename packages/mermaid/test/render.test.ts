/**
 * Render test: real Mermaid (node_modules/mermaid/dist/mermaid.min.js) in real headless
 * Chromium (/usr/bin/chromium, through playwright-core) draws, without a parse or layout
 * error,
 *   - every diagram of every accepted corpus protocol (global sequence + each role's states),
 *   - every diagram of the Paxos tutorial,
 *   - every expected .mmd file of the snapshot fixtures,
 *   - diagrams that use every role, label and payload type name of the corpora in every
 *     position (participant, message, note, block label, state transition).
 * Diagrams are rendered in batches in one page (mermaid.render in a loop). Counts and time go
 * to reports/packages/mermaid/mermaid-render-summary.txt.
 *
 * Without /usr/bin/chromium (or $MPST_CHROMIUM) the test is skipped with a notice, unless
 * MPST_REQUIRE_BROWSER=1 (CI), where that is a failure.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { findChromium, INSTALL_HINT, MermaidRenderer } from '@mpst/mermaid/node';
import { corpusRoot, missingCorpusNotice, repoRoot } from '../../../tools/corpus.js';
import {
  corpusDiagrams,
  TUTORIAL_FILES,
  tutorialDiagrams,
  type NamedDiagram,
} from './corpus-diagrams.js';
import { corpusNames, nameDiagrams } from './corpus-names.js';

const browser = findChromium();
const required = process.env.MPST_REQUIRE_BROWSER === '1';
const notice =
  `[@mpst/mermaid render] ${INSTALL_HINT}: render tests SKIPPED ` +
  `(MPST_REQUIRE_BROWSER=1 makes this an error)`;
if (!browser && !required) console.warn(notice);
const root = corpusRoot();
if (!root) console.warn(missingCorpusNotice('mermaid render'));

const BATCH = 200;
/** Two pages render in parallel (two renderer processes): about twice as fast on two cores. */
const PAGES = Math.min(2, availableParallelism());
let renderer: MermaidRenderer | undefined;
const summary: string[] = [];
let totalDiagrams = 0;
let totalMs = 0;

/**
 * Renders all diagrams in batches; returns the failures as `name: error` lines. `counted`:
 * whether they go into the total (not the deliberately broken sanity-check diagram).
 */
async function renderAll(
  label: string,
  diagrams: readonly NamedDiagram[],
  counted = true,
): Promise<string[]> {
  if (!renderer) throw new Error(`no browser: ${INSTALL_HINT}`);
  const started = performance.now();
  const failures: string[] = [];
  let chars = 0;
  for (let i = 0; i < diagrams.length; i += BATCH) {
    const batch = diagrams.slice(i, i + BATCH);
    const out = await renderer.render(batch.map((d) => d.text));
    out.forEach((o, j) => {
      const d = batch[j];
      if (!d) return;
      chars += d.text.length;
      if (!o.ok) failures.push(`${d.name}: ${o.error.split('\n').slice(0, 3).join(' | ')}`);
      else if (!o.svg.startsWith('<svg')) failures.push(`${d.name}: not an SVG`);
      else if (d.shows) {
        // Each name must be displayed inside one label of its own, not only in a text that
        // joins them all (a title, a loop or box header names the whole group).
        const all = d.shows.join('').replace(/\s+/g, '');
        const runs = displayedRuns(o.svg).filter((r) => r.length < all.length / 2);
        const missing = d.shows.filter((s) => !runs.some((r) => r.includes(s.replace(/\s+/g, ''))));
        if (missing.length > 0)
          failures.push(
            `${d.name}: does not display ${missing
              .slice(0, 5)
              .map((m) => JSON.stringify(m))
              .join(', ')}${missing.length > 5 ? ` and ${String(missing.length - 5)} more` : ''}`,
          );
      }
    });
  }
  const ms = performance.now() - started;
  if (counted) {
    totalDiagrams += diagrams.length;
    totalMs += ms;
  }
  summary.push(
    `${label}: ${String(diagrams.length)} diagrams (${String(chars)} ` +
      `characters of Mermaid) rendered in ${(ms / 1000).toFixed(1)} s, ` +
      `${String(failures.length)} failed`,
  );
  return failures;
}

/**
 * The texts an SVG displays, one per element (the character data between two tags), XML
 * entities decoded, white space removed. Styles and scripts are dropped.
 */
function displayedRuns(svg: string): string[] {
  const markup = svg.replace(/<(style|script)[^>]*>[\s\S]*?<\/\1>/g, '');
  return [...markup.matchAll(/>([^<]+)</g)]
    .map((m) => decodeEntities(m[1] ?? '').replace(/\s+/g, ''))
    .filter((r) => r.length > 0);
}

function decodeEntities(data: string): string {
  return data.replace(/&(#x[0-9a-f]+|#[0-9]+|amp|lt|gt|quot|apos|nbsp);/gi, (_, e: string) => {
    const k = e.toLowerCase();
    if (k.startsWith('#x')) return String.fromCodePoint(parseInt(k.slice(2), 16));
    if (k.startsWith('#')) return String.fromCodePoint(parseInt(k.slice(1), 10));
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' }[k] ?? '';
  });
}

if (!browser && !required) test.skip(notice, () => {});

describe.skipIf(!browser && !required)('Mermaid in headless Chromium', () => {
  beforeAll(async () => {
    if (!browser) return; // MPST_REQUIRE_BROWSER=1: the first test fails, and every render with it
    const started = performance.now();
    renderer = await MermaidRenderer.open({ executablePath: browser, pages: PAGES });
    summary.push(
      `browser ${browser} and Mermaid loaded (${String(PAGES)} pages) in ` +
        `${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  }, 60_000);

  afterAll(async () => {
    await renderer?.close();
    if (summary.length === 0) return;
    summary.push(
      `total: ${String(totalDiagrams)} diagrams in ` +
        `${(totalMs / 1000).toFixed(1)} s ` +
        `(${totalDiagrams > 0 ? (totalMs / totalDiagrams).toFixed(1) : '0'} ms each)`,
    );
    const title = '# @mpst/mermaid render test (real Mermaid in headless Chromium)';
    const text = `${title}\n\n${summary.map((l) => `- ${l}\n`).join('')}`;
    const file = path.join(repoRoot, 'reports/packages/mermaid/mermaid-render-summary.txt');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
    console.log(`[mermaid render] ${summary.at(-1) ?? ''} (${path.relative(repoRoot, file)})`);
  });

  test('Chromium is installed', () => {
    expect(browser, `MPST_REQUIRE_BROWSER=1 but ${INSTALL_HINT}`).toBeDefined();
  });

  test('a broken diagram is reported as a failure (the check can fail)', async () => {
    const failures = await renderAll(
      'sanity check: a deliberately broken diagram (must fail; not in the total)',
      [{ name: 'raw semicolon', text: 'sequenceDiagram\n  A->>B: a;b c\n' }],
      false,
    );
    expect(failures).toHaveLength(1);
  });

  test('every diagram of the Paxos tutorial', async () => {
    const set = await tutorialDiagrams();
    expect(set.accepted).toBe(set.jobs);
    // Every file of the tutorial (steps, examples, protocols) has at least one global protocol,
    // each analysed (a count pinned here broke with every new step: the files are the list).
    expect(set.protocols).toBe(set.jobs);
    expect(set.jobs).toBeGreaterThanOrEqual(TUTORIAL_FILES.length);
    expect(set.diagrams.length).toBeGreaterThan(2 * set.jobs);
    expect(
      await renderAll(
        `tutorial (${String(set.protocols)} protocols of ${String(TUTORIAL_FILES.length)} files)`,
        set.diagrams,
      ),
    ).toEqual([]);
  }, 300_000); // every step and example: ~80 diagrams, ~12 s alone, longer on a loaded machine

  test('every expected .mmd file of the fixtures', async () => {
    const dir = path.join(import.meta.dirname, 'fixtures');
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.mmd'))
      .sort();
    expect(files.length).toBe(28);
    const diagrams = files.map((f) => ({ name: f, text: readFileSync(path.join(dir, f), 'utf8') }));
    expect(await renderAll('fixtures (expected .mmd files)', diagrams)).toEqual([]);
  }, 120_000);

  test.skipIf(!root)(
    'every role, label and type name of the corpora, in every position, displayed as written',
    async () => {
      const names = corpusNames(root ?? '');
      expect(names.length).toBe(2022);
      const diagrams = nameDiagrams(names);
      expect(
        await renderAll(`corpus names (${String(names.length)} distinct names)`, diagrams),
      ).toEqual([]);
    },
    120_000,
  );

  test.skipIf(!root)(
    'every diagram of every accepted corpus protocol',
    async () => {
      const set = await corpusDiagrams(root ?? '');
      expect([set.accepted, set.jobs, set.protocols, set.diagrams.length]).toEqual([
        296, 309, 414, 1366,
      ]);
      const failures = await renderAll(
        `corpus (${String(set.protocols)} protocols of ` +
          `${String(set.accepted)} accepted files out of ${String(set.jobs)})`,
        set.diagrams,
      );
      expect(failures).toEqual([]);
    },
    600_000,
  );
});
