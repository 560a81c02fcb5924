/**
 * Mermaid in the page, loaded on first use (it is most of the app's bytes). Renders are queued
 * one at a time (Mermaid measures text in a shared hidden element), and a view skips a render
 * that a newer text made stale, so a burst of edits costs one render per view, not one per edit.
 */
import type { Mermaid } from 'mermaid';

let loading: Promise<Mermaid> | undefined;

/** Mermaid, imported and configured once. */
export function loadMermaid(): Promise<Mermaid> {
  loading ??= import('mermaid').then(({ default: mermaid }) => {
    mermaid.initialize({
      startOnLoad: false,
      // Labels come from the learner's text: Mermaid sanitises them, and no click handlers.
      securityLevel: 'strict',
      // Errors are reported by the view, not drawn as Mermaid's bomb picture.
      suppressErrorRendering: true,
      fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
      theme: 'neutral',
    });
    return mermaid;
  });
  return loading;
}

let queue: Promise<unknown> = Promise.resolve();
let nextId = 0;

/** One diagram on the page: an element whose SVG follows the Mermaid text it is given. */
export class DiagramView {
  private shown: string | undefined;
  private wanted: string | undefined;

  constructor(
    readonly element: HTMLElement,
    private readonly label: string,
  ) {}

  /**
   * Draws `text` (nothing to do when it is already shown). Resolves to true once drawn, false
   * when a newer text superseded it before its turn. A Mermaid error is shown in the element.
   */
  show(text: string): Promise<boolean> {
    this.wanted = text;
    if (text === this.shown) {
      this.element.classList.remove('stale');
      return Promise.resolve(true);
    }
    const job = queue.then(async () => {
      if (this.wanted !== text) return false;
      const mermaid = await loadMermaid();
      try {
        const { svg } = await mermaid.render(`mpst-diagram-${String(nextId++)}`, text);
        if (this.wanted !== text) return false;
        this.element.innerHTML = svg;
        const root = this.element.querySelector('svg');
        root?.setAttribute('role', 'img');
        root?.setAttribute('aria-label', this.label);
      } catch (e) {
        if (this.wanted !== text) return false;
        this.element.textContent = `The diagram could not be drawn: ${e instanceof Error ? e.message : String(e)}`;
      }
      this.shown = text;
      this.element.classList.remove('stale');
      this.element.dataset['version'] = String(Number(this.element.dataset['version'] ?? '0') + 1);
      return true;
    });
    queue = job.catch(() => undefined);
    return job;
  }

  /** Marks the drawing as out of date (the text has errors; the last good diagram stays). */
  markStale(): void {
    this.wanted = undefined;
    this.element.classList.add('stale');
  }

  /** Empties the view. */
  clear(): void {
    this.wanted = undefined;
    this.shown = undefined;
    this.element.replaceChildren();
  }
}
