// The tutorial web app's figures, in real headless Chromium (Debian's /usr/bin/chromium or
// $MPST_CHROMIUM, through playwright-core), on the built app (apps/tutorial/dist: run
// `npm run build -w apps/tutorial` first) served on 127.0.0.1:
//   - bundle size: every file of dist, and what step 1 downloads (gzip -9 of each file);
//   - time until step 1 is interactive (navigation start to the `mpst:interactive` mark: the
//     editor and both diagrams drawn), median of --runs fresh browser contexts;
//   - keystroke to redrawn diagrams on the 2-proposer Paxos protocol (step 02-paxos,
//     tutorials/paxos/protocols/Paxos.scr): --keys single keystrokes into a message label, each
//     waited for; the `mpst:edit-to-sequence` (sequence diagram redrawn) and
//     `mpst:edit-to-diagram` (sequence and state machine redrawn) measures. Target < 200 ms.
//   - verification in the worker (`mpst:verify`: round trip; detail.workerMs: in the worker).
//   - the main thread's CPU time per keystroke (Chrome's ThreadTime metric), which is what the
//     latency would be on an idle core: the wall-clock figures grow with the machine's load.
// Usage: node bench/tutorial-app.mjs [--runs 5] [--keys 10] [--role L]
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
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
const ROLE = process.argv.includes('--role')
  ? process.argv[process.argv.indexOf('--role') + 1]
  : undefined;
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
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.floor((s.length - 1) / 2)];
};
const fmt = (xs) =>
  `median ${median(xs).toFixed(0)} ms, min ${Math.min(...xs).toFixed(0)}, ` +
  `max ${Math.max(...xs).toFixed(0)} (n=${xs.length})`;

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
  console.log(`step 1 interactive after: ${fmt(interactive)}`);

  // Keystroke to redrawn diagrams on the 2-proposer Paxos protocol: the step whose protocol
  // has proposers P1 and P2, else tutorials/paxos/protocols/Paxos.scr typed into step 1.
  const context = await browser.newContext({
    viewport: { width: 1366, height: 900 },
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
  const cpu = [];
  for (let k = 0; k < KEYS; k++) {
    const cpu0 = await threadTime();
    const count = () =>
      ['mpst:verify', 'mpst:edit-to-diagram'].map((n) => performance.getEntriesByName(n).length);
    const before = await page.evaluate(count);
    await page.keyboard.type(String.fromCharCode(65 + k));
    await page.waitForFunction(
      ([b, c]) =>
        performance.getEntriesByName('mpst:verify').length > b &&
        performance.getEntriesByName('mpst:edit-to-diagram').length > c,
      before,
      { timeout: 60_000 },
    );
    cpu.push((await threadTime()) - cpu0);
  }
  const m = await page.evaluate(() => ({
    sequence: performance.getEntriesByName('mpst:edit-to-sequence').map((e) => e.duration),
    both: performance.getEntriesByName('mpst:edit-to-diagram').map((e) => e.duration),
    verify: performance.getEntriesByName('mpst:verify').map((e) => e.duration),
    worker: performance.getEntriesByName('mpst:verify').map((e) => e.detail.workerMs),
    states: performance.getEntriesByName('mpst:verify').map((e) => e.detail.states[0]),
  }));
  console.log(
    `Paxos keystroke → sequence diagram redrawn: ${fmt(m.sequence)} (includes the 30 ms debounce)`,
  );
  console.log(`Paxos keystroke → sequence diagram and state machine redrawn: ${fmt(m.both)}`);
  console.log(`Paxos keystroke → both diagrams redrawn, main-thread CPU time: ${fmt(cpu)}`);
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
