// The tutorial web app's figures, in real headless Chromium (Debian's /usr/bin/chromium or
// $MPST_CHROMIUM, through playwright-core), on the built app (apps/tutorial/dist: run
// `npm run build -w apps/tutorial` first) served on 127.0.0.1:
//   - bundle size: every file of dist, and what step 1 downloads (gzip -9 of each file);
//   - time until step 1 is interactive (navigation start to the `mpst:interactive` mark: the
//     editor and both diagrams drawn), median of --runs fresh browser contexts, 1366×900;
//   - keystroke to redrawn diagrams on the 2-proposer Paxos protocol (the step whose protocol
//     has roles P1 and P2, else tutorials/paxos/protocols/Paxos.scr typed into step 1), in a
//     --viewport (default 1920×1080: prose, editor and diagrams side by side, so the learner
//     sees the global protocol while typing): --keys single keystrokes into a message label,
//     each one's work waited for before the next. The figure for the target (< 200 ms) is
//     `mpst:edit-to-view`: from the key's keydown event to every diagram in the viewport
//     redrawn and the frame showing it painted. Also `mpst:edit-to-sequence` (to the sequence
//     diagram's SVG in the page: the figure before diagrams out of view were deferred) and
//     `mpst:edit-to-diagram` (to the state machine redrawn too, which out of view waits for
//     typing to pause);
//   - the main thread's CPU time per keystroke (Chrome's ThreadTime metric), which is what the
//     latency would be on an idle core (the wall-clock figures grow with the machine's load):
//     until the diagrams in view are redrawn, and all of the keystroke's work (the diagrams out
//     of view drawn, the verdict shown);
//   - verification in the worker (`mpst:verify`: round trip; detail.workerMs: in the worker).
// Usage: node bench/tutorial-app.mjs [--runs 5] [--keys 10] [--role P1] [--viewport 1920x1080]
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = path.join(root, 'apps', 'tutorial', 'dist');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const RUNS = arg('runs', 5);
const KEYS = arg('keys', 10);
/** diagrams.ts's QUIET_MS, for the output. */
const QUIET = Number(
  /QUIET_MS = (\d+)/.exec(
    readFileSync(new URL('../apps/tutorial/src/diagrams.ts', import.meta.url), 'utf8'),
  )?.[1],
);
const ROLE = process.argv.includes('--role')
  ? process.argv[process.argv.indexOf('--role') + 1]
  : undefined;
const [WIDTH, HEIGHT] = (
  process.argv.includes('--viewport')
    ? process.argv[process.argv.indexOf('--viewport') + 1]
    : '1920x1080'
)
  .split('x')
  .map(Number);
const chromium = process.env.MPST_CHROMIUM || '/usr/bin/chromium';
if (!existsSync(path.join(dist, 'index.html'))) {
  console.error('no apps/tutorial/dist: run `npm run build -w apps/tutorial` first');
  process.exit(2);
}
if (!existsSync(chromium)) {
  console.error(`no Chromium at ${chromium} (apt-get install chromium, or set MPST_CHROMIUM)`);
  process.exit(2);
}

const kb = (n) => `${(n / 1024).toFixed(1)} kB`;
const gz = (file) => gzipSync(readFileSync(file), { level: 9 }).length;
/** The q-quantile (nearest rank) of xs. */
const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.max(0, Math.ceil(q * s.length) - 1)];
};
const fmt = (xs) =>
  `median ${quantile(xs, 0.5).toFixed(0)} ms, p90 ${quantile(xs, 0.9).toFixed(0)}, ` +
  `min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)} (n=${xs.length})`;
const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');

// Bundle size.
const files = readdirSync(dist, { recursive: true })
  .map((f) => path.join(dist, String(f)))
  .filter((f) => statSync(f).isFile());
const total = files.reduce((a, f) => a + statSync(f).size, 0);
const totalGz = files.reduce((a, f) => a + gz(f), 0);
console.log(
  `bundle: ${files.length} files, ${kb(total)} raw, ${kb(totalGz)} gzip ` +
    "(all of Mermaid's lazily loaded diagram types included)",
);

