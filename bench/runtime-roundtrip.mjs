// Round trips per second and p50/p99 latency of a ping-pong, on every runtime transport, each
// beside a raw baseline of the same transport without the engine, in the same run:
//   simulator (virtual time; the wall-clock cost of the engine plus scheduler),
//   in-process mailbox (engine) vs raw promise hand-off,
//   TCP: hub + clients (engine) vs a raw relay of the same length-prefixed JSON frames,
//   WebSocket: the same over `ws`.
// Usage: node bench/runtime-roundtrip.mjs [--n 20000] [--rounds 3] [--only sim,mailbox,tcp,ws]
// Target (issue 11): TCP and WebSocket with the engine at >= 80 % of their raw throughput.
import { createServer, connect } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { MailboxSession, Simulation } from '../packages/runtime/dist/index.js';
import {
  connectTcp,
  connectWs,
  encodeFrame,
  FrameDecoder,
  Hub,
  listenTcp,
  listenWs,
} from '../packages/runtime/dist/node/index.js';
import { line, now, percentile, PING_PONG, specsOf } from './runtime-common.mjs';

const args = process.argv.slice(2);
const N = Number(args[args.indexOf('--n') + 1] || 20000) || 20000;
const ROUNDS = Number(args[args.indexOf('--rounds') + 1] || 3) || 3;
const only = (
  args.includes('--only') ? args[args.indexOf('--only') + 1] : 'sim,mailbox,tcp,ws'
).split(',');
const specs = specsOf(PING_PONG);
const spec = (r) => specs.find((s) => s.role === r);

/** A's and B's code on an endpoint pair; records each round trip's latency (ms). */
async function engineRounds(a, b, n) {
  const lat = [];
  const pong = (async () => {
    for (;;) {
      const r = await b.receive();
      if (r.label === 'bye') return;
      b.send('A', 'pong', r.payload);
    }
  })();
  const t0 = now();
  for (let i = 0; i < n; i++) {
    const t = now();
    a.send('B', 'ping', [i]);
    await a.receive();
    lat.push(now() - t);
  }
  a.send('B', 'bye', []);
  await pong;
  return { seconds: (now() - t0) / 1000, lat };
}

async function simulator() {
  const lat = [];
  let last = 0;
  const sim = new Simulation(
    specs,
    {
      A: async (ep) => {
        for (let i = 0; i < N; i++) {
          ep.send('B', 'ping', [i]);
          await ep.receive();
          const t = now();
          lat.push(t - last);
          last = t;
        }
        ep.send('B', 'bye', []);
      },
      B: async (ep) => {
        for (;;) {
          const r = await ep.receive();
          if (r.label === 'bye') return;
          ep.send('A', 'pong', r.payload);
        }
      },
    },
    { seed: 1, trace: false, maxSteps: 10 * N },
  );
  const t0 = now();
  last = t0;
  await sim.start();
  while (await sim.step());
  const seconds = (now() - t0) / 1000;
  if (!sim.result().ok) throw new Error('simulation failed');
  line('simulator (engine, trace off)', N, seconds, lat);
}

async function mailbox() {
  // Raw: the same hand-off (a FIFO per direction, a promise per receive), no checks, no trace.
  const chan = () => {
    const q = [];
    let wake;
    return {
      send(v) {
        if (wake) {
          const w = wake;
          wake = undefined;
          w(v);
        } else q.push(v);
      },
      receive() {
        return q.length > 0 ? Promise.resolve(q.shift()) : new Promise((r) => (wake = r));
      },
    };
  };
  const ab = chan();
  const ba = chan();
  const lat = [];
  const echo = (async () => {
    for (;;) {
      const m = await ab.receive();
      if (m.label === 'bye') return;
      ba.send({ label: 'pong', payload: m.payload });
    }
  })();
  let t0 = now();
  for (let i = 0; i < N; i++) {
    const t = now();
    ab.send({ label: 'ping', payload: [i] });
    await ba.receive();
    lat.push(now() - t);
  }
  ab.send({ label: 'bye' });
  await echo;
  const raw = line('mailbox raw (promise hand-off)', N, (now() - t0) / 1000, lat);
  for (const trace of [false, true]) {
    const s = new MailboxSession(specs, { trace });
    t0 = now();
    const r = await engineRounds(s.endpoint('A'), s.endpoint('B'), N);
    const rate = line(`mailbox engine (trace ${trace ? 'on' : 'off'})`, N, r.seconds, r.lat);
    console.log(`  engine/raw: ${((100 * rate) / raw).toFixed(0)} %`);
  }
}

