import { renderResult, verifyProtocol, type Progress } from '@mpst/verify';
import { parseArgs } from 'node:util';
import { EXIT, UsageError, type CliIo } from '../io.js';
import { SELECT_OPTIONS, selectProtocol } from './select.js';

/** `mpst verify` exit codes: 0 verified, 1 a violation (or protocol errors), 2 usage, 3 inconclusive. */
export const VERIFY_EXIT = { verified: EXIT.ok, violation: EXIT.protocolErrors, inconclusive: 3 } as const;

function count(name: string, text: string | undefined, min: number): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < min) throw new UsageError(`${name} must be an integer >= ${String(min)}, not '${text}'`);
  return Number(text);
}

/** `mpst verify`: model-checks one protocol (safety, with crashes), prints the verdict and counterexamples. */
export function verifyCommand(args: readonly string[], io: CliIo): number {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      ...SELECT_OPTIONS,
      bound: { type: 'string', short: 'k' },
      'max-states': { type: 'string' },
      format: { type: 'string', default: 'text' },
    },
  });
  const fmt = values.format;
  if (fmt !== 'text' && fmt !== 'json') throw new UsageError(`--format must be 'text' or 'json', not '${fmt}'`);
  const bound = count('--bound', values.bound, 0);
  const maxStates = count('--max-states', values['max-states'], 1);
  const sel = selectProtocol(io, { command: 'verify', positionals, importPaths: values['import-path'], protocol: values.protocol });
  if (typeof sel === 'number') return sel;
  if (sel.status !== EXIT.ok) return sel.status;
  const onProgress = (p: Progress): void => {
    const rate = p.elapsedMs > 0 ? Math.round((p.states * 1000) / p.elapsedMs) : 0;
    io.stderr(`mpst verify: ${String(p.states)} states, ${String(rate)} states/s, ${String(p.frontier)} to expand, longest queue ${String(p.maxQueue)}\n`);
  };
  const result = verifyProtocol(sel.result, { ...(bound !== undefined ? { bound } : {}), ...(maxStates !== undefined ? { maxStates } : {}), onProgress });
  if (!result) throw new Error(`internal: protocol '${sel.result.name}' was projected without errors but cannot be verified`);
  io.stdout(fmt === 'json' ? `${JSON.stringify(result, null, 2)}\n` : renderResult(result));
  return VERIFY_EXIT[result.verdict];
}
