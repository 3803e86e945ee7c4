import t, { type Test } from 'tap';
import { KubeConfig } from '@kubernetes/client-node';
import { startKubeSim, podManifest, codeRunManifest, waitFor } from '../../sim/kube/index.js';
import { InformerHub, type HubEvent } from '../../../src/sources/kube/hub.js';
import { silentLogger } from '../../helpers/healer.js';

async function setup(
  t: Test,
  simOpts: Parameters<typeof startKubeSim>[0] = {},
  namespaces: string[] | '*' = ['cto'],
) {
  const sim = await startKubeSim({ bookmarkIntervalMs: 200, ...simOpts });
  const kc = new KubeConfig();
  kc.loadFromString(sim.kubeconfigYaml());
  const restarts: string[] = [];
  const hub = new InformerHub({
    kc,
    logger: silentLogger(),
    namespaces,
    reflector: { backoff: { initialMs: 20, maxMs: 200 }, inactivityMs: 2000, absentRetryMs: 200 },
    onRestart: (kind, reason) => restarts.push(`${kind}:${reason}`),
  });
  const events: HubEvent[] = [];
  hub.on('event', (e) => events.push(e));
  hub.start();
  t.teardown(async () => {
    await hub.stop();
    await sim.close();
  });
  await waitFor(() => hub.readiness().ok, { what: 'hub synced' });
  return { sim, hub, events, restarts };
}

const named = (events: HubEvent[], name: string) =>
  events.filter((e) => e.kind === 'pod' && e.object.metadata?.name === name).map((e) => e.type);

void t.test('lists then watches: ADDED, MODIFIED, DELETED; caches and readiness', async (t) => {
  const { sim, hub, events } = await setup(t);
  t.equal(hub.watchCount, 4, 'one watch per kind for one namespace');
  t.match(hub.readiness(), { ok: true, detail: /4 watches synced/ });
  sim.create(podManifest('play-1-rex-a', { labels: { agent: 'rex' } }));
  await waitFor(() => hub.get('pod', 'cto', 'play-1-rex-a'));
  sim.patchStatus('v1', 'Pod', 'cto', 'play-1-rex-a', { status: { phase: 'Running' } });
  await waitFor(() => hub.get('pod', 'cto', 'play-1-rex-a')?.status?.phase === 'Running');
  sim.create(codeRunManifest('coderun-rex-1'));
  await waitFor(() => hub.get('coderun', 'cto', 'coderun-rex-1'));
  sim.delete('v1', 'Pod', 'cto', 'play-1-rex-a', { gracePeriodSeconds: 0 });
  await waitFor(() => !hub.get('pod', 'cto', 'play-1-rex-a'));
  t.same(
    named(events, 'play-1-rex-a').filter((x, i, a) => x !== a[i - 1]),
    ['ADDED', 'MODIFIED', 'DELETED'],
  );
  t.equal(hub.list('coderun').length, 1);
  t.ok(
    events
      .filter((e) => e.kind === 'coderun')
      .every((e) => (e.object as { kind?: string }).kind === 'CodeRun'),
    'a watch sees its own kind only',
  );
  t.ok(hub.list('pod').every((p) => !('spec' in p && (p as { kind?: string }).kind === 'CodeRun')));
  t.equal(
    typeof hub.list('coderun')[0]?.metadata.creationTimestamp,
    'string',
    'timestamps stay strings',
  );
});

void t.test(
  'abrupt watch cuts, compaction (410) and refused connections: recovers, no duplicate ADDED',
  async (t) => {
    const { sim, hub, events, restarts } = await setup(t);
    sim.create(podManifest('play-2-rex-a'));
    await waitFor(() => hub.get('pod', 'cto', 'play-2-rex-a'));
    sim.faults.cutWatches({ abrupt: true });
    sim.create(podManifest('play-2-rex-b'));
    await waitFor(() => hub.get('pod', 'cto', 'play-2-rex-b'), { what: 'after abrupt cut' });
    sim.faults.compact();
    sim.faults.cutWatches();
    sim.create(podManifest('play-2-rex-c'));
    await waitFor(() => hub.get('pod', 'cto', 'play-2-rex-c'), { what: 'after compaction' });
    await sim.faults.refuseConnections(300);
    sim.create(podManifest('play-2-rex-d'));
    await waitFor(() => hub.get('pod', 'cto', 'play-2-rex-d'), {
      what: 'after refused connections',
    });
    for (const n of ['a', 'b', 'c', 'd']) {
      t.equal(
        named(events, `play-2-rex-${n}`).filter((x) => x === 'ADDED').length,
        1,
        `pod ${n} added once`,
      );
    }
    t.ok(restarts.length >= 3, `restarts counted: ${restarts.join(', ')}`);
    t.ok(
      restarts.some((r) => r.endsWith(':expired')),
      'a 410 relisted',
    );
    t.ok(hub.readiness().ok);
  },
);

void t.test(
  'a cluster without Argo: workflows reported absent, everything else works',
  async (t) => {
    const { sim, hub } = await setup(t, { withoutArgo: true });
    t.match(hub.readiness(), { ok: true, detail: /not installed: workflow\/cto/ });
    sim.create(podManifest('play-3-rex-a'));
    await waitFor(() => hub.get('pod', 'cto', 'play-3-rex-a'));
  },
);

void t.test('a silent watch is aborted and re-watched', async (t) => {
  const { sim, hub, restarts } = await setup(t, { bookmarkIntervalMs: 60_000 });
  // no bookmarks, no events: the 2 s inactivity timeout must restart the watch
  await waitFor(() => restarts.some((r) => r.startsWith('pod:')), {
    timeoutMs: 6000,
    what: 'silent watch restarted',
  });
  sim.create(podManifest('play-4-rex-a'));
  await waitFor(() => hub.get('pod', 'cto', 'play-4-rex-a'));
});

void t.test(
  'watches depend on namespaces, never on sessions; a new namespace adds one set',
  async (t) => {
    const { sim, hub } = await setup(t, { namespaces: ['agents'] });
    t.equal(hub.watchCount, 4);
    t.equal(hub.addNamespace('agents'), true);
    t.equal(hub.addNamespace('agents'), false);
    t.equal(hub.watchCount, 8);
    sim.create(podManifest('play-5-rex-a', { namespace: 'agents' }));
    await waitFor(() => hub.get('pod', 'agents', 'play-5-rex-a'));
    const wide = await setup(t, {}, '*');
    t.equal(wide.hub.watchCount, 4, 'cluster-wide: one watch per kind');
    wide.sim.create(podManifest('play-6-rex-a', { namespace: 'default' }));
    await waitFor(() => wide.hub.get('pod', 'default', 'play-6-rex-a'));
    t.equal(wide.hub.addNamespace('default'), false);
  },
);
