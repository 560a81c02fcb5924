import type { Role } from '@mpst/projector';
import type { ConfigurationView, Link } from './api.js';
import { K, type CT, type Machine, type Messages } from './machines.js';

/**
 * A configuration: each role's state index, crashed flags, failed links (index from * n + to),
 * one FIFO queue per ordered pair of roles (index from * n + to).
 */
export interface Config {
  readonly st: Int32Array;
  readonly crashed: Uint8Array;
  readonly broken: Uint8Array;
  readonly q: readonly (readonly number[])[];
}

/**
 * A step between configurations: role `role` takes transition `t`; or, with `t` null, the
 * role crashes (`role >= 0`) or link number `-role - 1` fails (`role < 0`).
 */
export interface Event {
  readonly role: number;
  readonly t: CT | null;
}

const EMPTY: readonly number[] = Object.freeze([]);

/**
 * The system of machines and its semantics: enabled steps, their effect, the safety checks
 * on one configuration, compact keys. Shared by the exploration and the replay of traces.
 */
export class System {
  readonly n: number;
  /** Roles that may crash. */
  readonly mayCrash: readonly boolean[];
  /** Links that may fail, as queue indices (from * n + to). */
  readonly links: readonly number[];
  readonly initial: Config;

  constructor(
    readonly roles: readonly Role[],
    readonly machines: readonly Machine[],
    readonly messages: Messages,
    mayCrash: readonly boolean[],
    links: readonly Link[],
    /** Sends wait when the queue holds this many messages (undefined: no limit). */
    readonly capacity: number | undefined,
    /** Sends that would exceed this are cut (the exploration is then incomplete). */
    readonly bound: number | undefined,
  ) {
    const n = roles.length;
    this.n = n;
    this.mayCrash = mayCrash;
    const index = (r: Role): number => {
      const i = roles.indexOf(r);
      if (i < 0) throw new Error(`unknown role '${r}' in an unreliable link`);
      return i;
    };
    this.links = links.map((l) => index(l.from) * n + index(l.to));
    this.initial = {
      st: Int32Array.from(machines.map((m) => m.initial)),
      crashed: new Uint8Array(n),
      broken: new Uint8Array(this.links.length > 0 ? n * n : 0),
      q: Array.from({ length: n * n }, () => EMPTY),
    };
  }

  machine(i: number): Machine {
    const m = this.machines[i];
    if (!m) throw new Error(`internal: no role ${String(i)}`);
    return m;
  }

  /** True when messages from `from` to `to` are lost: the receiver crashed or the link failed. */
  lost(c: Config, from: number, to: number): boolean {
    return c.crashed[to] === 1 || c.broken[from * this.n + to] === 1;
  }

  /** True when `to` will hear no more from `from`: the sender crashed or the link failed. */
  silent(c: Config, from: number, to: number): boolean {
    return c.crashed[from] === 1 || c.broken[from * this.n + to] === 1;
  }

  /**
   * Calls `emit` for every step enabled in `c` with the successor configuration. Returns
   * true when some send was cut by the bound, undefined when `emit` returned false (stop).
   */
  successors(c: Config, emit: (e: Event, d: Config) => boolean): boolean | undefined {
    const n = this.n;
    let cut = false;
    for (let i = 0; i < n; i++) {
      if (c.crashed[i] === 1) continue;
      const m = this.machine(i);
      const s = c.st[i] ?? 0;
      for (const t of m.out[s] ?? []) {
        const d = this.fire(c, i, t);
        if (d === 'cut') {
          cut = true;
          continue;
        }
        if (d && !emit({ role: i, t }, d)) return undefined;
      }
      if (this.mayCrash[i] === true && !m.terminal[s]) {
        if (!emit({ role: i, t: null }, this.crash(c, i))) return undefined;
      }
    }
    for (let li = 0; li < this.links.length; li++) {
      const l = this.links[li] ?? 0;
      if (c.broken[l] === 1 || c.crashed[Math.floor(l / n)] === 1 || c.crashed[l % n] === 1) continue;
      const broken = c.broken.slice();
      broken[l] = 1;
      if (!emit({ role: -li - 1, t: null }, { st: c.st, crashed: c.crashed, broken, q: c.q })) return undefined;
    }
    return cut;
  }

  /**
   * Partial-order reduction: the sets of steps of one role that may be explored alone in `c`. A role qualifies when it cannot crash, no link can fail,
   * and each of its transitions is either enabled or disabled until the role itself moves:
   * a send with room in its queue, a receive from a non-empty queue (whose head, which only
   * this role can take, decides), a crash detection that is enabled or waits behind queued
   * messages, a local step. No other role can then enable, disable or change the effect of
   * any of these steps, and they never disable another role's step (a send only fills this
   * role's own queue; a receive only empties one), so they commute with everything else: the
   * set is persistent. Returns the step sets of every qualifying role, fewest steps first.
   */
  ample(c: Config): [Event, Config][][] {
    const sets: [Event, Config][][] = [];
    // A link failure changes the effect of its sender's later sends: no step commutes with it.
    if (this.links.length > 0) return sets;
    for (let i = 0; i < this.n; i++) {
      if (c.crashed[i] === 1 || this.mayCrash[i] === true) continue;
      const out = this.machine(i).out[c.st[i] ?? 0] ?? [];
      if (out.length === 0) continue;
      const steps: [Event, Config][] = [];
      let ok = true;
      for (const t of out) {
        const waits = t.k === K.Receive || t.k === K.Detect ? (c.q[t.peer * this.n + i] ?? EMPTY).length > 0 : false;
        const d = this.fire(c, i, t);
        if (d === 'cut' || (d === undefined && !waits)) {
          ok = false;
          break;
        }
        if (d) steps.push([{ role: i, t }, d]);
      }
      if (ok && steps.length > 0) sets.push(steps);
    }
    return sets.sort((a, b) => a.length - b.length);
  }

