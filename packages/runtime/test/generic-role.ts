/**
 * Simple generic role code for any protocol: at a send state it picks a branch at random from
 * its seed (after `patience` actions, the branch closest to the end, so loops finish); at a
 * receive state it takes what comes. Payloads are made up from the type names.
 */
import {
  Rng,
  type Endpoint,
  type EndpointSpec,
  type PayloadCheck,
  type RoleCode,
} from '@mpst/runtime';

/** Distance (in transitions) from each state to a terminal state (Infinity: none). */
function distances(spec: EndpointSpec): number[] {
  const n = spec.efsm.states.length;
  const d = new Array<number>(n).fill(Infinity);
  spec.efsm.states.forEach((s) => {
    if (s.terminal) d[s.id] = 0;
  });
  for (let changed = true; changed; ) {
    changed = false;
    for (const t of spec.efsm.transitions) {
      const via = (d[t.to] ?? Infinity) + 1;
      if (via < (d[t.from] ?? Infinity)) {
        d[t.from] = via;
        changed = true;
      }
    }
  }
  return d;
}

const sample = (type: string): unknown => {
  const base = type.replace(/\{.*$/, '').replace(/^.*:/, '').trim();
  if (/^(Int|int|number)$/.test(base)) return 1;
  if (/^(Double|double|Float|float)$/.test(base)) return 1.5;
  if (/^(Bool|bool|boolean)$/.test(base)) return true;
  if (/^(String|string)$/.test(base)) return 's';
  return { value: base };
};

/** `types` accepting any value for every payload type the specs use that is not built in. */
export function anyTypes(specs: readonly EndpointSpec[]): Record<string, PayloadCheck> {
  const out: Record<string, PayloadCheck> = {};
  for (const s of specs)
    for (const t of s.efsm.transitions)
      if ('message' in t.action)
        for (const p of t.action.message.payload)
          out[p.replace(/\{.*$/, '').replace(/^.*:/, '').trim()] = () => true;
  return out;
}

export function genericRole(spec: EndpointSpec, seed: number, patience = 30): RoleCode {
  const dist = distances(spec);
  return async (ep: Endpoint) => {
    const rng = new Rng(seed);
    let acted = 0;
    while (!ep.done) {
      const sends = spec.efsm.transitions.filter(
        (t) => t.from === ep.state && t.action.kind === 'send',
      );
      if (sends.length === 0) {
        await ep.receive();
      } else {
        const best = Math.min(...sends.map((t) => dist[t.to] ?? Infinity));
        const pool = acted < patience ? sends : sends.filter((t) => dist[t.to] === best);
        const t = rng.pick(pool);
        if (t.action.kind === 'send')
          ep.send(t.action.peer, t.action.message.label, t.action.message.payload.map(sample));
      }
      acted++;
    }
  };
}
