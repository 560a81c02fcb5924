/**
 * The simulator panel: run the step's protocol in @mpst/runtime's deterministic simulator
 * (with the step's role code from `roles.ts` when the protocol is the step's own, else a
 * seeded random walk), with a seed and a fault plan; step through the trace with the message
 * of the current event highlighted in the run's sequence diagram and each role's current
 * state (and the crash branch it just took) highlighted in its state machine; the verdict of
 * the step's checks. Every run is a URL (see simulation.ts) that replays it exactly.
 *
 * The diagrams are drawn once per run; moving through the trace only restyles them (no
 * Mermaid call), so stepping is instant.
 */
import { efsmToState, runTraceArrows, runTraceToSequence } from '@mpst/mermaid';
import type { EndpointSpec, FaultPlan, RunEvent } from '@mpst/runtime';
import { DiagramView } from './diagrams.js';
import { el } from './dom.js';
import {
  formatPlan,
  parsePlan,
  randomWalkCode,
  recordRun,
  type Recording,
  type RunParams,
  type StepModule,
} from './simulation.js';

/** What the panel simulates: a protocol's specs, and the step's role code when it applies. */
export interface SimSource {
  readonly protocol: string;
  readonly specs: readonly EndpointSpec[];
  /** The step's `roles.ts`, when the protocol is the one it implements (not edited). */
  readonly module?: StepModule;
  /** Why the step's role code is not used (shown), when it is not. */
  readonly note?: string;
}

/** Classes the panel puts on Mermaid's SVG elements (styles.css). */
const PAST = 'sim-past';
const CURRENT = 'sim-current';
const FUTURE = 'sim-future';

export class SimulatorPanel {
  private source: SimSource | undefined;
  private recording: Recording | undefined;
  private at = 0;
  private arrows: number[] = [];
  private readonly seed = el('input', {
    type: 'number',
    min: '0',
    step: '1',
    value: '1',
    id: 'sim-seed',
  });
  private readonly faults = el('input', {
    type: 'text',
    id: 'sim-faults',
    spellcheck: false,
    autocomplete: 'off',
    placeholder: 'none, e.g. crash:A1@1',
  });
  private readonly kind = el('select', { id: 'sim-kind' });
  private readonly roleA = el('select', { id: 'sim-role-a' });
  private readonly roleB = el('select', { id: 'sim-role-b' });
  private readonly number = el('input', {
    type: 'number',
    min: '0',
    step: '1',
    value: '0',
    id: 'sim-n',
  });
  private readonly ms = el('input', {
    type: 'number',
    min: '0',
    step: '1',
    value: '20',
    id: 'sim-ms',
  });
  private readonly runButton = el('button', { type: 'submit', id: 'sim-run', textContent: 'Run' });
  private readonly codeNote = el('p', { className: 'sim-code', id: 'sim-code' });
  private readonly error = el('p', { className: 'sim-error', id: 'sim-error', hidden: true });
  private readonly position = el('output', { id: 'sim-position' });
  private readonly nav = el('div', { className: 'sim-nav', role: 'group' });
  private readonly link = el('a', { id: 'sim-link', textContent: 'Link to this run' });
  private readonly verdict = el('div', { id: 'sim-verdict', className: 'sim-verdict' });
  private readonly events = el('ol', { id: 'sim-events', className: 'sim-events', tabIndex: 0 });
  private readonly traceView: DiagramView;
  private readonly statesBox = el('div', { id: 'sim-states', className: 'sim-states' });
  private stateViews: { role: string; view: DiagramView }[] = [];
  private readonly buttons: Record<'first' | 'back' | 'forward' | 'last', HTMLButtonElement>;

