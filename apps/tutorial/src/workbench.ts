/**
 * The step's workbench, loaded lazily after the prose: the protocol editor, the problems list
 * and status line, the diagrams, and the verification worker. After every edit (once the frame
 * showing it is painted; edits within one frame are checked once) the text is checked and
 * projected here; when that finds no error the diagrams are redrawn and the model checker runs
 * in the worker, whose diagnostics join the editor's markers.
 *
 * Performance marks (read by the end-to-end test and bench/tutorial-app.mjs):
 * `mpst:interactive` once, when the first step's editor and diagrams are up. Measures from the
 * first keystroke of a burst (its keydown event; for an edit made by the page, the edit): to
 * the diagrams in the viewport redrawn and painted, `mpst:edit-to-view` (`detail.drawn`: the
 * labels of the diagrams drawn); to the sequence diagram redrawn, `mpst:edit-to-sequence`; to
 * both the sequence diagram and the state machine redrawn, `mpst:edit-to-diagram` (a diagram
 * out of view waits for typing to pause: see diagrams.ts). `mpst:verify` measures the
 * worker's round trip (`detail.workerMs`: the check and model checking in it).
 */
import type { Diagnostic } from '@mpst/scribble';
import { analyzeText, type Analysis, type ProtocolDiagrams } from './analysis.js';
import { ApiPanel } from './api-panel.js';
import { rolesOf } from './content.js';
import { DiagramView, inViewDrawn, noteTyping } from './diagrams.js';
import { afterPaint } from './dom.js';
import { ProtocolEditor } from './editor.js';
import { RefactorPanel } from './refactor-panel.js';
import { parseRunQuery, runQuery, type RunParams, type StepModule } from './simulation.js';
import { SimulatorPanel } from './simulator-panel.js';
import type { Step } from './steps.js';
import type { Verification } from './verification.js';
import { Verifier } from './verifier.js';

/** The elements of the page the workbench fills (see index.html). */
export interface WorkbenchElements {
  readonly editor: HTMLElement;
  readonly file: HTMLElement;
  readonly reset: HTMLButtonElement;
  readonly status: HTMLElement;
  readonly problems: HTMLElement;
  readonly protocolPicker: HTMLSelectElement;
  readonly sequence: HTMLElement;
  readonly roles: HTMLElement;
  readonly state: HTMLElement;
  readonly counterexample: HTMLElement;
  readonly counterexampleMessage: HTMLElement;
  readonly counterexampleDiagram: HTMLElement;
  /** The simulator panel's section (filled by {@link SimulatorPanel}). */
  readonly simulator: HTMLElement;
  /** The refactoring panel (filled by {@link RefactorPanel}). */
  readonly refactor: HTMLDetailsElement;
  /** The generated API of the selected role (filled by {@link ApiPanel}). */
  readonly api: HTMLDetailsElement;
}

export class Workbench {
  private readonly editor: ProtocolEditor;
  private readonly sequence: DiagramView;
  private readonly state: DiagramView;
  private readonly counterexample: DiagramView;
  private readonly verifier = new Verifier();
  private step: Step | undefined;
  private text = '';
  /** Bumped on every text change: late results for older texts are dropped. */
  private version = 0;
  /** A check is scheduled for after the next frame. */
  private checkSoon = false;
  /** When the first keystroke of the current burst happened (for `mpst:edit-to-diagram`). */
  private editStart: number | undefined;
  private analysis: Analysis | undefined;
  private protocolName: string | undefined;
  private role: string | undefined;
  private interactive = false;
  private readonly sim: SimulatorPanel;
  private readonly refactor: RefactorPanel;
  private readonly api: ApiPanel;
  /** The step's front matter asks for a refactoring plan once its protocol is checked. */
  private planOnOpen = false;
  /** The step's roles.ts, once loaded (undefined while loading or when it has none). */
  private module: StepModule | undefined;
  /** Whether the step's roles.ts is still loading. */
  private moduleLoading = false;
  /** A run the URL asked for, done once the protocol and role code are ready. */
  private pendingRun: string | undefined;

