/** `document.createElement(tag)` with properties and children: the panels build their DOM with it. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<HTMLElementTagNameMap[K]> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children);
  return e;
}

/**
 * Resolves after the browser has painted a frame: what was put in the page before is on screen
 * (at the latest after 1 s, and at once in a hidden tab: those paint no frames).
 */
export function afterPaint(): Promise<void> {
  if (document.visibilityState !== 'visible') return new Promise((r) => setTimeout(r, 0));
  return new Promise((resolve) => {
    const fallback = setTimeout(resolve, 1000);
    requestAnimationFrame(() =>
      setTimeout(() => {
        clearTimeout(fallback);
        resolve();
      }, 0),
    );
  });
}
