// Detection latency: pod change in the (simulated) API server → incident stored, with
// 1,000 active sessions and 20,000 pods cached. Prints p50/p99 and memory; figures go to
// docs/benchmarks.md. Run: npx tsx bench/detection-latency.ts [--sessions 1000] [--pods 20000] [--failures 300]
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

const { values } = parseArgs({
  options: {
    sessions: { type: 'string', default: '1000' },
    pods: { type: 'string', default: '20000' },
    failures: { type: 'string', default: '300' },
  },
});
const SESSIONS = Number(values.sessions);
const PODS = Number(values.pods);
const FAILURES = Number(values.failures);
const T0 = new Date(Date.now() - 3600_000).toISOString();

const sim = await startKubeSim({ bookmarkIntervalMs: 30_000, historyLimit: 50_000 });
const kc = new KubeConfig();
kc.loadFromString(sim.kubeconfigYaml());
const dir = mkdtempSync(join(tmpdir(), 'healer-bench-'));
// observe mode: this measures detection (change → incident stored), not the actions that follow;
// stale-progress is off because these sessions have no pull request by design
writeFileSync(join(dir, 'heal-config.json'), JSON.stringify({ remediation: { mode: 'observe' }, alerts: { staleProgressMinutes: 100000 } }));
const config = loadConfig({ env: { HEALER_STORE: `sqlite:${join(dir, 'h.db')}`, HEALER_PROMPTS_DIR: join(process.cwd(), 'prompts') }, cwd: dir });
const store = openSqliteStore(join(dir, 'h.db'));
const healer = await createHealer({ config, logger: pino({ level: 'warn' }), store, kube: { kc, source: 'bench' } });

console.log(`creating ${SESSIONS} sessions and ${PODS} pods…`);
for (let i = 0; i < SESSIONS; i++) {
  await healer.sessions.start({
    play_id: `play-${i}`, repository: '5dlabs/cto', service: null, namespace: 'cto',
    cto_config: { agents: { rex: { githubApp: '5DLabs-Rex', cli: 'claude', model: null, tools: { remote: [], localServers: {} } } } },
    tasks: [{ id: String(i), title: `task ${i}`, agent_hint: null, dependencies: [], priority: 0 }],
  });
}
const running = { running: { startedAt: T0 } };
const status = (state: Record<string, unknown>) => ({
  phase: 'Running', startTime: T0,
  containerStatuses: [
    { name: 'claude', image: 'claude:1', imageID: '', ready: 'running' in state, restartCount: 0, started: true, state },
    { name: 'docker-daemon', image: 'dind:1', imageID: '', ready: true, restartCount: 0, started: true, state: running },
  ],
});
for (let i = 0; i < PODS; i++) {
  const play = `play-${i % SESSIONS}`;
  sim.create({
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: `${play}-rex-p${i}`, namespace: 'cto', labels: { 'agents.platform/agent': 'rex', 'task-id': String(i % SESSIONS), 'workflows.argoproj.io/workflow': play } },
    spec: { containers: [{ name: 'claude', image: 'claude:1' }, { name: 'docker-daemon', image: 'dind:1' }] },
    status: status(running),
  }, { keepStatus: true });
}

const t0 = performance.now();
await healer.start();
await waitFor(() => healer.hub?.readiness().ok, { timeoutMs: 900_000, intervalMs: 500, what: 'initial list' });
console.log(`initial list of ${healer.hub?.list('pod').length} pods in ${(performance.now() - t0).toFixed(0)} ms`);
await healer.tick();
await healer.settle();

const pending = new Map<string, number>();
const latencies: number[] = [];
healer.incidents.on('recorded', ({ incident }) => {
  const started = pending.get(incident.playId ?? '');
  if (started !== undefined) {
    latencies.push(performance.now() - started);
    pending.delete(incident.playId ?? '');
  }
});
for (let f = 0; f < FAILURES; f++) {
  const i = (f * 7919) % PODS;
  const play = `play-${i % SESSIONS}`;
  if (pending.has(play)) continue;
  pending.set(play, performance.now());
  sim.patchStatus('v1', 'Pod', 'cto', `${play}-rex-p${i}`, {
    status: status({ terminated: { exitCode: 1, reason: 'Error', startedAt: T0, finishedAt: new Date().toISOString() } }),
  });
  await new Promise((r) => setTimeout(r, 10));
}
await waitFor(() => pending.size === 0, { timeoutMs: 60_000, what: 'every failure recorded' });
latencies.sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
const tickStart = performance.now();
await healer.tick();
const tickMs = performance.now() - tickStart;
const mem = process.memoryUsage();
console.log(JSON.stringify({
  sessions: SESSIONS, pods: PODS, failures: latencies.length,
  p50_ms: +pct(50).toFixed(2), p99_ms: +pct(99).toFixed(2), max_ms: +latencies[latencies.length - 1].toFixed(2),
  full_tick_ms: +tickMs.toFixed(1),
  watches: healer.hub?.watchCount,
  rss_mb: +(mem.rss / 2 ** 20).toFixed(0), heap_mb: +(mem.heapUsed / 2 ** 20).toFixed(0),
}));
await healer.stop();
await sim.close();
