import { showMessage, type Efsm, type ElaboratedProtocol, type LocalAction, type Role } from '@mpst/projector';
import type { ConfigurationView, Progress, Step, Verdict, VerifyOptions, VerifyResult, Violation, ViolationKind } from './api.js';

/** The default of {@link VerifyOptions.maxStates}. */
export const DEFAULT_MAX_STATES = 1_000_000;

const enum K {
  Send,
  Receive,
  Detect,
  Local,
}

/** One EFSM transition, compiled to indices. */
interface CT {
  readonly k: K;
  readonly peer: number;
  readonly msg: number;
  readonly to: number;
  /** Index in the role's transition list (for traces). */
  readonly index: number;
}

interface Machine {
  readonly role: Role;
  readonly efsm: Efsm;
  readonly initial: number;
  /** Outgoing transitions per state index. */
  readonly out: readonly (readonly CT[])[];
  readonly terminal: readonly boolean[];
  /** State index → EFSM state id. */
  readonly ids: readonly number[];
}

/** A configuration: each role's state index, crashed flags, one FIFO queue per ordered pair (index from * n + to). */
interface Config {
  readonly st: Int32Array;
  readonly crashed: Uint8Array;
  readonly q: readonly (readonly number[])[];
}

const EMPTY: readonly number[] = Object.freeze([]);

/**
 * Explores every configuration of the system of role EFSMs communicating through asynchronous
 * FIFO queues (one per ordered pair of roles), breadth first, and checks the safety
 * properties in each: no stuck (unspecified) reception, no orphan message, no deadlock and no
 * unfinished role. With crash-stop semantics (`protocol.crashStop`), every role not declared
 * reliable may crash in any non-terminal state; messages to a crashed role are dropped, those
 * it sent stay deliverable, and a receiver takes its `crash` transition from a crashed peer
 * once the queue from that peer is empty.
 *
 * Explicit connections are read as plain messages: `request` is a send, `accept` a receive of
 * the same message; `disconnect` and `wrap` are local steps.
 */