  constructor(private readonly el: WorkbenchElements) {
    el.editor.replaceChildren();
    this.editor = new ProtocolEditor(el.editor, (text, typedAt) => this.changed(text, typedAt));
    this.sequence = new DiagramView(el.sequence, 'Sequence diagram of the global protocol');
    this.state = new DiagramView(el.state, 'State machine of the selected role');
    this.counterexample = new DiagramView(el.counterexampleDiagram, 'Counterexample trace');
    this.sim = new SimulatorPanel(el.simulator, (params) => this.share(params));
    // Its own worker: planning does not cancel a verification, nor the other way round.
    this.refactor = new RefactorPanel(el.refactor, new Verifier(), (text) => {
      this.editor.replace(text);
    });
    this.api = new ApiPanel(el.api);
    el.reset.addEventListener('click', () => {
      if (this.step) this.editor.reset(this.step.protocol);
    });
    el.protocolPicker.addEventListener('change', () => {
      this.protocolName = el.protocolPicker.value;
      this.updateSimulator();
      void this.draw();
    });
  }

  /**
   * Shows `step`: its protocol (as last edited in this page) checked and drawn. `run`: the
   * query of a shared run URL (`seed=…&faults=…&at=…`), simulated once everything is ready.
   */
  open(step: Step, run?: string): void {
    const same = step === this.step;
    this.step = step;
    this.pendingRun = run;
    if (same) {
      this.updateSimulator();
      return;
    }
    this.sim.clear();
    this.planOnOpen = step.unreliable.length > 0;
    this.module = undefined;
    const load = rolesOf(step);
    this.moduleLoading = load !== undefined;
    load?.().then(
      (m) => {
        if (this.step !== step) return;
        this.module = m;
        this.moduleLoading = false;
        this.updateSimulator();
      },
      (e: unknown) => {
        if (this.step !== step) return;
        this.moduleLoading = false;
        this.updateSimulator(
          `its roles.ts could not be loaded (${e instanceof Error ? e.message : String(e)})`,
        );
      },
    );
    this.el.file.textContent = step.protocolFile;
    this.text = this.editor.open(step.id, step.protocol);
    this.protocolName = undefined;
    this.role = undefined;
    this.sequence.clear();
    this.state.clear();
    this.hideCounterexample();
    this.editStart = undefined;
    this.version++;
    this.checkSoon = false;
    this.check();
  }

  private changed(text: string, typedAt: number | undefined): void {
    this.text = text;
    this.version++;
    this.editStart ??= typedAt ?? performance.now();
    if (typedAt !== undefined) noteTyping();
    // After the frame that shows the keystroke in the editor, so that the check (and the
    // redraw after it) never delays that; keystrokes within one frame are checked once.
    if (this.checkSoon) return;
    this.checkSoon = true;
    void afterPaint().then(() => {
      if (!this.checkSoon) return;
      this.checkSoon = false;
      this.check();
    });
  }

  /** Checks the current text, shows its problems, redraws, and starts its verification. */
  private check(): void {
    const step = this.step;
    if (!step) return;
    const version = this.version;
    // The burst of keystrokes this check answers started here (undefined when opening a step).
    const start = this.editStart;
    this.editStart = undefined;
    const analysis = analyzeText(step.protocolFile, this.text);
    this.analysis = analysis;
    this.showProblems(analysis.diagnostics);
    const errors = analysis.diagnostics.some((d) => d.severity === 'error');
    this.setStatus(analysis, errors ? undefined : 'running');
    this.hideCounterexample();
    if (errors) {
      this.sequence.markStale();
      this.state.markStale();
      return;
    }
    this.updateSimulator();
    this.updateRefactor(step);
    void this.draw((drawn) => {
      if (drawn && start !== undefined && version === this.version)
        performance.measure('mpst:edit-to-sequence', { start, end: performance.now() });
    }).then((drawn) => {
      if (!drawn || version !== this.version) return;
      if (start !== undefined)
        performance.measure('mpst:edit-to-diagram', { start, end: performance.now() });
      if (!this.interactive) {
        this.interactive = true;
        performance.mark('mpst:interactive');
        document.body.dataset['interactive'] = 'true';
      }
    });
    if (start !== undefined)
      void inViewDrawn().then((drawn) => {
        if (version === this.version)
          performance.measure('mpst:edit-to-view', {
            start,
            end: performance.now(),
            detail: { drawn },
          });
      });
    this.verify(step, version);
  }

