// Shared by the runtime benchmarks: protocols projected by the built packages, and statistics.
import { analyzeFiles } from '../packages/projector/dist/index.js';
import { memoryHost } from '../packages/scribble/dist/index.js';

/** Every role's EndpointSpec of the (single) protocol in `source`. */
export function specsOf(source) {
  const r = analyzeFiles(['P.nuscr'], memoryHost({ 'P.nuscr': source }));
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((d) => d.message).join('\n'));
  const p = r.protocols[0];
  const reliable = p.protocol.crashStop ? [...p.protocol.reliable] : [...p.protocol.roles];
  return p.roles.map(({ role, efsm }) => ({
    protocol: p.name,
    role,
    roles: p.protocol.roles,
    reliable,
    efsm,
  }));
}

export const PING_PONG = `global protocol PingPong(role A, role B) {
  rec L { choice at A { ping(Int) from A to B; pong(Int) from B to A; continue L; } or { bye() from A to B; } }
}`;

/** p-th percentile (0..100) of an array of numbers (sorted in place). */
export function percentile(xs, p) {
  xs.sort((a, b) => a - b);
  return xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
}

/** One result line: round trips/s, p50 and p99 in microseconds. */
export function line(name, n, seconds, lat) {
  const rate = n / seconds;
  const p50 = lat ? (percentile(lat, 50) * 1000).toFixed(1) : '-';
  const p99 = lat ? (percentile(lat, 99) * 1000).toFixed(1) : '-';
  console.log(
    `${name.padEnd(34)} ${String(n).padStart(7)} round trips  ${rate.toFixed(0).padStart(8)}/s` +
      `  p50 ${p50.padStart(7)} µs  p99 ${p99.padStart(7)} µs`,
  );
  return rate;
}

export const now = () => performance.now();
