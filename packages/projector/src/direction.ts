import type { LocalAction } from './local.js';

/**
 * Who moves first in a local action, the one answer every package uses (projection, the
 * mixed-state check, printing, the verifier's machines):
 * - `output`: the role acts on its own and its peer waits for it — `send`, `request`
 *   (connect), `wrap-client` (the client starts the wrap handshake, scribble-java's `(!!)`);
 * - `input`: the role waits for its peer — `receive`, `accept`, `wrap-server` (`(??)`), and
 *   `crash` (crash detection is taken instead of a receive);
 * - `local`: neither side waits for the other — `disconnect` (either end closes the link).
 *
 * A state whose actions include both an output and an input is mixed (MPST210); a choice is
 * internal (`choice at self`) when its actions are outputs.
 */
export type ActionDirection = 'output' | 'input' | 'local';

export function actionDirection(a: LocalAction): ActionDirection {
  switch (a.kind) {
    case 'send':
    case 'request':
    case 'wrap-client':
      return 'output';
    case 'receive':
    case 'accept':
    case 'wrap-server':
    case 'crash':
      return 'input';
    case 'disconnect':
      return 'local';
  }
}

/** The role waits for its peer (see {@link actionDirection}). */
export function isInput(a: LocalAction): boolean {
  return actionDirection(a) === 'input';
}

/** The role acts on its own and its peer waits for it (see {@link actionDirection}). */
export function isOutput(a: LocalAction): boolean {
  return actionDirection(a) === 'output';
}
