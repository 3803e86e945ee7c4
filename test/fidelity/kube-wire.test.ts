// Wire-level write semantics of the simulated API server, checked with plain fetch: Status errors,
// generateName, conflicts, finalizers, status subresources, patch types and pod log options.
import t from 'tap';
import { codeRunManifest, podManifest, rawClient, startKubeSim } from '../sim/kube/index.js';
import type { Wire } from '../sim/kube/index.js';

void t.test('writes', async (t) => {
  const sim = await startKubeSim();
  t.teardown(() => sim.close());
  const api = rawClient(sim);
  const pods = '/api/v1/namespaces/cto/pods';

  await t.test('POST answers 201, stamps server fields, honours generateName', async (t) => {
    const r = await api('POST', pods, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { generateName: 'rex-' },
      spec: { containers: [{ name: 'a', image: 'img:1' }] },
    });
    t.equal(r.status, 201);
    t.match(r.json.metadata, {
      name: /^rex-[a-z0-9]{5}$/,
      namespace: 'cto',
      uid: /^[0-9a-f-]{36}$/,
      resourceVersion: /^\d+$/,
      creationTimestamp: /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
    });
    t.match(r.json.spec, {
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
      containers: [{ imagePullPolicy: 'IfNotPresent' }],
    });
    t.same(r.json.status, { phase: 'Pending', qosClass: 'BestEffort' });
  });

  await t.test(
    'list items of built-in types carry no kind; a resourceVersion is global across kinds',
    async (t) => {
      const before = sim.stats.resourceVersion;
      const cm = await api('POST', '/api/v1/namespaces/cto/configmaps', {
        metadata: { name: 'x' },
      });
      const cr = await api(
        'POST',
        '/apis/agents.platform/v1/namespaces/cto/coderuns',
        codeRunManifest('cr-1'),
      );
      t.equal(Number(cm.json.metadata.resourceVersion), before + 1);
      t.equal(Number(cr.json.metadata.resourceVersion), before + 2);
      const list = (await api('GET', pods)).json;
      t.equal(list.kind, 'PodList');
      t.equal(list.apiVersion, 'v1');
      t.equal(list.metadata.resourceVersion, String(before + 2));
      t.equal(list.items[0].kind, undefined);
    },
  );

  await t.test('errors are Status objects with the real wording', async (t) => {
    const nf = await api('GET', `${pods}/nope`);
    t.same(nf.json, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'pods "nope" not found',
      reason: 'NotFound',
      details: { name: 'nope', kind: 'pods' },
      code: 404,
    });
    const crNf = await api('GET', '/apis/agents.platform/v1/namespaces/cto/coderuns/nope');
    t.equal(crNf.json.message, 'coderuns.agents.platform "nope" not found');
    t.same(crNf.json.details, { name: 'nope', group: 'agents.platform', kind: 'coderuns' });
    const ns = await api(
      'POST',
      '/api/v1/namespaces/ghost/pods',
      podManifest('p', { namespace: 'ghost' }),
    );
    t.equal(ns.status, 404);
    t.equal(ns.json.message, 'namespaces "ghost" not found');
    const mismatch = await api('POST', pods, podManifest('p', { namespace: 'default' }));
    t.equal(mismatch.status, 400);
    t.equal(
      mismatch.json.message,
      'the namespace of the provided object does not match the namespace sent on the request',
    );
    const noContainers = await api('POST', pods, { metadata: { name: 'empty' }, spec: {} });
    t.equal(noContainers.status, 422);
    t.equal(noContainers.json.message, 'Pod "empty" is invalid: spec.containers: Required value');
    const badJson = await api('POST', pods, '{not json');
    t.equal(badJson.status, 400);
    const wrongToken = await fetch(sim.url + pods, { headers: { Authorization: 'Bearer wrong' } });
    t.equal(wrongToken.status, 401);
  });

  await t.test(
    'PUT: conflicts, CRs require resourceVersion, no-op updates write nothing',
    async (t) => {
      const p = (await api('POST', pods, podManifest('put-1'))).json;
      const ok = await api('PUT', `${pods}/put-1`, {
        ...p,
        metadata: { ...p.metadata, labels: { a: '1' } },
      });
      t.equal(ok.status, 200);
      const stale = await api('PUT', `${pods}/put-1`, {
        ...p,
        metadata: { ...p.metadata, labels: { a: '2' } },
      });
      t.equal(stale.status, 409);
      t.equal(
        stale.json.message,
        'Operation cannot be fulfilled on pods "put-1": the object has been modified; please apply your changes to the latest version and try again',
      );
      const noRv = await api('PUT', `${pods}/put-1`, {
        ...ok.json,
        metadata: { ...ok.json.metadata, resourceVersion: undefined, labels: { a: '3' } },
      });
      t.equal(noRv.status, 200, 'pods allow unconditional updates');
      const rv = sim.stats.resourceVersion;
      const same = await api('PUT', `${pods}/put-1`, noRv.json);
      t.equal(same.json.metadata.resourceVersion, noRv.json.metadata.resourceVersion);
      t.equal(sim.stats.resourceVersion, rv, 'a no-op update does not move the resourceVersion');
      const cr = sim.get('agents.platform/v1', 'CodeRun', 'cto', 'cr-1')!;
      delete (cr.metadata as Wire).resourceVersion;
      const crNoRv = await api('PUT', '/apis/agents.platform/v1/namespaces/cto/coderuns/cr-1', cr);
      t.equal(crNoRv.status, 422);
      t.match(
        crNoRv.json.message,
        'metadata.resourceVersion: Invalid value: 0x0: must be specified for an update',
      );
      const rename = await api('PUT', `${pods}/put-1`, {
        ...noRv.json,
        metadata: { ...noRv.json.metadata, name: 'other' },
      });
      t.equal(rename.status, 400);
    },
  );

  await t.test(
    'status subresource: only status changes; the main resource ignores status',
    async (t) => {
      await api('POST', pods, podManifest('st-1'));
      const st = await api(
        'PATCH',
        `${pods}/st-1/status`,
        { status: { phase: 'Running' }, metadata: { labels: { sneaky: 'yes' } } },
        'application/merge-patch+json',
      );
      t.equal(st.json.status.phase, 'Running');
      t.equal(
        st.json.metadata.labels.sneaky,
        undefined,
        'metadata changes through /status are ignored',
      );
      const main = await api(
        'PATCH',
        `${pods}/st-1`,
        { status: { phase: 'Failed' } },
        'application/merge-patch+json',
      );
      t.equal(main.json.status.phase, 'Running');
      const get = await api('GET', `${pods}/st-1/status`);
      t.equal(get.json.kind, 'Pod');
      const wf = await api('POST', '/apis/argoproj.io/v1alpha1/namespaces/cto/workflows', {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Workflow',
        metadata: { name: 'play-1' },
        spec: {},
        status: { phase: 'Running' },
      });
      t.equal(
        wf.json.status.phase,
        'Running',
        'Argo workflows keep status: their CRD has no status subresource',
      );
      t.equal(
        (await api('GET', '/apis/argoproj.io/v1alpha1/namespaces/cto/workflows/play-1/status'))
          .status,
        404,
      );
    },
  );

  await t.test(
    'patch types: merge, JSON patch, strategic merge on pods, 415 for others',
    async (t) => {
      await api('POST', pods, podManifest('pt-1', { containers: ['a', 'b'] }));
      const smp = await api(
        'PATCH',
        `${pods}/pt-1`,
        { spec: { containers: [{ name: 'b', image: 'new:2' }] } },
        'application/strategic-merge-patch+json',
      );
      t.same(
        smp.json.spec.containers.map((c: Wire) => `${c.name}=${c.image}`),
        ['a=ghcr.io/5dlabs/a:1.0.0', 'b=new:2'],
        'containers merge by name',
      );
      const mp = await api(
        'PATCH',
        `${pods}/pt-1`,
        { metadata: { labels: { x: '1', y: '2' } } },
        'application/merge-patch+json',
      );
      t.same(mp.json.metadata.labels, { x: '1', y: '2' });
      const del = await api(
        'PATCH',
        `${pods}/pt-1`,
        { metadata: { labels: { x: null } } },
        'application/merge-patch+json',
      );
      t.same(del.json.metadata.labels, { y: '2' }, 'null deletes in a merge patch');
      const jp = await api(
        'PATCH',
        `${pods}/pt-1`,
        [
          { op: 'copy', from: '/metadata/labels/y', path: '/metadata/labels/z' },
          { op: 'move', from: '/metadata/labels/y', path: '/metadata/labels/w' },
          { op: 'replace', path: '/metadata/labels/z', value: '3' },
          { op: 'add', path: '/metadata/annotations', value: { note: 'a/b' } },
          { op: 'remove', path: '/metadata/annotations/note' },
        ],
        'application/json-patch+json',
      );
      t.same(jp.json.metadata.labels, { z: '3', w: '2' });
      t.same(jp.json.metadata.annotations, {});
      const bad = await api('PATCH', `${pods}/pt-1`, '{}', 'text/plain');
      t.equal(bad.status, 415);
      t.equal(bad.json.reason, 'UnsupportedMediaType');
      const precondition = await api(
        'PATCH',
        `${pods}/pt-1`,
        { metadata: { resourceVersion: '1', labels: { q: '1' } } },
        'application/merge-patch+json',
      );
      t.equal(precondition.status, 409, 'a resourceVersion in a patch is a precondition');
    },
  );

  await t.test(
    'delete: pods answer the pod, others a Success Status; finalizers hold the object',
    async (t) => {
      const pod = await api('DELETE', `${pods}/pt-1`);
      t.equal(pod.json.kind, 'Pod');
      const cm = await api('DELETE', '/api/v1/namespaces/cto/configmaps/x');
      t.match(cm.json, {
        kind: 'Status',
        status: 'Success',
        details: { name: 'x', kind: 'configmaps' },
      });
      await api('POST', '/api/v1/namespaces/cto/configmaps', {
        metadata: { name: 'held', finalizers: ['healer.platform/cleanup'] },
      });
      const held = await api('DELETE', '/api/v1/namespaces/cto/configmaps/held');
      t.equal(held.status, 200);
      const still = sim.get('v1', 'ConfigMap', 'cto', 'held')!;
      t.ok(still.metadata.deletionTimestamp, 'deletionTimestamp is set while a finalizer remains');
      sim.patchMerge('v1', 'ConfigMap', 'cto', 'held', { metadata: { finalizers: null } });
      t.equal(
        sim.get('v1', 'ConfigMap', 'cto', 'held'),
        undefined,
        'removing the last finalizer deletes',
      );
      const dry = await api(
        'DELETE',
        '/apis/agents.platform/v1/namespaces/cto/coderuns/cr-1?dryRun=All',
      );
      t.equal(dry.status, 200);
      t.ok(sim.get('agents.platform/v1', 'CodeRun', 'cto', 'cr-1'), 'dryRun deletes nothing');
    },
  );

  await t.test(
    'deletecollection by selector; deleting a namespace removes its objects',
    async (t) => {
      await api('POST', '/api/v1/namespaces', { metadata: { name: 'scratch' } });
      for (const [n, agent] of [
        ['a', 'rex'],
        ['b', 'rex'],
        ['c', 'cleo'],
      ]) {
        await api(
          'POST',
          '/api/v1/namespaces/scratch/pods',
          podManifest(n, { namespace: 'scratch', labels: { agent: agent } }),
        );
      }
      const dc = await api('DELETE', '/api/v1/namespaces/scratch/pods?labelSelector=agent%3Drex');
      t.equal(dc.json.kind, 'PodList');
      t.same(
        sim.list('v1', 'pods', 'scratch').map((p) => p.metadata.name),
        ['c'],
      );
      await api('DELETE', '/api/v1/namespaces/scratch');
      t.equal(sim.get('v1', 'Namespace', undefined, 'scratch'), undefined);
      t.same(sim.list('v1', 'pods', 'scratch'), []);
    },
  );

  await t.test(
    'pod logs: container choice, tailLines, sinceTime, timestamps, text/plain',
    async (t) => {
      await api('POST', pods, podManifest('lg-1', { containers: ['agent', 'side'] }));
      sim.appendLog('cto', 'lg-1', 'agent', 'one', new Date('2025-03-01T10:00:00Z'));
      sim.appendLog('cto', 'lg-1', 'agent', 'two\nthree', new Date('2025-03-01T10:00:05.5Z'));
      const need = await api('GET', `${pods}/lg-1/log`);
      t.equal(need.status, 400);
      t.equal(
        need.json.message,
        'a container name must be specified for pod lg-1, choose one of: [agent side]',
      );
      const all = await api('GET', `${pods}/lg-1/log?container=agent&timestamps=true`);
      t.match(all.headers.get('content-type'), /^text\/plain/);
      t.equal(
        all.text,
        '2025-03-01T10:00:00Z one\n2025-03-01T10:00:05.5Z two\n2025-03-01T10:00:05.5Z three\n',
      );
      t.equal((await api('GET', `${pods}/lg-1/log?container=agent&tailLines=1`)).text, 'three\n');
      t.equal(
        (await api('GET', `${pods}/lg-1/log?container=agent&sinceTime=2025-03-01T10:00:01Z`)).text,
        'two\nthree\n',
      );
      t.equal((await api('GET', `${pods}/lg-1/log?container=agent&limitBytes=5`)).text, 'one\nt');
      sim.patchStatus('v1', 'Pod', 'cto', 'lg-1', {
        status: {
          containerStatuses: [
            {
              name: 'side',
              ready: false,
              restartCount: 0,
              state: { waiting: { reason: 'ContainerCreating' } },
            },
          ],
        },
      });
      const waiting = await api('GET', `${pods}/lg-1/log?container=side`);
      t.equal(waiting.status, 400);
      t.equal(
        waiting.json.message,
        'container "side" in pod "lg-1" is waiting to start: ContainerCreating',
      );
      const gone = await api('GET', `${pods}/nope/log`);
      t.equal(gone.status, 404);
    },
  );
});
