/**
 * The client, the log server and the auditor of Logger.scr on their generated API. The client
 * may crash (it is not `reliable`): the server's receive state then has a `crash` handler, the
 * only place where the protocol lets it learn of the crash, and it tells the auditor. The
 * default export is what the examples' tests run: seeded simulations without faults, and seeded
 * fault plans that crash the client at any of its actions. Made by
 * `nx g @mpst/tools:protocol-example logger`.
 */
import type { SimulationResult } from '@mpst/runtime';
import type { StepModule } from '../../paxos/src/kit.js';
import * as Auditor from './generated/Logger.Auditor.js';
import * as Client from './generated/Logger.Client.js';
import * as Server from './generated/Logger.Server.js';

/** What one run recorded, role by role. */
export interface Observation {
  /** The lines the client means to log, in order (drawn from the seed). */
  readonly lines: readonly string[];
  /** The count the server acknowledged each logged line with, as the client received them. */
  readonly acks: readonly number[];
  /** The server's log, and whether it took its crash branch. */
  readonly log: readonly string[];
  readonly serverSawCrash: boolean;
  /** The auditor's copy, and how the session ended for it (`closed` or `lost`, with the count). */
  readonly copy: readonly string[];
  readonly end?: { readonly how: 'closed' | 'lost'; readonly count: number };
}

/** At most this many lines per run. */
const MAX_LINES = 6;

/** The lines of a seed: 0 to MAX_LINES of them. */
export function linesOf(seed: number): string[] {
  const n = (Math.imul(seed, 0x9e3779b1) >>> 0) % (MAX_LINES + 1);
  return Array.from({ length: n }, (_, i) => `seed ${String(seed)} line ${String(i + 1)}`);
}

const example: StepModule<Observation> = {
  protocol: 'Logger',
  specs: [Client.spec, Server.spec, Auditor.spec],
  makeRun(seed) {
    const lines = linesOf(seed);
    const acks: number[] = [];
    const log: string[] = [];
    const copy: string[] = [];
    let serverSawCrash = false;
    let end: Observation['end'];

    // The client logs its lines one by one, each acknowledged, then stops.
    const client = (i: number): Client.Session_send_log_stop => {
      const line = lines[i];
      if (line === undefined) return Client.Session_send_log_stop.stop(Client.end);
      return Client.Session_send_log_stop.log(
        line,
        Client.Session_recv_logged.handle({
          logged: (count) => {
            acks.push(count);
            return () => client(i + 1);
          },
        }),
      );
    };

    // The server keeps a line, has the auditor keep it too, and only then acknowledges it.
    const server: Server.Session_recv_log_stop = Server.Session_recv_log_stop.handle({
      log: (line) => {
        log.push(line);
        return Server.Session_send_audit.audit(
          line,
          Server.Session_recv_kept.handle({
            kept: () => Server.Session_send_logged.logged(log.length, server),
          }),
        );
      },
      stop: () => Server.Session_send_closed.closed(log.length, Server.end),
      crash: () => {
        serverSawCrash = true;
        return Server.Session_send_lost.lost(log.length, Server.end);
      },
    });

    const auditor: Auditor.Session_recv_audit_closed_lost =
      Auditor.Session_recv_audit_closed_lost.handle({
        audit: (line) => {
          copy.push(line);
          return Auditor.Session_send_kept.kept(auditor);
        },
        closed: (count) => {
          end = { how: 'closed', count };
          return Auditor.end;
        },
        lost: (count) => {
          end = { how: 'lost', count };
          return Auditor.end;
        },
      });

    return {
      code: {
        Client: (ep) => Client.run(ep, client(0)),
        Server: (ep) => Server.run(ep, server),
        Auditor: (ep) => Auditor.run(ep, auditor),
      },
      observe: () => ({ lines, acks, log, serverSawCrash, copy, ...(end ? { end } : {}) }),
    };
  },
  check(o, result) {
    return loggerViolations(o, clientCrashed(result));
  },
};

export function clientCrashed(result: SimulationResult): boolean {
  return result.outcomes.some((r) => r.role === 'Client' && r.status === 'crashed');
}

/**
 * The logger's properties: the log holds the client's lines in order and nothing else; the
 * auditor holds the same; every acknowledged line is in both, numbered; the session ends
 * `closed` with every line when the client lives, `lost` with what was kept when it crashed.
 */
export function loggerViolations(o: Observation, crashed: boolean): string[] {
  const problems: string[] = [];
  const same = (a: readonly unknown[], b: readonly unknown[]): boolean =>
    a.length === b.length && a.every((x, i) => x === b[i]);
  if (!same(o.log, o.lines.slice(0, o.log.length)))
    problems.push(`the log ${JSON.stringify(o.log)} is not a prefix of the client's lines`);
  if (!same(o.copy, o.log)) problems.push(`the auditor's copy differs from the log`);
  if (
    !same(
      o.acks,
      o.acks.map((_, i) => i + 1),
    ) ||
    o.acks.length > o.log.length
  )
    problems.push(
      `acknowledgements ${JSON.stringify(o.acks)} for a log of ${String(o.log.length)}`,
    );
  const want = crashed ? 'lost' : 'closed';
  if (o.end?.how !== want || o.end.count !== o.log.length)
    problems.push(
      `the auditor heard ${JSON.stringify(o.end)}, expected ${want} ${String(o.log.length)}`,
    );
  if (o.serverSawCrash !== crashed)
    problems.push(`the server saw a crash: ${String(o.serverSawCrash)}`);
  if (!crashed && !same(o.log, o.lines)) problems.push('the client lived, but lines are missing');
  return problems;
}

export default example;
