/**
 * Mermaid in the page, loaded on first use (it is most of the app's bytes), and the views that
 * show its diagrams. A Mermaid render of the tutorial's larger protocols takes tens of
 * milliseconds of main-thread time and cannot be interrupted, so one scheduler decides which
 * view draws next, one render at a time (Mermaid also measures text in a shared hidden element):
 *
 * - a view skips a render that a newer text made stale, so a burst of edits costs one render
 *   per view, not one per edit;
 * - views in the viewport go first, in the order they asked (the global protocol before the
 *   state machine), and each render is followed by a frame, so the browser shows one diagram
 *   before the next render starts;
 * - while the learner types ({@link noteTyping}), views out of the viewport wait until typing
 *   pauses for {@link QUIET_MS} (then they draw in idle time) or until they are scrolled into
 *   view: a keystroke pays for the diagrams on screen only;
 * - each view keeps the SVG of its last {@link CACHED} texts, so coming back to one (a role
 *   selected again, an undo, a typo taken back, a step reopened) draws without Mermaid.
 */
import type { Mermaid } from 'mermaid';
import { afterPaint } from './dom.js';

/** After the last keystroke, how long views out of the viewport wait before drawing. */
export const QUIET_MS = 400;
/** How many drawn texts each view keeps the SVG of. */
const CACHED = 4;

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

let nextId = 0;

/** One diagram on the page: an element whose SVG follows the Mermaid text it is given. */
export class DiagramView {
  /** The text drawn in the element (undefined: empty). */
  private shown: string | undefined;
  /** The text to draw (undefined: none; the element keeps what it shows). */
  private wanted: string | undefined;
  /** Callers of {@link show} still waiting, with the text they asked for. */
  private waiting: { text: string; done: (drawn: boolean) => void }[] = [];
  /** SVG by Mermaid text, least recently drawn first. */
  private readonly cache = new Map<string, string>();

  constructor(
    readonly element: HTMLElement,
    readonly label: string,
  ) {
    observe(this);
  }

  /**
   * Draws `text` (nothing to do when it is already shown). Resolves to true once drawn, false
   * when a newer text (or {@link markStale}, {@link clear}) superseded it first. A Mermaid
   * error is shown in the element.
   */
  show(text: string): Promise<boolean> {
    this.want(text);
    if (text === this.shown) {
      this.element.classList.remove('stale');
      return Promise.resolve(true);
    }
    request(this);
    return new Promise((done) => this.waiting.push({ text, done }));
  }

  /** Marks the drawing as out of date (the text has errors; the last good diagram stays). */
  markStale(): void {
    this.want(undefined);
    this.element.classList.add('stale');
  }

  /** Empties the view. */
  clear(): void {
    this.want(undefined);
    this.shown = undefined;
    this.element.replaceChildren();
  }

  /** Whether the view has a text to draw. */
  get pending(): boolean {
    return this.wanted !== undefined && this.wanted !== this.shown;
  }

  /** Whether any of the element is inside the viewport now (false when it is not rendered). */
  get inView(): boolean {
    if (this.element.getClientRects().length === 0) return false;
    const r = this.element.getBoundingClientRect();
    return r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth;
  }

  /** Draws the wanted text (the scheduler's turn for this view). */
  async draw(): Promise<void> {
    const text = this.wanted;
    if (text === undefined || text === this.shown) return;
    let svg = this.cache.get(text);
    let error: unknown;
    if (svg === undefined) {
      try {
        const mermaid = await loadMermaid();
        ({ svg } = await mermaid.render(`mpst-diagram-${String(nextId++)}`, text));
      } catch (e) {
        error = e;
      }
    }
    if (svg !== undefined) this.remember(text, svg);
    // A newer text came while Mermaid worked: that one is drawn on a later turn.
    if (this.wanted !== text) return;
    if (svg !== undefined) {
      this.element.innerHTML = svg;
      const root = this.element.querySelector('svg');
      root?.setAttribute('role', 'img');
      root?.setAttribute('aria-label', this.label);
    } else {
      const why = error instanceof Error ? error.message : String(error);
      this.element.textContent = `The diagram could not be drawn: ${why}`;
    }
    this.shown = text;
    this.element.classList.remove('stale');
    this.element.dataset['version'] = String(Number(this.element.dataset['version'] ?? '0') + 1);
    this.settle(text);
  }

