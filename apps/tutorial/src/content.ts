/**
 * The tutorial's files, bundled at build time (Vite's import.meta.glob): every step folder's
 * README.md and .scr files and the shared protocols a step may name. Paths become
 * repository-relative (`tutorials/paxos/steps/01-prepare-round/README.md`).
 */
import { discoverSteps, type Discovery } from './steps.js';

const raw: Record<string, string> = import.meta.glob(
  [
    '../../../tutorials/paxos/steps/*/README.md',
    '../../../tutorials/paxos/steps/*/*.scr',
    '../../../tutorials/paxos/protocols/*.scr',
  ],
  { query: '?raw', import: 'default', eager: true },
);

/** The steps, and what is wrong with the tutorial's files (shown on the page). */
export const discovery: Discovery = discoverSteps(
  Object.fromEntries(
    Object.entries(raw).map(([path, text]) => [path.replace(/^(\.\.\/)+/, ''), text]),
  ),
);
