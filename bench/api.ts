// API throughput against a bare Fastify route in the same run (operations.md §8):
//   GET /api/v1/session/{id} with 1,000 sessions stored   target ≥ 0.7× the bare route's req/s
//   POST /api/v1/session/start (durable, sqlite)           target ≥ 0.3× the bare route's req/s
// Run: npx tsx bench/api.ts [--seconds 10] [--connections 50]
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import pino from 'pino';
import { loadConfig } from '../src/config/index.js';
import { openSqliteStore } from '../src/store/sqlite/index.js';
import { createHealer } from '../src/pipeline.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
  },
});
const duration = Number(values.seconds);
const connections = Number(values.connections);

const run = (opts: autocannon.Options) =>
  new Promise<autocannon.Result>((resolve, reject) => {
    autocannon({ duration, connections, ...opts }, (err: Error | null, res) =>
      err ? reject(err) : resolve(res),
    );
  });

// reference: a bare Fastify route answering a small JSON object
const bare = Fastify({ logger: false });
bare.get('/bare/:id', (req) => ({ status: 'ok', id: (req.params as { id: string }).id }));
bare.post('/bare', (req) => ({ status: 'ok', got: typeof req.body }));
const bareUrl = await bare.listen({ host: '127.0.0.1', port: 0 });

const dir = mkdtempSync(join(tmpdir(), 'healer-api-bench-'));
const config = loadConfig({
  env: { HEALER_STORE: `sqlite:${join(dir, 'h.db')}`, HEALER_PROMPTS_DIR: resolve('prompts') },
  cwd: dir,
});
const store = openSqliteStore(join(dir, 'h.db'));
const healer = await createHealer({
  config,
  logger: pino({ level: 'silent' }),
  store,
  kube: { kc: null, reason: 'bench' },
  github: null,
});
const url = await healer.app.listen({ host: '127.0.0.1', port: 0 });
const payload = (id: string) =>
  JSON.stringify({
    play_id: id,
    repository: '5dlabs/cto',
    namespace: 'cto',
    cto_config: {
      agents: {
        rex: {
          githubApp: '5DLabs-Rex',
          cli: 'claude',
          model: 'm',
          tools: { remote: ['a', 'b'], localServers: {} },
        },
      },
    },
    tasks: [{ id: '1', title: 'Task 1', dependencies: [] }],
  });
for (let i = 0; i < 1000; i++)
  await healer.sessions.start(JSON.parse(payload(`play-${i}`)) as never);

let n = 0;
const bareGet = await run({ url: `${bareUrl}/bare/play-1` });
const get = await run({ url: `${url}/api/v1/session/play-500` });
const barePost = await run({
  url: `${bareUrl}/bare`,
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: payload('x'),
});
const post = await run({
  url: `${url}/api/v1/session/start`,
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  setupClient: (client) => client.setBody(payload(`bench-${n++}`)),
  requests: [
    { method: 'POST', setupRequest: (req) => ({ ...req, body: payload(`bench-${n++}`) }) },
  ],
});
const ok = (r: autocannon.Result) => r['2xx'];
const rps = (r: autocannon.Result) => r.requests.average;
const out = {
  seconds: duration,
  connections,
  bare_get_rps: Math.round(rps(bareGet)),
  session_get_rps: Math.round(rps(get)),
  get_ratio: +(rps(get) / rps(bareGet)).toFixed(2),
  bare_post_rps: Math.round(rps(barePost)),
  session_start_rps: Math.round(rps(post)),
  start_ratio: +(rps(post) / rps(barePost)).toFixed(2),
  start_2xx: ok(post),
  start_non2xx: post.non2xx,
  get_p99_ms: get.latency.p99,
  start_p99_ms: post.latency.p99,
};
console.log(JSON.stringify(out));
await healer.stop();
await bare.close();
