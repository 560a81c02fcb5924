/**
 * The refactoring panel: @mpst/crash-refactor in the page (in the worker). The learner picks
 * the roles that may crash; the plan comes back as a list of decisions — at each point where a
 * live role could wait for ever on a crashed one, the ranked ways to handle it, one chosen —
 * and the learner can change any choice: the edited plan is applied again (`applyPlan`), which
 * re-verifies the result. Before/after sequence diagrams show what was removed and added.
 */
import type { Decision, Plan } from '@mpst/crash-refactor';
import { DiagramView } from './diagrams.js';
import { el } from './dom.js';
import { changesFailureFreeRuns, choose, type Refactoring } from './refactoring.js';
import type { Verifier } from './verifier.js';

/** The protocol the panel refactors. */
export interface RefactorSource {
  readonly file: string;
  readonly text: string;
  readonly protocol: string;
  readonly roles: readonly string[];
  /** Roles checked when the panel opens (the step's `unreliable:` front matter). */
  readonly unreliable: readonly string[];
}

export class RefactorPanel {
  private source: RefactorSource | undefined;
  private current: { source: RefactorSource; result: Refactoring } | undefined;
  private readonly roles = el('fieldset', { className: 'refactor-roles' });
  private readonly planButton = el('button', {
    type: 'submit',
    id: 'refactor-plan',
    textContent: 'Plan',
  });
  private readonly status = el('div', { id: 'refactor-status', className: 'refactor-status' });
  private readonly decisions = el('ol', {
    id: 'refactor-decisions',
    className: 'refactor-decisions',
  });
  private readonly before: DiagramView;
  private readonly after: DiagramView;
  private readonly output = el('pre', { id: 'refactor-output', className: 'refactor-output' });
  private readonly useButton = el('button', {
    type: 'button',
    id: 'refactor-use',
    textContent: 'Edit the refactored protocol',
  });
  private readonly result = el('div', { className: 'refactor-result', hidden: true });