  private want(text: string | undefined): void {
    this.wanted = text;
    this.settle(text);
  }

  /** Answers the callers that asked for another text than `text` (superseded), and for `text` once shown. */
  private settle(text: string | undefined): void {
    const still: typeof this.waiting = [];
    for (const w of this.waiting) {
      if (w.text !== text) w.done(false);
      else if (text === this.shown) w.done(true);
      else still.push(w);
    }
    this.waiting = still;
  }

  private remember(text: string, svg: string): void {
    this.cache.delete(text);
    this.cache.set(text, svg);
    for (const old of this.cache.keys()) {
      if (this.cache.size <= CACHED) break;
      this.cache.delete(old);
    }
  }
}

// The scheduler: the views with a text to draw, in the order they asked.
const queue = new Set<DiagramView>();
let running = false;
let quietUntil = 0;
let wake: ReturnType<typeof setTimeout> | undefined;
/** Callers of {@link inViewDrawn}, each with the labels of the views drawn since it asked. */
let inViewWaiters: { drawn: string[]; done: (drawn: readonly string[]) => void }[] = [];
let observer: IntersectionObserver | undefined;

/** Wakes the scheduler when a view is scrolled into view (it may have a text to draw). */
function observe(view: DiagramView): void {
  if (typeof IntersectionObserver === 'undefined') return;
  observer ??= new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting)) schedule();
  });
  observer.observe(view.element);
}

/**
 * The learner typed: until {@link QUIET_MS} after this, only views in the viewport draw (the
 * others when they come into view, or when typing pauses).
 */
export function noteTyping(): void {
  quietUntil = performance.now() + QUIET_MS;
}

/**
 * Resolves once no view in the viewport has anything left to draw and the browser has painted
 * the last one drawn, with the labels of the views drawn meanwhile. Call it after the
 * {@link DiagramView.show} calls it should wait for.
 */
export function inViewDrawn(): Promise<readonly string[]> {
  return new Promise((done) => {
    inViewWaiters.push({ drawn: [], done });
    schedule();
  });
}

function request(view: DiagramView): void {
  queue.add(view);
  schedule();
}

function schedule(): void {
  queueMicrotask(() => void pump());
}

/** The next view to draw: the first in view, else, once typing has paused, the first. */
function next(): DiagramView | undefined {
  let later: DiagramView | undefined;
  for (const view of queue) {
    if (!view.pending) {
      queue.delete(view);
      continue;
    }
    if (view.inView) return view;
    later ??= view;
  }
  return later && performance.now() >= quietUntil ? later : undefined;
}

async function pump(): Promise<void> {
  if (running) return;
  running = true;
  clearTimeout(wake);
  try {
    for (;;) {
      const view = next();
      if (!view?.inView && inViewWaiters.length > 0) {
        const waiters = inViewWaiters;
        inViewWaiters = [];
        for (const w of waiters) w.done(w.drawn);
      }
      if (!view) break;
      queue.delete(view);
      await view.draw();
      for (const w of inViewWaiters) w.drawn.push(view.label);
      await afterPaint();
    }
  } finally {
    running = false;
  }
  // Views out of view wait for typing to pause, then draw in idle time.
  if (queue.size > 0)
    wake = setTimeout(
      () => {
        idle(() => void pump());
      },
      Math.max(0, quietUntil - performance.now()),
    );
}

function idle(run: () => void): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(run, { timeout: 1000 });
  else setTimeout(run, 0);
}