/** A raw relay: forwards each frame from one client to the other (parsing its JSON, as the hub does). */
async function rawTcp() {
  const conns = [];
  const server = createServer((s) => {
    s.setNoDelay(true);
    conns.push(s);
    const dec = new FrameDecoder();
    s.on('data', (d) => {
      for (const f of dec.push(d)) conns[f.to === 'B' ? 1 : 0]?.write(encodeFrame(f));
    });
    s.on('error', () => undefined);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const port = server.address().port;
  const client = () =>
    new Promise((resolve) => {
      const s = connect({ port, host: '127.0.0.1' }, () => resolve(s));
      s.setNoDelay(true);
    });
  const a = await client();
  await new Promise((r) => setTimeout(r, 20));
  const b = await client();
  await new Promise((r) => setTimeout(r, 20));
  const decB = new FrameDecoder();
  b.on('data', (d) => {
    for (const f of decB.push(d)) b.write(encodeFrame({ ...f, t: 'msg', to: 'A', label: 'pong' }));
  });
  const decA = new FrameDecoder();
  let got;
  a.on('data', (d) => {
    for (const _ of decA.push(d)) got?.();
  });
  const lat = [];
  const t0 = now();
  for (let i = 0; i < N; i++) {
    const t = now();
    await new Promise((r) => {
      got = r;
      a.write(
        encodeFrame({
          t: 'msg',
          session: 's',
          from: 'A',
          to: 'B',
          label: 'ping',
          payload: [i],
          id: i,
          text: 'ping(Int)',
        }),
      );
    });
    lat.push(now() - t);
  }
  const rate = line('TCP raw relay (same frames)', N, (now() - t0) / 1000, lat);
  a.destroy();
  b.destroy();
  server.close();
  return rate;
}

async function rawWs() {
  const conns = [];
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((r) => wss.on('listening', r));
  wss.on('connection', (ws) => {
    conns.push(ws);
    ws.on('message', (d) => {
      const f = JSON.parse(String(d));
      conns[f.to === 'B' ? 1 : 0]?.send(JSON.stringify(f));
    });
  });
  const url = `ws://127.0.0.1:${wss.address().port}`;
  const open = () =>
    new Promise((resolve) => {
      const w = new WebSocket(url);
      w.on('open', () => resolve(w));
    });
  const a = await open();
  await new Promise((r) => setTimeout(r, 20));
  const b = await open();
  await new Promise((r) => setTimeout(r, 20));
  b.on('message', (d) =>
    b.send(JSON.stringify({ ...JSON.parse(String(d)), to: 'A', label: 'pong' })),
  );
  let got;
  a.on('message', (d) => {
    JSON.parse(String(d));
    got?.();
  });
  const lat = [];
  const t0 = now();
  for (let i = 0; i < N; i++) {
    const t = now();
    await new Promise((r) => {
      got = r;
      a.send(
        JSON.stringify({
          t: 'msg',
          session: 's',
          from: 'A',
          to: 'B',
          label: 'ping',
          payload: [i],
          id: i,
          text: 'ping(Int)',
        }),
      );
    });
    lat.push(now() - t);
  }
  const rate = line('WebSocket raw relay (same JSON)', N, (now() - t0) / 1000, lat);
  a.terminate();
  b.terminate();
  wss.close();
  return rate;
}

async function hubRounds(kind, trace) {
  const hub = new Hub({ trace });
  const server = kind === 'tcp' ? await listenTcp(hub) : await listenWs(hub);
  const connectOne = () =>
    kind === 'tcp'
      ? connectTcp({ port: server.port })
      : connectWs({ url: `ws://127.0.0.1:${server.port}` });
  hub.openSession('bench', { protocol: 'PingPong', roles: ['A', 'B'] });
  const [ca, cb] = [await connectOne(), await connectOne()];
  const [a, b] = await Promise.all([
    ca.join(spec('A'), 'bench', { trace }),
    cb.join(spec('B'), 'bench', { trace }),
  ]);
  const r = await engineRounds(a, b, N);
  const rate = line(
    `${kind === 'tcp' ? 'TCP' : 'WebSocket'} hub + engine (trace ${trace ? 'on' : 'off'})`,
    N,
    r.seconds,
    r.lat,
  );
  ca.close();
  cb.close();
  await server.close();
  return rate;
}

/**
 * Raw and engine runs alternate (ROUNDS times each), so a busy machine slows both alike; the
 * ratio is of the medians.
 */
async function compare(kind) {
  const rates = { raw: [], off: [], on: [] };
  for (let i = 0; i < ROUNDS; i++) {
    rates.raw.push(kind === 'tcp' ? await rawTcp() : await rawWs());
    rates.off.push(await hubRounds(kind, false));
    rates.on.push(await hubRounds(kind, true));
  }
  const med = (xs) => percentile(xs, 50);
  const raw = med(rates.raw);
  console.log(
    `  ${kind}: median raw ${raw.toFixed(0)}/s; engine trace off ${med(rates.off).toFixed(0)}/s ` +
      `= ${((100 * med(rates.off)) / raw).toFixed(0)} %, trace on ${med(rates.on).toFixed(0)}/s ` +
      `= ${((100 * med(rates.on)) / raw).toFixed(0)} % of raw (target >= 80 %)`,
  );
}

console.log(`node ${process.version}, ${N} round trips per line`);
if (only.includes('sim')) await simulator();
if (only.includes('mailbox')) await mailbox();
if (only.includes('tcp')) await compare('tcp');
if (only.includes('ws')) await compare('ws');
