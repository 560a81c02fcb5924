/**
 * End to end, in real headless Chromium (Debian's /usr/bin/chromium through playwright-core):
 * the built app (apps/tutorial/dist, rebuilt when stale) served on 127.0.0.1. Every step opens
 * with its prose, editor, diagrams and a verified protocol; an error typed into the editor is
 * marked at its line and listed, and fixing it redraws the diagram; a deadlocking protocol gets
 * a counterexample diagram; the page requests nothing from elsewhere and logs no error; after
 * one visit the app works with the server gone (service worker). Screenshots of every step go
 * to tmp/ci-screens/.
 *
 * Without /usr/bin/chromium (or $MPST_CHROMIUM) the test is skipped with a notice, unless
 * MPST_REQUIRE_BROWSER=1 (CI), where that is a failure.
 */
import { existsSync, mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import { CHROMIUM_FLAGS, findChromium, INSTALL_HINT } from '@mpst/mermaid/node';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { discoverSteps, type Step } from '../src/steps.js';
import { distDir, ensureBuilt, repoRoot, serve, tutorialFiles } from './site.js';

const executablePath = findChromium();
const required = process.env.MPST_REQUIRE_BROWSER === '1';
const notice =
  `[apps/tutorial e2e] ${INSTALL_HINT}: browser tests SKIPPED ` +
  '(MPST_REQUIRE_BROWSER=1 makes this an error)';
if (!executablePath && !required) console.warn(notice);

const screens = path.join(repoRoot, 'tmp', 'ci-screens');
const { steps } = discoverSteps(tutorialFiles());
/** Bounds for waits in the page: the machine is shared, Mermaid is slow on a busy core. */
const WAIT = { timeout: 30_000 };

let browser: Browser | undefined;
let context: BrowserContext | undefined;
let page: Page | undefined;
let site: { url: string; server: Server } | undefined;
/** Console errors, page errors and requests that left 127.0.0.1, for the current test. */
const trouble: string[] = [];

/** The shared page, at the start of a test: its trouble so far cleared. */
function begin(): Page {
  if (!page) throw new Error(`no browser: ${INSTALL_HINT}`);
  trouble.length = 0;
  return page;
}

/** The step most tests work in (the first test checks that there are steps). */
function firstStep(): Step {
  const step = steps[0];
  if (!step) throw new Error('no step');
  return step;
}

/** A page in a browser context of its own (no state shared), its errors recorded in `trouble`. */
async function newPage(
  viewport = { width: 1366, height: 900 },
): Promise<{ context: BrowserContext; page: Page }> {
  if (!browser) throw new Error(`no browser: ${INSTALL_HINT}`);
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') trouble.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => trouble.push(`page error: ${e.message}`));
  return { context, page };
}

/**
 * Opens `step` by its URL and loads it afresh (nothing left from the test before), with `reset`
 * puts the step's own protocol back in the editor, and waits until it is settled.
 */
async function openStep(p: Page, step: Step, { reset = false } = {}): Promise<void> {
  await p.goto(`${site?.url ?? ''}#/${step.id}`, WAIT);
  await p.reload(WAIT);
  if (reset) await p.locator('#reset').click();
  await settled(p);
}

/** Waits until the step shown is checked, drawn and verified. */
async function settled(p: Page): Promise<void> {
  await p.waitForSelector('#sequence:not(.stale) svg', WAIT);
  await p.waitForSelector('#state:not(.stale) svg', WAIT);
  await p.waitForSelector('#status[data-verdict="verified"]', WAIT);
}

/** Puts the cursor at the start of the text of 1-based line `n`, with the keyboard. */
async function goToLine(p: Page, n: number): Promise<void> {
  await p.locator('.cm-content').click();
  await p.keyboard.press('Control+Home');
  for (let i = 1; i < n; i++) await p.keyboard.press('ArrowDown');
  await p.keyboard.press('Home');
}

/** The text of the editor lines that hold an error marker. */
async function markedLines(p: Page): Promise<string[]> {
  return p
    .locator('.cm-content > .cm-line', { has: p.locator('.cm-lintRange-error') })
    .allTextContents();
}

function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`no line with ${needle}`);
  return i + 1;
}

