/**
 * Wall-clock time and timers without Node's types: `performance.now` and `setTimeout` exist in
 * browsers and Node alike, but the main entry compiles without `@types/node` or the DOM library.
 */
interface TimerGlobals {
  performance?: { now(): number; timeOrigin?: number };
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const g = globalThis as unknown as TimerGlobals;

/** Milliseconds from an arbitrary origin, sub-millisecond where the platform allows. */
export function wallNow(): number {
  return g.performance ? g.performance.now() : Date.now();
}

/** Calls `fn` after `ms` milliseconds; returns a function that cancels it. */
export function realTimer(ms: number, fn: () => void): () => void {
  const h = g.setTimeout(fn, ms);
  // A pending timeout must not keep a Node process alive after everything else ended.
  (h as { unref?: () => void }).unref?.();
  return () => g.clearTimeout(h);
}

/** Milliseconds since 1970 (sub-millisecond where the platform allows): comparable across processes. */
export function epochNow(): number {
  const p = g.performance;
  return p?.timeOrigin !== undefined ? p.timeOrigin + p.now() : Date.now();
}

/** `x`, known to be there (an index in bounds, a key just set); throws if it is not. */
export function must<T>(x: T | undefined): T {
  if (x === undefined) throw new Error('internal error: a value that must exist is missing');
  return x;
}
