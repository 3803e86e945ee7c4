// Detection latency: pod change in the (simulated) API server → incident stored, with
// 1,000 active sessions and 20,000 pods cached. Prints p50/p99 and memory; figures go to
// docs/benchmarks.md. Run: npx tsx bench/detection-latency.ts [--sessions 1000] [--pods 20000]
//   [--failures 300] [--sim inline|process]
// `--sim inline` (default) runs the simulated API server in this process, as the figures up to
// 2026-12-07 did; `--sim process` runs it in a child process of its own, so `rss_mb` is Healer's
// alone (with the benchmark's bookkeeping) and `sim_rss_mb` the simulator's.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import pino from 'pino';
import { startKubeSim, waitFor } from '../test/sim/kube/index.js';
import { loadConfig } from '../src/config/index.js';
import { openSqliteStore } from '../src/store/sqlite/index.js';
import { createHealer } from '../src/pipeline.js';
import { rexSession } from '../test/helpers/sessions.js';
import { epochNow, failPod, playOf, seedPods, type FromSim, type ToSim } from './lib/pod-world.js';

const { values } = parseArgs({
  options: {
    sessions: { type: 'string', default: '1000' },
    pods: { type: 'string', default: '20000' },
    failures: { type: 'string', default: '300' },
    sim: { type: 'string', default: 'inline' },
  },
});
const SESSIONS = Number(values.sessions);
const PODS = Number(values.pods);
const FAILURES = Number(values.failures);
const SEPARATE = values.sim === 'process';
if (!SEPARATE && values.sim !== 'inline') throw new Error('--sim is inline or process');
const T0 = new Date(Date.now() - 3600_000).toISOString();

/** The simulated API server, here or in a child process, behind the three things the run needs. */
interface World {
  kubeconfig: string;
  seed(): Promise<void>;
  /** Fails pod `i`; resolves with when the status was written (epoch ms). */
  fail(i: number): Promise<number>;
  memory(): Promise<{ rssMb: number; heapMb: number } | null>;
  close(): Promise<void>;
}

async function inlineWorld(): Promise<World> {
  const sim = await startKubeSim({ bookmarkIntervalMs: 30_000, historyLimit: 50_000 });
  return {
    kubeconfig: sim.kubeconfigYaml(),
    seed: () => Promise.resolve(seedPods(sim, SESSIONS, PODS, T0)),
    fail: (i) => {
      const at = epochNow();
      failPod(sim, i, SESSIONS, T0);
      return Promise.resolve(at);
    },
    memory: () => Promise.resolve(null),
    close: () => sim.close(),
  };
}

async function childWorld(): Promise<World> {
  const child: ChildProcess = fork(join(import.meta.dirname, 'lib', 'kube-sim-child.ts'));
  const next = <T extends FromSim['type']>(type: T, match?: (m: FromSim) => boolean) =>
    new Promise<Extract<FromSim, { type: T }>>((resolve) => {
      const on = (m: FromSim) => {
        if (m.type !== type || (match && !match(m))) return;
        child.off('message', on);
        resolve(m as Extract<FromSim, { type: T }>);
      };
      child.on('message', on);
    });
  const send = (m: ToSim) => child.send(m);
  const { kubeconfig } = await next('ready');
  return {
    kubeconfig,
    seed: async () => {
      const done = next('seeded');
      send({ type: 'seed', sessions: SESSIONS, pods: PODS, t0: T0 });
      await done;
    },
    fail: async (i) => {
      const done = next('failed', (m) => m.type === 'failed' && m.i === i);
      send({ type: 'fail', i });
      return (await done).at;
    },
    memory: async () => {
      const m = next('memory');
      send({ type: 'memory' });
      const { rssMb, heapMb } = await m;
      return { rssMb, heapMb };
    },
    close: async () => {
      const closed = next('closed');
      send({ type: 'close' });
      await closed;
    },
  };
}

