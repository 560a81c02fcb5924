/**
 * Every diagram the render test draws: the global sequence diagram and each role's state
 * diagram of every protocol that the toolchain accepts in the shared corpus (scribble-java
 * good files and demos, nuScr examples outside `errors/`, Teatrino), and of every protocol of
 * the Paxos tutorial (aux ones included: the tutorial shows them too).
 *
 * The analysis runs in a worker thread (diagrams-worker.mjs) with a time limit: a projector
 * hang fails the test, naming the file, instead of blocking Vitest.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { parse } from '@mpst/scribble';
import {
  demoCases,
  nuscrCases,
  readText,
  repoRoot,
  scribbleJavaCases,
  teatrinoFiles,
} from '../../../tools/corpus.js';

export interface NamedDiagram {
  /** Where it comes from: `corpus/file.scr Protocol` or `... Protocol@Role`. */
  readonly name: string;
  readonly text: string;
  /** Texts the rendered picture must display as written (escaping must not show through). */
  readonly shows?: readonly string[];
}

export interface DiagramSet {
  readonly diagrams: NamedDiagram[];
  /** Analyses run (files, or file and protocol), those without errors, protocols drawn. */
  readonly jobs: number;
  readonly accepted: number;
  readonly protocols: number;
}

interface Job {
  readonly label: string;
  readonly file: string;
  readonly importPaths: readonly string[];
  readonly protocol?: string;
}

/** No single corpus file takes more than a fraction of this (whole corpus: seconds). */
const LIMIT_MS = Number(process.env.MPST_ANALYZE_TIMEOUT_MS ?? '') || 60_000;

/** Runs the jobs in a worker; rejects (naming the job) when one does not finish in time. */
function inWorker(jobs: readonly Job[]): Promise<DiagramSet> {
  const worker = new Worker(new URL('./diagrams-worker.mjs', import.meta.url));
  return new Promise<DiagramSet>((resolve, reject) => {
    let current = '(loading)';
    let timer: NodeJS.Timeout | undefined;
    const arm = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        void worker.terminate();
        reject(
          new Error(
            `analysing ${current} took more than ${String(LIMIT_MS)} ms (a projector hang?)`,
          ),
        );
      }, LIMIT_MS);
    };
    arm();
    worker.on(
      'message',
      (
        m:
          | { kind: 'start'; label: string }
          | { kind: 'done'; diagrams: NamedDiagram[]; accepted: string[]; protocols: number },
      ) => {
        if (m.kind === 'start') {
          current = m.label;
          arm();
          return;
        }
        clearTimeout(timer);
        void worker.terminate();
        resolve({
          diagrams: m.diagrams,
          jobs: jobs.length,
          accepted: m.accepted.length,
          protocols: m.protocols,
        });
      },
    );
    worker.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    worker.postMessage({ jobs });
  });
}

/** The corpus diagrams (every protocol of every file without errors). */
export function corpusDiagrams(root: string): Promise<DiagramSet> {
  const sj = path.join(root, 'scribble-java');
  const job = (file: string, importPaths: string[]): Job => ({
    label: path.relative(root, file),
    file,
    importPaths,
  });
  const jobs = scribbleJavaCases(root)
    .filter((c) => c.expected === 'accept')
    .map((c) => job(path.join(sj, c.rel), [sj]));
  for (const d of demoCases(root))
    jobs.push(job(path.join(sj, d.rel), [path.join(sj, d.importRoot)]));
  for (const c of nuscrCases(root))
    if (!c.negative) jobs.push(job(path.join(root, 'nuscr', c.rel), []));
  for (const rel of teatrinoFiles(root)) jobs.push(job(path.join(root, 'teatrino', rel), []));
  return inWorker(jobs);
}

/** The tutorial's protocol files. */
/** Every protocol file of the tutorials (each step's protocols). */
export const TUTORIAL_FILES = readdirSync(path.join(repoRoot, 'tutorials'), {
  recursive: true,
  encoding: 'utf8',
})
  .filter((f) => f.endsWith('.scr') || f.endsWith('.nuscr'))
  .map((f) => path.join('tutorials', f))
  .sort();

/** Every global protocol of the tutorial, aux ones included (one analysis each). */
export function tutorialDiagrams(): Promise<DiagramSet> {
  const jobs = TUTORIAL_FILES.flatMap((rel) => {
    const file = path.join(repoRoot, rel);
    const { module } = parse(readText(file), file);
    // In a crash-stop module (some role declared `reliable`), an aux protocol's roles are only
    // reliable through its calls: alone, every role of it may crash and nothing handles that
    // (MPST207). It is drawn as part of the protocols that call it.
    const crashStop = module.protocols.some((p) => p.roles.some((r) => r.reliable));
    return module.protocols
      .filter((p) => !p.nested && !(crashStop && p.aux))
      .map((p) => ({
        label: `${rel} ${p.name.text}`,
        file,
        importPaths: [],
        protocol: p.name.text,
      }));
  });
  return inWorker(jobs);
}
