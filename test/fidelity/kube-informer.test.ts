// The client library's informer against the simulated API server: it lists, watches, replays from
// its resourceVersion after a cut, relists after a 410, and stops on a reset (so Healer restarts it).
import { CoreV1Api, KubeConfig, makeInformer } from '@kubernetes/client-node';
import type { V1Pod } from '@kubernetes/client-node';
import t from 'tap';
import { podManifest, startKubeSim, waitFor } from '../sim/kube/index.js';

const LIST = /^GET \/api\/v1\/namespaces\/cto\/pods(\?(?!.*watch=true).*)?$/;
const WATCH = /^GET \/api\/v1\/namespaces\/cto\/pods\?.*watch=true/;

void t.test('makeInformer against the simulator', async (t) => {
  const sim = await startKubeSim();
  const kc = new KubeConfig();
  kc.loadFromString(sim.kubeconfigYaml());
  const core = kc.makeApiClient(CoreV1Api);
  const informer = makeInformer(kc, '/api/v1/namespaces/cto/pods', () =>
    core.listNamespacedPod({ namespace: 'cto' }),
  );
  const events: string[] = [];
  const errors: unknown[] = [];
  informer.on('add', (p: V1Pod) => events.push(`add ${p.metadata?.name}`));
  informer.on('update', (p: V1Pod) =>
    events.push(`update ${p.metadata?.name} ${p.metadata?.labels?.stage ?? ''}`),
  );
  informer.on('delete', (p: V1Pod) => events.push(`delete ${p.metadata?.name}`));
  informer.on('error', (e: unknown) => errors.push(e));
  t.teardown(async () => {
    await informer.stop();
    await sim.close();
  });
  sim.create(podManifest('before'));
  await informer.start();
  await waitFor(() => sim.stats.watchesOpen === 1, { what: 'the informer watch' });

  await t.test('sees ADDED, MODIFIED and DELETED', async (t) => {
    t.same(events, ['add before'], 'the initial list');
    sim.create(podManifest('p1'));
    sim.patchMerge('v1', 'Pod', 'cto', 'p1', { metadata: { labels: { stage: 'quality' } } });
    sim.delete('v1', 'Pod', 'cto', 'p1');
    await waitFor(() => events.length === 4, { what: 'three events' });
    t.same(events.slice(1), ['add p1', 'update p1 quality', 'delete p1']);
    t.same(
      informer.list('cto').map((p) => p.metadata?.name),
      ['before'],
    );
  });

  await t.test(
    'a cut watch is re-watched from its resourceVersion: the gap is replayed, no relist',
    async (t) => {
      const lists = sim.stats.count(LIST);
      const watches = sim.stats.count(WATCH);
      events.length = 0;
      t.equal(sim.faults.cutWatches(), 1);
      sim.create(podManifest('during-cut'));
      await waitFor(() => events.includes('add during-cut'), { what: 'the replayed event' });
      await waitFor(() => sim.stats.watchesOpen === 1, { what: 'the new watch' });
      t.equal(sim.stats.count(WATCH), watches + 1, 'one new watch');
      t.equal(sim.stats.count(LIST), lists, 'no relist');
    },
  );

  await t.test(
    'after compaction the re-watch gets 410 Expired and the informer relists',
    async (t) => {
      const lists = sim.stats.count(LIST);
      events.length = 0;
      sim.faults.compact();
      sim.faults.cutWatches();
      sim.create(podManifest('during-compaction'));
      sim.delete('v1', 'Pod', 'cto', 'during-cut');
      await waitFor(
        () => events.includes('add during-compaction') && events.includes('delete during-cut'),
        {
          what: 'changes recovered by the relist',
        },
      );
      await waitFor(() => sim.stats.watchesOpen === 1, { what: 'the watch after the relist' });
      t.equal(sim.stats.count(LIST), lists + 1, 'exactly one relist');
      sim.patchMerge('v1', 'Pod', 'cto', 'during-compaction', {
        metadata: { labels: { stage: 'testing' } },
      });
      await waitFor(() => events.includes('update during-compaction testing'), {
        what: 'live events after the relist',
      });
      t.same(errors, [], 'no error reached the informer');
    },
  );

  await t.test(
    'an abrupt reset reaches the error handler (the informer stops; its owner restarts it)',
    async (t) => {
      sim.faults.cutWatches({ abrupt: true });
      await waitFor(() => errors.length > 0, { what: 'the informer error' });
      t.equal(sim.stats.watchesOpen, 0);
      errors.length = 0;
      await informer.start();
      sim.create(podManifest('after-restart'));
      await waitFor(() => events.includes('add after-restart'), { what: 'events after restart' });
    },
  );
});