// Server.
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
const server = createServer((req, res) => {
  const p = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  const file = path.join(dist, p.endsWith('/') ? `${p}index.html` : p);
  if (!file.startsWith(dist) || !existsSync(file) || !statSync(file).isFile())
    return res.writeHead(404).end();
  res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
  res.end(readFileSync(file));
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${server.address().port}/`;

const { chromium: pw } = await import('playwright-core');
const browser = await pw.launch({
  executablePath: chromium,
  headless: true,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
});
const settled = async (page) => {
  await page.waitForSelector('#sequence:not(.stale) svg', { timeout: 60_000 });
  await page.waitForSelector('#state:not(.stale) svg', { timeout: 60_000 });
  await page.waitForSelector('#status[data-verdict="verified"]', { timeout: 60_000 });
};

try {
  // Step 1: interactive, and what it downloads before that.
  const interactive = [];
  let initial;
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext({
      viewport: { width: 1366, height: 900 },
      serviceWorkers: 'block',
    });
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForFunction(
      () => performance.getEntriesByName('mpst:interactive').length > 0,
      undefined,
      { timeout: 60_000 },
    );
    const r = await page.evaluate(() => ({
      at: performance.getEntriesByName('mpst:interactive')[0].startTime,
      shell: performance
        .getEntriesByType('resource')
        .filter((e) => e.startTime < 1)
        .map((e) => e.name),
      loaded: performance.getEntriesByType('resource').map((e) => e.name),
    }));
    interactive.push(r.at);
    const sum = (names) =>
      names
        .concat([url])
        .map((u) => path.join(dist, new URL(u).pathname))
        .filter((f) => existsSync(f) && statSync(f).isFile())
        .reduce((a, f) => a + gz(f), 0);
    initial ??= { step1: sum(r.loaded), count: r.loaded.length + 1 };
    await context.close();
  }
  const entry =
    readFileSync(path.join(dist, 'index.html'), 'utf8').match(
      /(?:src|href)="\.\/(assets\/[^"]+)"/g,
    ) ?? [];
  const shell = entry.map((m) => m.replace(/^(?:src|href)="\.\//, '').replace(/"$/, ''));
  const shellGz =
    gz(path.join(dist, 'index.html')) + shell.reduce((a, f) => a + gz(path.join(dist, f)), 0);
  console.log(
    `initial (index.html + entry script + CSS, what shows the prose): ${kb(shellGz)} gzip`,
  );
  console.log(
    `step 1 interactive (editor, Mermaid and both diagrams loaded): ${initial.count} files, ${kb(initial.step1)} gzip`,
  );
  console.log(`step 1 interactive after (1366×900): ${fmt(interactive)}`);

  // Keystroke to redrawn diagrams on the 2-proposer Paxos protocol: the step whose protocol
  // has proposers P1 and P2, else tutorials/paxos/protocols/Paxos.scr typed into step 1.
  const context = await browser.newContext({
    viewport: { width: WIDTH, height: HEIGHT },
    serviceWorkers: 'block',
  });
  const page = await context.newPage();
  const stepsDir = path.join(root, 'tutorials', 'paxos', 'steps');
  const twoProposers = readdirSync(stepsDir)
    .sort()
    .flatMap((id) =>
      readdirSync(path.join(stepsDir, id))
        .filter((f) => f.endsWith('.scr'))
        .map((f) => ({ id, text: readFileSync(path.join(stepsDir, id, f), 'utf8') })),
    )
    .find((s) => /role P1\b/.test(s.text) && /role P2\b/.test(s.text));
  let paxos;
  if (twoProposers) {
    await page.goto(`${url}#/${twoProposers.id}`);
    await settled(page);
    paxos = twoProposers.text;
    console.log(`2-proposer protocol: step ${twoProposers.id}`);
  } else {
    const first = readdirSync(stepsDir).sort()[0];
    const file = readdirSync(path.join(stepsDir, first)).find((f) => f.endsWith('.scr'));
    paxos = readFileSync(
      path.join(root, 'tutorials', 'paxos', 'protocols', 'Paxos.scr'),
      'utf8',
    ).replace(/^module Paxos;/m, `module ${file.replace(/\.scr$/, '')};`);
    await page.goto(`${url}#/${first}`);
    await settled(page);
    await page.locator('.cm-content').click();
    await page.keyboard.press('Control+a');
    await page.keyboard.insertText(paxos);
    await page.waitForFunction(
      () => document.querySelector('#sequence:not(.stale) svg')?.textContent.includes('P2'),
      undefined,
      { timeout: 60_000 },
    );
    await settled(page);
    console.log(
      `2-proposer protocol: tutorials/paxos/protocols/Paxos.scr in step ${first}'s editor`,
    );
  }
  // --role R: the state machine shown while typing (default the first role, P1: the largest).
  if (ROLE) {
    await page.locator('#roles').getByRole('button', { name: ROLE, exact: true }).click();
    await settled(page);
  }
  // To the line with the keyboard (CodeMirror draws only the lines in view).
  const n = paxos.split('\n').findIndex((t) => /^\s*chosen\(/.test(t));
  await page.locator('.cm-content').click();
  await page.keyboard.press('Control+Home');
  for (let i = 0; i < n; i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Home');
  for (let i = 0; i < 'chosen'.length; i++) await page.keyboard.press('ArrowRight');
  // The renderer's main-thread CPU time per keystroke (Chrome's ThreadTime metric): what the
  // latency would be on an idle core, whatever else the machine is doing.
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const threadTime = async () =>
    (await cdp.send('Performance.getMetrics')).metrics.find((x) => x.name === 'ThreadTime').value *
    1000;
  const cpuView = [];
  const cpuAll = [];
  const load0 = load();
  const count = () =>
    ['mpst:verify', 'mpst:edit-to-diagram', 'mpst:edit-to-view'].map(
      (n) => performance.getEntriesByName(n).length,
    );
  for (let k = 0; k < KEYS; k++) {
    const cpu0 = await threadTime();
    const before = await page.evaluate(count);
    await page.keyboard.type(String.fromCharCode(65 + k));
    // The diagrams in view redrawn (the page is then idle until typing has paused)...
    await page.waitForFunction(
      (c) => performance.getEntriesByName('mpst:edit-to-view').length > c,
      before[2],
      { timeout: 60_000 },
    );
    cpuView.push((await threadTime()) - cpu0);
    // ... then all of this keystroke's work: verified, the state machine drawn.
    await page.waitForFunction(
      ([v, d]) =>
        performance.getEntriesByName('mpst:verify').length > v &&
        performance.getEntriesByName('mpst:edit-to-diagram').length > d,
      before,
      { timeout: 60_000 },
    );
    cpuAll.push((await threadTime()) - cpu0);
  }
  const load1 = load();
  const m = await page.evaluate(() => ({
    view: performance.getEntriesByName('mpst:edit-to-view').map((e) => e.duration),
    drawn: performance.getEntriesByName('mpst:edit-to-view').map((e) => e.detail.drawn.join(' + ')),
    sequence: performance.getEntriesByName('mpst:edit-to-sequence').map((e) => e.duration),
    both: performance.getEntriesByName('mpst:edit-to-diagram').map((e) => e.duration),
    verify: performance.getEntriesByName('mpst:verify').map((e) => e.duration),
    worker: performance.getEntriesByName('mpst:verify').map((e) => e.detail.workerMs),
    states: performance.getEntriesByName('mpst:verify').map((e) => e.detail.states[0]),
  }));
  const drawn = [...new Set(m.drawn)].map((d) => d || 'none').join('; ');
  console.log(
    `Paxos keystrokes at ${WIDTH}×${HEIGHT}, load average ${load0} before, ${load1} after; ` +
      `diagrams redrawn in view: ${drawn}`,
  );
  console.log(`Paxos keystroke → diagrams in view redrawn and painted: ${fmt(m.view)}`);
  console.log(`  main-thread CPU time until then: ${fmt(cpuView)}`);
  console.log(`Paxos keystroke → sequence diagram's SVG in the page: ${fmt(m.sequence)}`);
  console.log(
    `Paxos keystroke → state machine redrawn too (out of view: when typing pauses, ` +
      `${QUIET} ms): ${fmt(m.both)}`,
  );
  console.log(`  main-thread CPU time of all the keystroke's work: ${fmt(cpuAll)}`);
  console.log(`Paxos verification, round trip to the worker: ${fmt(m.verify)}`);
  console.log(
    `Paxos verification in the worker (check, project, model-check ` +
      `${m.states.at(-1)} configurations): ${fmt(m.worker)}`,
  );
  await context.close();
} finally {
  await browser.close();
  server.close();
}
