// Regenerates the documentation images of packages/mermaid/README.md (run from the repository
// root after `npm run build`): node packages/mermaid/docs/render-docs.mjs [PNG_DIR]
// Each diagram is rendered by Mermaid in headless Chromium and written as docs/<name>.svg;
// with PNG_DIR, a screenshot of each is written there too, to check the pictures by eye.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { analyzeFiles } from '@mpst/projector';
import { nodeHost } from '@mpst/scribble/node';
import { verifyFiles } from '@mpst/verify';
import {
  counterexampleToSequence,
  efsmToState,
  globalToSequence,
  refactoringDiff,
  runTraceToSequence,
} from '../dist/index.js';
import { MermaidRenderer } from '../dist/node.js';

const docs = import.meta.dirname;
const fixtures = path.join(docs, '..', 'test', 'fixtures');
const pngDir = process.argv[2];

const paxos = analyzeFiles(['tutorials/paxos/protocols/Paxos.scr'], nodeHost).protocols[0];
if (!paxos?.protocol) throw new Error('Paxos.scr does not elaborate');
const acceptor = paxos.roles.find((r) => r.role === 'A1')?.efsm;
if (!acceptor) throw new Error('no EFSM for A1');
const detect = verifyFiles([path.join(fixtures, 'counterexample', 'Detect.nuscr')], nodeHost)
  .results[0];
const violation = detect?.violations[0];
if (!detect || !violation) throw new Error('Detect.nuscr has no violation');

const commit = (version) =>
  analyzeFiles([path.join(fixtures, 'diff', `Commit.${version}.nuscr`)], nodeHost).protocols[0]
    ?.protocol;
const [before, after] = [commit('before'), commit('after')];
if (!before || !after) throw new Error('Commit.*.nuscr do not elaborate');

const diagrams = {
  'paxos-sequence': globalToSequence(paxos.protocol, {
    title: 'Paxos (tutorials/paxos/protocols/Paxos.scr)',
  }),
  'paxos-sequence-boxes': globalToSequence(paxos.protocol, {
    doCalls: 'box',
    title: 'Paxos, do calls as boxes',
  }),
  'paxos-acceptor-A1': efsmToState(acceptor),
  'paxos-crash-run': runTraceToSequence(
    JSON.parse(readFileSync(path.join(fixtures, 'trace', 'PaxosCrash.json'), 'utf8')),
  ),
  'commit-crash-handling-added': refactoringDiff(before, after, {
    title: 'Commit after the crash refactoring (added: green)',
  }).after,
  'detect-counterexample': counterexampleToSequence(detect.roles, violation, {
    reliable: detect.roles.filter((r) => !detect.unreliable.includes(r)),
    title: 'Detect: a counterexample with a crash',
  }),
};

const renderer = await MermaidRenderer.open();
try {
  const names = Object.keys(diagrams);
  const out = await renderer.render(Object.values(diagrams));
  for (const [i, o] of out.entries()) {
    const name = names[i];
    if (!o.ok) throw new Error(`${name}: ${o.error}`);
    writeFileSync(path.join(docs, `${name}.svg`), `${o.svg}\n`);
    if (pngDir)
      writeFileSync(path.join(pngDir, `${name}.png`), await renderer.screenshot(o.svg, 1400));
    console.log(`${name}.svg`);
  }
} finally {
  await renderer.close();
}
