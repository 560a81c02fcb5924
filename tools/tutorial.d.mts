// Types for tools/tutorial.mjs (`npm run tutorial`), for its test in tutorials/paxos/test.
export declare const ROOT: string;
export declare const USAGE: string;
export declare class UsageError extends Error {}
export interface Runnable {
  readonly kind: 'step' | 'example';
  readonly name: string;
  readonly folder: string;
}
export declare function runnable(): Runnable[];
export declare function parseCommand(argv: readonly string[]):
  | { help: true }
  | { list: true }
  | {
      target: Runnable;
      seed: number;
      faults: { kind: 'crash'; role: string; atAction: number }[];
    };
export declare function main(
  argv: readonly string[],
  out?: (text: string) => void,
  err?: (text: string) => void,
): Promise<number>;