if (!executablePath && !required) test.skip(notice, () => {});

describe.skipIf(!executablePath && !required)('the tutorial app in headless Chromium', () => {
  beforeAll(async () => {
    expect(executablePath, `MPST_REQUIRE_BROWSER=1 but ${INSTALL_HINT}`).toBeDefined();
    ensureBuilt(240_000);
    site = await serve(distDir);
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: executablePath ?? '',
      headless: true,
      args: [...CHROMIUM_FLAGS],
      timeout: 60_000,
    });
    ({ context, page } = await newPage());
    const origin = new URL(site.url).origin;
    context.on('request', (r) => {
      const u = r.url();
      if (!u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:'))
        trouble.push(`request to ${u}`);
    });
    context.on('response', (r) => {
      if (r.status() >= 400) trouble.push(`${String(r.status())} for ${r.url()}`);
    });
    mkdirSync(screens, { recursive: true });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => site?.server.close(resolve) ?? resolve(undefined));
  });

  test('the tutorial has steps', () => {
    expect(steps.length).toBeGreaterThanOrEqual(3);
  });

  test('step 1 becomes interactive; every step opens with prose, diagrams and a verified protocol', async () => {
    const p = begin();
    await p.goto(site?.url ?? '', WAIT);
    await settled(p);
    const interactive = await p.evaluate(
      () => performance.getEntriesByName('mpst:interactive')[0]?.startTime,
    );
    expect(interactive).toBeGreaterThan(0);
    console.log(
      `[apps/tutorial e2e] step 1 interactive after ${String(Math.round(interactive ?? 0))} ms`,
    );
    for (const step of steps) {
      // Through the navigation, with the keyboard: focus the step's link and press Enter.
      await p.locator(`#steps a[href="#/${step.id}"]`).focus();
      await p.keyboard.press('Enter');
      await p.waitForFunction(
        (t) => document.getElementById('step-title')?.textContent === t,
        step.title,
        WAIT,
      );
      await p.waitForFunction(
        (f) => document.getElementById('file')?.textContent === f,
        step.protocolFile,
        WAIT,
      );
      await settled(p);
      expect(await p.locator('#steps a[aria-current="step"]').textContent()).toBe(step.title);
      expect(await p.locator('#prose h2').count()).toBeGreaterThan(0);
      expect(await p.locator('#problems').isHidden()).toBe(true);
      expect((await p.locator('.cm-content').textContent())?.length).toBeGreaterThan(0);
      await p.screenshot({ path: path.join(screens, `tutorial-${step.id}.png`), fullPage: true });
    }
    expect(trouble).toEqual([]);
  }, 180_000);

  test('an error is marked at its line; fixing it redraws the diagrams', async () => {
    const p = begin();
    const step = firstStep();
    await openStep(p, step);
    const n = lineOf(step.protocol, 'from P to A;');
    const text = step.protocol.split('\n')[n - 1] ?? '';
    const before = await p.locator('#sequence').getAttribute('data-version');

    // `from P to A;` → `from P to Q;`: role Q is not declared.
    await goToLine(p, n);
    // One edit (select `A`, type `Q`): with keystrokes a frame or more apart (a loaded machine),
    // `from P to ;` would be checked (and reported) in between.
    await p.keyboard.press('End');
    await p.keyboard.press('ArrowLeft');
    await p.keyboard.press('Shift+ArrowLeft');
    await p.keyboard.type('Q');
    const problem = p.locator('#problems li.error button', { hasText: 'MPST101' }).first();
    await problem.waitFor(WAIT);
    expect(await problem.textContent()).toMatch(new RegExp(`^${String(n)}:\\d+ error MPST101 `));
    await p.locator('.cm-lintRange-error').first().waitFor(WAIT);
    expect(await markedLines(p)).toEqual([text.replace(/A;$/, 'Q;')]);
    await p.waitForSelector('#sequence.stale', WAIT);
    await p.screenshot({
      path: path.join(screens, `tutorial-${step.id}-error.png`),
      fullPage: true,
    });

    // Put it back (the cursor is after `Q`): no problems, the diagrams are current again.
    await p.keyboard.press('Shift+ArrowLeft');
    await p.keyboard.type('A');
    await p.waitForSelector('#problems', { ...WAIT, state: 'hidden' });
    await settled(p);
    expect(await markedLines(p)).toEqual([]);

    // A new label shows in the redrawn sequence diagram.
    await goToLine(p, lineOf(step.protocol, 'nack('));
    for (const _ of 'nack') await p.keyboard.press('ArrowRight');
    await p.keyboard.type('Refused');
    await p.waitForFunction(
      () =>
        document.querySelector('#sequence:not(.stale) svg')?.textContent.includes('nackRefused'),
      undefined,
      WAIT,
    );
    const after = await p.locator('#sequence').getAttribute('data-version');
    expect(Number(after)).toBeGreaterThan(Number(before));
    const measured = await p.evaluate(() =>
      ['mpst:edit-to-view', 'mpst:edit-to-diagram'].map((n) =>
        performance.getEntriesByName(n).map((e) => Math.round(e.duration)),
      ),
    );
    expect(measured[0]?.length).toBeGreaterThan(0);
    console.log(
      `[apps/tutorial e2e] keystroke to the diagrams in view redrawn: ${measured[0]?.join(', ') ?? ''} ms; ` +
        `to both diagrams redrawn: ${measured[1]?.join(', ') ?? ''} ms`,
    );
    expect(trouble).toEqual([]);
  }, 120_000);

  test('typing redraws the diagrams in view, the others when it pauses; old texts come from cache', async () => {
    trouble.length = 0;
    // The 2-proposer protocol on a wide screen: editor and global protocol side by side, its
    // sequence diagram so tall that the state machine under it is out of view.
    const step = steps.find((s) => /role P1\b/.test(s.protocol) && /role P2\b/.test(s.protocol));
    if (!step) throw new Error('no step with proposers P1 and P2');
    const { context: wide, page: q } = await newPage({ width: 1920, height: 1080 });
    await q.goto(`${site?.url ?? ''}#/${step.id}`, WAIT);
    await settled(q);
    const inView = (id: string): Promise<boolean> =>
      q.evaluate((i) => {
        const r = document.getElementById(i)?.getBoundingClientRect();
        return r !== undefined && r.top < innerHeight && r.bottom > 0;
      }, id);
    const svgId = (): Promise<string | null> => q.locator('#sequence svg').getAttribute('id');
    const original = await svgId();

    // `prepare(` → `prepareX(`: a label of the global protocol and of P1's state machine.
    await goToLine(q, lineOf(step.protocol, 'prepare('));
    for (const _ of 'prepare') await q.keyboard.press('ArrowRight');
    expect(await inView('sequence')).toBe(true);
    expect(await inView('state')).toBe(false);
    const views = await q.evaluate(() => performance.getEntriesByName('mpst:edit-to-view').length);
    await q.keyboard.type('X');
    await q.waitForFunction(
      (n) => performance.getEntriesByName('mpst:edit-to-view').length > n,
      views,
      WAIT,
    );
    const drawn: unknown = await q.evaluate(
      () =>
        (performance.getEntriesByName('mpst:edit-to-view').at(-1) as PerformanceMeasure)
          .detail as unknown,
    );
    // Measured when the diagrams in view were drawn: the global protocol only.
    expect(drawn).toEqual({ drawn: ['Sequence diagram of the global protocol'] });
    expect(await q.locator('#sequence svg').textContent()).toContain('prepareX(');
    // Typing paused: the state machine is redrawn too.
    await q.waitForFunction(
      () => document.querySelector('#state svg')?.textContent.includes('prepareX('),
      undefined,
      WAIT,
    );
    expect(await svgId()).not.toBe(original);

    // The typo taken back: the first drawing again, from the view's cache (same SVG, same id).
    await q.keyboard.press('Backspace');
    await q.waitForFunction(
      (id) => document.querySelector('#sequence svg')?.id === id,
      original,
      WAIT,
    );
    expect(await q.locator('#sequence svg').textContent()).not.toContain('prepareX(');
    await settled(q);
    await wide.close();
    expect(trouble).toEqual([]);
  }, 120_000);

  test("the selected role's generated API follows the edits", async () => {
    const p = begin();
    const step = firstStep();
    await openStep(p, step, { reset: true });
    const code = p.locator('#api-code');
    await p.locator('#api summary').click();
    await p.waitForFunction(
      () => document.querySelector('#api-code')?.textContent.includes('export '),
      undefined,
      WAIT,
    );
    const first = (await code.getAttribute('data-role')) ?? '';
    const other = (await p.locator('#roles button').allTextContents()).find((r) => r !== first);
    if (other === undefined) throw new Error('one role only');
    await p.locator('#roles button', { hasText: other }).click();
    await p.waitForSelector(`#api-code[data-role="${other}"]`, WAIT);
    expect(await code.textContent()).toContain(`role \`${other}\``);
    await goToLine(p, lineOf(step.protocol, 'nack('));
    for (const _ of 'nack') await p.keyboard.press('ArrowRight');
    await p.keyboard.type('Refused');
    await p.waitForFunction(
      () => document.querySelector('#api-code')?.textContent.includes('nackRefused'),
      undefined,
      WAIT,
    );
    await p.locator('#api').screenshot({ path: path.join(screens, `tutorial-${step.id}-api.png`) });
    await p.locator('#reset').click();
    expect(trouble).toEqual([]);
  }, 120_000);

  test('a deadlocking protocol gets a counterexample diagram', async () => {
    const p = begin();
    const step = firstStep();
    const module = step.protocolFile.replace(/\.scr$/, '');
    await p.locator('.cm-content').click();
    await p.keyboard.press('Control+a');
    // In different branches A and B each wait for the other (a wait-for cycle).
    await p.keyboard.insertText(
      [
        `module ${module};`,
        '',
        'global protocol Deadlock(role A, role B) {',
        '  choice at A {',
        '    go() from A to B;',
        '    x() from B to A;',
        '    y() from A to B;',
        '  } or {',
        '    go() from A to B;',
        '    y() from A to B;',
        '    x() from B to A;',
        '  }',
        '}',
      ].join('\n'),
    );
    await p.waitForSelector('#status[data-verdict="violation"]', WAIT);
    await p.waitForSelector('#counterexample:not([hidden]) #counterexample-diagram svg', WAIT);
    expect(await p.locator('#counterexample-message').textContent()).toMatch(/^deadlock: /);
    expect(await p.locator('#problems').textContent()).toContain('MPST302');
    await p.screenshot({
      path: path.join(screens, `tutorial-${step.id}-counterexample.png`),
      fullPage: true,
    });
    // Reset brings the step's protocol back, verified.
    await p.locator('#reset').click();
    await settled(p);
    expect(await p.locator('#counterexample').isHidden()).toBe(true);
    expect(trouble).toEqual([]);
  }, 120_000);

  test('a simulation with an acceptor crashed highlights the crash branch it takes', async () => {
    const p = begin();
    const step = firstStep();
    await openStep(p, step);
    // A crash-stop protocol: the acceptor A may crash, and P has a branch for that.
    const module = step.protocolFile.replace(/\.scr$/, '');
    await p.locator('.cm-content').click();
    await p.keyboard.press('Control+a');
    await p.keyboard.insertText(
      [
        `module ${module};`,
        'type <ts> "number" from "builtin" as Ballot;',
        `global protocol ${module}(reliable role P, role A) {`,
        '  prepare(Ballot) from P to A;',
        '  choice at A {',
        '    promise(Ballot) from A to P;',
        '  } or {',
        '    crash from A to P;',
        '  }',
        '}',
      ].join('\n'),
    );
    await settled(p);
    await p.waitForFunction(
      () => document.getElementById('sim-code')?.textContent.includes('at random'),
      undefined,
      WAIT,
    );
    // With the keyboard: the fault builder (crash A at its action 1: its answer), then Run.
    await p.locator('#sim-kind').focus();
    await p.locator('#sim-kind').selectOption('crash');
    await p.locator('#sim-role-a').selectOption('A');
    await p.locator('#sim-n').fill('1');
    await p.locator('#sim-add').focus();
    await p.keyboard.press('Enter');
    expect(await p.locator('#sim-faults').inputValue()).toBe('crash:A@1');
    await p.locator('#sim-seed').fill('3');
    await p.locator('#sim-run').focus();
    await p.keyboard.press('Enter');
    await p.waitForSelector('#sim-trace svg', WAIT);
    await p.waitForSelector('#sim-states .sim-state[data-role="P"] svg', WAIT);
    const events = await p.locator('#sim-events li').allTextContents();
    const detected = events.findIndex((e) => e.includes('P detects that A is gone'));
    expect(detected).toBeGreaterThan(events.findIndex((e) => e.includes('A crashes')));
    // Step to the detection from the start, with the keyboard on the events list.
    await p.locator('#sim-events').focus();
    await p.keyboard.press('Home');
    for (let i = 0; i <= detected; i++) await p.keyboard.press('ArrowRight');
    expect(await p.locator('#sim-events [aria-current="step"]').textContent()).toBe(
      events[detected],
    );
    const crashBranch = p.locator('#sim-states .sim-state[data-role="P"] g.node.sim-crash-taken');
    expect(await crashBranch.count()).toBe(1);
    expect(await crashBranch.textContent()).toContain('A?crash');
    // The current arrow in the run's diagram is the detection (a dotted cross from A to P).
    expect(await p.locator('#sim-trace .messageText.sim-current').textContent()).toContain(
      'timeout: P gives up on A',
    );
    expect(await p.locator('#sim-verdict').getAttribute('data-verdict')).toBe('ok');
    await p.locator('#simulator').screenshot({
      path: path.join(screens, `tutorial-${step.id}-crash-simulation.png`),
    });
    // One step back: before the detection, no crash branch is highlighted.
    await p.keyboard.press('ArrowLeft');
    expect(await crashBranch.count()).toBe(0);
    await p.locator('#reset').click();
    await settled(p);
    expect(trouble).toEqual([]);
  }, 120_000);

  test('a shared run URL replays the same trace', async () => {
    const p = begin();
    // A step with its own role code (roles.ts), else the first.
    const step =
      steps.find((s) =>
        existsSync(path.join(repoRoot, 'tutorials', 'paxos', 'steps', s.id, 'roles.ts')),
      ) ?? firstStep();
    await openStep(p, step);
    await p.locator('#sim-seed').fill('7');
    // A fault that changes the timing: the first message between the first two roles is late.
    const [a, b] = await p.locator('#sim-role-a option').allTextContents();
    await p.locator('#sim-faults').fill(`delay:${a ?? ''}>${b ?? ''}#0+25`);
    await p.locator('#sim-run').click();
    await p.waitForSelector('#sim-trace svg', WAIT);
    await p.locator('#sim-back').click();
    await p.locator('#sim-back').click();
    const at = await p.locator('#simulator').getAttribute('data-at');
    const events = await p.locator('#sim-events li').allTextContents();
    const verdict = await p.locator('#sim-verdict').textContent();
    const url = await p.locator('#sim-link').getAttribute('href');
    expect(url).toContain(`#/${step.id}?seed=7`);
    expect(url).toContain(`at=${at ?? ''}`);
    expect(events.length).toBeGreaterThan(2);
    // A fresh page (its own context: no state shared) opens the link.
    const { context: other, page: q } = await newPage();
    await q.goto(url ?? '', WAIT);
    await q.waitForSelector(`#simulator[data-at="${at ?? ''}"] #sim-trace svg`, WAIT);
    expect(await q.locator('#sim-events li').allTextContents()).toEqual(events);
    expect(await q.locator('#sim-verdict').textContent()).toBe(verdict);
    expect(await q.locator('#sim-events [aria-current="step"]').textContent()).toBe(
      events[Number(at) - 1],
    );
    expect(await q.locator('#sim-seed').inputValue()).toBe('7');
    await q.screenshot({
      path: path.join(screens, `tutorial-${step.id}-shared-run.png`),
      fullPage: true,
    });
    await other.close();
    expect(trouble).toEqual([]);
  }, 120_000);

  test('the refactoring panel: a plan, a changed decision applied again, before/after diagrams', async () => {
    const p = begin();
    const step = firstStep();
    await openStep(p, step);
    await p.locator('#refactor summary').focus();
    await p.keyboard.press('Enter');
    const acceptor = p.locator('#refactor input[type="checkbox"]').last();
    await acceptor.focus();
    await p.keyboard.press('Space');
    await p.locator('#refactor-plan').click();
    await p.waitForSelector('#refactor[data-verdict="verified"] #refactor-after svg', WAIT);
    await p.waitForSelector('#refactor-before svg', WAIT);
    const first = await p.locator('#refactor-output').textContent();
    expect(first).toContain('reliable role');
    const choice = p.locator('#refactor-choice-0');
    const options = await choice.locator('option').count();
    expect(options).toBeGreaterThan(1);
    const chosen = await choice.inputValue();
    const other = chosen === '0' ? '1' : '0';
    await choice.selectOption(other);
    await p.waitForFunction(
      (before) => {
        const out = document.getElementById('refactor-output')?.textContent;
        return document.getElementById('refactor')?.dataset['state'] === 'done' && out !== before;
      },
      first,
      WAIT,
    );
    expect(await p.locator('#refactor-choice-0').inputValue()).toBe(other);
    await p.locator('#refactor').screenshot({
      path: path.join(screens, `tutorial-${step.id}-refactoring.png`),
    });
    // Into the editor: the refactored protocol is checked, drawn and verified like any other.
    const output = (await p.locator('#refactor-output').textContent()) ?? '';
    await p.locator('#refactor-use').click();
    await settled(p);
    expect(await p.locator('.cm-content').textContent()).toContain('reliable role');
    expect(output.length).toBeGreaterThan(0);
    await p.locator('#reset').click();
    await settled(p);
    expect(trouble).toEqual([]);
  }, 120_000);

  test('readable on a phone: no horizontal scrolling of the page', async () => {
    const p = begin();
    await p.setViewportSize({ width: 390, height: 844 });
    await p.reload(WAIT);
    await settled(p);
    const overflow = await p.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await p.screenshot({ path: path.join(screens, 'tutorial-phone.png'), fullPage: true });
    await p.setViewportSize({ width: 1366, height: 900 });
    expect(trouble).toEqual([]);
  }, 120_000);

  // Last: it stops the server.
  test('works offline once loaded (service worker)', async () => {
    const p = begin();
    const active = await p.evaluate(() =>
      Promise.race([
        navigator.serviceWorker.ready.then(() => true),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 30_000)),
      ]),
    );
    expect(active, 'the service worker became active').toBe(true);
    // Chromium keeps connections alive: end them, or close() waits for their idle timeout.
    const closed = new Promise((resolve) => site?.server.close(resolve));
    site?.server.closeAllConnections();
    await closed;
    const step = steps[1] ?? firstStep();
    await openStep(p, step);
    expect(await p.locator('#step-title').textContent()).toBe(step.title);
    expect(trouble).toEqual([]);
  }, 120_000);
});
