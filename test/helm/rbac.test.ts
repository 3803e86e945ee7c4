// RBAC drift: the chart's Role/ClusterRole must grant exactly the contract in
// helm/healer/rbac-required.yaml, and every Kubernetes call in src/ must be granted by it.
import { readFileSync } from 'node:fs';
import t from 'tap';
import { parse } from 'yaml';
import { ALL_FEATURES, ROOT, type KubeObject, find, render } from './chart.js';
import { type Call, type Rule, expand, key, scanText, scanTree } from './rbac-scan.js';

interface Contract {
  watched: Rule[];
  leader: Rule[];
  platform: Rule[];
  operatorOnly: string[];
  reviewed: Record<string, string[]>;
}

const contract = parse(
  readFileSync(new URL('../../helm/healer/rbac-required.yaml', import.meta.url), 'utf8'),
) as Contract;
const watched = expand(contract.watched);
const leader = expand(contract.leader);
const platform = expand(contract.platform);
const granted = new Set([...watched, ...leader, ...platform]);

/** Custom resources' API groups, from the contract (a plural in one group only). */
const groupOf: Record<string, string> = {};
for (const r of [...contract.watched, ...contract.leader, ...contract.platform])
  for (const res of r.resources)
    if (r.apiGroups.length === 1 && r.apiGroups[0] !== '') groupOf[res.split('/')[0]] = r.apiGroups[0]!;

const sorted = (s: Iterable<string>) => [...s].sort();
const rulesOf = (o: KubeObject) => expand((o.rules ?? []) as Rule[]);

/** Problems with calls: not granted, or not resolvable without a `reviewed` entry. */
function problems(calls: Call[], reviewed: Record<string, string[]> = contract.reviewed): string[] {
  const out: string[] = [];
  for (const c of calls) {
    const where = `${c.file}:${c.line} ${c.call}`;
    if (contract.operatorOnly.some((p) => c.file.startsWith(p))) continue;
    const declared = reviewed[c.file];
    if (c.unresolved) {
      if (!declared) out.push(`${where}: ${c.unresolved}; declare its access under reviewed:`);
      continue;
    }
    const keys = c.access.map(key);
    if (c.ambiguous ? !keys.some((k) => granted.has(k)) : !keys.every((k) => granted.has(k)))
      out.push(`${where} needs ${keys.join(c.ambiguous ? ' or ' : ', ')}, not granted`);
  }
  for (const [file, access] of Object.entries(reviewed))
    for (const a of access) if (!granted.has(a)) out.push(`reviewed ${file}: ${a} is not granted`);
  return out;
}

void t.test('the contract itself', (t) => {
  t.ok(watched.has('core/pods:watch') && watched.has('core/pods/log:get'), 'pods and logs');
  t.ok(watched.has('agents.platform/coderuns:create'), 'remediation CodeRuns');
  t.ok(watched.has('argoproj.io/workflows:list'), 'Argo workflows');
  t.notOk([...watched].some((k) => k.startsWith('core/configmaps') || k.includes('leases')),
    'ConfigMaps and Leases are not part of the watch rules');
  t.same(sorted(leader), sorted(['get', 'list', 'watch', 'create', 'update'].map((v) => `coordination.k8s.io/leases:${v}`)),
    'the leader rules are the Lease only (no ConfigMaps: they are not a database)');
  t.notOk([...granted].some((k) => k.includes('secrets')), 'no access to Secrets');
  t.notOk([...granted].some((k) => /[*]/.test(k)), 'no wildcards');  t.end();
});

void t.test('rendered Role = contract (default values: one namespace, sqlite store)', (t) => {
  const objs = render();
  const roles = find(objs, 'Role');
  t.same(roles.map((r) => `${r.metadata.namespace}/${r.metadata.name}`), ['cto/cto-healer-watch']);
  t.same(sorted(rulesOf(roles[0])), sorted(watched), 'watch rules');
  t.equal(find(objs, 'ClusterRole').length, 0, 'no ClusterRole');
  const binding = find(objs, 'RoleBinding')[0];
  t.match(binding, {
    roleRef: { kind: 'Role', name: 'cto-healer-watch' },
    subjects: [{ kind: 'ServiceAccount', name: 'cto-healer', namespace: 'cto' }],
  });  t.end();
});