// the largest resident set this process reached, sampled every second
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 1000);
sampler.unref();

const world = SEPARATE ? await childWorld() : await inlineWorld();
const kc = new KubeConfig();
kc.loadFromString(world.kubeconfig);
const dir = mkdtempSync(join(tmpdir(), 'healer-bench-'));
// observe mode: this measures detection (change → incident stored), not the actions that follow;
// stale-progress is off because these sessions have no pull request by design
writeFileSync(
  join(dir, 'heal-config.json'),
  JSON.stringify({ remediation: { mode: 'observe' }, alerts: { staleProgressMinutes: 100000 } }),
);
const config = loadConfig({
  env: {
    HEALER_STORE: `sqlite:${join(dir, 'h.db')}`,
    HEALER_PROMPTS_DIR: join(process.cwd(), 'prompts'),
  },
  cwd: dir,
});
const store = openSqliteStore(join(dir, 'h.db'));
const healer = await createHealer({
  config,
  logger: pino({ level: 'warn' }),
  store,
  kube: { kc, source: 'bench' },
});

console.log(
  `creating ${SESSIONS} sessions and ${PODS} pods (simulator ${SEPARATE ? 'in its own process' : 'in this process'})…`,
);
for (let i = 0; i < SESSIONS; i++) {
  await healer.sessions.start(rexSession(i));
}
await world.seed();

const t0 = performance.now();
await healer.start();
await waitFor(() => healer.hub?.readiness().ok, {
  timeoutMs: 3_600_000,
  intervalMs: 500,
  what: 'initial list',
});
const listMs = performance.now() - t0;
console.log(`initial list of ${healer.hub?.list('pod').length} pods in ${listMs.toFixed(0)} ms`);
await healer.tick();
await healer.settle();

// per Play: when its pod's status was written and when the first incident of it was recorded
const pending = new Set<string>();
const recordedAt = new Map<string, number>();
const failedAt = new Map<string, number>();
healer.incidents.on('recorded', ({ incident }) => {
  const play = incident.playId ?? '';
  if (pending.has(play) && !recordedAt.has(play)) recordedAt.set(play, epochNow());
});
for (let f = 0; f < FAILURES; f++) {
  const i = (f * 7919) % PODS;
  const play = playOf(i, SESSIONS);
  if (pending.has(play)) continue;
  pending.add(play);
  failedAt.set(play, await world.fail(i));
  await new Promise((r) => setTimeout(r, 10));
}
await waitFor(() => recordedAt.size === pending.size, {
  timeoutMs: 60_000,
  what: 'every failure recorded',
});
const latencies = [...failedAt]
  .map(([play, at]) => recordedAt.get(play)! - at)
  .sort((a, b) => a - b);
const pct = (p: number) =>
  latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
const tickStart = performance.now();
await healer.tick();
const tickMs = performance.now() - tickStart;
const mem = process.memoryUsage();
peakRss = Math.max(peakRss, mem.rss);
const simMem = await world.memory();
console.log(
  JSON.stringify({
    sessions: SESSIONS,
    pods: PODS,
    failures: latencies.length,
    sim: SEPARATE ? 'process' : 'inline',
    list_ms: Math.round(listMs),
    p50_ms: +pct(50).toFixed(2),
    p99_ms: +pct(99).toFixed(2),
    max_ms: +latencies[latencies.length - 1].toFixed(2),
    full_tick_ms: +tickMs.toFixed(1),
    watches: healer.hub?.watchCount,
    rss_mb: +(mem.rss / 2 ** 20).toFixed(0),
    peak_rss_mb: +(peakRss / 2 ** 20).toFixed(0),
    heap_mb: +(mem.heapUsed / 2 ** 20).toFixed(0),
    ...(simMem ? { sim_rss_mb: simMem.rssMb, sim_heap_mb: simMem.heapMb } : {}),
  }),
);
await healer.stop();
await world.close();
