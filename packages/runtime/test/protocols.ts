/**
 * Small protocols the tests run, projected by @mpst/projector (memoryHost + analyzeFiles), as
 * endpoint specs.
 */
import { analyzeFiles } from '@mpst/projector';
import { memoryHost } from '@mpst/scribble';
import type { EndpointSpec, PayloadCheck } from '@mpst/runtime';

/** Every role's spec of protocol `name` in `source` (a nuScr-dialect text). */
export function specsOf(
  source: string,
  name?: string,
  types?: Readonly<Record<string, PayloadCheck>>,
): EndpointSpec[] {
  const r = analyzeFiles(['P.nuscr'], memoryHost({ 'P.nuscr': source }));
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((d) => `${d.code} ${d.message}`).join('\n'));
  const p = name === undefined ? r.protocols[0] : r.protocols.find((x) => x.name === name);
  if (!p?.protocol) throw new Error(`no protocol ${name ?? ''}`);
  const reliable = p.protocol.crashStop ? [...p.protocol.reliable] : [...p.protocol.roles];
  return p.roles.map(({ role, efsm }) => {
    if (!efsm) throw new Error(`${role} was not projected`);
    return {
      protocol: p.name,
      role,
      roles: p.protocol?.roles ?? [],
      reliable,
      efsm,
      ...(types ? { types } : {}),
    };
  });
}

/** The spec of `role` in a list. */
export function specFor(specs: readonly EndpointSpec[], role: string): EndpointSpec {
  const s = specs.find((x) => x.role === role);
  if (!s) throw new Error(`no spec for ${role}`);
  return s;
}

export const PING_PONG = `global protocol PingPong(role A, role B) {
  rec L {
    choice at A {
      ping(Int) from A to B;
      pong(Int) from B to A;
      continue L;
    } or {
      bye() from A to B;
    }
  }
}`;

export const THREE_ROLE_CHOICE = `global protocol Shop(role C, role S, role W) {
  query(String) from C to S;
  choice at S {
    offer(Int) from S to C;
    choice at C {
      buy(Int) from C to S;
      ship(String) from S to W;
    } or {
      decline() from C to S;
      cancel() from S to W;
    }
  } or {
    soldOut() from S to C;
    cancel() from S to W;
  }
}`;

export const RING = `global protocol Ring(role A, role B, role C) {
  rec L {
    choice at A {
      tok(Int) from A to B;
      tok(Int) from B to C;
      tok(Int) from C to A;
      continue L;
    } or {
      stop() from A to B;
      stop() from B to C;
    }
  }
}`;

export const WORK = `global protocol Work(reliable role S, role W, reliable role B) {
  job(Int) from S to W;
  choice at W {
    result(Int) from W to S;
    done() from S to B;
  } or {
    crash from W to S;
    job(Int) from S to B;
    result(Int) from B to S;
  }
}`;

export const VOTE = `global protocol Vote(role A, reliable role P) {
  choice at A {
    yes() from A to P;
  } or default {
    no() from A to P;
  }
}`;

/** The good protocol and rogue variants of one role (same roles, other behaviour). */
export const GOOD = `global protocol G(role A, role B, role C) {
  ping(Int) from A to B;
  k() from B to C;
  j() from C to A;
  m(Int) from A to B;
}`;
export const BAD_LABEL = `global protocol G(role A, role B, role C) {
  pong(Int) from A to B;
  k() from B to C;
  j() from C to A;
  m(Int) from A to B;
}`;
export const BAD_PAYLOAD = `global protocol G(role A, role B, role C) {
  ping(String) from A to B;
  k() from B to C;
  j() from C to A;
  m(Int) from A to B;
}`;
export const BAD_SENDER = `global protocol G(role A, role B, role C) {
  ping(Int) from A to B;
  k() from B to C;
  m(Int) from C to B;
}`;
