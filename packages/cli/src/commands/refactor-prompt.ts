import type { Decision } from '@mpst/crash-refactor';

/** Where the prompts go and where the answers come from (a terminal; tests pass lines). */
export interface PromptIo {
  readonly write: (text: string) => void;
  /** The next line the user typed (without the newline), or undefined at end of input. */
  readonly readLine: () => string | undefined;
}

/** Unusable answers before the planner's option is taken (a stuck terminal must not loop). */
const MAX_TRIES = 3;

/**
 * `mpst refactor --interactive`: the question asked at each decision point — where it is, what
 * the problem is (the projection point, and the verifier's counterexample when one motivated
 * it), the ranked options with the planner's choice marked — and the option the user picks.
 * An empty answer or end of input takes the planner's choice.
 */
export function promptDecision(io: PromptIo): (d: Decision) => number | undefined {
  return (d) => {
    io.write(describeDecision(d));
    const n = d.options.length;
    const proposed = d.chosen >= 0 ? d.chosen + 1 : undefined;
    for (let tries = 0; tries < MAX_TRIES; tries++) {
      io.write(
        proposed === undefined ? `  option [1-${n}]: ` : `  option [1-${n}, Enter = ${proposed}]: `,
      );
      const line = io.readLine();
      if (line === undefined) {
        io.write('\n');
        return undefined;
      }
      const answer = line.trim();
      if (answer === '' && proposed !== undefined) return d.chosen;
      const k = /^\d+$/.test(answer) ? Number(answer) : NaN;
      if (k >= 1 && k <= n) return k - 1;
      io.write(`  '${answer}' is not an option: type a number from 1 to ${n}\n`);
    }
    io.write("  no usable answer: taking the planner's option\n");
    return undefined;
  };
}

/** The decision as the prompt shows it. */
export function describeDecision(d: Decision): string {
  const l = d.location;
  const lines = [
    '',
    `${l.file}:${l.line}:${l.column} (${l.protocol}): \`${d.snippet}\``,
    `  ${d.problem}`,
    ...(d.counterexample ?? []).map((t) => `  | ${t}`),
    `  what should ${d.detector} do if ${d.crashed} has failed?`,
    ...d.options.map(
      (o, i) =>
        `  ${String(i + 1).padStart(2)}. ${o.description}` +
        (i === d.chosen ? `  (planner's choice: ${d.reason})` : ''),
    ),
  ];
  if (d.chosen < 0) lines.push(`  the planner found no option that projects: ${d.reason}`);
  return `${lines.join('\n')}\n`;
}
