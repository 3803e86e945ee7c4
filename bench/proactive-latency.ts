// Detection latency with the proactive sources on vs off, in the same run (issue #18): the same
// simulated cluster (agent pods, each with metrics-server usage below its limit, Argo CD
// Applications and Certificates) is watched by a fresh Healer per round, rounds alternating
// off / on so foreign load drifts evenly over both. "On" runs the metrics sampler every
// `--every` seconds (default 1: 30× its default, to make its cost visible) and the platform
// watcher every 2 × that. Latency:
// pod status write in the API server → incident committed to the store. The ratio on/off of p50
// and p99 is the figure; docs/benchmarks.md records it.
// Run: npx tsx bench/proactive-latency.ts [--sessions 200] [--pods 4000] [--failures 100] [--spacing 100] [--every 1] [--rounds 2]
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
import { podStatus } from './lib/pod-world.js';

const { values } = parseArgs({
  options: {
    sessions: { type: 'string', default: '200' },
    pods: { type: 'string', default: '4000' },
    failures: { type: 'string', default: '100' },
    rounds: { type: 'string', default: '2' },
    spacing: { type: 'string', default: '100' },
    /** Seconds between metrics sampler passes (platform watcher: twice this). Default 1 (stress). */
    every: { type: 'string', default: '1' },
  },
});
const SPACING_MS = Number(values.spacing);
const EVERY_S = Number(values.every);
const SESSIONS = Number(values.sessions);
const PODS = Number(values.pods);
const FAILURES = Number(values.failures);
const ROUNDS = Number(values.rounds);
const T0 = new Date(Date.now() - 3600_000).toISOString();

const sim = await startKubeSim({ bookmarkIntervalMs: 30_000, historyLimit: 50_000 });
const kc = new KubeConfig();
kc.loadFromString(sim.kubeconfigYaml());

const running = { running: { startedAt: T0 } };
const status = (state: Record<string, unknown>) => podStatus(T0, state);
const podName = (i: number) => `play-${i % SESSIONS}-rex-p${i}`;
console.log(`creating ${PODS} pods with metrics, 20 Applications, 20 Certificates…`);
for (let i = 0; i < PODS; i++) {
  const play = `play-${i % SESSIONS}`;
  sim.create(
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: podName(i),
        namespace: 'cto',
        labels: {
          'agents.platform/agent': 'rex',
          'task-id': String(i % SESSIONS),
          'workflows.argoproj.io/workflow': play,
        },
      },
      spec: {
        nodeName: `node-${i % 10}`,
        containers: [
          { name: 'claude', image: 'claude:1', resources: { limits: { memory: '8Gi' } } },
          { name: 'docker-daemon', image: 'dind:1' },
        ],
      },
      status: status(running),
    },
    { keepStatus: true },
  );
  sim.create({
    apiVersion: 'metrics.k8s.io/v1beta1',
    kind: 'PodMetrics',
    metadata: { name: podName(i), namespace: 'cto' },
    timestamp: new Date().toISOString(),
    window: '15s',
    containers: [
      { name: 'claude', usage: { cpu: '900m', memory: `${2048 + (i % 512)}Mi` } },
      { name: 'docker-daemon', usage: { cpu: '10m', memory: '300Mi' } },
    ],
  });
}
for (let i = 0; i < 10; i++)
  sim.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: `node-${i}` } });
sim.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'argocd' } });
for (let i = 0; i < 20; i++) {
  sim.create(
    {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: `app-${i}`, namespace: 'argocd' },
      spec: { project: 'platform', destination: { namespace: 'cto' } },
      status: { sync: { status: 'Synced' }, health: { status: 'Healthy' } },
    },
    { keepStatus: true },
  );
  sim.create(
    {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: `cert-${i}`, namespace: 'cto' },
      spec: { secretName: `cert-${i}`, issuerRef: { name: 'le', kind: 'ClusterIssuer' } },
      status: {
        conditions: [{ type: 'Ready', status: 'True', reason: 'Ready', lastTransitionTime: T0 }],
        notAfter: new Date(Date.now() + 60 * 86_400_000).toISOString(),
      },
    },
    { keepStatus: true },
  );
}

