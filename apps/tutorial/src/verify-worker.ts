/**
 * The model checker off the main thread: typing never waits for it. One request at a time; the
 * page terminates this worker when a newer text makes a running check useless (see verifier.ts).
 */
import { verifyText, type Verification } from './verification.js';

/** What the page posts. */
export interface VerifyRequest {
  readonly id: number;
  readonly file: string;
  readonly text: string;
}

/** What the worker posts back. */
export type VerifyReply =
  | { readonly id: number; readonly ok: true; readonly result: Verification }
  | { readonly id: number; readonly ok: false; readonly error: string };

// The app's tsconfig has the DOM library, not the worker one: name the two members used.
const scope = self as unknown as {
  onmessage: ((e: MessageEvent<VerifyRequest>) => void) | null;
  postMessage(message: VerifyReply): void;
};

scope.onmessage = (e) => {
  const { id, file, text } = e.data;
  try {
    scope.postMessage({ id, ok: true, result: verifyText(file, text) });
  } catch (err) {
    scope.postMessage({ id, ok: false, error: err instanceof Error ? err.message : String(err) });
  }
};
