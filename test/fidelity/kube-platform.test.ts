// The platform objects around the Plays, served by the simulated API server the way a real cluster
// serves them to @kubernetes/client-node: metrics-server's PodMetrics/NodeMetrics (read through the
// client's own `Metrics` helper; a test-only PUT drives the usage), nodes with pressure conditions,
// PVCs, Argo CD Applications and cert-manager Certificates.
import { CoreV1Api, CustomObjectsApi, KubeConfig, Metrics } from '@kubernetes/client-node';
import t from 'tap';
import { rawClient, startKubeSim } from '../sim/kube/index.js';

void t.test('platform objects through the real client', async (t) => {
  const sim = await startKubeSim();
  t.teardown(() => sim.close());
  const kc = new KubeConfig();
  kc.loadFromString(sim.kubeconfigYaml());
  const api = rawClient(sim);

  // metrics-server shapes: no kind on items, usage as quantities, a window.
  const usage = {
    apiVersion: 'metrics.k8s.io/v1beta1',
    kind: 'PodMetrics',
    metadata: { name: 'play-task-4-rex-abc12-step-123', namespace: 'cto' },
    timestamp: '2025-11-21T06:00:00Z',
    window: '15.05s',
    containers: [{ name: 'agent', usage: { cpu: '912m', memory: '7340032Ki' } }],
  };
  const path = '/apis/metrics.k8s.io/v1beta1/namespaces/cto/pods/play-task-4-rex-abc12-step-123';
  t.equal((await api('PUT', path, usage)).status, 201, 'the test-only PUT creates');
  t.equal(
    (
      await api('PUT', path, {
        ...usage,
        containers: [{ name: 'agent', usage: { cpu: '1', memory: '7.5Gi' } }],
      })
    ).status,
    200,
    'and then replaces',
  );
  const metrics = new Metrics(kc);
  const pods = await metrics.getPodMetrics('cto');
  t.equal(pods.items.length, 1);
  t.match(pods.items[0], {
    metadata: { name: 'play-task-4-rex-abc12-step-123', namespace: 'cto' },
    containers: [{ name: 'agent', usage: { memory: '7.5Gi' } }],
  });
  t.equal(
    (await api('POST', '/apis/metrics.k8s.io/v1beta1/namespaces/cto/pods', usage)).status,
    405,
    'no create verb',
  );

  await api('PUT', '/apis/metrics.k8s.io/v1beta1/nodes/talos-worker-2', {
    apiVersion: 'metrics.k8s.io/v1beta1',
    kind: 'NodeMetrics',
    metadata: { name: 'talos-worker-2' },
    timestamp: '2025-11-21T06:00:00Z',
    window: '20.03s',
    usage: { cpu: '3810m', memory: '29Gi' },
  });
  const nodes = await metrics.getNodeMetrics();
  t.match(nodes.items, [{ metadata: { name: 'talos-worker-2' }, usage: { memory: '29Gi' } }]);

  const core = kc.makeApiClient(CoreV1Api);
  const node = await core.createNode({
    body: { metadata: { name: 'talos-worker-2' } },
  });
  t.equal(node.metadata?.name, 'talos-worker-2');
  await core.replaceNodeStatus({
    name: 'talos-worker-2',
    body: {
      ...node,
      status: {
        conditions: [
          {
            type: 'MemoryPressure',
            status: 'True',
            reason: 'KubeletHasInsufficientMemory',
            message: 'kubelet has insufficient memory available',
          },
          {
            type: 'Ready',
            status: 'True',
            reason: 'KubeletReady',
            message: 'kubelet is posting ready status',
          },
        ],
      },
    },
  });
  const read = await core.readNode({ name: 'talos-worker-2' });
  t.match(read.status?.conditions?.[0], { type: 'MemoryPressure', status: 'True' });

  await core.createNamespacedPersistentVolumeClaim({
    namespace: 'cto',
    body: {
      metadata: { name: 'workspace-play-task-4' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } },
    },
  });
  t.equal((await core.listNamespacedPersistentVolumeClaim({ namespace: 'cto' })).items.length, 1);

  await core.createNamespace({ body: { metadata: { name: 'argocd' } } });
  const custom = kc.makeApiClient(CustomObjectsApi);
  await custom.createNamespacedCustomObject({
    group: 'argoproj.io',
    version: 'v1alpha1',
    namespace: 'argocd',
    plural: 'applications',
    body: {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'cto-controller', namespace: 'argocd' },
      spec: { project: 'platform', destination: { namespace: 'cto' } },
      status: { sync: { status: 'OutOfSync' }, health: { status: 'Degraded' } },
    },
  });
  const app = (await custom.getNamespacedCustomObject({
    group: 'argoproj.io',
    version: 'v1alpha1',
    namespace: 'argocd',
    plural: 'applications',
    name: 'cto-controller',
  })) as { status: { health: { status: string } } };
  t.equal(
    app.status.health.status,
    'Degraded',
    'no status subresource: the controller writes status',
  );

  await custom.createNamespacedCustomObject({
    group: 'cert-manager.io',
    version: 'v1',
    namespace: 'cto',
    plural: 'certificates',
    body: {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: 'healer-tls', namespace: 'cto' },
      spec: {
        secretName: 'healer-tls',
        dnsNames: ['healer.example.org'],
        issuerRef: { name: 'letsencrypt', kind: 'ClusterIssuer' },
      },
    },
  });
  const certs = (await custom.listNamespacedCustomObject({
    group: 'cert-manager.io',
    version: 'v1',
    namespace: 'cto',
    plural: 'certificates',
  })) as { items: { metadata: { name: string } }[] };
  t.same(
    certs.items.map((c) => c.metadata.name),
    ['healer-tls'],
  );
});

void t.test("the kubelet's stats summary through the API server's node proxy", async (t) => {
  const sim = await startKubeSim();
  t.teardown(() => sim.close());
  const kc = new KubeConfig();
  kc.loadFromString(sim.kubeconfigYaml());
  const core = kc.makeApiClient(CoreV1Api);
  sim.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'talos-worker-1' } });
  sim.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'talos-worker-2' } });
  const summary = { node: { nodeName: 'talos-worker-1' }, pods: [] };
  sim.setKubelet('talos-worker-1', 'stats/summary', summary);
  // typed string, but the client parses the JSON answer (the kubelet sends application/json)
  const got: unknown = await core.connectGetNodeProxyWithPath({
    name: 'talos-worker-1',
    path: 'stats/summary',
  });
  t.same(typeof got === 'string' ? JSON.parse(got) : got, summary, 'what the kubelet answers');
  const api = rawClient(sim);
  const unreachable = await api('GET', '/api/v1/nodes/talos-worker-2/proxy/stats/summary');
  t.equal(unreachable.status, 503, 'a node without a reachable kubelet');
  t.match(unreachable.json, {
    kind: 'Status',
    reason: 'ServiceUnavailable',
    message: /error trying to reach service/,
  });
  t.equal(
    (await api('GET', '/api/v1/nodes/talos-worker-1/proxy/metrics/cadvisor')).status,
    404,
    'a kubelet path nothing was set for',
  );
  t.equal(
    (await api('GET', '/api/v1/nodes/nowhere/proxy/stats/summary')).status,
    404,
    'no such node',
  );
  t.equal(
    (await api('POST', '/api/v1/nodes/talos-worker-1/proxy/stats/summary', {})).status,
    405,
    'read-only',
  );
  t.equal((await api('GET', '/api/v1/namespaces/cto/pods/x/proxy/y')).status, 404, 'only nodes');
});
