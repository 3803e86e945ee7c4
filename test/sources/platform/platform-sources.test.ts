// The proactive sources against the simulated API server through the real client: metrics-server
// usage driven by the test-only PUT (a container climbing toward its limit is reported before the
// OOMKill and clears when usage falls), node pressure under agent pods, Argo CD Applications and
// cert-manager Certificates, and clusters that serve none of these APIs (said once, the rest kept).
import { KubeConfig } from '@kubernetes/client-node';
import pino from 'pino';
import t from 'tap';
import type { AlertDraft } from '../../../src/domain/alert.js';
import type { Pod } from '../../../src/domain/kube.js';
import { DEFAULT_PLATFORM_THRESHOLDS } from '../../../src/detectors/platform/checks.js';
import { DEFAULT_PRESSURE } from '../../../src/detectors/resources/pressure.js';
import { MetricsSampler } from '../../../src/sources/platform/metrics-sampler.js';
import { PlatformWatcher } from '../../../src/sources/platform/platform-watcher.js';
import { rawClient, startKubeSim } from '../../sim/kube/index.js';

const T0 = Date.parse('2025-11-21T06:00:00Z');

function recorder() {
  const state = new Map<string, AlertDraft[]>();
  return {
    state,
    observe: (key: string, drafts: AlertDraft[]) => {
      if (drafts.length) state.set(key, drafts);
      else state.delete(key);
      return Promise.resolve();
    },
  };
}

function logs() {
  const lines: string[] = [];
  const logger = pino({ level: 'info' }, { write: (l: string) => void lines.push(l) });
  return { lines, logger };
}

const agentPod = (name: string, node: string): Pod =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'cto',
      labels: { 'agents.platform/agent': 'rex', 'task-id': '4' },
    },
    spec: {
      nodeName: node,
      containers: [
        {
          name: 'agent',
          image: 'ghcr.io/5dlabs/claude:2.0.50',
          resources: { limits: { memory: '8Gi', cpu: '4' } },
        },
        { name: 'docker-daemon', image: 'docker:27-dind' },
      ],
    },
    status: { phase: 'Running' },
  });

void t.test(
  'memory climbing toward the limit is reported before the OOMKill and clears',
  async (t) => {
    const sim = await startKubeSim();
    t.teardown(() => sim.close());
    const kc = new KubeConfig();
    kc.loadFromString(sim.kubeconfigYaml());
    const api = rawClient(sim);
    const pod = agentPod('play-task-4-rex-abc12-step-123', 'talos-worker-2');
    let now = T0;
    const rec = recorder();
    const sampler = new MetricsSampler({
      kc,
      logger: pino({ level: 'silent' }),
      now: () => new Date(now),
      thresholds: DEFAULT_PRESSURE,
      namespaces: () => ['cto'],
      pod: (ns, name) => (ns === 'cto' && name === pod.metadata!.name ? pod : undefined),
      pods: () => [pod],
      ownerOf: () => ({ playId: 'play-task-4', taskId: '4', agent: 'rex' }),
      observe: rec.observe,
    });
    const report = async (memoryGi: number) => {
      const r = await api(
        'PUT',
        `/apis/metrics.k8s.io/v1beta1/namespaces/cto/pods/${pod.metadata!.name}`,
        {
          apiVersion: 'metrics.k8s.io/v1beta1',
          kind: 'PodMetrics',
          metadata: { name: pod.metadata!.name, namespace: 'cto' },
          timestamp: new Date(now).toISOString(),
          window: '15s',
          containers: [
            {
              name: 'agent',
              usage: { cpu: '900m', memory: `${Math.round(memoryGi * 1024 * 1024)}Ki` },
            },
            { name: 'docker-daemon', usage: { cpu: '10m', memory: '300Mi' } },
          ],
        },
      );
      t.ok(r.status === 200 || r.status === 201, `metrics at ${memoryGi.toFixed(2)} GiB`);
      await sampler.tick();
    };
    // 6 GiB climbing 300 MiB a minute: no alert while the window is short, then a trend alert
    // well before the limit (8 GiB) is reached.
    let warnedAt: number | null = null;
    for (let i = 0; i <= 12; i++) {
      now = T0 + i * 15_000;
      const gi = 6 + (i * 15 * 300) / 60 / 1024;
      await report(gi);
      if (warnedAt === null && rec.state.size) warnedAt = gi;
    }
    t.ok(warnedAt !== null && warnedAt < 7.5, `warned at ${warnedAt?.toFixed(2)} GiB of 8`);
    const [draft] = rec.state.get(`resource:pod/cto/${pod.metadata!.name}`) ?? [];
    t.match(draft, {
      alert: 'resource',
      playId: 'play-task-4',
      agent: 'rex',
      subject: `${pod.metadata!.name}/agent`,
      context: { kind: 'trend-to-limit', container: 'agent' },
    });
    // usage falls back: the condition clears
    for (let i = 13; i <= 30; i++) {
      now = T0 + i * 15_000;
      await report(4);
    }
    t.equal(rec.state.size, 0, 'cleared once usage fell');
    t.ok(sampler.usageOn);
  },
);