  /** The configuration after role `i` takes `t`; undefined when not enabled; 'cut' when the bound forbids it. */
  fire(c: Config, i: number, t: CT): Config | undefined | 'cut' {
    const n = this.n;
    let q = c.q;
    switch (t.k) {
      case K.Send: {
        if (this.lost(c, i, t.peer)) break;
        const qo = i * n + t.peer;
        const cur = c.q[qo] ?? EMPTY;
        if (this.capacity !== undefined && cur.length >= this.capacity) return undefined;
        if (this.bound !== undefined && cur.length >= this.bound) return 'cut';
        const nq = c.q.slice();
        nq[qo] = cur.length === 0 ? [t.msg] : [...cur, t.msg];
        q = nq;
        break;
      }
      case K.Receive: {
        const qi = t.peer * n + i;
        const cur = c.q[qi] ?? EMPTY;
        if (cur[0] !== t.msg) return undefined;
        const nq = c.q.slice();
        nq[qi] = cur.length === 1 ? EMPTY : cur.slice(1);
        q = nq;
        break;
      }
      case K.Detect:
        if (!this.silent(c, t.peer, i) || (c.q[t.peer * n + i] ?? EMPTY).length > 0) return undefined;
        break;
      case K.Local:
        break;
    }
    const st = c.st.slice();
    st[i] = t.to;
    return { st, crashed: c.crashed, broken: c.broken, q };
  }

  /** Role `i` crashes: messages queued to it are dropped; those it sent stay deliverable. */
  crash(c: Config, i: number): Config {
    const crashed = c.crashed.slice();
    crashed[i] = 1;
    const nq = c.q.slice();
    for (let j = 0; j < this.n; j++) nq[j * this.n + i] = EMPTY;
    return { st: c.st, crashed, broken: c.broken, q: nq };
  }

  /** The configuration after event `e` (which must be enabled). */
  apply(c: Config, e: Event): Config {
    if (e.t) {
      const d = this.fire(c, e.role, e.t);
      if (!d || d === 'cut') throw new Error('internal: replayed step not enabled');
      return d;
    }
    if (e.role >= 0) return this.crash(c, e.role);
    const broken = c.broken.slice();
    broken[this.links[-e.role - 1] ?? 0] = 1;
    return { st: c.st, crashed: c.crashed, broken, q: c.q };
  }

  /** Role `i` has finished (terminal state) and nothing is queued for it. */
  finished(c: Config, i: number): boolean {
    if (!this.machine(i).terminal[c.st[i] ?? 0]) return false;
    for (let j = 0; j < this.n; j++) if ((c.q[j * this.n + i] ?? EMPTY).length > 0) return false;
    return true;
  }

  queue(c: Config, from: number, to: number): readonly number[] {
    return c.q[from * this.n + to] ?? EMPTY;
  }

  // --- keys ---------------------------------------------------------------------------------
  readonly #codes: number[] = [];
  #put(x: number): void {
    let v = x;
    while (v >= 0x7fff) {
      this.#codes.push(0x8000 | (v & 0x7fff));
      v = Math.floor(v / 0x8000);
    }
    this.#codes.push(v);
  }
  #flags(a: Uint8Array): void {
    let mask = 0;
    let bits = 0;
    for (const f of a) {
      mask |= f << bits;
      if (++bits === 15) {
        this.#codes.push(mask);
        mask = 0;
        bits = 0;
      }
    }
    if (bits > 0) this.#codes.push(mask);
  }

  /** A compact string key of the configuration (variable-length 15-bit codes). */
  key(c: Config): string {
    const codes = this.#codes;
    codes.length = 0;
    for (const s of c.st) this.#put(s);
    this.#flags(c.crashed);
    if (this.links.length > 0) for (const l of this.links) codes.push(c.broken[l] ?? 0);
    const qs = c.q;
    for (let k = 0; k < qs.length; k++) {
      const q = qs[k] ?? EMPTY;
      if (q.length === 0) continue;
      this.#put(k);
      this.#put(q.length);
      for (const m of q) this.#put(m);
    }
    if (codes.length <= 4096) return String.fromCharCode.apply(null, codes);
    let s = '';
    for (let i = 0; i < codes.length; i += 4096) s += String.fromCharCode.apply(null, codes.slice(i, i + 4096));
    return s;
  }

  /** A configuration, readable. */
  view(c: Config): ConfigurationView {
    const n = this.n;
    const states: Record<Role, number> = {};
    this.machines.forEach((m, i) => (states[m.role] = m.ids[c.st[i] ?? 0] ?? 0));
    const queues: ConfigurationView['queues'][number][] = [];
    c.q.forEach((q, k) => {
      if (q.length > 0) queues.push({ from: this.roles[Math.floor(k / n)] ?? '', to: this.roles[k % n] ?? '', messages: q.map((m) => this.messages.text(m)) });
    });
    const brokenLinks = this.links.filter((l) => c.broken[l] === 1).map((l) => ({ from: this.roles[Math.floor(l / n)] ?? '', to: this.roles[l % n] ?? '' }));
    return { states, crashed: this.roles.filter((_, i) => c.crashed[i] === 1), ...(brokenLinks.length > 0 ? { brokenLinks } : {}), queues };
  }

  /** The labels of role `i`'s transitions in its state `s`, comma separated. */
  expects(i: number, s: number): string {
    const m = this.machine(i);
    return (m.out[s] ?? []).map((t) => m.efsm.transitions[t.index]?.label ?? '').join(', ');
  }
}
