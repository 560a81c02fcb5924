/**
 * The generated TypeScript API of the role whose state machine is shown: what `mpst codegen`
 * writes for it, the module the step's roles.ts is written against. It is computed only while
 * the panel is open (and @mpst/codegen is loaded the first time it opens), so typing pays
 * nothing for it when it is closed.
 */
import { el } from './dom.js';

/** What the panel shows the API of. */
export interface ApiSource {
  readonly file: string;
  readonly text: string;
  readonly protocol: string;
  readonly role: string;
}

export class ApiPanel {
  private source: ApiSource | undefined;
  /** The source shown (or being computed), as a key: nothing is redone for the same one. */
  private shown = '';
  private readonly title = el('span');
  private readonly code = el('pre', { id: 'api-code', className: 'api-code', tabIndex: 0 });

  constructor(private readonly root: HTMLDetailsElement) {
    root.replaceChildren(
      el('summary', {}, el('h2', {}, 'TypeScript API of ', this.title, ' (mpst codegen)')),
      el(
        'p',
        { className: 'api-note' },
        'What the compiler holds your role code to: a state type per protocol state, a typed ' +
          'send per label, a handler per branch (and per crash). Updated as you edit.',
      ),
      this.code,
    );
    root.addEventListener('toggle', () => void this.update());
  }

  setSource(source: ApiSource): void {
    this.source = source;
    this.title.textContent = source.role;
    this.root.hidden = false;
    void this.update();
  }

  private async update(): Promise<void> {
    const source = this.source;
    if (!this.root.open || source === undefined) return;
    const key = JSON.stringify(source);
    if (key === this.shown) return;
    this.shown = key;
    const { roleApi } = await import('./api.js');
    if (key !== this.shown) return; // a newer edit came while loading
    const api = roleApi(source.file, source.text, source.protocol, source.role);
    this.code.textContent = api.ok
      ? api.text
      : `No API: the protocol has problems.\n${api.problems.join('\n')}`;
    this.code.dataset['role'] = source.role;
  }
}