export function verifySystem(protocol: ElaboratedProtocol, efsms: readonly Efsm[], options: VerifyOptions = {}): VerifyResult {
  const started = Date.now();
  const roles = protocol.roles;
  const n = roles.length;
  const roleIndex = new Map(roles.map((r, i) => [r, i] as const));
  const messages: string[] = [];
  const messageIndex = new Map<string, number>();
  const intern = (m: string): number => {
    let i = messageIndex.get(m);
    if (i === undefined) {
      i = messages.length;
      messages.push(m);
      messageIndex.set(m, i);
    }
    return i;
  };
  const peerOf = (r: Role): number => {
    const i = roleIndex.get(r);
    if (i === undefined) throw new Error(`internal: unknown role '${r}' in an EFSM of '${protocol.qualifiedName}'`);
    return i;
  };
  const machines: Machine[] = roles.map((role) => {
    const efsm = efsms.find((e) => e.role === role);
    if (!efsm) throw new Error(`no EFSM for role '${role}' of '${protocol.qualifiedName}'`);
    const ids = efsm.states.map((s) => s.id);
    const idx = new Map(ids.map((id, i) => [id, i] as const));
    const at = (id: number): number => {
      const i = idx.get(id);
      if (i === undefined) throw new Error(`internal: state ${String(id)} missing in the EFSM of '${role}'`);
      return i;
    };
    const out: CT[][] = ids.map(() => []);
    efsm.transitions.forEach((t, index) => {
      const a = t.action;
      const k = a.kind === 'send' || a.kind === 'request' ? K.Send : a.kind === 'receive' || a.kind === 'accept' ? K.Receive : a.kind === 'crash' ? K.Detect : K.Local;
      const msg = 'message' in a ? intern(showMessage(a.message)) : -1;
      out[at(t.from)]?.push({ k, peer: peerOf(a.peer), msg, to: at(t.to), index });
    });
    const terminal = ids.map((_, i) => (out[i]?.length ?? 0) === 0);
    return { role, efsm, initial: at(efsm.initial), out, terminal, ids };
  });
  const mAt = (i: number): Machine => {
    const m = machines[i];
    if (!m) throw new Error(`internal: no role ${String(i)}`);
    return m;
  };

  const bound = options.bound;
  const maxStates = options.maxStates ?? DEFAULT_MAX_STATES;
  const progressEvery = options.progressEvery ?? 250_000;
  const unreliable = protocol.crashStop ? roles.filter((r) => !protocol.reliable.has(r)) : [];
  const mayCrash = roles.map((r) => protocol.crashStop && !protocol.reliable.has(r));

  // --- keys ---------------------------------------------------------------------------------
  const codes: number[] = [];
  const put = (x: number): void => {
    let v = x;
    while (v >= 0x7fff) {
      codes.push(0x8000 | (v & 0x7fff));
      v = Math.floor(v / 0x8000);
    }
    codes.push(v);
  };
  const keyOf = (c: Config): string => {
    codes.length = 0;
    for (const s of c.st) put(s);
    let mask = 0;
    let bits = 0;
    for (const f of c.crashed) {
      mask |= f << bits;
      if (++bits === 15) {
        codes.push(mask);
        mask = 0;
        bits = 0;
      }
    }
    if (bits > 0) codes.push(mask);
    const qs = c.q;
    for (let k = 0; k < qs.length; k++) {
      const q = qs[k] ?? EMPTY;
      if (q.length === 0) continue;
      put(k);
      put(q.length);
      for (const m of q) put(m);
    }
    if (codes.length <= 4096) return String.fromCharCode.apply(null, codes);
    let s = '';
    for (let i = 0; i < codes.length; i += 4096) s += String.fromCharCode.apply(null, codes.slice(i, i + 4096));
    return s;
  };

  // --- search state ---------------------------------------------------------------------------
  const visited = new Map<string, number>();
  const parent: number[] = [];
  const stepRole: number[] = [];
  const stepIndex: number[] = []; // transition index, or -1: the role crashed
  const initial: Config = {
    st: Int32Array.from(machines.map((m) => m.initial)),
    crashed: new Uint8Array(n),
    q: Array.from({ length: n * n }, () => EMPTY),
  };
  visited.set(keyOf(initial), 0);
  parent.push(-1);
  stepRole.push(-1);
  stepIndex.push(-1);

  let transitions = 0;
  let maxQueue = 0;
  let cut = false;
  let stoppedAtMax = false as boolean; // set inside `add`, which flow analysis does not follow
  const violations: Violation[] = [];
  const seenKinds = new Set<ViolationKind>();
  let level: { c: Config; id: number }[] = [{ c: initial, id: 0 }];
  let frontier = 1;

  // --- readable output ------------------------------------------------------------------------
  const view = (c: Config): ConfigurationView => {
    const states: Record<Role, number> = {};
    machines.forEach((m, i) => (states[m.role] = m.ids[c.st[i] ?? 0] ?? 0));
    const queues: ConfigurationView['queues'][number][] = [];
    c.q.forEach((q, k) => {
      if (q.length > 0) queues.push({ from: roles[Math.floor(k / n)] ?? '', to: roles[k % n] ?? '', messages: q.map((m) => messages[m] ?? '') });
    });
    return { states, crashed: roles.filter((_, i) => c.crashed[i] === 1), queues };
  };
  const traceTo = (id: number): Step[] => {
    const path: number[] = [];
    for (let x = id; x > 0; x = parent[x] ?? 0) path.push(x);
    path.reverse();
    const crashed = new Set<number>();
    const steps: Step[] = [];
    for (const x of path) {
      const r = stepRole[x] ?? 0;
      const ti = stepIndex[x] ?? -1;
      const m = mAt(r);
      if (ti < 0) {
        crashed.add(r);
        const prev = steps.findLast((s) => s.role === m.role);
        const at = prev ? prev.to : m.efsm.initial;
        steps.push({ role: m.role, kind: 'crashed', label: 'crash', from: at, to: at });
        continue;
      }
      const t = m.efsm.transitions[ti];
      if (!t) continue;
      const a: LocalAction = t.action;
      const base = { role: m.role, kind: a.kind, peer: a.peer, label: t.label, from: t.from, to: t.to };
      if ('message' in a) {
        const lost = (a.kind === 'send' || a.kind === 'request') && crashed.has(peerOf(a.peer));
        steps.push({ ...base, message: showMessage(a.message), ...(lost ? { lost: true } : {}) });
      } else steps.push(base);
    }
    return steps;
  };
  const report = (kind: ViolationKind, message: string, faulty: readonly number[], c: Config, id: number): void => {
    if (seenKinds.has(kind)) return;
    seenKinds.add(kind);
    violations.push({ kind, message, roles: faulty.map((i) => roles[i] ?? ''), trace: traceTo(id), configuration: view(c) });
  };
  const expects = (i: number, s: number): string => {
    const labels = mAt(i).out[s]?.map((t) => mAt(i).efsm.transitions[t.index]?.label ?? '') ?? [];
    return labels.join(', ');
  };

  /** Safety checks that look at one configuration (orphans, stuck receptions). */
  const check = (c: Config, id: number): void => {
    for (let i = 0; i < n; i++) {
      if (c.crashed[i] === 1) continue;
      const m = mAt(i);
      const s = c.st[i] ?? 0;
      if (m.terminal[s]) {
        for (let j = 0; j < n; j++) {
          const q = c.q[j * n + i] ?? EMPTY;
          if (q.length > 0) {
            report('orphan', `${m.role} has finished, but ${q.map((x) => messages[x] ?? '').join(', ')} from ${roles[j] ?? ''} will never be received`, [i], c, id);
            break;
          }
        }
        continue;
      }
      const out = m.out[s] ?? [];
      const first = out[0];
      if (!first || out.some((t) => t.k === K.Send || t.k === K.Local || t.peer !== first.peer)) continue;
      const q = c.q[first.peer * n + i] ?? EMPTY;
      const head = q[0];
      if (head === undefined || out.some((t) => t.k === K.Receive && t.msg === head)) continue;
      report(
        'stuck',
        `${m.role} cannot receive ${messages[head] ?? ''} from ${roles[first.peer] ?? ''}: in state ${String(m.ids[s])} it expects ${expects(i, s)}`,
        [i],
        c,
        id,
      );
    }
  };

  /** Reports a configuration with no successor where some live role has not finished. */
  const stopped = (c: Config, id: number): void => {
    const waiting: number[] = [];
    for (let i = 0; i < n; i++) if (c.crashed[i] === 0 && !mAt(i).terminal[c.st[i] ?? 0]) waiting.push(i);
    if (waiting.length === 0) return;
    const waitsOn = (i: number): number[] => [...new Set((mAt(i).out[c.st[i] ?? 0] ?? []).map((t) => t.peer))];
    const cyclic = waiting.some((i) => waitsOn(i).some((p) => waiting.includes(p)));
    const what = waiting
      .map((i) => {
        const peers = waitsOn(i).map((p) => `${roles[p] ?? ''}${c.crashed[p] === 1 ? ' (crashed)' : mAt(p).terminal[c.st[p] ?? 0] ? ' (finished)' : ''}`);
        return `${roles[i] ?? ''} waits for ${peers.join(' or ')} (${expects(i, c.st[i] ?? 0)})`;
      })
      .join('; ');
    if (cyclic) report('deadlock', what, waiting, c, id);
    else report('unfinished', what, waiting, c, id);
  };

  // --- breadth-first search ---------------------------------------------------------------------
  search: while (level.length > 0) {
    const next: { c: Config; id: number }[] = [];
    for (const { c, id } of level) {
      frontier--;
      check(c, id);
      if (violations.length > 0 && options.allViolations !== true) break search;
      let successors = 0;
      let cutHere = false;
      const add = (d: Config, role: number, index: number): boolean => {
        successors++;
        transitions++;
        const key = keyOf(d);
        if (visited.has(key)) return true;
        if (visited.size >= maxStates) {
          stoppedAtMax = true;
          return false;
        }
        const nid = visited.size;
        visited.set(key, nid);
        parent.push(id);
        stepRole.push(role);
        stepIndex.push(index);
        next.push({ c: d, id: nid });
        frontier++;
        if (options.onProgress && nid % progressEvery === 0) options.onProgress(progress());
        return true;
      };
      for (let i = 0; i < n; i++) {
        if (c.crashed[i] === 1) continue;
        const m = mAt(i);
        const s = c.st[i] ?? 0;
        for (const t of m.out[s] ?? []) {
          const qi = t.peer * n + i; // queue from peer to i
          let q = c.q;
          switch (t.k) {
            case K.Send: {
              if (c.crashed[t.peer] === 1) break; // lost
              const qo = i * n + t.peer;
              const cur = c.q[qo] ?? EMPTY;
              if (bound !== undefined && cur.length >= bound) {
                cutHere = true;
                continue;
              }
              const nq = c.q.slice();
              nq[qo] = [...cur, t.msg];
              if (cur.length + 1 > maxQueue) maxQueue = cur.length + 1;
              q = nq;
              break;
            }
            case K.Receive: {
              const cur = c.q[qi] ?? EMPTY;
              if (cur[0] !== t.msg) continue;
              const nq = c.q.slice();
              nq[qi] = cur.length === 1 ? EMPTY : cur.slice(1);
              q = nq;
              break;
            }
            case K.Detect:
              if (c.crashed[t.peer] !== 1 || (c.q[qi] ?? EMPTY).length > 0) continue;
              break;
            case K.Local:
              break;
          }
          const st = c.st.slice();
          st[i] = t.to;
          if (!add({ st, crashed: c.crashed, q }, i, t.index)) break search;
        }
        if (mayCrash[i] === true && !m.terminal[s]) {
          const crashed = c.crashed.slice();
          crashed[i] = 1;
          const nq = c.q.slice();
          for (let j = 0; j < n; j++) nq[j * n + i] = EMPTY;
          if (!add({ st: c.st, crashed, q: nq }, i, -1)) break search;
        }
      }
      if (cutHere) cut = true;
      if (successors === 0 && !cutHere) {
        stopped(c, id);
        if (violations.length > 0 && options.allViolations !== true) break search;
      }
    }
    level = next;
  }

  function progress(): Progress {
    return { states: visited.size, transitions, frontier, maxQueue, elapsedMs: Date.now() - started };
  }

  const incomplete = stoppedAtMax
    ? { reason: 'max-states' as const, message: `stopped after ${String(maxStates)} states (--max-states): the state space was not fully explored` }
    : cut
      ? { reason: 'bound' as const, message: `inconclusive beyond bound ${String(bound)}: some sends were not explored because a queue held ${String(bound)} messages` }
      : undefined;
  const verdict: Verdict = violations.length > 0 ? 'violation' : incomplete ? 'inconclusive' : 'verified';
  return {
    protocol: protocol.qualifiedName,
    roles,
    verdict,
    states: visited.size,
    transitions,
    violations,
    ...(incomplete ? { incomplete } : {}),
    maxQueue,
    elapsedMs: Date.now() - started,
    crashStop: protocol.crashStop,
    unreliable,
    bound,
    maxStates,
  };
}
