// Types for garbage-kit.mjs (see there).
export function prng(seed: number): () => number;
export function randomBytes(seed: number, size?: number): Uint8Array;
export function randomAscii(seed: number, size?: number): Uint8Array;
