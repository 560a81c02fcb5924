/**
 * The page's shell, in the initial bundle: step navigation and the prose. The workbench
 * (editor, checker, diagrams, worker) is imported on first use, so the prose is readable while
 * CodeMirror and Mermaid load.
 */
import { discovery } from './content.js';
import { renderMarkdown } from './markdown.js';
import type { Step } from './steps.js';
import type { Workbench } from './workbench.js';
import './styles.css';

function byId(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`index.html has no #${id}`);
  return el;
}

const steps = discovery.steps;
let workbench: Promise<Workbench> | undefined;

function loadWorkbench(): Promise<Workbench> {
  workbench ??= import('./workbench.js').then(
    ({ Workbench }) =>
      new Workbench({
        editor: byId('editor'),
        file: byId('file'),
        reset: byId('reset') as HTMLButtonElement,
        status: byId('status'),
        problems: byId('problems'),
        protocolPicker: byId('protocol') as HTMLSelectElement,
        sequence: byId('sequence'),
        roles: byId('roles'),
        state: byId('state'),
        counterexample: byId('counterexample'),
        counterexampleMessage: byId('counterexample-message'),
        counterexampleDiagram: byId('counterexample-diagram'),
        simulator: byId('simulator'),
        refactor: byId('refactor') as HTMLDetailsElement,
        api: byId('api') as HTMLDetailsElement,
      }),
  );
  return workbench;
}

/**
 * The step the URL names (`#/02-paxos`), else the first, and the query after a `?` in the
 * hash: a shared simulator run (`#/02-paxos?seed=3&faults=crash:A1@1&at=12`).
 */
function fromHash(): { step: Step | undefined; run: string | undefined } {
  const hash = location.hash.replace(/^#\/?/, '');
  const q = hash.indexOf('?');
  const id = decodeURIComponent(q < 0 ? hash : hash.slice(0, q));
  return {
    step: steps.find((s) => s.id === id) ?? steps[0],
    run: q < 0 ? undefined : hash.slice(q + 1),
  };
}

function renderNav(current: Step): void {
  const list = byId('steps');
  if (list.childElementCount !== steps.length) {
    list.replaceChildren(
      ...steps.map((s, i) => {
        const li = document.createElement('li');
        // The first example starts a group of its own.
        if (s.kind === 'example' && steps[i - 1]?.kind !== 'example')
          li.className = 'first-example';
        const a = document.createElement('a');
        a.href = `#/${s.id}`;
        a.textContent = s.title;
        li.append(a);
        return li;
      }),
    );
  }
  list.querySelectorAll('a').forEach((a, i) => {
    if (steps[i] === current) a.setAttribute('aria-current', 'step');
    else a.removeAttribute('aria-current');
  });
  const index = steps.indexOf(current);
  const link = (s: Step | undefined, rel: string, text: string): HTMLElement => {
    const a = document.createElement('a');
    if (s) {
      a.href = `#/${s.id}`;
      a.rel = rel;
      a.textContent = text;
    }
    return a;
  };
  byId('pager').replaceChildren(
    link(steps[index - 1], 'prev', '← Previous step'),
    link(steps[index + 1], 'next', 'Next step →'),
  );
}

let shown: Step | undefined;

function show(step: Step, run: string | undefined, moveFocus: boolean): void {
  if (step === shown) {
    // Same step, another run (a shared link opened in this page).
    if (run !== undefined) void loadWorkbench().then((w) => w.open(step, run));
    return;
  }
  shown = step;
  document.title = `${step.title} — Paxos made easy`;
  const kind = steps.filter((s) => s.kind === step.kind).length;
  byId('step-number').textContent =
    step.kind === 'step'
      ? `Step ${String(step.number)} of ${String(kind)}`
      : `Example ${String(step.number)} of ${String(kind)}`;
  byId('step-title').textContent = step.title;
  // Safe: renderMarkdown escapes raw HTML and filters link targets (see markdown.ts).
  byId('prose').innerHTML = renderMarkdown(step.prose);
  renderNav(step);
  if (moveFocus) byId('step-title').focus();
  loadWorkbench().then(
    (w) => w.open(step, run),
    (e: unknown) => {
      byId('editor').textContent =
        `The editor could not be loaded: ${e instanceof Error ? e.message : String(e)}`;
    },
  );
}

function start(): void {
  if (discovery.problems.length > 0) {
    const box = byId('problems-in-content');
    box.hidden = false;
    box.textContent = `The tutorial's files have problems: ${discovery.problems.join('; ')}`;
  }
  const first = fromHash();
  if (!first.step) {
    byId('step-title').textContent = 'No tutorial steps found';
    return;
  }
  show(first.step, first.run, false);
  window.addEventListener('hashchange', () => {
    const { step, run } = fromHash();
    if (step) show(step, run, true);
  });
  // Offline after the first visit: the service worker keeps every file of the build.
  if (import.meta.env.PROD && 'serviceWorker' in navigator) {
    void navigator.serviceWorker.register(`${import.meta.env.BASE_URL}sw.js`);
  }
}

start();