  /**
   * Draws the selected protocol's sequence diagram, then the selected role's state machine;
   * `sequenceDrawn` is told when the first is up. Resolves to whether both were drawn.
   */
  private async draw(sequenceDrawn?: (drawn: boolean) => void): Promise<boolean> {
    const protocols = this.analysis?.protocols ?? [];
    const p = protocols.find((x) => x.name === this.protocolName) ?? protocols[0];
    if (!p) return false;
    this.protocolName = p.name;
    this.showPicker(protocols);
    this.role = p.roles.includes(this.role ?? '') ? this.role : p.roles[0];
    this.showRoles(p);
    const i = p.roles.indexOf(this.role ?? '');
    if (this.step && this.role !== undefined)
      this.api.setSource({
        file: this.step.protocolFile,
        text: this.text,
        protocol: p.name,
        role: this.role,
      });
    const sequence = this.sequence.show(p.sequence).then((drawn) => {
      sequenceDrawn?.(drawn);
      return drawn;
    });
    const [a, b] = await Promise.all([sequence, this.state.show(p.states[i] ?? '')]);
    return a && b;
  }

  /**
   * Gives the simulator the selected protocol, with the step's role code when it fits (the
   * step's protocol, unedited), and runs what a shared URL asked for once that is known.
   */
  private updateSimulator(problem?: string): void {
    const step = this.step;
    const protocols = this.analysis?.protocols ?? [];
    const p = protocols.find((x) => x.name === this.protocolName) ?? protocols[0];
    if (!step || !p) return;
    const module = this.module;
    const fits = module?.protocol === p.name && this.text === step.protocol;
    const note =
      problem ??
      (module === undefined
        ? this.moduleLoading
          ? "loading this step's roles.ts…"
          : 'this step has no roles.ts'
        : module.protocol !== p.name
          ? `this step's roles.ts implements ${module.protocol}, not ${p.name}`
          : "the protocol was edited, so this step's roles.ts does not fit it");
    this.sim.setSource({
      protocol: p.name,
      specs: p.specs,
      ...(fits ? { module } : { note }),
    });
    if (this.pendingRun === undefined || this.moduleLoading) return;
    const query = this.pendingRun;
    this.pendingRun = undefined;
    let params: RunParams | undefined;
    try {
      params = parseRunQuery(query);
    } catch (e) {
      this.sim.showError(
        new Error(`the link's run cannot be read: ${e instanceof Error ? e.message : String(e)}`),
      );
      return;
    }
    if (params) void this.sim.run(params);
  }

  /** Gives the refactoring panel the selected protocol (plans at once if the step says so). */
  private updateRefactor(step: Step): void {
    const protocols = this.analysis?.protocols ?? [];
    const p = protocols.find((x) => x.name === this.protocolName) ?? protocols[0];
    if (!p) return;
    this.refactor.setSource({
      file: step.protocolFile,
      text: this.text,
      protocol: p.name,
      roles: p.roles,
      unreliable: step.unreliable.filter((r) => p.roles.includes(r)),
    });
    if (this.planOnOpen) {
      this.planOnOpen = false;
      void this.refactor.planNow();
    }
  }

  /** Puts a run in the URL (without a new history entry) and returns the URL. */
  private share(params: RunParams): string {
    const step = this.step;
    if (!step) return location.href;
    history.replaceState(history.state, '', `#/${step.id}?${runQuery(params)}`);
    return location.href;
  }

  private verify(step: Step, version: number): void {
    const t0 = performance.now();
    this.verifier.run(step.protocolFile, this.text).then(
      (v) => {
        if (!v || version !== this.version) return;
        performance.measure('mpst:verify', {
          start: t0,
          end: performance.now(),
          detail: { workerMs: v.ms, states: v.protocols.map((p) => p.states) },
        });
        this.showVerification(v);
      },
      (e: unknown) => {
        if (version !== this.version) return;
        this.el.status.dataset['verdict'] = 'error';
        this.appendStatus(`Verification failed: ${e instanceof Error ? e.message : String(e)}`);
      },
    );
  }