  constructor(
    private readonly root: HTMLDetailsElement,
    private readonly worker: Verifier,
    /** Puts a text in the editor (the learner's "use it"). */
    private readonly edit: (text: string) => void,
  ) {
    const form = el('form', { className: 'refactor-form' }, this.roles, this.planButton);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.plan(undefined);
    });
    this.before = new DiagramView(
      el('div', { className: 'diagram', id: 'refactor-before' }),
      'Before',
    );
    this.after = new DiagramView(
      el('div', { className: 'diagram', id: 'refactor-after' }),
      'After',
    );
    this.useButton.addEventListener('click', () => {
      if (this.current) this.edit(this.current.result.plan.output);
    });
    this.status.setAttribute('role', 'status');
    this.result.append(
      el('h3', {}, 'Decisions'),
      this.decisions,
      el(
        'div',
        { className: 'refactor-diff' },
        el('figure', {}, el('figcaption', {}, 'Before (removed in red)'), this.before.element),
        el('figure', {}, el('figcaption', {}, 'After (added in green)'), this.after.element),
      ),
      el('h3', {}, 'The refactored protocol'),
      this.output,
      this.useButton,
    );
    root.replaceChildren(
      el('summary', {}, el('h2', {}, 'Make it crash-tolerant')),
      el(
        'p',
        {},
        'Choose the roles that may crash. The crash refactorer (@mpst/crash-refactor, in a worker) ',
        'finds every place where a live role could wait for ever on a crashed one, handles each by ',
        'the best-ranked option that keeps the protocol projectable, and verifies the result. ',
        'Change any decision to see what the other options do.',
      ),
      form,
      this.status,
      this.result,
    );
  }

  /** The protocol changed (a step opened, or a clean edit). */
  setSource(source: RefactorSource | undefined): void {
    const roleChanged = source?.roles.join() !== this.source?.roles.join();
    const old = this.source;
    this.source = source;
    this.root.hidden = !source;
    if (!source) return;
    if (roleChanged || old?.file !== source.file) {
      const checked = new Set(source.unreliable);
      this.roles.replaceChildren(
        el('legend', {}, 'Roles that may crash'),
        ...source.roles.map((r) => {
          const box = el('input', { type: 'checkbox', value: r, checked: checked.has(r) });
          box.dataset['role'] = r;
          return el('label', {}, box, ` ${r}`);
        }),
      );
    }
    if (this.current && this.current.source.text !== source.text) {
      this.current = undefined;
      this.result.hidden = true;
      this.status.textContent = 'The protocol changed: plan again.';
    }
  }

  /** Opens the panel and plans with the roles checked (a step whose front matter names some). */
  async planNow(): Promise<void> {
    this.root.open = true;
    await this.plan(undefined);
  }

  private unreliable(): string[] {
    return [...this.roles.querySelectorAll<HTMLInputElement>('input:checked')].map((b) => b.value);
  }

  private async plan(reviewed: Plan | undefined): Promise<void> {
    const source = reviewed ? this.current?.source : this.source;
    if (!source) return;
    const unreliable = reviewed ? [...reviewed.failureModel.unreliable] : this.unreliable();
    if (unreliable.length === 0) {
      this.status.textContent = 'Choose at least one role that may crash.';
      return;
    }
    this.status.textContent = reviewed ? 'Applying the plan…' : 'Planning and verifying…';
    this.root.dataset['state'] = 'running';
    this.planButton.disabled = true;
    try {
      const result = await this.worker.refactor({
        file: source.file,
        text: source.text,
        protocol: source.protocol,
        unreliable,
        ...(reviewed ? { plan: reviewed } : {}),
      });
      if (!result) return;
      this.current = { source, result };
      await this.show(result);
    } catch (e) {
      this.status.textContent = `The refactoring failed: ${e instanceof Error ? e.message : String(e)}`;
    } finally {
      this.planButton.disabled = false;
      this.root.dataset['state'] = 'done';
    }
  }

  private async show(r: Refactoring): Promise<void> {
    const { plan } = r;
    const verdicts: Record<Plan['verdict'], string> = {
      verified: 'the result verifies with these roles able to crash',
      violation: 'the result does not verify',
      inconclusive: 'verification of the result was inconclusive',
      unhandled: 'some point could not be handled',
    };
    this.root.dataset['verdict'] = plan.verdict;
    this.status.replaceChildren(
      el(
        'p',
        { className: `refactor-verdict ${plan.verdict}` },
        `${String(plan.decisions.length)} decision${plan.decisions.length === 1 ? '' : 's'}: ` +
          `${verdicts[plan.verdict]} (${r.ms.toFixed(0)} ms in the worker).`,
      ),
      ...plan.diagnostics.map((d) =>
        el(
          'p',
          { className: 'refactor-problem' },
          `${String(d.span.line)}:${String(d.span.column)} ${d.code} ${d.message}`,
        ),
      ),
    );
    this.decisions.replaceChildren(...plan.decisions.map((d, i) => this.decision(plan, d, i)));
    this.output.textContent = plan.output;
    this.result.hidden = false;
    if (r.diff) {
      await Promise.all([this.before.show(r.diff.before), this.after.show(r.diff.after)]);
    } else {
      this.before.clear();
      this.after.clear();
    }
  }

  private decision(plan: Plan, d: Decision, i: number): HTMLLIElement {
    const select = el('select', { id: `refactor-choice-${String(i)}` });
    d.options.forEach((o, n) => select.append(new Option(o.description, String(n))));
    select.value = String(d.chosen);
    select.addEventListener('change', () => {
      void this.plan(choose(plan, d.id, Number(select.value)));
    });
    return el(
      'li',
      {},
      el(
        'p',
        {},
        el('strong', {}, `Line ${String(d.location.line)}: `),
        `if ${d.crashed} crashes, ${d.detector} waits for ever at `,
        el('code', {}, d.snippet),
      ),
      el('label', {}, 'Handle it by ', select),
      ...(changesFailureFreeRuns(d)
        ? [
            el(
              'p',
              { className: 'refactor-changes' },
              'This option changes failure-free runs (no handling alone verifies): ' +
                'the roles now also send a message when nothing fails. Review it.',
            ),
          ]
        : []),
      el('p', { className: 'refactor-reason' }, d.reason),
    );
  }
}
