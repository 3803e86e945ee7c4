// @kubernetes/client-node 2.x against the simulated API server: typed CRUD, conflicts, status
// subresources, selectors, paging and pod logs behave as on a real cluster.
import { PassThrough } from 'node:stream';
import {
  ApiException,
  CoordinationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  Log,
  PatchStrategy,
  setHeaderOptions,
  V1MicroTime,
} from '@kubernetes/client-node';
import t from 'tap';
import { codeRunManifest, podManifest, startKubeSim, waitFor } from '../sim/kube/index.js';
import type { Wire } from '../sim/kube/index.js';

const CR = { group: 'agents.platform', version: 'v1', plural: 'coderuns' } as const;
const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

async function apiError(p: Promise<unknown>): Promise<ApiException<Wire>> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ApiException) return e;
    throw e;
  }
  throw new Error('expected an ApiException');
}

void t.test('client-node against the simulator', async (t) => {
  const sim = await startKubeSim();
  t.teardown(() => sim.close());
  const kc = new KubeConfig();
  kc.loadFromString(sim.kubeconfigYaml());
  t.equal(
    kc.getCurrentCluster()?.skipTLSVerify,
    true,
    'kubeconfig carries insecure-skip-tls-verify',
  );
  const core = kc.makeApiClient(CoreV1Api);
  const custom = kc.makeApiClient(CustomObjectsApi);
  const namespace = 'cto';

  await t.test('pods: create drops status, get, list, replace, delete', async (t) => {
    const body = {
      ...podManifest('p1', { labels: { agent: 'rex' } }),
      status: { phase: 'Running' },
    } as Wire;
    const created = await core.createNamespacedPod({ namespace, body });
    t.equal(created.metadata?.name, 'p1');
    t.ok(created.metadata?.uid);
    t.ok(
      created.metadata?.creationTimestamp instanceof Date,
      'creationTimestamp deserialises as a Date',
    );
    t.equal(created.status?.phase, 'Pending', 'status in a create body is dropped');
    const got = await core.readNamespacedPod({ namespace, name: 'p1' });
    t.equal(got.metadata?.resourceVersion, created.metadata?.resourceVersion);
    got.metadata!.labels = { ...got.metadata!.labels, stage: 'impl' };
    const replaced = await core.replaceNamespacedPod({ namespace, name: 'p1', body: got });
    t.equal(replaced.metadata?.labels?.stage, 'impl');
    t.ok(Number(replaced.metadata?.resourceVersion) > Number(created.metadata?.resourceVersion));
    const list = await core.listPodForAllNamespaces();
    t.same(
      list.items.map((p) => p.metadata?.name),
      ['p1'],
    );
    t.ok(list.metadata?.resourceVersion);
    const deleted = await core.deleteNamespacedPod({ namespace, name: 'p1' });
    t.equal(deleted.metadata?.name, 'p1', 'deleting a pod answers the pod');
    const e = await apiError(core.readNamespacedPod({ namespace, name: 'p1' }));
    t.equal(e.code, 404);
    t.match(JSON.parse(e.body as string), {
      kind: 'Status',
      reason: 'NotFound',
      message: 'pods "p1" not found',
    });
  });

  await t.test('a stale resourceVersion on replace answers 409 Conflict', async (t) => {
    const cm = await core.createNamespacedConfigMap({
      namespace,
      body: { metadata: { name: 'cm1' }, data: { a: '1' } },
    });
    await core.patchNamespacedConfigMap(
      { namespace, name: 'cm1', body: { data: { a: '2' } } },
      merge,
    );
    const e = await apiError(
      core.replaceNamespacedConfigMap({
        namespace,
        name: 'cm1',
        body: { ...cm, data: { a: '3' } },
      }),
    );
    t.equal(e.code, 409);
    const status = JSON.parse(e.body as string);
    t.equal(status.reason, 'Conflict');
    t.equal(
      status.message,
      'Operation cannot be fulfilled on configmaps "cm1": the object has been modified; please apply your changes to the latest version and try again',
    );
    const dup = await apiError(
      core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'cm1' } } }),
    );
    t.equal(dup.code, 409);
    t.equal(JSON.parse(dup.body as string).reason, 'AlreadyExists');
  });

  await t.test('leases: optimistic concurrency as leader election uses it', async (t) => {
    const coord = kc.makeApiClient(CoordinationV1Api);
    const lease = await coord.createNamespacedLease({
      namespace,
      body: { metadata: { name: 'healer' }, spec: { holderIdentity: 'a' } },
    });
    const mine = await coord.replaceNamespacedLease({
      namespace,
      name: 'healer',
      body: { ...lease, spec: { holderIdentity: 'b' } },
    });
    t.equal(mine.spec?.holderIdentity, 'b');
    const e = await apiError(
      coord.replaceNamespacedLease({
        namespace,
        name: 'healer',
        body: { ...lease, spec: { holderIdentity: 'c' } },
      }),
    );
    t.equal(e.code, 409);
  });

  await t.test(
    'leases: renewTime is a MicroTime (six fractional digits), as the real decoder wants',
    async (t) => {
      const coord = kc.makeApiClient(CoordinationV1Api);
      const at = new Date('2026-11-21T10:00:00.123Z');
      const ok = await coord.createNamespacedLease({
        namespace,
        body: {
          metadata: { name: 'micro' },
          spec: { holderIdentity: 'a', renewTime: new V1MicroTime(at), leaseDurationSeconds: 15 },
        },
      });
      t.equal(String(ok.spec?.renewTime as unknown), '2026-11-21T10:00:00.123000Z');
      const bad = await apiError(
        coord.createNamespacedLease({
          namespace,
          body: { metadata: { name: 'milli' }, spec: { holderIdentity: 'a', renewTime: at } },
        }),
      );
      t.equal(bad.code, 400, 'a plain Date (milliseconds) does not decode');
      t.match(JSON.parse(bad.body as string).message, /cannot be handled as a Lease: parsing time/);
      const zero = await apiError(
        coord.createNamespacedLease({
          namespace,
          body: { metadata: { name: 'zero' }, spec: { leaseDurationSeconds: 0 } },
        }),
      );
      t.equal(zero.code, 422);
    },
  );

  await t.test('CodeRuns through CustomObjectsApi, with the status subresource', async (t) => {
    const body = { ...codeRunManifest('play-1-rex'), status: { phase: 'Succeeded' } };
    const created: Wire = await custom.createNamespacedCustomObject({ ...CR, namespace, body });
    t.equal(created.status, undefined, 'status is dropped on create');
    t.equal(created.metadata.generation, 1);
    const patched: Wire = await custom.patchNamespacedCustomObject(
      {
        ...CR,
        namespace,
        name: 'play-1-rex',
        body: { spec: { model: 'opus' }, status: { phase: 'Failed' } },
      },
      merge,
    );
    t.equal(patched.spec.model, 'opus');
    t.equal(patched.status, undefined, 'status changes through the main resource are ignored');
    t.equal(patched.metadata.generation, 2);
    const withStatus: Wire = await custom.patchNamespacedCustomObjectStatus(
      { ...CR, namespace, name: 'play-1-rex', body: { status: { phase: 'Running' } } },
      merge,
    );
    t.equal(withStatus.status.phase, 'Running');
    t.equal(withStatus.metadata.generation, 2, 'a status write does not bump generation');
    const read: Wire = await custom.getNamespacedCustomObjectStatus({
      ...CR,
      namespace,
      name: 'play-1-rex',
    });
    t.equal(read.status.phase, 'Running');
    const replaced: Wire = await custom.replaceNamespacedCustomObjectStatus({
      ...CR,
      namespace,
      name: 'play-1-rex',
      body: { ...read, status: { phase: 'Succeeded' } },
    });
    t.equal(replaced.status.phase, 'Succeeded');
    const jsonPatched: Wire = await custom.patchNamespacedCustomObject({
      ...CR,
      namespace,
      name: 'play-1-rex',
      body: [
        { op: 'test', path: '/spec/model', value: 'opus' },
        { op: 'add', path: '/metadata/labels', value: { retry: '1' } },
      ],
    });
    t.equal(jsonPatched.metadata.labels.retry, '1', 'the default patch type is JSON patch');
    const failed = await apiError(
      custom.patchNamespacedCustomObject({
        ...CR,
        namespace,
        name: 'play-1-rex',
        body: [{ op: 'test', path: '/spec/model', value: 'x' }],
      }),
    );
    t.equal(failed.code, 422);
    const stale = await apiError(
      custom.replaceNamespacedCustomObject({ ...CR, namespace, name: 'play-1-rex', body: created }),
    );
    t.equal(stale.code, 409);
    const list: Wire = await custom.listNamespacedCustomObject({ ...CR, namespace });
    t.equal(list.kind, 'CodeRunList');
    t.equal(list.items[0].kind, 'CodeRun', 'custom resource list items keep kind');
    const del: Wire = await custom.deleteNamespacedCustomObject({
      ...CR,
      namespace,
      name: 'play-1-rex',
    });
    t.match(del, {
      kind: 'Status',
      status: 'Success',
      details: { name: 'play-1-rex', group: 'agents.platform', kind: 'coderuns' },
    });
  });

  await t.test(
    'CodeRun validation: missing and mistyped required fields answer 422 Invalid',
    async (t) => {
      const body = codeRunManifest('play-2-rex', { spec: { taskId: '2' } });
      delete (body.spec as Wire).model;
      const e = await apiError(custom.createNamespacedCustomObject({ ...CR, namespace, body }));
      t.equal(e.code, 422);
      const status = JSON.parse(e.body as string);
      t.equal(status.reason, 'Invalid');
      t.equal(
        status.message,
        'CodeRun.agents.platform "play-2-rex" is invalid: [spec.taskId: Invalid value: "string": spec.taskId in body must be of type integer: "string", spec.model: Required value]',
      );
      t.same(
        status.details.causes.map((c: Wire) => [c.reason, c.field]),
        [
          ['FieldValueTypeInvalid', 'spec.taskId'],
          ['FieldValueRequired', 'spec.model'],
        ],
      );
      const badName = await apiError(
        custom.createNamespacedCustomObject({ ...CR, namespace, body: codeRunManifest('Play_2') }),
      );
      t.equal(badName.code, 422);
      t.match(
        JSON.parse(badName.body as string).message,
        'metadata.name: Invalid value: "Play_2": a lowercase RFC 1123 subdomain',
      );
    },
  );

  await t.test('label and field selectors, limit and continue', async (t) => {
    for (let i = 0; i < 5; i++) {
      const labels: Record<string, string> = {
        agent: i % 2 ? 'rex' : 'cleo',
        'task-id': String(i),
      };
      if (i === 4) labels['healer.platform/exclude'] = 'true';
      await core.createNamespacedPod({
        namespace,
        body: podManifest(`sel-${i}`, { labels }) as Wire,
      });
    }
    sim.patchStatus('v1', 'Pod', namespace, 'sel-3', { status: { phase: 'Running' } });
    const names = async (opts: {
      labelSelector?: string;
      fieldSelector?: string;
    }): Promise<string[]> =>
      (await core.listNamespacedPod({ namespace, ...opts })).items.map((p) => p.metadata!.name!);
    t.same(await names({ labelSelector: 'agent=rex' }), ['sel-1', 'sel-3']);
    t.same(await names({ labelSelector: 'agent!=rex,task-id' }), ['sel-0', 'sel-2', 'sel-4']);
    t.same(await names({ labelSelector: 'task-id in (0, 4),!healer.platform/exclude' }), ['sel-0']);
    t.same(await names({ labelSelector: 'task-id notin (0,1,2)' }), ['sel-3', 'sel-4']);
    t.same(await names({ fieldSelector: 'status.phase=Running' }), ['sel-3']);
    t.same(await names({ fieldSelector: 'metadata.name!=sel-0,status.phase!=Running' }), [
      'sel-1',
      'sel-2',
      'sel-4',
    ]);
    const bad = await apiError(
      custom.listNamespacedCustomObject({
        ...CR,
        namespace,
        fieldSelector: 'status.phase=Running',
      }),
    );
    t.equal(bad.code, 400, 'custom resources only select on metadata fields');

    const seen: string[] = [];
    let _continue: string | undefined;
    let pages = 0;
    do {
      const page = await core.listNamespacedPod({
        namespace,
        limit: 2,
        ...(_continue ? { _continue } : {}),
      });
      seen.push(...page.items.map((p) => p.metadata!.name!));
      _continue = page.metadata?._continue;
      if (pages === 0) t.equal(page.metadata?.remainingItemCount, 3);
      pages++;
    } while (_continue);
    t.equal(pages, 3);
    t.same(seen, ['sel-0', 'sel-1', 'sel-2', 'sel-3', 'sel-4']);
  });

  await t.test('pod logs: tail, previous, errors, and follow through the Log class', async (t) => {
    await core.createNamespacedPod({
      namespace,
      body: podManifest('logs-1', { containers: ['agent', 'sidecar'] }) as Wire,
    });
    const start = new Date('2025-01-01T00:00:00.250Z');
    for (let i = 0; i < 3; i++)
      sim.appendLog(
        namespace,
        'logs-1',
        'agent',
        `line ${i}`,
        new Date(start.getTime() + i * 1000),
      );
    const tail = await core.readNamespacedPodLog({
      namespace,
      name: 'logs-1',
      container: 'agent',
      tailLines: 2,
      timestamps: true,
    });
    t.equal(tail, '2025-01-01T00:00:01.25Z line 1\n2025-01-01T00:00:02.25Z line 2\n');
    sim.appendLog(namespace, 'logs-1', 'sidecar', 'old', new Date(Date.now() - 120_000));
    sim.appendLog(namespace, 'logs-1', 'sidecar', 'new');
    const since = await core.readNamespacedPodLog({
      namespace,
      name: 'logs-1',
      container: 'sidecar',
      sinceSeconds: 60,
    });
    t.equal(since, 'new\n');
    const noContainer = await apiError(core.readNamespacedPodLog({ namespace, name: 'logs-1' }));
    t.equal(noContainer.code, 400);
    t.match(
      String(noContainer.body),
      'a container name must be specified for pod logs-1, choose one of: [agent sidecar]',
    );
    const noPrevious = await apiError(
      core.readNamespacedPodLog({ namespace, name: 'logs-1', container: 'agent', previous: true }),
    );
    t.equal(noPrevious.code, 400);
    sim.restartContainer(namespace, 'logs-1', 'agent');
    t.equal(
      await core.readNamespacedPodLog({
        namespace,
        name: 'logs-1',
        container: 'agent',
        previous: true,
      }),
      'line 0\nline 1\nline 2\n',
    );

    const out = new PassThrough();
    let text = '';
    out.on('data', (d: Buffer) => (text += d.toString()));
    const ended = new Promise<void>((resolve) => out.on('end', resolve));
    sim.appendLog(namespace, 'logs-1', 'agent', 'after restart');
    const req = await new Log(kc).log(namespace, 'logs-1', 'agent', out, { follow: true });
    await waitFor(() => text.includes('after restart'), { what: 'existing line' });
    sim.appendLog(namespace, 'logs-1', 'agent', 'live line');
    await waitFor(() => text.includes('live line'), { what: 'followed line' });
    await core.deleteNamespacedPod({ namespace, name: 'logs-1' });
    await ended;
    t.equal(text, 'after restart\nlive line\n', 'the follow stream ends when the pod is deleted');
    req.abort();
  });
});
