// Makes the diagrams of the render test in a worker thread (see corpus-diagrams.ts), so that a
// projector hang (a synchronous infinite loop) fails the test after a time limit instead of
// blocking the test runner. Each request is `{ jobs: [{ label, file, importPaths, protocol? }] }`;
// for each job the worker posts `{ kind: 'start', label }`, then once
// `{ kind: 'done', diagrams: [{ name, text }], accepted: [label...], protocols }`.
import { parentPort } from 'node:worker_threads';
import { analyzeFiles } from '@mpst/projector';
import { nodeHost } from '@mpst/scribble/node';
import { efsmToState, globalToSequence } from '@mpst/mermaid';

parentPort?.on(
  'message',
  (
    /** @type {{ jobs: { label: string, file: string, importPaths: string[], protocol?: string }[] }} */ req,
  ) => {
    /** @type {{ name: string, text: string }[]} */
    const diagrams = [];
    /** @type {string[]} */
    const accepted = [];
    let protocols = 0;
    for (const job of req.jobs) {
      parentPort?.postMessage({ kind: 'start', label: job.label });
      const r = analyzeFiles([job.file], nodeHost, {
        importPaths: job.importPaths,
        ...(job.protocol !== undefined ? { protocol: job.protocol } : {}),
      });
      if (r.diagnostics.some((d) => d.severity === 'error')) continue;
      accepted.push(job.label);
      for (const p of r.protocols) {
        if (!p.protocol || p.roles.some((x) => !x.efsm)) continue;
        protocols++;
        diagrams.push({ name: `${job.label} ${p.name}`, text: globalToSequence(p.protocol) });
        for (const x of p.roles)
          if (x.efsm)
            diagrams.push({ name: `${job.label} ${p.name}@${x.role}`, text: efsmToState(x.efsm) });
      }
    }
    parentPort?.postMessage({ kind: 'done', diagrams, accepted, protocols });
  },
);
