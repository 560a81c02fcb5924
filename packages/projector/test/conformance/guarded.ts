/**
 * `analyzeFiles` with a time limit, for the conformance tests: the analysis runs in a worker
 * thread (analyze-worker.mjs); when it does not answer within the limit (a projector hang),
 * the worker is terminated, the call reports a timeout, and the next call starts a new worker.
 * A synchronous infinite loop in the test's own thread would block Vitest itself.
 *
 * Limit: `MPST_ANALYZE_TIMEOUT_MS` per call (default 2000 ms; a corpus file normally takes
 * well under 100 ms), counted from when the worker is ready (loading it may take longer).
 */
import { Worker } from 'node:worker_threads';
import type { AnalyzeOptions, Efsm, LocalType } from '@mpst/projector';

export interface PlainDiagnostic {
  readonly code: string;
  readonly severity: 'error' | 'warning' | 'info';
  readonly message: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export interface PlainRole {
  readonly role: string;
  readonly efsm: Efsm | undefined;
  /** The local type, origins dropped (shared continuations stay shared). */
  readonly local: LocalType | undefined;
  /** `printLocalProtocol` of this role ('' when projection failed). */
  readonly printed: string;
  /** `efsmToDot` of the EFSM ('' when none). */
  readonly dot: string;
}

export interface PlainProtocol {
  readonly name: string;
  /** `ElaboratedProtocol.crashStop`; undefined when elaboration failed. */
  readonly crashStop: boolean | undefined;
  readonly reliable: readonly string[];
  readonly roles: readonly PlainRole[];
}

export type Guarded =
  | {
      readonly kind: 'ok';
      readonly diagnostics: readonly PlainDiagnostic[];
      /** Names of `type`/`data` parameters declared by any protocol of the program. */
      readonly typeParams: readonly string[];
      readonly protocols: readonly PlainProtocol[];
      readonly ms: number;
    }
  | { readonly kind: 'threw'; readonly message: string; readonly ms: number }
  | { readonly kind: 'timeout'; readonly ms: number };

const LIMIT_MS = Number(process.env.MPST_ANALYZE_TIMEOUT_MS ?? '') || 2000;
/** Loading the worker (the projector and its imports). */
const STARTUP_LIMIT_MS = 30_000;

export class GuardedAnalyzer {
  #worker: { readonly worker: Worker; readonly ready: Promise<string | undefined> } | undefined;
  #next = 0;
  #chain: Promise<unknown> = Promise.resolve();
  /** Calls that timed out, for the reports. */
  readonly timeouts: string[] = [];

  /** Runs `analyzeFiles(paths, nodeHost, options)` in the worker (calls are queued). */
  analyze(paths: readonly string[], options: AnalyzeOptions): Promise<Guarded> {
    const run = this.#chain.then(() => this.#run(paths, options));
    this.#chain = run.catch(() => undefined);
    return run;
  }

  /** Starts a worker; `ready` resolves to undefined once it is loaded, or to an error text. */
  #start(): { readonly worker: Worker; readonly ready: Promise<string | undefined> } {
    const worker = new Worker(new URL('./analyze-worker.mjs', import.meta.url));
    worker.unref();
    const ready = new Promise<string | undefined>((resolve) => {
      const timer = setTimeout(() => {
        resolve(`the analysis worker did not load within ${String(STARTUP_LIMIT_MS)} ms`);
      }, STARTUP_LIMIT_MS);
      worker.once('message', () => {
        clearTimeout(timer);
        resolve(undefined);
      });
      worker.once('error', (e) => {
        clearTimeout(timer);
        resolve(`the analysis worker failed to load: ${e.message}`);
      });
    });
    return { worker, ready };
  }

  async #run(paths: readonly string[], options: AnalyzeOptions): Promise<Guarded> {
    this.#worker ??= this.#start();
    const { worker, ready } = this.#worker;
    const notReady = await ready;
    if (notReady !== undefined) {
      this.#worker = undefined;
      void worker.terminate();
      return { kind: 'threw', message: notReady, ms: 0 };
    }
    const limit = LIMIT_MS;
    const id = this.#next++;
    const started = Date.now();
    return new Promise<Guarded>((resolve) => {
      const done = (g: Guarded, kill: boolean): void => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        if (kill) {
          if (this.#worker?.worker === worker) this.#worker = undefined;
          void worker.terminate();
        }
        resolve(g);
      };
      const onMessage = (m: Guarded & { id: number }): void => {
        if (m.id === id) done(m, false);
      };
      const onError = (e: Error): void => {
        done(
          { kind: 'threw', message: `worker error: ${e.message}`, ms: Date.now() - started },
          true,
        );
      };
      const timer = setTimeout(() => {
        this.timeouts.push(paths.join(' '));
        done({ kind: 'timeout', ms: Date.now() - started }, true);
      }, limit);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.postMessage({ id, paths: [...paths], options });
    });
  }

  async close(): Promise<void> {
    const w = this.#worker;
    this.#worker = undefined;
    if (w) await w.worker.terminate();
  }
}

/** The error diagnostics of a result, one line each (`file:line:col CODE message`, file relative to `base`). */
export function errorLines(g: Guarded, rel: (file: string) => string): string[] {
  if (g.kind !== 'ok') return [];
  return g.diagnostics
    .filter((d) => d.severity === 'error')
    .map((d) => `${rel(d.file)}:${String(d.line)}:${String(d.column)} ${d.code} ${d.message}`);
}

/** A one-line description of a failed call. */
export function failure(g: Guarded): string {
  return g.kind === 'timeout'
    ? `analyzeFiles did not finish within ${String(g.ms)} ms (hang?)`
    : g.kind === 'threw'
      ? `analyzeFiles threw: ${g.message}`
      : '';
}
