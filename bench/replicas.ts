// Several replicas on PostgreSQL (issue 14), as ratios against references in the same run:
//   POST /api/v1/session/start (durable, PostgreSQL)   target ≥ 0.2× a bare Fastify route's req/s
//   GET  /api/v1/session/{id}  (PostgreSQL)            target ≥ 0.6× the bare route's req/s
//   (the same two on SQLite in the same run, for comparison)
//   failover: kill -9 of the leading `healer serve` → the other replica leads (Lease taken) and
//   acts (its /ready passes: watches listed), over N trials; median and max.
// PostgreSQL comes from `npm run postgres` (scripts/postgres.ts); the Lease from the simulated API server.
// Run: npx tsx bench/replicas.ts [--seconds 10] [--connections 50] [--trials 10] [--skip-api] [--skip-failover]
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { p99, rps, sessionRoutes, startBody } from './lib/paired.js';
import Fastify from 'fastify';
import pino from 'pino';
import { loadConfig } from '../src/config/index.js';
import { openStore } from '../src/store/open.js';
import { createHealer } from '../src/pipeline.js';
import { startPostgres } from '../test/helpers/postgres.js';
import { startHealerProcess, type Running } from '../test/helpers/process.js';
import { startKubeSim } from '../test/sim/kube/index.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    /** Each route and its bare reference alternate in this many slices (bench/lib/paired.ts). */
    slices: { type: 'string', default: '5' },
    trials: { type: 'string', default: '10' },
    'skip-api': { type: 'boolean', default: false },
    'skip-failover': { type: 'boolean', default: false },
  },
});
const duration = Number(values.seconds);
const connections = Number(values.connections);
const TRIALS = Number(values.trials);

const sliced = { seconds: duration, connections, slices: Number(values.slices) };

// fsync on: the start is measured as durable (the tests' throwaway servers run without it)
const server = await startPostgres(undefined, [], { fsync: true });
const out: Record<string, unknown> = { seconds: duration, connections, slices: sliced.slices };

/** GET and durable POST of one Healer (in this process) on `store`, against the bare route. */
async function apiRatios(label: string, storeUrl: string, bareUrl: string) {
  const dir = mkdtempSync(join(tmpdir(), 'healer-replicas-bench-'));
  const config = loadConfig({
    env: { HEALER_STORE: storeUrl, HEALER_PROMPTS_DIR: resolve('prompts') },
    cwd: dir,
  });
  const store = await openStore(config.store);
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
  const { bareGet, get, barePost, post } = await sessionRoutes(bareUrl, url, sliced);
  await healer.stop();
  return {
    [`${label}_bare_get_rps`]: Math.round(rps(bareGet)),
    [`${label}_get_rps`]: Math.round(rps(get)),
    [`${label}_get_ratio`]: +(rps(get) / rps(bareGet)).toFixed(2),
    [`${label}_bare_post_rps`]: Math.round(rps(barePost)),
    [`${label}_start_rps`]: Math.round(rps(post)),
    [`${label}_start_ratio`]: +(rps(post) / rps(barePost)).toFixed(2),
    [`${label}_start_non2xx`]: post.non2xx,
    [`${label}_get_p99_ms`]: p99(get),
    [`${label}_start_p99_ms`]: p99(post),
  };
}

if (!values['skip-api']) {
  const bare = Fastify({ logger: false });
  bare.get('/bare/:id', (req) => ({ status: 'ok', id: (req.params as { id: string }).id }));
  bare.post('/bare', (req) => ({ status: 'ok', got: typeof req.body }));
  const bareUrl = await bare.listen({ host: '127.0.0.1', port: 0 });
  Object.assign(out, await apiRatios('pg', await server.freshDatabase('bench'), bareUrl));
  const dir = mkdtempSync(join(tmpdir(), 'healer-replicas-bench-'));
  Object.assign(out, await apiRatios('sqlite', `sqlite:${join(dir, 'h.db')}`, bareUrl));
  await bare.close();
  console.error(JSON.stringify(out));
}

if (!values['skip-failover']) {
  const kube = await startKubeSim();
  const dir = mkdtempSync(join(tmpdir(), 'healer-failover-bench-'));
  const kubeconfig = join(dir, 'kubeconfig');
  await kube.writeKubeconfig(kubeconfig);
  writeFileSync(join(dir, 'heal.json'), '{}');
  const url = await server.freshDatabase('failover');
  const env = (name: string) => ({
    KUBECONFIG: kubeconfig,
    HEALER_STORE: url,
    HEALER_REPLICAS: '2',
    POD_NAME: name,
    HEALER_CONFIG: join(dir, 'heal.json'),
    LOG_LEVEL: 'info',
  });
  const leaderOf = async (r: Running) =>
    (await (await fetch(`${r.url}/api/v1/leader`)).json()) as { leader: boolean; holder: string };
  const until = async (what: string, ok: () => Promise<boolean>, ms = 60_000) => {
    const end = performance.now() + ms;
    for (;;) {
      try {
        if (await ok()) return;
      } catch {
        // not answering yet
      }
      if (performance.now() > end) throw new Error(`${what}: not within ${ms} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  let seq = 0;
  const spawn = () => startHealerProcess(env(`healer-${seq++}`), ['serve'], { timeoutMs: 180_000 });
  let pair = await Promise.all([spawn(), spawn()]);
  const leaseMs: number[] = [];
  const actingMs: number[] = [];
  for (let trial = 0; trial < TRIALS; trial++) {
    await until('one leader', async () => {
      const v = await Promise.all(pair.map(leaderOf));
      return v.filter((x) => x.leader).length === 1 && v[0].holder === v[1].holder;
    });
    const views = await Promise.all(pair.map(leaderOf));
    const leader = pair[views.findIndex((v) => v.leader)];
    const heir = pair.find((p) => p !== leader)!;
    // kill at a random point of the renew period, as a crash would
    await new Promise((r) => setTimeout(r, Math.random() * 5000));
    const killed = performance.now();
    leader.child.kill('SIGKILL');
    await until('heir leads', async () => (await leaderOf(heir)).leader);
    leaseMs.push(performance.now() - killed);
    await until('heir acts', async () => (await fetch(`${heir.url}/ready`)).status === 200);
    actingMs.push(performance.now() - killed);
    console.error(
      `trial ${trial + 1}: lease taken after ${(leaseMs[trial] / 1000).toFixed(2)} s, acting after ${(actingMs[trial] / 1000).toFixed(2)} s`,
    );
    await leader.exited;
    pair = [heir, await spawn()];
  }
  for (const p of pair) p.child.kill('SIGTERM');
  await Promise.all(pair.map((p) => p.exited));
  await kube.close();
  const stats = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return {
      median_s: +(s[Math.floor(s.length / 2)] / 1000).toFixed(2),
      max_s: +(s[s.length - 1] / 1000).toFixed(2),
      min_s: +(s[0] / 1000).toFixed(2),
    };
  };
  out.failover_trials = TRIALS;
  out.failover_lease_taken = stats(leaseMs);
  out.failover_acting = stats(actingMs);
}

console.log(JSON.stringify(out));
await server.close();
