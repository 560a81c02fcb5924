// Each role of a protocol in its own process, talking over TCP through a hub.
//   node packages/runtime/examples/ping-pong-processes.mjs          (after `npm run build`)
// The parent projects the protocol, starts the hub on 127.0.0.1, opens a session and starts
// one child process per role (this same file with `--role R`); each child joins the session
// and runs its role's code against the Endpoint API. The parent prints every trace.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { analyzeFiles } from '@mpst/projector';
import { memoryHost } from '@mpst/scribble';
import { mergeTraces, runTraceToJson } from '../dist/index.js';
import { connectTcp, Hub, listenTcp } from '../dist/node/index.js';

const SOURCE = `global protocol PingPong(role A, role B) {
  rec L { choice at A { ping(Int) from A to B; pong(Int) from B to A; continue L; } or { bye() from A to B; } }
}`;
const SECRET = process.env.MPST_SECRET ?? 'example secret';

function specs() {
  const p = analyzeFiles(['P.nuscr'], memoryHost({ 'P.nuscr': SOURCE })).protocols[0];
  return p.roles.map(({ role, efsm }) => ({
    protocol: p.name,
    role,
    roles: p.protocol.roles,
    reliable: p.protocol.roles,
    efsm,
  }));
}

const code = {
  async A(ep) {
    for (let i = 1; i <= 3; i++) {
      ep.send('B', 'ping', [i]);
      const r = await ep.receive();
      console.log(`A got ${r.label}(${r.payload})`);
    }
    ep.send('B', 'bye', []);
  },
  async B(ep) {
    for (;;) {
      const r = await ep.receive();
      if (r.label === 'bye') return;
      ep.send('A', 'pong', [r.payload[0] * 10]);
    }
  },
};

const roleArg = process.argv.indexOf('--role');
if (roleArg >= 0) {
  // A child: one role.
  const role = process.argv[roleArg + 1];
  const port = Number(process.argv[process.argv.indexOf('--port') + 1]);
  const client = await connectTcp({ port, secret: SECRET });
  const ep = await client.join(
    specs().find((s) => s.role === role),
    'demo',
  );
  await code[role](ep);
  process.stdout.write(`${JSON.stringify(client.trace('demo', role))}\n`);
  client.close();
} else {
  const all = specs();
  const hub = new Hub({ secret: SECRET });
  const server = await listenTcp(hub);
  hub.openSession('demo', { protocol: 'PingPong', roles: all[0].roles });
  const ended = hub.whenEnded('demo');
  const self = fileURLToPath(import.meta.url);
  const traces = await Promise.all(
    all.map(
      ({ role }) =>
        new Promise((resolve, reject) => {
          const child = spawn(
            process.execPath,
            [self, '--role', role, '--port', String(server.port)],
            {
              stdio: ['ignore', 'pipe', 'inherit'],
            },
          );
          let out = '';
          child.stdout.on('data', (d) => (out += d));
          child.on('exit', (status) => {
            const lines = out.trim().split('\n');
            for (const l of lines.slice(0, -1)) console.log(l);
            if (status === 0) resolve(JSON.parse(lines.at(-1)));
            else reject(new Error(`${role} exited with ${status}`));
          });
        }),
    ),
  );
  const hubTrace = await ended;
  console.log(runTraceToJson(mergeTraces([hubTrace, ...traces])));
  await server.close();
}
