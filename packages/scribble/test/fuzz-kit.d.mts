// Types for fuzz-kit.mjs (see there).
import type { ParseResult } from '@mpst/scribble';

export type Mutation =
  | { readonly kind: 'delete'; readonly at: number; readonly len: number }
  | { readonly kind: 'duplicate'; readonly at: number; readonly len: number; readonly to: number }
  | {
      readonly kind: 'insert';
      readonly at: number;
      readonly token: number;
      readonly spaced?: boolean;
    }
  | {
      readonly kind: 'swap';
      readonly at: number;
      readonly len: number;
      readonly at2: number;
      readonly len2: number;
    }
  | { readonly kind: 'truncate'; readonly at: number };

export declare const TOKENS: readonly string[];
export declare const INLINE_SEEDS: readonly string[];
export declare const MUTATION_KINDS: readonly Mutation['kind'][];
export declare function applyMutation(text: string, m: Mutation): string;
export declare function applyMutations(text: string, mutations: readonly Mutation[]): string;
export declare function checkParse(
  parse: (text: string, path: string) => ParseResult,
  text: string,
  path: string,
): string[];
export declare function mulberry32(seed: number): () => number;
export declare function caseSeed(runSeed: number, i: number): number;
export declare function randomMutation(rng: () => number): Mutation;
export declare function randomCase(
  seed: number,
  seedCount: number,
): { seedIndex: number; mutations: Mutation[] };