  private showVerification(v: Verification): void {
    const analysis = this.analysis;
    if (analysis) this.showProblems([...analysis.diagnostics, ...v.diagnostics]);
    const p = v.protocols.find((x) => x.name === this.protocolName) ?? v.protocols[0];
    if (!p) return;
    this.el.status.dataset['verdict'] = p.verdict;
    const figures = `${p.states.toLocaleString('en')} configurations, ${p.ms.toFixed(0)} ms in the worker`;
    const what: Record<typeof p.verdict, string> = {
      verified: `Verified: no stuck, orphan or unreceived message, no deadlock, every role progresses (${figures}).`,
      violation: `Verification found a problem (${figures}): ${p.counterexample?.message ?? ''}`,
      inconclusive: `Verification inconclusive (${figures}): ${p.note ?? ''}`,
      invalid: 'Verification could not run on this protocol.',
    };
    this.appendStatus(what[p.verdict]);
    if (p.counterexample) {
      this.el.counterexample.hidden = false;
      this.el.counterexampleMessage.textContent = p.counterexample.message;
      void this.counterexample.show(p.counterexample.sequence);
    } else this.hideCounterexample();
  }

  private hideCounterexample(): void {
    this.el.counterexample.hidden = true;
    this.counterexample.clear();
  }

  private setStatus(a: Analysis, verification: 'running' | undefined): void {
    const count = (s: string): number => a.diagnostics.filter((d) => d.severity === s).length;
    const [errors, warnings] = [count('error'), count('warning')];
    const plural = (n: number, w: string): string => `${String(n)} ${w}${n === 1 ? '' : 's'}`;
    const summary =
      errors + warnings === 0
        ? `Checked and projected in ${a.ms.toFixed(0)} ms: no problems.`
        : `${plural(errors, 'error')}, ${plural(warnings, 'warning')}.`;
    const line = document.createElement('p');
    line.textContent = summary;
    this.el.status.replaceChildren(line);
    this.el.status.dataset['verdict'] = verification ?? 'none';
    if (verification) this.appendStatus('Verifying in a worker…');
    else if (errors > 0)
      this.appendStatus(
        'The diagrams show the last version without errors; fix the errors to redraw them.',
      );
  }

  private appendStatus(text: string): void {
    const last = this.el.status.lastElementChild;
    if (last?.classList.contains('verification')) last.remove();
    const line = document.createElement('p');
    line.className = 'verification';
    line.textContent = text;
    this.el.status.append(line);
  }

  private showProblems(diagnostics: readonly Diagnostic[]): void {
    const step = this.step;
    if (!step) return;
    this.editor.showDiagnostics(step.protocolFile, diagnostics);
    const items = diagnostics.map((d) => {
      const li = document.createElement('li');
      li.className = d.severity;
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = `${String(d.span.line)}:${String(d.span.column)} ${d.severity} ${d.code} ${d.message}`;
      button.addEventListener('click', () => this.editor.focusAt(d.span.start));
      li.append(button);
      return li;
    });
    this.el.problems.replaceChildren(...items);
    this.el.problems.hidden = items.length === 0;
  }

  private showPicker(protocols: readonly ProtocolDiagrams[]): void {
    const picker = this.el.protocolPicker;
    const names = protocols.map((p) => p.name);
    if ([...picker.options].map((o) => o.value).join() !== names.join()) {
      picker.replaceChildren(...names.map((n) => new Option(n, n)));
    }
    picker.value = this.protocolName ?? '';
    picker.hidden = names.length < 2;
  }

  private showRoles(p: ProtocolDiagrams): void {
    const current = [...this.el.roles.querySelectorAll('button')].map((b) => b.textContent);
    if (current.join() !== p.roles.join()) {
      this.el.roles.replaceChildren(
        ...p.roles.map((role) => {
          const b = document.createElement('button');
          b.type = 'button';
          b.textContent = role;
          b.addEventListener('click', () => {
            this.role = role;
            void this.draw();
          });
          return b;
        }),
      );
    }
    for (const b of this.el.roles.querySelectorAll('button')) {
      const selected = b.textContent === this.role;
      b.setAttribute('aria-pressed', String(selected));
    }
  }
}
