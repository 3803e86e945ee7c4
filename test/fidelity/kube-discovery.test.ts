// Discovery documents of the simulated API server, as kubectl and client libraries read them, and
// a cluster without Argo.
import t from 'tap';
import { rawClient, startKubeSim } from '../sim/kube/index.js';
import type { Wire } from '../sim/kube/index.js';

void t.test('discovery documents', async (t) => {
  const sim = await startKubeSim();
  t.teardown(() => sim.close());
  const api = rawClient(sim);
  t.match((await api('GET', '/version')).json, {
    major: '1',
    minor: '32',
    gitVersion: /^v1\.32\./,
  });
  t.match((await api('GET', '/api')).json, { kind: 'APIVersions', versions: ['v1'] });
  const groups = (await api('GET', '/apis')).json;
  t.equal(groups.kind, 'APIGroupList');
  t.same(groups.groups.map((g: Wire) => g.name).sort(), [
    'agents.platform',
    'argoproj.io',
    'cert-manager.io',
    'coordination.k8s.io',
    'metrics.k8s.io',
  ]);
  t.match(
    groups.groups.find((g: Wire) => g.name === 'argoproj.io'),
    {
      versions: [{ groupVersion: 'argoproj.io/v1alpha1', version: 'v1alpha1' }],
      preferredVersion: { groupVersion: 'argoproj.io/v1alpha1' },
    },
  );
  t.match((await api('GET', '/apis/agents.platform')).json, {
    kind: 'APIGroup',
    name: 'agents.platform',
  });
  const core = (await api('GET', '/api/v1')).json;
  t.equal(core.kind, 'APIResourceList');
  t.equal(core.groupVersion, 'v1');
  const byName = (l: Wire) => Object.fromEntries(l.resources.map((r: Wire) => [r.name, r]));
  const c = byName(core);
  t.match(c.pods, {
    singularName: 'pod',
    namespaced: true,
    kind: 'Pod',
    shortNames: ['po'],
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
  });
  t.match(c['pods/log'], { kind: 'Pod', verbs: ['get'] });
  t.match(c['pods/status'], { verbs: ['get', 'patch', 'update'] });
  t.match(c.namespaces, { namespaced: false });
  t.ok(c.events && c.configmaps);
  const crs = byName((await api('GET', '/apis/agents.platform/v1')).json);
  t.match(crs.coderuns, {
    singularName: 'coderun',
    kind: 'CodeRun',
    namespaced: true,
    shortNames: ['cr'],
  });
  t.ok(crs['coderuns/status']);
  const argo = byName((await api('GET', '/apis/argoproj.io/v1alpha1')).json);
  t.same(
    Object.keys(argo).sort(),
    ['applications', 'workflows', 'workflowtemplates'],
    'Argo CRDs have no status subresource',
  );
  t.ok(byName((await api('GET', '/apis/coordination.k8s.io/v1')).json).leases);
  const missing = await api('GET', '/apis/apps/v1');
  t.equal(missing.status, 404);
  t.match(missing.json, {
    kind: 'Status',
    status: 'Failure',
    reason: 'NotFound',
    code: 404,
    message: 'the server could not find the requested resource',
  });
});

void t.test('withoutArgo: the argoproj.io group is absent', async (t) => {
  const sim = await startKubeSim({ withoutArgo: true });
  t.teardown(() => sim.close());
  const api = rawClient(sim);
  const groups = (await api('GET', '/apis')).json.groups.map((g: Wire) => g.name);
  t.notOk(groups.includes('argoproj.io'));
  for (const p of [
    '/apis/argoproj.io',
    '/apis/argoproj.io/v1alpha1',
    '/apis/argoproj.io/v1alpha1/namespaces/cto/workflows',
  ]) {
    const r = await api('GET', p);
    t.equal(r.status, 404, p);
    t.equal(r.json.reason, 'NotFound');
  }
  t.throws(() =>
    sim.create({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata: { name: 'w' } }),
  );
});