void t.test('node pressure under agent pods; no metrics API is said once', async (t) => {
  const sim = await startKubeSim({ withoutGroups: ['metrics.k8s.io'] });
  t.teardown(() => sim.close());
  const kc = new KubeConfig();
  kc.loadFromString(sim.kubeconfigYaml());
  const api = rawClient(sim);
  await api('POST', '/api/v1/nodes', {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'talos-worker-2' },
  });
  await api('PUT', '/api/v1/nodes/talos-worker-2/status', {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'talos-worker-2' },
    status: {
      conditions: [
        {
          type: 'MemoryPressure',
          status: 'True',
          reason: 'KubeletHasInsufficientMemory',
          message: 'kubelet has insufficient memory available',
          lastTransitionTime: '2025-11-21T05:52:00Z',
        },
        { type: 'Ready', status: 'True', reason: 'KubeletReady' },
      ],
    },
  });
  const rec = recorder();
  const log = logs();
  const pod = agentPod('play-task-4-rex-abc12-step-123', 'talos-worker-2');
  const sampler = new MetricsSampler({
    kc,
    logger: log.logger,
    now: () => new Date(T0),
    thresholds: DEFAULT_PRESSURE,
    namespaces: () => ['cto'],
    pod: () => pod,
    pods: () => [pod, agentPod('elsewhere', 'talos-worker-3')],
    ownerOf: () => ({ playId: 'play-task-4', taskId: '4', agent: 'rex' }),
    observe: rec.observe,
  });
  await sampler.tick();
  await sampler.tick();
  t.notOk(sampler.usageOn, 'usage checks off');
  t.equal(log.lines.filter((l) => l.includes('metrics API')).length, 1, 'said once');
  t.match(rec.state.get('resource:node/talos-worker-2')?.[0], {
    alert: 'resource',
    severity: 'high',
    subject: 'Node/talos-worker-2',
    context: { kind: 'node-pressure', conditions: 'MemoryPressure', agentPods: 1 },
  });
});

void t.test('Argo CD Applications and certificates become platform problems', async (t) => {
  const sim = await startKubeSim();
  t.teardown(() => sim.close());
  const kc = new KubeConfig();
  kc.loadFromString(sim.kubeconfigYaml());
  const api = rawClient(sim);
  await api('POST', '/api/v1/namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'argocd' },
  });
  await api('POST', '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } });
  await api('POST', '/apis/argoproj.io/v1alpha1/namespaces/argocd/applications', {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'cto-controller', namespace: 'argocd' },
    spec: { project: 'platform', destination: { namespace: 'cto' } },
    status: {
      sync: { status: 'Synced' },
      health: {
        status: 'Degraded',
        message: 'Deployment "cto-controller" exceeded its progress deadline',
      },
    },
  });
  const notAfter = new Date(T0 + 5 * 86_400_000).toISOString();
  await api('POST', '/apis/cert-manager.io/v1/namespaces/cto/certificates', {
    apiVersion: 'cert-manager.io/v1',
    kind: 'Certificate',
    metadata: { name: 'healer-tls', namespace: 'cto' },
    spec: { secretName: 'healer-tls', issuerRef: { name: 'letsencrypt', kind: 'ClusterIssuer' } },
  });
  const cert = (await api('GET', '/apis/cert-manager.io/v1/namespaces/cto/certificates/healer-tls'))
    .json;
  await api('PUT', '/apis/cert-manager.io/v1/namespaces/cto/certificates/healer-tls/status', {
    ...cert,
    status: {
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'Ready',
          message: 'Certificate is up to date and has not expired',
          lastTransitionTime: '2025-09-01T00:00:00Z',
        },
      ],
      notAfter,
    },
  });
  let now = T0;
  const rec = recorder();
  const log = logs();
  const watcher = new PlatformWatcher({
    kc,
    logger: log.logger,
    now: () => new Date(now),
    thresholds: DEFAULT_PLATFORM_THRESHOLDS,
    pods: () => [],
    observe: rec.observe,
  });
  await watcher.tick();
  t.match(rec.state.get('platform:certificate/cto/healer-tls')?.[0], {
    alert: 'platform',
    playId: null,
    severity: 'medium',
    title: /expires in 5d/,
  });
  t.notOk(
    rec.state.has('platform:application/argocd/cto-controller'),
    'Degraded for a moment is not yet a problem',
  );
  now = T0 + 11 * 60_000;
  await watcher.tick();
  t.match(rec.state.get('platform:application/argocd/cto-controller')?.[0], {
    alert: 'platform',
    playId: null,
    namespace: 'cto',
    subject: 'Application/cto-controller',
    context: { check: 'argocd-app', health: 'Degraded' },
  });
  t.same(
    watcher.enabled,
    ['argocd', 'certificates', 'image-pull'],
    'no kubelet proxy here: volume stats off',
  );
  t.equal(log.lines.filter((l) => l.includes('kubelet volume stats')).length, 1, 'said once');
  // recovered: the incident's condition clears
  const app = (
    await api('GET', '/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/cto-controller')
  ).json;
  await api('PUT', '/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/cto-controller', {
    ...app,
    status: { sync: { status: 'Synced' }, health: { status: 'Healthy' } },
  });
  await watcher.tick();
  t.notOk(rec.state.has('platform:application/argocd/cto-controller'), 'healthy again: cleared');
});

void t.test('a cluster without Argo CD or cert-manager keeps the other checks', async (t) => {
  const sim = await startKubeSim({ withoutArgo: true, withoutGroups: ['cert-manager.io'] });
  t.teardown(() => sim.close());
  const kc = new KubeConfig();
  kc.loadFromString(sim.kubeconfigYaml());
  await rawClient(sim)('POST', '/api/v1/nodes', {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'n1' },
  });
  const log = logs();
  const watcher = new PlatformWatcher({
    kc,
    logger: log.logger,
    now: () => new Date(T0),
    thresholds: DEFAULT_PLATFORM_THRESHOLDS,
    pods: () => [],
    observe: () => Promise.resolve(),
  });
  await watcher.tick();
  await watcher.tick();
  t.same(watcher.enabled, ['image-pull']);
  t.equal(log.lines.filter((l) => l.includes('not served')).length, 3, 'each absent API said once');
});