async function round(on: boolean, r: number): Promise<{ latencies: number[]; passes: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'healer-bench-'));
  writeFileSync(
    join(dir, 'heal-config.json'),
    JSON.stringify({ remediation: { mode: 'observe' }, alerts: { staleProgressMinutes: 100000 } }),
  );
  const env = {
    HEALER_STORE: `sqlite:${join(dir, 'h.db')}`,
    HEALER_PROMPTS_DIR: join(process.cwd(), 'prompts'),
    HEALER_RESOURCE_CHECKS: String(on),
    HEALER_PLATFORM_CHECKS: String(on),
    HEALER_RESOURCE_POLL_SECONDS: String(EVERY_S),
    HEALER_PLATFORM_POLL_SECONDS: String(EVERY_S * 2),
  };
  const config = loadConfig({ env, cwd: dir });
  const store = openSqliteStore(join(dir, 'h.db'));
  const healer = await createHealer({
    config,
    logger: pino({ level: 'warn' }),
    store,
    kube: { kc, source: 'bench' },
  });
  for (let i = 0; i < SESSIONS; i++) await healer.sessions.start(rexSession(i));
  await healer.start();
  await waitFor(() => healer.hub?.readiness().ok, { timeoutMs: 120_000, what: 'initial list' });
  await healer.tick();
  await healer.settle();
  // sampler and watcher passes completed while failures are injected (each reads every PodMetrics,
  // the nodes, Applications and Certificates)
  let passes = 0;
  let counting = true;
  for (const src of [healer.proactive?.sampler, healer.proactive?.platform]) {
    if (!on || !src) continue;
    const tick = src.tick.bind(src);
    src.tick = () => tick().finally(() => counting && passes++);
  }
  const pending = new Map<string, number>();
  const latencies: number[] = [];
  healer.incidents.on('recorded', ({ incident }) => {
    const started = pending.get(incident.playId ?? '');
    if (started !== undefined) {
      latencies.push(performance.now() - started);
      pending.delete(incident.playId ?? '');
    }
  });
  const failed: number[] = [];
  for (let f = 0; f < FAILURES; f++) {
    const i = (f * 7919 + r * 104_729) % PODS;
    const play = `play-${i % SESSIONS}`;
    if (pending.has(play)) continue;
    pending.set(play, performance.now());
    failed.push(i);
    sim.patchStatus('v1', 'Pod', 'cto', podName(i), {
      status: status({
        terminated: {
          exitCode: 1,
          reason: 'Error',
          startedAt: T0,
          finishedAt: new Date().toISOString(),
        },
      }),
    });
    await new Promise((res) => setTimeout(res, SPACING_MS));
  }
  await waitFor(() => pending.size === 0, { timeoutMs: 120_000, what: 'every failure recorded' });
  counting = false;
  await healer.stop();
  // the next round starts from the same healthy cluster
  for (const i of failed)
    sim.patchStatus('v1', 'Pod', 'cto', podName(i), { status: status(running) });
  return { latencies, passes };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const all = { off: [] as number[], on: [] as number[] };
let samplerPasses = 0;
for (let r = 0; r < ROUNDS * 2; r++) {
  const on = r % 2 === 1;
  const { latencies, passes } = await round(on, r);
  all[on ? 'on' : 'off'].push(...latencies);
  samplerPasses += passes;
  console.log(
    `round ${r + 1} (${on ? 'on' : 'off'}): ${latencies.length} failures, p50 ${pct(latencies, 50).toFixed(1)} ms, p99 ${pct(latencies, 99).toFixed(1)} ms${on ? `, ${passes} proactive passes` : ''}`,
  );
}
const fig = (xs: number[]) => ({
  n: xs.length,
  p50_ms: +pct(xs, 50).toFixed(2),
  p99_ms: +pct(xs, 99).toFixed(2),
});
const off = fig(all.off);
const on = fig(all.on);
console.log(
  JSON.stringify({
    sessions: SESSIONS,
    pods: PODS,
    rounds_each: ROUNDS,
    proactive_passes_during_on_rounds: samplerPasses,
    off,
    on,
    ratio_p50_on_off: +(on.p50_ms / off.p50_ms).toFixed(2),
    ratio_p99_on_off: +(on.p99_ms / off.p99_ms).toFixed(2),
  }),
);
await sim.close();