void t.test('PostgreSQL store: the leader Lease in the release namespace only', (t) => {
  const objs = render({ set: ['store.postgres.existingSecret=healer-pg', 'watch.namespaces={cto,agents}'] });
  const byName = Object.fromEntries(
    find(objs, 'Role').map((r) => [`${r.metadata.namespace}/${r.metadata.name}`, r]),
  );
  t.same(Object.keys(byName).sort(), [
    'agents/cto-healer-watch',
    'cto/cto-healer-leader',
    'cto/cto-healer-watch',
  ]);
  t.same(sorted(rulesOf(byName['cto/cto-healer-leader'])), sorted(leader), 'leader rules');
  t.same(sorted(rulesOf(byName['agents/cto-healer-watch'])), sorted(watched), 'watch rules');
  for (const b of find(objs, 'RoleBinding'))
    t.same(b.subjects, [{ kind: 'ServiceAccount', name: 'cto-healer', namespace: 'cto' }]);  t.end();
});

void t.test('cluster-wide: ClusterRole = contract, no per-namespace watch Roles', (t) => {
  const objs = render({ values: [ALL_FEATURES] });
  const cr = find(objs, 'ClusterRole');
  t.equal(cr.length, 1);
  t.same(sorted(rulesOf(cr[0])), sorted(watched));
  t.same(find(objs, 'Role').map((r) => r.metadata.name), ['cto-healer-leader']);
  t.match(find(objs, 'ClusterRoleBinding')[0], {
    roleRef: { kind: 'ClusterRole', name: cr[0].metadata.name },
    subjects: [{ kind: 'ServiceAccount', namespace: 'cto' }],
  });
  const env = find(objs, 'Deployment')[0].spec.template.spec.containers[0].env as {
    name: string;
    value?: string;
  }[];
  t.equal(env.find((e) => e.name === 'HEALER_NAMESPACES')?.value, '*');  t.end();
});

void t.test('platform checks: a read-only ClusterRole = contract, only when enabled', (t) => {
  t.notOk(
    find(render(), 'ClusterRole').some((r) => r.metadata.name.endsWith('-platform')),
    'off by default',
  );
  const objs = render({ set: ['platformChecks.enabled=true'] });
  const cr = find(objs, 'ClusterRole').filter((r) => r.metadata.name.endsWith('-platform'));
  t.equal(cr.length, 1);
  t.same(sorted(rulesOf(cr[0])), sorted(platform), 'platform rules');
  t.ok([...platform].every((k) => /:(get|list)$/.test(k)), 'read-only');
  t.match(
    find(objs, 'ClusterRoleBinding').find((b) => b.metadata.name === cr[0].metadata.name),
    { subjects: [{ kind: 'ServiceAccount', name: 'cto-healer', namespace: 'cto' }] },
  );
  t.end();
});

void t.test('every Kubernetes call in src/ is granted by the contract', (t) => {
  const operatorOnly = (f: string) => contract.operatorOnly.some((p) => f.startsWith(p));
  const calls = scanTree(ROOT, `${ROOT}src`, groupOf, operatorOnly);
  for (const c of calls)
    t.comment(`${c.file}:${c.line} ${c.call} -> ${c.unresolved ?? c.access.map(key).join(c.ambiguous ? ' | ' : ', ')}`);
  if (!calls.length) t.comment('no Kubernetes client calls in src/ yet');
  t.same(problems(calls), [], 'no call outside the contract');  t.end();
});

