// Simulated Paxos-sized sessions per second (6 roles, 33 messages, 4 roles that may crash)
// with a random fault plan per session, and the memory an idle session takes.
// Usage: node --expose-gc bench/runtime-sessions.mjs [--sessions 5000] [--idle 10000]
// Target (issue 11): >= 10,000 simulated sessions/s on one core.
import {
  MailboxSession,
  randomPlan,
  simulate,
  Simulation,
} from '../packages/runtime/dist/index.js';
import { now, specsOf } from './runtime-common.mjs';

const args = process.argv.slice(2);
const arg = (name, dflt) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : dflt);
const SESSIONS = arg('--sessions', 5000);
const IDLE = arg('--idle', 10000);

const acceptors = ['A1', 'A2', 'A3', 'A4'];
const phase = (req, rep) =>
  acceptors
    .map(
      (a) =>
        `${req}(Int) from P to ${a}; choice at ${a} { ${rep}(Int) from ${a} to P; } or { crash from ${a} to P; }`,
    )
    .join('\n  ');
export const ROUND = `global protocol Round(reliable role P, role A1, role A2, role A3, role A4, reliable role L) {
  ${phase('prepare', 'promise')}
  ${phase('accept', 'accepted')}
  ${phase('prepare2', 'promise2')}
  ${phase('accept2', 'accepted2')}
  decide(Int) from P to L;
}`;
const specs = specsOf(ROUND);
const messages = specs.reduce(
  (n, s) => n + s.efsm.transitions.filter((t) => t.action.kind === 'send').length,
  0,
);
const roles = specs[0].roles;
const reliable = specs[0].reliable;

/** Generic role code: the first send of a send state; otherwise receive what comes. */
const role = (spec) => {
  const sendsOf = spec.efsm.states.map((s) =>
    spec.efsm.transitions.filter((t) => t.from === s.id && t.action.kind === 'send'),
  );
  return async (ep) => {
    while (!ep.done) {
      const t = sendsOf[ep.state][0];
      if (t) ep.send(t.action.peer, t.action.message.label, [1]);
      else await ep.receive();
    }
  };
};
const code = Object.fromEntries(specs.map((s) => [s.role, role(s)]));

async function sessionsPerSecond(trace) {
  let crashed = 0;
  let sent = 0;
  const t0 = now();
  const cpu0 = process.cpuUsage();
  for (let seed = 1; seed <= SESSIONS; seed++) {
    const r = await simulate(specs, code, { seed, plan: randomPlan(roles, reliable, seed), trace });
    if (!r.ok) throw new Error(`session failed: ${r.replay}`);
    crashed += r.outcomes.filter((o) => o.status === 'crashed').length;
    if (trace) sent += r.trace.events.filter((e) => e.kind === 'send').length;
  }
  const s = (now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  console.log(
    `simulated sessions (trace ${trace ? 'on ' : 'off'}): ${SESSIONS} in ${s.toFixed(2)} s = ` +
      `${(SESSIONS / s).toFixed(0)}/s wall, ` +
      `${(SESSIONS / cpuS).toFixed(0)}/s per CPU second` +
      `  (${crashed} role crashes${trace ? `, ${sent} messages sent` : ''}; target >= 10,000/s)`,
  );
}

function heap() {
  globalThis.gc?.();
  globalThis.gc?.();
  return process.memoryUsage().heapUsed;
}

async function idleMemory() {
  if (!globalThis.gc) console.log('(run with --expose-gc for exact memory figures)');
  // Held through a global: V8 may collect what only a dead local still points to.
  let keep = (globalThis.benchKeep = []);
  let before = heap();
  for (let i = 0; i < IDLE; i++) keep.push(new MailboxSession(specs, { sessionId: `s${i}` }));
  let after = heap();
  console.log(
    `idle mailbox session (6 endpoints, nothing sent): ` +
      `${((after - before) / IDLE / 1024).toFixed(2)} KB each (${IDLE} sessions)`,
  );
  keep = globalThis.benchKeep = [];
  before = heap();
  for (let i = 0; i < IDLE; i++) {
    const sim = new Simulation(specs, code, { seed: i });
    await sim.start(); // every role blocked in its first receive or with its first sends in flight
    keep.push(sim);
  }
  after = heap();
  console.log(
    `started simulation (6 roles waiting, first messages in flight): ` +
      `${((after - before) / IDLE / 1024).toFixed(2)} KB each`,
  );
  keep.length = 0;
}

console.log(
  `node ${process.version}; protocol Round: ${roles.length} roles, ${messages} messages without faults`,
);
// A first pass warms the JIT up; the figures are the second passes.
const warm = SESSIONS;
await (async () => {
  for (let seed = 1; seed <= Math.min(warm, 1000); seed++)
    await simulate(specs, code, { seed, plan: randomPlan(roles, reliable, seed), trace: false });
})();
await sessionsPerSecond(false);
await sessionsPerSecond(true);
await idleMemory();
