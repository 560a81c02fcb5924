/**
 * The page's side of the worker (verify-worker.ts). Only the newest request matters: a request
 * made while another runs terminates that worker (a synchronous model checker cannot be
 * interrupted otherwise) and starts a fresh one, and the superseded request resolves to
 * `undefined`. A request that runs longer than the time limit is stopped and reported. The
 * page keeps one instance for verification and one for refactoring, so neither cancels the
 * other.
 */
import type { RefactorInput, Refactoring } from './refactoring.js';
import type { Verification } from './verification.js';
import type { WorkerReply, WorkerRequest } from './verify-worker.js';

/** A request without its id (the instance numbers them). */
type Request =
  | { readonly kind: 'verify'; readonly file: string; readonly text: string }
  | { readonly kind: 'refactor'; readonly input: RefactorInput };

/** Stop a verification after this long (the tutorial's protocols take well under a second). */
export const VERIFY_TIME_LIMIT_MS = 30_000;

interface Pending {
  readonly id: number;
  readonly resolve: (v: Verification | Refactoring | undefined) => void;
  readonly reject: (e: Error) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

export class Verifier {
  private worker: Worker | undefined;
  private pending: Pending | undefined;
  private nextId = 1;

  /** Verifies `text` as the file `file`; `undefined` when a newer request superseded it. */
  run(file: string, text: string): Promise<Verification | undefined> {
    return this.request({ kind: 'verify', file, text }) as Promise<Verification | undefined>;
  }

  /** Plans or re-applies a refactoring; `undefined` when a newer request superseded it. */
  refactor(input: RefactorInput): Promise<Refactoring | undefined> {
    return this.request({ kind: 'refactor', input }) as Promise<Refactoring | undefined>;
  }

  private request(body: Request): Promise<Verification | Refactoring | undefined> {
    if (this.pending) this.stop(undefined);
    const worker = (this.worker ??= this.start());
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.stop(new Error(`stopped after ${String(VERIFY_TIME_LIMIT_MS / 1000)} s`));
      }, VERIFY_TIME_LIMIT_MS);
      this.pending = { id, resolve, reject, timer };
      const request = { ...body, id } as WorkerRequest;
      worker.postMessage(request);
    });
  }

  /** Terminates the worker (a later {@link run} starts another). */
  dispose(): void {
    this.stop(undefined);
    this.worker?.terminate();
    this.worker = undefined;
  }

  private start(): Worker {
    const worker = new Worker(new URL('./verify-worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (e: MessageEvent<WorkerReply>) => {
      const p = this.pending;
      if (p?.id !== e.data.id) return;
      clearTimeout(p.timer);
      this.pending = undefined;
      if (e.data.ok) p.resolve(e.data.result);
      else p.reject(new Error(e.data.error));
    };
    worker.onerror = (e) => {
      e.preventDefault();
      this.stop(new Error(`the verification worker failed: ${e.message}`));
    };
    return worker;
  }

  /** Ends the running request (superseded when `error` is undefined) and its worker. */
  private stop(error: Error | undefined): void {
    const p = this.pending;
    if (!p) return;
    clearTimeout(p.timer);
    this.pending = undefined;
    this.worker?.terminate();
    this.worker = undefined;
    if (error) p.reject(error);
    else p.resolve(undefined);
  }
}
