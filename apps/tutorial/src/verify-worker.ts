/**
 * The model checker and the crash refactorer off the main thread: typing never waits for them.
 * One request at a time; the page terminates this worker when a newer request makes a running
 * one useless (see verifier.ts).
 */
import { refactorText, type RefactorInput, type Refactoring } from './refactoring.js';
import { verifyText, type Verification } from './verification.js';

/** What the page posts. */
export type WorkerRequest =
  | { readonly id: number; readonly kind: 'verify'; readonly file: string; readonly text: string }
  | { readonly id: number; readonly kind: 'refactor'; readonly input: RefactorInput };

/** What the worker posts back. */
export type WorkerReply =
  | { readonly id: number; readonly ok: true; readonly result: Verification | Refactoring }
  | { readonly id: number; readonly ok: false; readonly error: string };

// The app's tsconfig has the DOM library, not the worker one: name the two members used.
const scope = self as unknown as {
  onmessage: ((e: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(message: WorkerReply): void;
};

scope.onmessage = (e) => {
  const request = e.data;
  const { id } = request;
  try {
    const result =
      request.kind === 'verify'
        ? verifyText(request.file, request.text)
        : refactorText(request.input);
    scope.postMessage({ id, ok: true, result });
  } catch (err) {
    scope.postMessage({ id, ok: false, error: err instanceof Error ? err.message : String(err) });
  }
};