  constructor(
    private readonly root: HTMLElement,
    /** Told about every run and move (to put it in the URL); returns the run's URL. */
    private readonly onChange: (params: RunParams) => string,
  ) {
    const traceBox = el('div', { id: 'sim-trace', className: 'diagram' });
    this.traceView = new DiagramView(traceBox, 'Sequence diagram of the simulated run');
    for (const [value, text] of [
      ['crash', 'crash role A at its action n'],
      ['link', 'cut the link A → B at time ms'],
      ['drop', 'drop the n-th message A → B'],
      ['delay', 'delay the n-th message A → B by ms'],
    ])
      this.kind.append(new Option(text, value));
    const label = (text: string, control: HTMLElement): HTMLLabelElement =>
      el('label', {}, `${text} `, control);
    const add = el('button', { type: 'button', id: 'sim-add', textContent: 'Add fault' });
    add.addEventListener('click', () => this.addFault());
    const form = el(
      'form',
      { className: 'sim-form' },
      label('Seed', this.seed),
      label('Faults', this.faults),
      this.runButton,
      el(
        'fieldset',
        { className: 'sim-builder' },
        el('legend', {}, 'Add a fault'),
        label('What', this.kind),
        label('A', this.roleA),
        label('B', this.roleB),
        label('n', this.number),
        label('ms', this.ms),
        add,
      ),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.runFromForm();
    });
    const button = (
      name: string,
      text: string,
      title: string,
      go: () => number,
    ): HTMLButtonElement => {
      const b = el('button', { type: 'button', id: `sim-${name}`, textContent: text, title });
      b.setAttribute('aria-label', title);
      b.addEventListener('click', () => this.moveTo(go()));
      return b;
    };
    this.buttons = {
      first: button('first', '« First', 'First event', () => 0),
      back: button('back', '‹ Back', 'Previous event', () => this.at - 1),
      forward: button('forward', 'Next ›', 'Next event', () => this.at + 1),
      last: button('last', 'Last »', 'Last event', () => this.recording?.frames.length ?? 1),
    };
    const { first, back, forward, last } = this.buttons;
    this.nav.setAttribute('aria-label', 'Move through the trace');
    this.nav.append(first, back, this.position, forward, last);
    this.position.setAttribute('aria-live', 'polite');
    // The events list: arrow keys move through the trace (Home/End to its ends).
    this.events.setAttribute('aria-label', 'Events of the run (arrow keys move)');
    this.events.addEventListener('keydown', (e) => {
      const to: Record<string, () => number> = {
        ArrowDown: () => this.at + 1,
        ArrowRight: () => this.at + 1,
        ArrowUp: () => this.at - 1,
        ArrowLeft: () => this.at - 1,
        Home: () => 0,
        End: () => this.recording?.frames.length ?? 1,
      };
      const go = to[e.key];
      if (!go) return;
      e.preventDefault();
      this.moveTo(go());
    });
    this.verdict.setAttribute('role', 'status');
    root.replaceChildren(
      el('div', { className: 'panel-head' }, el('h2', { id: 'sim-heading' }, 'Simulation')),
      this.codeNote,
      form,
      this.error,
      this.verdict,
      this.nav,
      this.link,
      el('div', { className: 'sim-run' }, this.events, traceBox),
      el('h3', {}, 'Where each role is'),
      this.statesBox,
    );
    root.setAttribute('aria-labelledby', 'sim-heading');
    this.showRun();
  }

  /** The protocol to simulate changed (a step opened, or the text was edited). */
  setSource(source: SimSource | undefined): void {
    const same =
      source?.protocol === this.source?.protocol &&
      source?.module === this.source?.module &&
      JSON.stringify(source?.specs) === JSON.stringify(this.source?.specs);
    this.source = source;
    this.root.hidden = !source;
    if (!source) return;
    this.codeNote.textContent = source.module
      ? `Role code: this step's roles.ts (${source.protocol}).`
      : `Role code: each role walks its state machine at random (seeded)${source.note ? `: ${source.note}` : '.'}`;
    const roles = source.specs[0]?.roles ?? [];
    for (const select of [this.roleA, this.roleB]) {
      const keep = select.value;
      select.replaceChildren(...roles.map((r) => new Option(r, r)));
      if (roles.includes(keep)) select.value = keep;
    }
    if (this.roleB.value === this.roleA.value && roles[1] !== undefined)
      this.roleB.value = roles[1];
    if (!same && this.recording) {
      this.recording = undefined;
      this.showRun();
    }
  }

  /** Forgets the run (another step opened). */
  clear(): void {
    this.recording = undefined;
    this.seed.value = '1';
    this.faults.value = '';
    this.error.hidden = true;
    this.showRun();
  }

  /** Runs with `params` (from a URL): the form shows them. */
  async run(params: RunParams): Promise<void> {
    this.seed.value = String(params.seed);
    this.faults.value = formatPlan(params.plan);
    await this.simulate(params.seed, params.plan, params.at);
  }

  private async runFromForm(): Promise<void> {
    let plan: FaultPlan;
    try {
      plan = parsePlan(this.faults.value);
    } catch (e) {
      this.showError(e);
      return;
    }
    const seed = Number(this.seed.value);
    if (!Number.isSafeInteger(seed) || seed < 0) {
      this.showError(new Error('the seed is a whole number ≥ 0'));
      return;
    }
    await this.simulate(seed, plan, undefined);
  }

  private addFault(): void {
    const [a, b, n, ms] = [this.roleA.value, this.roleB.value, this.number.value, this.ms.value];
    const text: Record<string, string> = {
      crash: `crash:${a}@${n}`,
      link: `link:${a}>${b}@t${ms}`,
      drop: `drop:${a}>${b}#${n}`,
      delay: `delay:${a}>${b}#${n}+${ms}`,
    };
    const f = text[this.kind.value] ?? '';
    this.faults.value = this.faults.value.trim() === '' ? f : `${this.faults.value.trim()},${f}`;
  }

  /** Shows why a run could not be made. */
  showError(e: unknown): void {
    this.error.hidden = false;
    this.error.textContent = e instanceof Error ? e.message : String(e);
  }

  private async simulate(seed: number, plan: FaultPlan, at: number | undefined): Promise<void> {
    const source = this.source;
    if (!source) return;
    this.error.hidden = true;
    this.runButton.disabled = true;
    try {
      const t0 = performance.now();
      const module = source.module;
      let recording: Recording;
      if (module) {
        const run = module.makeRun(seed);
        const r = await recordRun(module.specs, run.code, { ...module.options, seed, plan });
        const checks = module.check(run.observe(), r.result);
        recording = { ...r, violations: [...r.violations, ...checks] };
      } else {
        recording = await recordRun(source.specs, randomWalkCode(source.specs, seed), {
          seed,
          plan,
          // A random walk may loop for ever: a bounded run, cut and reported.
          maxSteps: 5000,
        });
      }
      performance.measure('mpst:simulate', { start: t0, end: performance.now() });
      this.recording = recording;
      this.at = Math.min(at ?? recording.frames.length - 1, recording.frames.length - 1);
      await this.draw(recording);
      this.showRun();
      this.link.href = this.onChange({ seed, plan, at: this.at });
    } catch (e) {
      this.showError(e);
    } finally {
      this.runButton.disabled = false;
    }
  }

  /** Draws the run's sequence diagram and each role's state machine (once per run). */
  private async draw(r: Recording): Promise<void> {
    const trace = r.result.trace;
    this.arrows = runTraceArrows(trace);
    this.events.replaceChildren(
      ...trace.events.map((e, i) =>
        el(
          'li',
          { className: `sim-event sim-${e.kind}`, id: `sim-event-${String(i + 1)}` },
          describe(e),
        ),
      ),
    );
    if (this.stateViews.map((v) => v.role).join() !== r.roles.join()) {
      this.stateViews = r.roles.map((role) => {
        const box = el('div', { className: 'diagram sim-state' });
        box.dataset['role'] = role;
        return { role, view: new DiagramView(box, `State machine of ${role} in the run`) };
      });
      this.statesBox.replaceChildren(
        ...this.stateViews.map(({ role, view }) =>
          el('figure', {}, el('figcaption', {}, role), view.element),
        ),
      );
    }
    const specs = r.roles.map((role) => r.specs.find((s) => s.role === role));
    await Promise.all([
      this.traceView.show(runTraceToSequence(trace)),
      ...this.stateViews.map(({ view }, i) => {
        const spec = specs[i];
        return spec
          ? view.show(efsmToState(spec.efsm, { title: spec.role }))
          : Promise.resolve(true);
      }),
    ]);
  }

  private moveTo(at: number): void {
    const r = this.recording;
    if (!r) return;
    this.at = Math.max(0, Math.min(r.frames.length - 1, at));
    this.showRun();
    this.link.href = this.onChange({ seed: r.result.seed, plan: r.result.plan, at: this.at });
  }

  /** Shows the current position: verdict, buttons, events list and diagram highlights. */
  private showRun(): void {
    const r = this.recording;
    const { first, back, forward, last } = this.buttons;
    const end = r ? r.frames.length - 1 : 0;
    first.disabled = back.disabled = !r || this.at === 0;
    forward.disabled = last.disabled = !r || this.at >= end;
    this.nav.hidden = this.link.hidden = !r;
    this.root.dataset['at'] = r ? String(this.at) : '';
    if (!r) {
      this.position.textContent = '';
      this.verdict.replaceChildren();
      this.verdict.dataset['verdict'] = 'none';
      this.events.replaceChildren();
      this.traceView.clear();
      for (const { view } of this.stateViews) view.clear();
      return;
    }
    const trace = r.result.trace;
    const event = trace.events[this.at - 1];
    this.position.textContent =
      this.at === 0
        ? `Start (0 of ${String(end)} events)`
        : `Event ${String(this.at)} of ${String(end)}: ${event ? describe(event) : ''}`;
    this.showVerdict(r);
    this.events.querySelectorAll('li').forEach((li, i) => {
      li.classList.toggle(PAST, i < this.at - 1);
      li.classList.toggle(FUTURE, i >= this.at);
      if (i === this.at - 1) {
        li.setAttribute('aria-current', 'step');
        li.scrollIntoView({ block: 'nearest' });
      } else li.removeAttribute('aria-current');
    });
    this.highlightTrace();
    this.highlightStates(r);
  }

  private showVerdict(r: Recording): void {
    const outcomes = r.result.outcomes.map((o) => `${o.role} ${o.status}`).join(', ');
    const faults = r.result.plan.faults.length === 0 ? 'no faults' : formatPlan(r.result.plan);
    const head =
      `seed ${String(r.result.seed)}, ${faults}: ${String(r.result.trace.events.length)} events, ` +
      `${String(r.result.time)} virtual ms (${outcomes}).`;
    this.verdict.dataset['verdict'] = r.violations.length === 0 ? 'ok' : 'violation';
    this.verdict.replaceChildren(
      el('p', {}, head),
      r.violations.length === 0
        ? el('p', { className: 'sim-ok' }, 'Every check of this step holds on this run.')
        : el('ul', { className: 'sim-violations' }, ...r.violations.map((v) => el('li', {}, v))),
    );
  }

  /** Past arrows as drawn, the current one highlighted, later ones faded. */
  private highlightTrace(): void {
    const svg = this.traceView.element.querySelector('svg');
    if (!svg) return;
    const texts = [...svg.querySelectorAll('.messageText')];
    const lines = [...svg.querySelectorAll('.messageLine0, .messageLine1')];
    const current = this.at > 0 ? (this.arrows[this.at - 1] ?? -1) : -1;
    // Arrows reached so far: those of the events up to the current one.
    const reached = Math.max(-1, ...this.arrows.slice(0, this.at));
    for (const group of [texts, lines])
      group.forEach((node, i) => {
        node.classList.toggle(CURRENT, i === current);
        node.classList.toggle(FUTURE, i > reached);
        node.classList.toggle(PAST, i <= reached && i !== current);
      });
  }

  /** Each role's current state, and the crash branch when it just took one. */
  private highlightStates(r: Recording): void {
    const frame = r.frames[this.at];
    if (!frame) return;
    this.stateViews.forEach(({ view }, i) => {
      const svg = view.element.querySelector('svg');
      const spec = r.specs.find((s) => s.role === r.roles[i]);
      if (!svg || !spec) return;
      const state = frame.states[i] ?? -1;
      const taken = spec.efsm.transitions[frame.taken[i] ?? -1];
      // efsmToState draws the k-th crash transition through the marker state `x<k>`.
      const marker =
        taken?.action.kind === 'crash'
          ? spec.efsm.transitions.filter((t) => t.action.kind === 'crash').indexOf(taken)
          : -1;
      view.element.dataset['state'] = String(state);
      view.element.classList.toggle('sim-crashed', frame.crashed[i] ?? false);
      for (const node of svg.querySelectorAll<SVGGElement>('g.node')) {
        const id = mermaidStateId(node.id);
        mark(node, CURRENT, id === `s${String(state)}`);
        mark(node, 'sim-crash-taken', marker >= 0 && id === `x${String(marker)}`);
      }
    });
  }
}

