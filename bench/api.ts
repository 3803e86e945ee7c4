// API throughput against a bare Fastify route in the same run (operations.md §8):
//   GET /api/v1/session/{id} with 1,000 sessions stored   target ≥ 0.7× the bare route's req/s
//   POST /api/v1/session/start (durable, sqlite)           target ≥ 0.3× the bare route's req/s
// Run: npx tsx bench/api.ts [--seconds 10] [--connections 50] [--slices 5]
// Each route and its bare reference run in alternating slices (bare, Healer, bare, Healer, …),
// `--seconds` in all per route: the machine's speed drifts over tens of seconds on a shared VM, and
// slices put the drift on both sides alike. Req/s are requests over the slices' summed duration.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import Fastify from 'fastify';
import pino from 'pino';
import { loadConfig } from '../src/config/index.js';
import { openSqliteStore } from '../src/store/sqlite/index.js';
import { createHealer } from '../src/pipeline.js';
import { p99, rps, sessionRoutes, startBody } from './lib/paired.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    slices: { type: 'string', default: '5' },
  },
});
const slices = Math.max(1, Number(values.slices));
const duration = Number(values.seconds);
const connections = Number(values.connections);

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
for (let i = 0; i < 1000; i++)
  await healer.sessions.start(JSON.parse(startBody(`play-${i}`)) as never);

const opts = { seconds: duration, connections, slices };
const { bareGet, get, barePost, post } = await sessionRoutes(bareUrl, url, opts);
const out = {
  seconds: duration,
  connections,
  slices,
  bare_get_rps: Math.round(rps(bareGet)),
  session_get_rps: Math.round(rps(get)),
  get_ratio: +(rps(get) / rps(bareGet)).toFixed(2),
  bare_post_rps: Math.round(rps(barePost)),
  session_start_rps: Math.round(rps(post)),
  start_ratio: +(rps(post) / rps(barePost)).toFixed(2),
  start_2xx: post.ok,
  start_non2xx: post.non2xx,
  // the median of the slices' p99s
  get_p99_ms: p99(get),
  start_p99_ms: p99(post),
};
console.log(JSON.stringify(out));
await healer.stop();
await bare.close();
