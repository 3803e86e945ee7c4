// The proactive scenarios of issue #18, played end to end in the simulated cluster against a
// Healer wired like production (metrics sampler and platform watcher on, their passes driven
// with runNow() and the shared manual clock): memory climbing toward the limit is warned about
// before the OOMKill and resolves when usage falls; a degraded Argo CD Application and a
// certificate expiring in 5 days each open one platform incident. Each has a healthy look-alike
// in the same world that stays quiet.
import t from 'tap';
import { agentPod, proactiveWorld, startSession, type World } from '../helpers/proactive-world.js';
import { rawClient, waitFor } from '../sim/kube/index.js';

/** What metrics-server would report for the pod now (the simulator's test-only PUT). */
async function reportMemory(w: World, pod: string, gib: number) {
  const res = await rawClient(w.sim)(
    'PUT',
    `/apis/metrics.k8s.io/v1beta1/namespaces/cto/pods/${pod}`,
    {
      apiVersion: 'metrics.k8s.io/v1beta1',
      kind: 'PodMetrics',
      metadata: { name: pod, namespace: 'cto' },
      timestamp: w.clock.now().toISOString(),
      window: '15s',
      containers: [
        { name: 'claude', usage: { cpu: '900m', memory: `${Math.round(gib * 1024 * 1024)}Ki` } },
        { name: 'docker-daemon', usage: { cpu: '10m', memory: '300Mi' } },
      ],
    },
  );
  if (res.status !== 200 && res.status !== 201) throw new Error(`PUT metrics: ${res.status}`);
}

void t.test(
  'memory climbing toward the limit: warned before the OOMKill, resolved when usage falls; a steady pod stays quiet',
  async (t) => {
    const w = await proactiveWorld(t, {
      heal: { alerts: { staleProgressMinutes: 100000 } },
      env: { HEALER_PLATFORM_CHECKS: 'false' },
    });
    w.sim.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'talos-worker-2' } });
    await startSession(w, 4, 'rex');
    await startSession(w, 5, 'blaze');
    const climbing = agentPod(w.sim, w.clock.now(), 4, 'rex', 'talos-worker-2');
    const steady = agentPod(w.sim, w.clock.now(), 5, 'blaze', 'talos-worker-2');
    await waitFor(() => w.healer.hub?.list('pod').length === 2, { what: 'pods cached' });

    // 6 GiB of 8 climbing 300 MiB a minute (the limit would be reached in ~7 minutes); blaze
    // holds 5 GiB. One metrics-server sample every 15 s.
    let warnedAt: number | null = null;
    let gib = 6;
    for (let i = 0; i <= 24 && gib < 8; i++) {
      gib = 6 + (i * 15 * 300) / 60 / 1024;
      await reportMemory(w, climbing, gib);
      await reportMemory(w, steady, 5 + (i % 2) * 0.05);
      await w.pass();
      if (warnedAt === null && (await w.incidents()).length) warnedAt = gib;
      w.clock.advance(15_000);
    }
    t.ok(warnedAt !== null && warnedAt < 7.5, `warned at ${warnedAt?.toFixed(2)} GiB of 8`);
    const open = await w.incidents();
    t.equal(open.length, 1, 'exactly one incident: the climbing container');
    t.match(open[0], {
      alert: 'resource',
      play_id: 'play-task-4',
      agent: 'rex',
      task_id: '4',
      subject: `${climbing}/claude`,
      state: 'open',
      context: { kind: 'trend-to-limit', container: 'claude', limitBytes: 8 * 2 ** 30 },
    });
    t.ok(
      Number((open[0].context as Record<string, number>).secondsToLimit) > 0,
      'time to the limit',
    );
    const decided = await w.store.decisionsFor(String(open[0].id));
    t.ok(
      decided.length >= 1,
      `decided like any alert (${decided.map((d) => d.reason).join(', ')})`,
    );
    const pod = w.sim.get('v1', 'Pod', 'cto', climbing) as {
      status: { containerStatuses: { lastState?: unknown; state: { running?: unknown } }[] };
    };
    t.ok(pod.status.containerStatuses[0].state.running, 'the container was never OOM-killed');

    // usage falls back: the condition clears, and the incident resolves once clear for 5 minutes
    for (let i = 0; i < 12; i++) {
      await reportMemory(w, climbing, 4);
      await w.pass();
      w.clock.advance(30_000);
    }
    await w.healer.tick();
    await w.healer.settle();
    t.match(await w.incidents('?state=resolved'), [
      { alert: 'resource', play_id: 'play-task-4', state: 'resolved' },
    ]);
    t.same(await w.incidents('?state=open'), [], 'nothing else open');
  },
);

