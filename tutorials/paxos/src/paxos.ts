/**
 * The properties of consensus every Paxos step's runs must keep, over what the role code
 * observed: agreement (at most one value is chosen) and validity (a chosen value was proposed).
 */

/** What the roles of a Paxos run record. */
export interface PaxosObservation {
  /** Every value a proposer proposed (put in an accept). */
  readonly proposed: readonly string[];
  /** Every decision: a role (learner or proposer) that learned `value` was chosen. */
  readonly decided: readonly { readonly role: string; readonly value: string }[];
}

/** Agreement and validity, as violated-property sentences (empty: both hold). */
export function consensusViolations(o: PaxosObservation): string[] {
  const problems: string[] = [];
  const values = [...new Set(o.decided.map((d) => d.value))];
  if (values.length > 1)
    problems.push(
      `agreement violated: ${o.decided.map((d) => `${d.role} decided ${JSON.stringify(d.value)}`).join(', ')}`,
    );
  for (const v of values)
    if (!o.proposed.includes(v))
      problems.push(`validity violated: ${JSON.stringify(v)} was chosen but never proposed`);
  return problems;
}

/** A recorder the role code of one run writes into. */
export function paxosRecorder(): PaxosObservation & {
  propose(value: string): void;
  decide(role: string, value: string): void;
} {
  const proposed: string[] = [];
  const decided: { role: string; value: string }[] = [];
  return {
    proposed,
    decided,
    propose: (value) => void proposed.push(value),
    decide: (role, value) => void decided.push({ role, value }),
  };
}

/**
 * What the processes of one run observed, as one observation (each process records only its
 * own role's proposals and decisions, so the parts are disjoint).
 */
export function mergePaxosObservations(parts: readonly PaxosObservation[]): PaxosObservation {
  return {
    proposed: parts.flatMap((p) => p.proposed),
    decided: parts.flatMap((p) => p.decided),
  };
}
