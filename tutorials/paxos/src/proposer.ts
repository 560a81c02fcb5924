/**
 * What a proposer counts: the answers of one phase from the acceptors. The protocol says that
 * every acceptor answers once, with one of two labels; whether a majority said yes is data,
 * computed here. `handlers(next)` is the handler object of a generated receive state (its
 * `promise`/`nack` or `accepted`/`nack` keys), counting the answer and going on with `next`.
 */

/** Acceptors in the tutorial's Paxos, and how many make a majority. */
export const ACCEPTORS = 3;
export const MAJORITY = Math.floor(ACCEPTORS / 2) + 1;

/** Phase 1's answers: promises, nacks, and the accepted value with the highest ballot reported. */
export class PromiseTally {
  promises = 0;
  nacks = 0;
  /** The highest `(acceptedBallot, acceptedValue)` a promise reported (ballot 0: none). */
  highest = { ballot: 0, value: '' };
  /**
   * The same, over the first `quorum` promises only: what a proposer that goes ahead as soon as
   * a majority has promised knows (later promises arrive too late to matter).
   */
  quorumHighest = { ballot: 0, value: '' };
  /** The highest ballot a nack reported as promised (0: none). */
  highestNack = 0;

  constructor(readonly quorum = MAJORITY) {}

  /** Whether enough acceptors promised to go on with phase 2. */
  get majority(): boolean {
    return this.promises >= this.quorum;
  }

  handlers<Next>(next: Next): {
    promise: (ballot: number, acceptedBallot: number, acceptedValue: string) => Next;
    nack: (promised: number) => Next;
  } {
    return {
      promise: (_ballot, acceptedBallot, acceptedValue) => {
        this.promises++;
        if (acceptedBallot > this.highest.ballot)
          this.highest = { ballot: acceptedBallot, value: acceptedValue };
        if (this.promises <= this.quorum && acceptedBallot > this.quorumHighest.ballot)
          this.quorumHighest = { ballot: acceptedBallot, value: acceptedValue };
        return next;
      },
      nack: (promised) => {
        this.nacks++;
        this.highestNack = Math.max(this.highestNack, promised);
        return next;
      },
    };
  }
}

/** Phase 2's answers: how many acceptors accepted the ballot, how many refused. */
export class AcceptTally {
  accepted = 0;
  nacks = 0;

  constructor(readonly quorum = MAJORITY) {}

  /** Whether the value is chosen: a majority accepted it under this ballot. */
  get chosen(): boolean {
    return this.accepted >= this.quorum;
  }

  handlers<Next>(next: Next): {
    accepted: (ballot: number) => Next;
    nack: (promised: number) => Next;
  } {
    return {
      accepted: () => {
        this.accepted++;
        return next;
      },
      nack: () => {
        this.nacks++;
        return next;
      },
    };
  }
}
