// The Helm chart: `helm lint --strict` and rendering with default values and with every optional
// feature on; every rendered object validated against the Kubernetes schemas (kubernetes-models)
// with unknown fields reported; the objects the spec asks for; a misspelt template field caught.
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import t from 'tap';
import { parse } from 'yaml';
import {
  ALL_FEATURES,
  CHART,
  ROOT,
  type KubeObject,
  find,
  helm,
  render,
  validateAll,
} from './chart.js';
import { testHealer } from '../helpers/healer.js';

const one = (objs: KubeObject[], kind: string, name?: string): KubeObject => {
  const found = find(objs, kind, name);
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name ?? ''}, found ${found.length}`);
  return found[0];
};
const container = (objs: KubeObject[]) => one(objs, 'Deployment').spec.template.spec.containers[0];
const envOf = (objs: KubeObject[]) =>
  Object.fromEntries(
    (container(objs).env as { name: string; value?: string; valueFrom?: unknown }[]).map((e) => [
      e.name,
      e.value ?? e.valueFrom,
    ]),
  );

const VALUE_SETS: [string, string[], string[]][] = [
  ['default values', [], []],
  ['every optional feature on', [ALL_FEATURES], []],
  // All features, but per-namespace Roles instead of the ClusterRole.
  ['every feature, namespaced RBAC', [ALL_FEATURES], ['watch.clusterWide=false']],
];

void t.test('helm lint --strict passes for both value sets', (t) => {
  for (const [name, values] of VALUE_SETS.slice(0, 2)) {
    const r = helm(['lint', '--strict', CHART, ...values.flatMap((f) => ['-f', f])]);
    t.equal(r.status, 0, `${name}: exit 0\n${r.stdout}${r.stderr}`);
    t.match(r.stdout, /1 chart\(s\) linted, 0 chart\(s\) failed/, name);
    t.notMatch(r.stdout, /\[(WARNING|ERROR)\]/, `${name}: no warning`);
  }  t.end();
});

void t.test('every rendered object is valid for Kubernetes, with no unknown field', async (t) => {
  for (const [name, values, set] of VALUE_SETS) {
    const objs = render({ values, set });
    t.ok(objs.length >= 10, `${name}: ${objs.length} objects`);
    t.same(await validateAll(objs), [], `${name}: ${objs.map((o) => o.kind).join(', ')}`);
    for (const o of objs) {
      if (o.kind === 'ClusterRole' || o.kind === 'ClusterRoleBinding') continue;
      t.ok(o.metadata.namespace, `${name}: ${o.kind}/${o.metadata.name} has a namespace`);
    }
  }
});

void t.test('default values: the objects the spec lists', (t) => {
  const objs = render();
  const svc = one(objs, 'Service', 'cto-healer');
  t.match(svc, {
    metadata: { namespace: 'cto' },
    spec: { type: 'ClusterIP', ports: [{ name: 'http', port: 8083, targetPort: 'http' }] },
  }, 'Service cto-healer:8083: the platform default http://cto-healer:8083');
  t.same(svc.spec.ports.length, 1);

  const deploy = one(objs, 'Deployment', 'cto-healer');
  t.same(deploy.spec.selector.matchLabels, svc.spec.selector, 'Service selects the pods');
  t.equal(deploy.spec.strategy.type, 'Recreate', 'one SQLite writer at a time');
  t.same(deploy.spec.template.spec.affinity, {
    podAntiAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [
        {
          weight: 100,
          podAffinityTerm: {
            topologyKey: 'kubernetes.io/hostname',
            labelSelector: { matchLabels: deploy.spec.selector.matchLabels },
          },
        },
      ],
    },
  }, 'pod anti-affinity by default (soft)');
  const pod = deploy.spec.template.spec;
  t.equal(pod.serviceAccountName, 'cto-healer');
  t.match(pod.securityContext, { runAsNonRoot: true, runAsUser: 10001, fsGroup: 10001 });
  const c = container(objs);
  t.match(c.securityContext, {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    privileged: false,
    capabilities: { drop: ['ALL'] },
  }, 'locked-down container');
  t.match(c.livenessProbe, { httpGet: { path: '/health', port: 'http' } });
  t.match(c.readinessProbe, { httpGet: { path: '/ready', port: 'http' } });
  t.match(c.startupProbe, { httpGet: { path: '/health' } });
  t.ok(c.resources.requests.cpu && c.resources.requests.memory && c.resources.limits.memory);
  t.same(c.ports, [{ name: 'http', containerPort: 8083, protocol: 'TCP' }]);

  const env = envOf(objs);
  t.match(env, {
    HEALER_NAMESPACES: 'cto',
    HEALER_STORE: 'sqlite:/data/healer.db',
    HEALER_CONFIG: '/etc/healer/heal-config.json',
    HEALER_PROMPTS_DIR: '/app/prompts',
    HEALER_PORT: '8083',
    HEALER_REPLICAS: '1',
  });
  t.notOk('HEALER_LEADER_LEASE' in env, 'no leader election with SQLite');
  t.match(
    env,
    { HEALER_RESOURCE_CHECKS: 'false', HEALER_PLATFORM_CHECKS: 'false' },
    'proactive checks off without their ClusterRole',
  );
  t.match(
    envOf(render({ set: ['platformChecks.enabled=true'] })),
    { HEALER_RESOURCE_CHECKS: 'true', HEALER_PLATFORM_CHECKS: 'true' },
    'and on with it',
  );
  t.equal(find(objs, 'Cluster').length, 0, 'no CloudNativePG Cluster by default');
  for (const name of [
    'GITHUB_TOKEN',
    'GITHUB_APP_ID',
    'GITHUB_APP_PRIVATE_KEY',
    'GITHUB_APP_INSTALLATION_ID',
    'DISCORD_WEBHOOK_URL',
    'SLACK_WEBHOOK_URL',
    'PAGERDUTY_ROUTING_KEY',
    'HEALER_WEBHOOK_URL',
    'OPENMEMORY_API_KEY',
    'HEALER_API_TOKEN',
  ])
    t.same(env[name], { secretKeyRef: { name: 'cto-healer-secrets', key: name, optional: true } }, `${name} from the Secret`);

  const mounts = Object.fromEntries(
    (c.volumeMounts as { name: string; mountPath: string }[]).map((m) => [m.mountPath, m.name]),
  );
  t.same(mounts, {
    '/etc/healer': 'config',
    '/tmp': 'tmp',
    '/data': 'data',
    '/app/prompts': 'prompts',
    '/app/patterns/catalogue.yaml': 'patterns',
  }, 'writable: /data and /tmp only; config, prompts and patterns read-only');
  const data = (pod.volumes as { name: string; persistentVolumeClaim?: { claimName: string } }[])
    .find((v) => v.name === 'data');
  t.same(data?.persistentVolumeClaim, { claimName: 'cto-healer-data' });
  t.match(one(objs, 'PersistentVolumeClaim', 'cto-healer-data'), {
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
  });

  t.ok(one(objs, 'ServiceAccount', 'cto-healer'));
  t.ok(one(objs, 'ConfigMap', 'cto-healer-config').data['heal-config.json']);
  t.ok(one(objs, 'NetworkPolicy', 'cto-healer'));
  t.equal(find(objs, 'PodDisruptionBudget').length, 0, 'no PDB with one replica');
  t.equal(find(objs, 'ServiceMonitor').length, 0, 'ServiceMonitor off by default');
  t.equal(find(objs, 'PrometheusRule').length, 0, 'PrometheusRule off by default');
  t.equal(find(objs, 'ConfigMap', 'cto-healer-grafana-dashboard').length, 0, 'dashboard off by default');
  t.equal(find(objs, 'Secret').length, 0, 'the chart never creates a Secret');

  const test = one(objs, 'Pod', 'cto-healer-test-ready');
  t.equal(test.metadata.annotations?.['helm.sh/hook'], 'test');
  t.match(test.spec.containers[0].command.join(' '), /http:\/\/cto-healer\.cto\.svc:8083\/ready/);
  t.notOk(test.metadata.labels?.['app.kubernetes.io/name'], 'the test pod is not selected by the Service');  t.end();
});

void t.test('OpenMemory: the URL from values, the key from the Secret; unset by default', (t) => {
  t.notOk('OPENMEMORY_URL' in envOf(render()), 'no memory unless configured');
  const env = envOf(render({ set: ['config.openMemoryUrl=http://openmemory.cto.svc:8080'] }));
  t.equal(env.OPENMEMORY_URL, 'http://openmemory.cto.svc:8080');
  t.end();
});

void t.test('NetworkPolicy: port 8083 from the MCP server, monitoring and the helm test', (t) => {
  const np = one(render(), 'NetworkPolicy');
  t.same(np.spec.policyTypes, ['Ingress']);
  t.equal(np.spec.ingress.length, 1);
  t.same(np.spec.ingress[0].ports, [{ port: 'http', protocol: 'TCP' }]);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- rendered manifests: tests look inside by shape
  const from = np.spec.ingress[0].from as Record<string, any>[];
  t.same(from[0], {
    namespaceSelector: {
      matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['cto'] }],
    },
    podSelector: {},
  }, 'MCP server: pods of the release namespace by default');
  t.same(from[1].namespaceSelector, { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } });
  t.same(from[2].podSelector.matchLabels, {
    'app.kubernetes.io/instance': 'cto',
    'app.kubernetes.io/component': 'helm-test',
  });
  t.equal(from.length, 3);  t.end();
});

void t.test('every optional feature on', (t) => {
  const objs = render({ values: [ALL_FEATURES] });
  t.match(one(objs, 'PodDisruptionBudget'), { spec: { minAvailable: 1 } }, 'PDB with 2 replicas');
  t.match(one(objs, 'ServiceMonitor'), {
    metadata: { labels: { release: 'kube-prometheus-stack' } },
    spec: { endpoints: [{ port: 'http', path: '/metrics', interval: '15s' }] },
  });
  t.equal(find(objs, 'PersistentVolumeClaim').length, 0, 'no PVC with the PostgreSQL store');
  const deploy = one(objs, 'Deployment');
  t.equal(deploy.spec.replicas, 2);
  t.same(deploy.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } });
  t.same(
    Object.keys(deploy.spec.template.spec.affinity.podAntiAffinity),
    ['preferredDuringSchedulingIgnoredDuringExecution'],
    'an explicit affinity wins over podAntiAffinity',
  );
  const env = envOf(objs);
  t.same(env.HEALER_STORE, { secretKeyRef: { name: 'healer-postgres', key: 'dsn' } }, 'the URL from the Secret');
  t.same(env.POD_NAME, { fieldRef: { fieldPath: 'metadata.name' } }, 'identity from the downward API');
  t.match(env, {
    HEALER_LEADER_LEASE: 'healer-primary',
    HEALER_LEADER_NAMESPACE: 'cto',
    HEALER_REPLICAS: '2',
    HEALER_NAMESPACES: '*',
    LOKI_URL: 'http://loki-gateway.monitoring.svc:80',
    HEALER_API_TOKEN_READS: 'true',
    NODE_OPTIONS: '--max-old-space-size=384',
  });
  t.notOk('GITHUB_TOKEN' in env, 'a key set to "" drops the reference');
  t.same(env.HEALER_API_TOKEN, { secretKeyRef: { name: 'healer-tokens', key: 'api-token', optional: true } });
  t.notOk(
    (container(objs).volumeMounts as { mountPath: string }[]).some((m) => m.mountPath === '/data'),
    'no /data volume with the PostgreSQL store',
  );
  const heal = JSON.parse(one(objs, 'ConfigMap', 'cto-healer-config').data['heal-config.json']);
  t.match(heal, { coderun: { namespace: 'agents' }, remediation: { mode: 'evaluate-then-fix' } });
  const prompts = one(objs, 'ConfigMap', 'cto-healer-prompts').data;
  t.equal(prompts['alerts__a7-pod-failure.hbs'], 'Custom A7 prompt for {{alert.pod}}.\n', 'prompt override');
  t.match(container(objs).image, 'registry.example.com/healer:0.1.0-test');  t.end();
});

void t.test('Grafana dashboard and PrometheusRule: on in values, about metrics Healer exports', async (t) => {
  const objs = render({ values: [ALL_FEATURES] });
  const cm = one(objs, 'ConfigMap', 'cto-healer-grafana-dashboard');
  t.equal(cm.metadata.labels?.grafana_dashboard, '1', "the sidecar's label");
  t.equal(cm.metadata.annotations?.grafana_folder, 'Healer');
  const dashboard = JSON.parse(cm.data['healer.json'] as string) as {
    uid: string;
    panels: { title: string; targets: { expr: string }[] }[];
  };
  t.same(
    JSON.parse(readFileSync(join(CHART, 'dashboards', 'healer.json'), 'utf8')),
    dashboard,
    'the shipped file, unchanged',
  );
  const titles = dashboard.panels.map((p) => p.title);
  for (const want of [
    /Sessions/,
    /Incidents by state/,
    /Detection latency/,
    /Watch age/,
    /Loki gaps/,
    /Outbox outcomes/,
    /GitHub rate limit/,
  ])
    t.ok(titles.some((x) => want.test(x)), `a panel for ${want.source}`);

  const rule = one(objs, 'PrometheusRule');
  t.equal(rule.metadata.labels?.release, 'kube-prometheus-stack');
  const rules = (rule.spec.groups as { rules: { alert: string; expr: string; for?: string; labels: Record<string, string> }[] }[])
    .flatMap((g) => g.rules);
  t.same(
    rules.map((r) => r.alert),
    ['HealerWatchStale', 'HealerLokiGap', 'HealerOutboxFailing', 'HealerNoLeader', 'HealerStoreUnavailable'],
  );
  t.equal(rules.find((r) => r.alert === 'HealerOutboxFailing')?.for, '10m', 'failing for 10 min');
  for (const r of rules) {
    t.match(r.expr, /job="cto-healer",namespace="cto"/, `${r.alert} selects this release`);
    t.equal(r.labels.team, 'platform', 'extra alert labels');
  }
  const sqlite = render({ set: ['prometheusRule.enabled=true'] });
  t.notOk(
    JSON.stringify(one(sqlite, 'PrometheusRule')).includes('HealerNoLeader'),
    'no leader alert with a single SQLite replica (nothing elects)',
  );

  // Every Healer metric the dashboard and the rules read is one a running Healer exports
  // (healer_leader comes from leader election, exported only with the PostgreSQL store).
  const { app } = await testHealer();
  t.teardown(() => app.close());
  const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
  const exported = new Set([...text.matchAll(/^# TYPE (\S+) (\w+)$/gm)].flatMap(([, name, type]) =>
    type === 'histogram' ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name],
  ));
  const exprs = [...dashboard.panels.flatMap((p) => p.targets.map((x) => x.expr)), ...rules.map((r) => r.expr)];
  const used = new Set(exprs.flatMap((e) => [...e.matchAll(/\b(healer_[a-z_]+)/g)].map((m) => m[1])));
  for (const name of used)
    if (name === 'healer_leader') t.comment('healer_leader: exported by the leader elector (PostgreSQL store)');
    else t.ok(exported.has(name), `${name} is exported`);
  t.ok(used.size >= 10, `${used.size} metrics used`);
});

void t.test('PostgreSQL from a CloudNativePG Cluster (postgres.cloudnativepg.enabled)', async (t) => {
  const objs = render({
    set: [
      'replicaCount=3',
      'postgres.cloudnativepg.enabled=true',
      'postgres.cloudnativepg.storage.storageClass=fast',
      'postgres.cloudnativepg.resources.requests.memory=512Mi',
    ],
  });
  t.same(await validateAll(objs), [], 'every object valid, the Cluster against its CRD subset');
  const cluster = one(objs, 'Cluster', 'cto-healer-pg');
  t.match(cluster, {
    apiVersion: 'postgresql.cnpg.io/v1',
    metadata: { namespace: 'cto' },
    spec: {
      instances: 2,
      bootstrap: { initdb: { database: 'healer', owner: 'healer' } },
      storage: { size: '5Gi', storageClass: 'fast' },
      resources: { requests: { memory: '512Mi' } },
    },
  });
  t.same(envOf(objs).HEALER_STORE, { secretKeyRef: { name: 'cto-healer-pg-app', key: 'uri' } },
    "the operator's app Secret");
  t.equal(one(objs, 'Deployment').spec.replicas, 3);
  t.equal(one(objs, 'Deployment').spec.strategy.type, 'RollingUpdate');
  t.ok(one(objs, 'Role', 'cto-healer-leader'));
  t.match(one(objs, 'PodDisruptionBudget'), { spec: { minAvailable: 1 } });
  t.equal(find(objs, 'PersistentVolumeClaim').length, 0);
});

/** Every file under dir, relative paths. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p).map((f) => `${name}/${f}`) : [name];
  });
}

void t.test('prompts and catalogue ConfigMaps carry the repository files', (t) => {
  const objs = render();
  const cm = one(objs, 'ConfigMap', 'cto-healer-prompts');
  const files = filesUnder(join(ROOT, 'prompts')).sort();
  const items = one(objs, 'Deployment').spec.template.spec.volumes.find(
    (v: { name: string }) => v.name === 'prompts',
  ).configMap.items as { key: string; path: string }[];
  t.same(items.map((i) => i.path).sort(), files, 'every prompt file is mounted at its path');
  for (const { key, path } of items)
    t.equal(cm.data[key], readFileSync(join(ROOT, 'prompts', path), 'utf8'), path);
  t.ok(files.every((f) => !f.includes('__')), 'no file name holds the "__" path separator');
  const size = Buffer.byteLength(JSON.stringify(cm.data));
  t.ok(size < 900 * 1024, `prompts ConfigMap ${size} bytes, under the 1 MiB limit`);
  t.equal(
    one(objs, 'ConfigMap', 'cto-healer-patterns').data['catalogue.yaml'],
    readFileSync(join(ROOT, 'patterns/catalogue.yaml'), 'utf8'),
  );
  t.ok(parse(one(objs, 'ConfigMap', 'cto-healer-patterns').data['catalogue.yaml']));  t.end();
});

void t.test('the platform\'s name for the API: cto-healer-play-api:8083 serves the same pods', (t) => {
  const objs = render();
  const main = one(objs, 'Service', 'cto-healer');
  const alias = one(objs, 'Service', 'cto-healer-play-api');
  t.same(alias.spec.selector, main.spec.selector, 'the same pods');
  t.same(alias.spec.ports, [{ name: 'http', port: 8083, targetPort: 'http', protocol: 'TCP' }]);
  t.same(
    one(objs, 'Deployment').spec.selector.matchLabels,
    alias.spec.selector,
    'it selects the Deployment\'s pods',
  );
  t.same(
    find(render({ set: ['service.aliases=null'] }), 'Service').map((s) => s.metadata.name),
    ['cto-healer'],
    'aliases: [] (or null) renders the main Service only',
  );
  t.same(
    find(render({ set: ['service.aliases={healer-api,cto-healer}'] }), 'Service')
      .map((s) => s.metadata.name)
      .sort(),
    ['cto-healer', 'healer-api'],
    'names are configurable; one equal to the main Service is not rendered twice',
  );
  t.throws(
    () => render({ set: ['service.aliases={Not_A_Name}'] }),
    /aliases/,
    'a name Kubernetes would refuse is refused by the schema',
  );
  t.end();
});

void t.test('a patterns ConfigMap does not hide the shipped gitleaks rules', (t) => {
  const objs = render();
  const mounts = container(objs).volumeMounts as {
    name: string;
    mountPath: string;
    subPath?: string;
  }[];
  const patterns = mounts.find((m) => m.name === 'patterns');
  t.match(patterns, { mountPath: '/app/patterns/catalogue.yaml', subPath: 'catalogue.yaml' });
  const hidden = mounts.filter(
    (m) =>
      !m.subPath &&
      ['/app/patterns', '/app/patterns/secrets', '/app/patterns/secrets/gitleaks.toml'].includes(
        m.mountPath.replace(/\/$/, ''),
      ),
  );
  t.same(hidden, [], 'nothing is mounted over /app/patterns or its secrets folder');
  // the image's paths the redactor and the classifier read
  t.ok(readFileSync(join(ROOT, 'patterns/secrets/gitleaks.toml'), 'utf8').includes('[[rules]]'));
  t.end();
});

void t.test('naming: release cto -> cto-healer; overrides', (t) => {
  t.ok(one(render({ release: 'healer' }), 'Service', 'healer'), 'a release named healer keeps its name');
  t.ok(one(render({ release: 'prod' }), 'Service', 'prod-healer'));
  t.ok(one(render({ set: ['fullnameOverride=watchdog'] }), 'Service', 'watchdog'));  t.end();
});

void t.test('values are checked: schema and chart rules', (t) => {
  const cases: [string[], RegExp][] = [
    [['store.persistance.enabled=true'], /additional properties 'persistance' not allowed/],
    [['replicaCount=2'], /at '\/replicaCount': maximum: got 2, want 1/], // SQLite: one writer
    [['store.kind=kubernetes'], /additional properties 'kind' not allowed/],
    [['store.postgres.existingSecret=pg', 'postgres.cloudnativepg.enabled=true'], /not both/],
    [['podAntiAffinity=sometimes'], /podAntiAffinity/],
    [['store.sqlite.path=/var/lib/healer.db'], /store\/sqlite\/path/],
    [['healConfig.coderun.namespace=agents'], /coderun\.namespace "agents" is not watched/],
    [['securityContext.allowPrivilegeEscalation=true'], /allowPrivilegeEscalation/],
    [['config.logLevel=verbose'], /logLevel/],
  ];
  for (const [set, expected] of cases) {
    const r = helm(['template', 'cto', CHART, '-n', 'cto', ...set.flatMap((s) => ['--set', s])]);
    t.not(r.status, 0, `--set ${set.join(' ')} is refused`);
    t.match(r.stderr, expected);
  }  t.end();
});

void t.test('helm install --dry-run prints NOTES with how to curl the active sessions', (t) => {
  const r = helm(['install', 'cto', CHART, '-n', 'cto', '--dry-run=client']);
  t.equal(r.status, 0, r.stderr);
  const notes = r.stdout.slice(r.stdout.indexOf('NOTES:'));
  t.match(notes, /port-forward svc\/cto-healer 8083:8083/);
  t.match(notes, /curl -s http:\/\/localhost:8083\/api\/v1\/sessions\/active/);
  t.match(notes, /http:\/\/cto-healer:8083/);  t.end();
});

void t.test('a misspelt field in a template fails the check', async (t) => {
  // A copy of the chart (symlinked prompts/patterns resolved) with one typo in the Deployment.
  const dir = mkdtempSync(join(tmpdir(), 'healer-chart-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const chart = join(dir, 'healer');
  cpSync(CHART, chart, { recursive: true, dereference: true });
  const file = join(chart, 'templates/deployment.yaml');
  const text = readFileSync(file, 'utf8');
  t.match(text, /\n {10}readinessProbe:\n/);
  writeFileSync(file, text.replace(/\n( {10})readinessProbe:\n/, '\n$1readinesProbe:\n'));

  // helm itself accepts it: lint --strict and template both pass…
  const lint = helm(['lint', '--strict', chart]);
  t.equal(lint.status, 0, 'helm lint --strict does not notice');
  const objs = render({ chart });
  // …kubernetes-models' type checks pass too (it ignores unknown names)…
  const problems = await validateAll(objs);
  // …and the unknown-field check names the typo.
  t.same(problems, [
    'Deployment/cto-healer: unknown field /spec/template/spec/containers/0/readinesProbe',
  ]);
  t.comment(`typo copy at ${relative(ROOT, chart) || chart}: ${problems.join('; ')}`);

  // The same holds for a typo in a free-form-looking place: a Service port field.
  const svc = join(chart, 'templates/service.yaml');
  writeFileSync(svc, readFileSync(svc, 'utf8').replace('targetPort: http', 'targetport: http'));
  // (the template renders two Services: the main one and cto-healer-play-api)
  t.same((await validateAll(render({ chart }))).sort(), [
    'Deployment/cto-healer: unknown field /spec/template/spec/containers/0/readinesProbe',
    'Service/cto-healer-play-api: unknown field /spec/ports/0/targetport',
    'Service/cto-healer: unknown field /spec/ports/0/targetport',
  ]);
});

void t.test('a wrong type or a missing required field fails the check', async (t) => {
  const objs = render();
  const deploy = structuredClone(one(objs, 'Deployment'));
  deploy.spec.replicas = 'one';
  delete deploy.spec.selector;
  const problems = await validateAll([deploy]);
  t.match(problems.join('\n'), /replicas must be integer/);
  t.match(problems.join('\n'), /selector/);
});
