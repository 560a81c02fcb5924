// Runs `analyzeFiles` in a worker thread for the conformance tests (see guarded.ts), so that a
// projector hang (a synchronous infinite loop) fails one test after a timeout instead of
// blocking the test runner. Each request is `{ id, paths, options }`; the reply is the analysis
// as plain data (no SourceFile objects): diagnostics, and per protocol and role the EFSM, the
// local type (origins dropped, sharing kept), the printed local protocol and the dot text.
import { parentPort } from 'node:worker_threads';
import { analyzeFiles, efsmToDot, printLocalProtocol } from '@mpst/projector';
import { nodeHost } from '@mpst/scribble/node';

/** @param {any} a */
function plainAction(a) {
  return a.message === undefined
    ? { kind: a.kind, peer: a.peer }
    : {
        kind: a.kind,
        peer: a.peer,
        message: { label: a.message.label, payload: [...a.message.payload] },
      };
}

/** @param {any} l @param {Map<any, any>} memo */
function plainLocal(l, memo) {
  const known = memo.get(l);
  if (known) return known;
  /** @type {any} */
  let out;
  switch (l.kind) {
    case 'prefix':
      out = { kind: 'prefix', action: plainAction(l.action), cont: undefined, origin: undefined };
      memo.set(l, out);
      out.cont = plainLocal(l.cont, memo);
      return out;
    case 'choice':
      out = { kind: 'choice', branches: [] };
      memo.set(l, out);
      for (const b of l.branches)
        out.branches.push({
          action: plainAction(b.action),
          cont: plainLocal(b.cont, memo),
          origin: undefined,
        });
      return out;
    case 'rec':
      out = { kind: 'rec', label: l.label, body: undefined };
      memo.set(l, out);
      out.body = plainLocal(l.body, memo);
      return out;
    case 'var':
      out = { kind: 'var', label: l.label };
      break;
    default:
      out = { kind: 'end' };
  }
  memo.set(l, out);
  return out;
}

/** @param {any} e */
function plainEfsm(e) {
  return {
    protocol: e.protocol,
    role: e.role,
    initial: e.initial,
    states: e.states.map((/** @type {any} */ s) => ({ id: s.id, terminal: s.terminal })),
    transitions: e.transitions.map((/** @type {any} */ t) => ({
      from: t.from,
      to: t.to,
      label: t.label,
      action: plainAction(t.action),
    })),
  };
}

parentPort?.on('message', (/** @type {{ id: number, paths: string[], options: any }} */ req) => {
  const started = performance.now();
  try {
    const r = analyzeFiles(req.paths, nodeHost, req.options);
    const typeParams = new Set();
    for (const m of r.program.modules)
      for (const p of m.module.protocols)
        for (const x of p.params) if (x.keyword !== 'sig') typeParams.add(x.name.text);
    const protocols = r.protocols.map((p) => ({
      name: p.name,
      crashStop: p.protocol?.crashStop,
      reliable: p.protocol ? [...p.protocol.reliable] : [],
      roles: p.roles.map((x) => ({
        role: x.role,
        efsm: x.efsm ? plainEfsm(x.efsm) : undefined,
        local: x.local ? plainLocal(x.local, new Map()) : undefined,
        printed: x.local ? printLocalProtocol(p, x.role) : '',
        dot: x.efsm ? efsmToDot(x.efsm) : '',
      })),
    }));
    const diagnostics = r.diagnostics.map((d) => ({
      code: d.code,
      severity: d.severity,
      message: d.message,
      file: d.span.file,
      line: d.span.line,
      column: d.span.column,
    }));
    parentPort?.postMessage({
      id: req.id,
      kind: 'ok',
      diagnostics,
      typeParams: [...typeParams],
      protocols,
      ms: performance.now() - started,
    });
  } catch (e) {
    const message =
      e instanceof Error
        ? `${e.name}: ${e.message}\n${(e.stack ?? '').split('\n').slice(1, 12).join('\n')}`
        : String(e);
    parentPort?.postMessage({
      id: req.id,
      kind: 'threw',
      message,
      ms: performance.now() - started,
    });
  }
});

// Loaded: the client starts its per-call timer from here on.
parentPort?.postMessage({ kind: 'ready' });