/** Highlight colours (fill, stroke) of a state node. */
const MARKS: Readonly<Record<string, readonly [string, string]>> = {
  [CURRENT]: ['rgb(255, 236, 179)', '#d35400'],
  'sim-crash-taken': ['#f5b7b1', '#d35400'],
};

/**
 * Puts or removes highlight class `mark` on a state node. Mermaid styles classDef'd nodes
 * (terminal, crash) with `#id .class > * { … !important }`: only an inline `!important` style
 * on the node's shapes overrides that, so the colours are set there.
 */
function mark(node: SVGGElement, name: string, on: boolean): void {
  if (node.classList.contains(name) === on) return;
  node.classList.toggle(name, on);
  const [fill, stroke] = MARKS[name] ?? ['', ''];
  for (const shape of node.querySelectorAll<SVGElement>(
    ':scope > rect, :scope > path, :scope > g > rect, :scope > g > path',
  )) {
    if (on) {
      shape.style.setProperty('fill', fill, 'important');
      shape.style.setProperty('stroke', stroke, 'important');
      shape.style.setProperty('stroke-width', '3px', 'important');
    } else for (const p of ['fill', 'stroke', 'stroke-width']) shape.style.removeProperty(p);
  }
}

/** The state name in a Mermaid state node's element id (`mpst-diagram-7-state-s3-12` → `s3`). */
function mermaidStateId(id: string): string | undefined {
  return /(?:^|-)state-([sx]\d+)-\d+$/.exec(id)?.[1];
}

/** One event as a line of the events list. */
export function describe(e: RunEvent): string {
  const t = `${String(e.time)} ms`;
  switch (e.kind) {
    case 'send':
      return `${t}: ${e.from} sends ${e.message} to ${e.to}`;
    case 'receive':
      return `${t}: ${e.to} receives ${e.message} from ${e.from}`;
    case 'lost':
      return (
        `${t}: ${e.message} from ${e.from} to ${e.to} is lost ` +
        `(${e.reason === 'link' ? 'link failed' : `${e.to} crashed`})`
      );
    case 'crash':
      return `${t}: ${e.role} crashes`;
    case 'timeout':
      return `${t}: ${e.role} detects that ${e.peer} is gone and takes its crash branch`;
  }
}
