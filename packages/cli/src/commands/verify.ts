import { counterexampleToSequence } from '@mpst/mermaid';
import {
  ALL_PROPERTIES,
  renderResult,
  verifyProtocol,
  type Link,
  type Progress,
  type Property,
  type Violation,
} from '@mpst/verify';
import { parseCommandArgs } from '../args.js';
import { EXIT, integerOption, UsageError, type CliIo } from '../io.js';
import { reportJson, reportText, SELECT_OPTIONS, selectProtocol } from './select.js';

/**
 * `mpst verify` exit codes: 0 verified, 1 a violation (or protocol errors), 2 usage (an
 * unreadable file, or an `invalid` verdict: options the protocol cannot have), 3 inconclusive.
 */
export const VERIFY_EXIT = {
  verified: EXIT.ok,
  violation: EXIT.protocolErrors,
  inconclusive: 3,
  invalid: EXIT.usage,
} as const;

/** `--properties safety,progress,reception`. */
function properties(text: string | undefined): readonly Property[] | undefined {
  if (text === undefined) return undefined;
  const names = text.split(',').map((p) => p.trim());
  const bad = names.filter((p) => !(ALL_PROPERTIES as readonly string[]).includes(p));
  if (bad.length > 0 || names.length === 0)
    throw new UsageError(
      `--properties takes a comma-separated list of ${ALL_PROPERTIES.join(', ')}; not '${bad.join(',') || text}'`,
    );
  return ALL_PROPERTIES.filter((p) => names.includes(p));
}

/**
 * `--unreliable-link A->B` (repeatable). Only the syntax is checked here: unknown roles, self
 * links and duplicates are the verifier's coded input errors (an `invalid` verdict, printed
 * as JSON with `--format json`).
 */
function links(texts: readonly string[] | undefined): readonly Link[] {
  return (texts ?? []).map((t) => {
    const m = /^\s*([^\s>-]+)\s*->\s*([^\s>-]+)\s*$/.exec(t);
    if (!m?.[1] || !m[2])
      throw new UsageError(`--unreliable-link takes FROM->TO (two role names), not '${t}'`);
    return { from: m[1], to: m[2] };
  });
}

/**
 * `mpst verify`: model-checks one protocol (safety, progress, crashes, link failures), prints the
 * verdict and counterexamples.
 */
export function verifyCommand(args: readonly string[], io: CliIo): number {
  const { values, positionals } = parseCommandArgs(args, {
    ...SELECT_OPTIONS,
    bound: { type: 'string', short: 'k' },
    capacity: { type: 'string' },
    'max-states': { type: 'string' },
    properties: { type: 'string' },
    fair: { type: 'boolean' },
    'unreliable-link': { type: 'string', multiple: true },
    format: { type: 'string', default: 'text' },
  });
  const fmt = values.format;
  if (fmt !== 'text' && fmt !== 'json')
    throw new UsageError(`--format must be 'text' or 'json', not '${fmt}'`);
  const bound = integerOption('--bound', values.bound, 1);
  const maxStates = integerOption('--max-states', values['max-states'], 1);
  const capacity = integerOption('--capacity', values.capacity, 1);
  const props = properties(values.properties);
  const unreliableLinks = links(values['unreliable-link']);
  const sel = selectProtocol(io, {
    command: 'verify',
    positionals,
    importPaths: values['import-path'],
    protocol: values.protocol,
  });
  // With --format json, scripts get JSON on stdout whatever happens to the file: its
  // diagnostics, as `mpst check --format json` prints them (an unreadable file is one too,
  // MPST121, with the exit code of a usage error). Warnings of a good file go to stderr.
  if (fmt === 'json' && sel.exit !== EXIT.ok) {
    reportJson(io, sel);
    return sel.exit;
  }
  reportText(io, sel);
  if (sel.kind !== 'selected' || sel.exit !== EXIT.ok) return sel.exit;
  const onProgress = (p: Progress): void => {
    const rate = p.elapsedMs > 0 ? Math.round((p.states * 1000) / p.elapsedMs) : 0;
    const model = p.model === 'unfair' ? ' (unfair-choice model)' : '';
    io.stderr(
      `mpst verify: ${String(p.states)} states${model}, ${String(rate)} ` +
        `states/s, ${String(p.frontier)} to expand, longest queue ${String(p.maxQueue)}\n`,
    );
  };
  const result = verifyProtocol(sel.result, {
    ...(bound !== undefined ? { bound } : {}),
    ...(capacity !== undefined ? { capacity } : {}),
    ...(maxStates !== undefined ? { maxStates } : {}),
    ...(props ? { properties: props } : {}),
    fair: values.fair === true,
    unreliableLinks,
    onProgress,
  });
  if (!result)
    throw new Error(
      `internal: protocol '${sel.result.name}' was projected without errors but cannot be verified`,
    );
  // Invalid options (e.g. a link to a role the protocol does not have): a usage error, as
  // text, or in JSON the result with its coded `invalid` list.
  if (result.verdict === 'invalid' && fmt === 'text')
    throw new UsageError((result.invalid ?? []).map((e) => e.message).join('; '));
  // Roles that cannot crash are drawn as reliable (only meaningful in crash-stop protocols).
  const reliable = result.crashStop
    ? result.roles.filter((r) => !result.unreliable.includes(r))
    : [];
  const diagram = (v: Violation): string => counterexampleToSequence(result.roles, v, { reliable });
  // JSON: the result as data, each counterexample also as Mermaid text (`mermaid`).
  const json = (): string =>
    JSON.stringify(
      { ...result, violations: result.violations.map((v) => ({ ...v, mermaid: diagram(v) })) },
      null,
      2,
    );
  io.stdout(fmt === 'json' ? `${json()}\n` : renderResult(result, { diagram }));
  return VERIFY_EXIT[result.verdict];
}