void t.test('the scan maps client calls to (resource, verb) and catches drift', (t) => {
  const code = `
    import { CoreV1Api, CustomObjectsApi, Log, Watch, makeInformer } from '@kubernetes/client-node';
    const CODERUNS = { group: 'agents.platform', version: 'v1', plural: 'coderuns' };
    // core.deleteNamespacedPod({ name }) in a comment is not a call
    await core.listNamespacedPod({ namespace });
    await core.readNamespacedPodLog({ name, namespace, container });
    await core.listEventForAllNamespaces();
    await custom.createNamespacedCustomObject({ ...CODERUNS, namespace, body });
    await custom.deleteNamespacedCustomObject({ group: 'agents.platform', version: 'v1', namespace, plural: 'coderuns', name });
    await custom.getNamespacedCustomObjectStatus({ group: 'agents.platform', version: 'v1', namespace, plural: 'coderuns', name });
    const inf = makeInformer(kc, \`/apis/argoproj.io/v1alpha1/namespaces/\${ns}/workflows\`, list);
    const pods = makeInformer(kc, '/api/v1/pods', list);
    await new Log(kc).log(ns, pod, container, stream);
    await new Watch(kc).watch('/api/v1/namespaces/cto/events', {}, cb, done);
    await store.getSession(id); await this.listSessions();
  `;
  const ctx = { neighbourhood: code, groupOf, kubeFile: true };
  const calls = scanText('src/example.ts', code, ctx);
  t.same(
    calls.map((c) => c.access.map(key).join(',')),
    [
      'core/pods:list',
      'core/pods/log:get',
      'core/events:list',
      'agents.platform/coderuns:create',
      'agents.platform/coderuns:delete',
      'agents.platform/coderuns/status:get',
      'argoproj.io/workflows:list,argoproj.io/workflows:watch',
      'core/pods:list,core/pods:watch',
      'core/events:watch',
      'core/pods/log:get',
    ],
  );
  t.same(problems(calls, {}), [], 'all of these are granted');

  const drift = `
    await core.deleteNamespacedPod({ name, namespace });
    await custom.patchNamespacedCustomObject({ group: 'agents.platform', version: 'v1', namespace, plural: 'coderuns', name, body });
    await core.listNamespacedSecret({ namespace });
    await core.createNamespacedConfigMap({ namespace, body });
    await coord.deleteNamespacedLease({ name, namespace });
    const w = makeInformer(kc, '/apis/batch/v1/namespaces/cto/jobs', list);
    await new Exec(kc).exec(ns, pod, c, cmd);
    await apps.patchNamespacedDeploymentScale({ name, namespace, body });
  `;
  const found = problems(
    scanText('src/new-feature.ts', drift, { neighbourhood: drift, groupOf, kubeFile: true }),
    {},
  );
  t.same(
    found.map((p) => p.replace(/^src\/new-feature\.ts:\d+ /, '')).sort(),
    [
      'deleteNamespacedPod needs core/pods:delete, not granted',
      'patchNamespacedCustomObject needs agents.platform/coderuns:patch, not granted',
      'listNamespacedSecret needs core/secrets:list, not granted',
      'createNamespacedConfigMap needs core/configmaps:create, not granted',
      'deleteNamespacedLease needs coordination.k8s.io/leases:delete, not granted',
      'makeInformer needs batch/jobs:list, batch/jobs:watch, not granted',
      'new Exec needs core/pods/exec:create, not granted',
      'patchNamespacedDeploymentScale needs apps/deployments/scale:patch, not granted',
    ].sort(),
    'each call outside the contract is reported',
  );

  const opaque = `const api = kc.makeApiClient(KubernetesObjectApi); await custom.listNamespacedCustomObject(args);`;
  const unresolved = problems(scanText('src/opaque.ts', opaque, { neighbourhood: opaque, groupOf }), {});
  t.equal(unresolved.length, 2, 'unresolvable calls fail until declared under reviewed:');
  t.same(
    problems(scanText('src/opaque.ts', opaque, { neighbourhood: opaque, groupOf }), {
      'src/opaque.ts': ['agents.platform/coderuns:list'],
    }),
    [],
    'and pass once declared with granted access',
  );
  t.same(
    problems(scanText('src/cli/reset.ts', drift, { neighbourhood: drift, groupOf }), {}),
    [],
    'operator-only code (CLI with the operator kubeconfig) is not held to the ServiceAccount',
  );  t.end();
});
