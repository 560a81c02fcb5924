/**
 * The hard case of step 5, recognised in a run's trace (with values, `runStepWithValues`):
 * acceptor A3 promised P1, then promised P2's higher ballot and so refused P1's accept, while
 * P2's quorum reported the value A1 had accepted from P1, and P2 proposed that value.
 */
import type { RunTrace } from '@mpst/runtime';
import { messageWithValues } from '../../src/values.js';
import type { TwoProposersObservation } from './roles.js';

/** What `from` sent to `to`, in order. */
function sent(trace: RunTrace, from: string, to: string): string[] {
  return trace.events.flatMap((e) =>
    e.kind === 'send' && e.from === from && e.to === to ? [e.message] : [],
  );
}

/** Whether the run is the hard case: the four messages that make it, with the run's values. */
export function isHardCase(o: TwoProposersObservation, trace: RunTrace): boolean {
  const { P1: b1, P2: b2 } = o.ballots;
  const v1 = o.values.P1;
  const [a3ToP1First, a3ToP1Second] = sent(trace, 'A3', 'P1');
  return (
    b2 > b1 &&
    a3ToP1First === messageWithValues('promise', [b1, 0, '']) &&
    sent(trace, 'A3', 'P2')[0] === messageWithValues('promise', [b2, 0, '']) &&
    a3ToP1Second === messageWithValues('nack', [b2]) &&
    sent(trace, 'A1', 'P2')[0] === messageWithValues('promise', [b2, b1, v1]) &&
    sent(trace, 'P2', 'A1')[1] === messageWithValues('accept', [b2, v1])
  );
}

/** The run's Mermaid sequence diagram, with a comment saying what the seed drew. */
export function withDataComment(mermaid: string, seed: number, o: TwoProposersObservation): string {
  const comment =
    `  %% seed ${String(seed)}: P1 ballot ${String(o.ballots.P1)} value ${JSON.stringify(o.values.P1)}, ` +
    `P2 ballot ${String(o.ballots.P2)} value ${JSON.stringify(o.values.P2)}`;
  return mermaid.replace('sequenceDiagram\n', `sequenceDiagram\n${comment}\n`);
}