void t.test(
  'a degraded Argo CD Application opens one platform incident (no play) and resolves when healthy; briefly OutOfSync does not',
  async (t) => {
    const w = await proactiveWorld(t, {
      heal: { alerts: { resolveAfterSeconds: 0 } },
      env: { HEALER_RESOURCE_CHECKS: 'false' },
    });
    w.sim.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'argocd' } });
    const app = (name: string, status: Record<string, unknown>) =>
      w.sim.create(
        {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'Application',
          metadata: { name, namespace: 'argocd' },
          spec: {
            project: 'platform',
            source: { repoURL: 'https://github.com/5dlabs/cto', path: `infra/${name}` },
            destination: { server: 'https://kubernetes.default.svc', namespace: 'cto' },
          },
          status,
        },
        { keepStatus: true },
      );
    app('cto-controller', {
      sync: { status: 'Synced', revision: '4f1c2a9' },
      health: {
        status: 'Degraded',
        message: 'Deployment "cto-controller" exceeded its progress deadline',
      },
    });
    app('openmemory', {
      sync: { status: 'Synced', revision: '4f1c2a9' },
      health: { status: 'Healthy' },
    });
    await w.pass();
    t.same(await w.incidents(), [], 'Degraded for a moment is not yet a problem');
    w.clock.advance(8 * 60_000);
    // the look-alike: drifts (OutOfSync) for 3 minutes, then syncs again
    w.sim.patchStatus('argoproj.io/v1alpha1', 'Application', 'argocd', 'openmemory', {
      status: { sync: { status: 'OutOfSync' } },
    });
    await w.pass();
    w.clock.advance(3 * 60_000);
    await w.pass();
    await w.pass();
    w.sim.patchStatus('argoproj.io/v1alpha1', 'Application', 'argocd', 'openmemory', {
      status: { sync: { status: 'Synced' } },
    });
    await w.pass();
    const open = await w.incidents();
    t.equal(open.length, 1, 'exactly one incident');
    t.match(open[0], {
      alert: 'platform',
      play_id: null,
      subject: 'Application/cto-controller',
      state: 'open',
      occurrences: 1,
      context: { check: 'argocd-app', health: 'Degraded' },
    });
    w.sim.patchStatus('argoproj.io/v1alpha1', 'Application', 'argocd', 'cto-controller', {
      status: { sync: { status: 'Synced' }, health: { status: 'Healthy' } },
    });
    await w.pass();
    await w.healer.tick();
    await w.healer.settle();
    t.match(await w.incidents('?state=resolved'), [
      { alert: 'platform', subject: 'Application/cto-controller', state: 'resolved' },
    ]);
    t.same(await w.incidents('?state=open'), []);
  },
);

void t.test(
  'a certificate expiring in 5 days opens one platform incident; one valid for 60 days does not',
  async (t) => {
    const w = await proactiveWorld(t, { env: { HEALER_RESOURCE_CHECKS: 'false' } });
    const cert = async (name: string, days: number) => {
      w.sim.create(
        {
          apiVersion: 'cert-manager.io/v1',
          kind: 'Certificate',
          metadata: { name, namespace: 'cto' },
          spec: {
            secretName: name,
            dnsNames: [`${name}.5dlabs.ai`],
            issuerRef: { name: 'letsencrypt-prod', kind: 'ClusterIssuer' },
          },
          status: {
            conditions: [
              {
                type: 'Ready',
                status: 'True',
                reason: 'Ready',
                message: 'Certificate is up to date and has not expired',
                lastTransitionTime: '2026-09-01T00:00:00Z',
              },
            ],
            notBefore: '2026-09-01T00:00:00Z',
            notAfter: new Date(w.clock.now().getTime() + days * 86_400_000).toISOString(),
            renewalTime: new Date(w.clock.now().getTime() - 86_400_000).toISOString(),
          },
        },
        { keepStatus: true },
      );
      return Promise.resolve();
    };
    await cert('healer-tls', 5);
    await cert('dashboard-tls', 60);
    await w.pass();
    await w.pass();
    const open = await w.incidents();
    t.equal(open.length, 1, 'exactly one incident');
    t.match(open[0], {
      alert: 'platform',
      play_id: null,
      severity: 'medium',
      namespace: 'cto',
      title: /healer-tls.*expires in 5d/,
      context: { check: 'certificate' },
    });
  },
);
