// Seeded garbage input, shared by packages/scribble/test/garbage.test.ts and
// bench/garbage-input.mjs: the same seed gives the same bytes on every machine, so the figures
// in the test and the bench are reproducible.

/** mulberry32: a small seeded PRNG (32-bit state), good enough to make noise. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `size` uniformly random bytes (0-255): NUL bytes and invalid UTF-8 included. */
export function randomBytes(seed, size = 4096) {
  const next = prng(seed);
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = Math.floor(next() * 256);
  return out;
}

/**
 * `size` random ASCII bytes from 1 to 127 (no NUL): valid UTF-8 text full of control
 * characters, unexpected characters and stray words, which reaches the lexer and the parser.
 */
export function randomAscii(seed, size = 4096) {
  const next = prng(seed);
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = 1 + Math.floor(next() * 127);
  return out;
}
