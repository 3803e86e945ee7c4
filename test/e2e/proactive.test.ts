// The proactive sources started by the service (issue #18): a Healer wired like production against
// the simulated cluster, the platform watcher and the metrics sampler on the service's Background
// unit, their drafts through the tracker → decisions like every rule's. Passes are driven with
// `runNow()` and the shared manual clock, never by waiting for the timers.
import t from 'tap';
import { proactiveWorld } from '../helpers/proactive-world.js';

void t.test(
  'the service starts both proactive sources on its Background unit, and stops them',
  async (t) => {
    const w = await proactiveWorld(t);
    // the leader's Background unit holds every worker; the two sources run after the watches they read
    const names = w.healer.background.names;
    t.same(
      names.filter((n) =>
        ['kubernetes watches', 'metrics-sampler', 'platform-watcher'].includes(n),
      ),
      ['kubernetes watches', 'metrics-sampler', 'platform-watcher'],
    );
    t.ok(w.healer.background.started, 'started with the service');
    t.ok(
      w
        .logLines()
        .some((l) => l.includes('resource checks every 86400s; platform checks every 86400s')),
      'says what runs',
    );
  },
);

void t.test('each source is switched off by its environment variable', async (t) => {
  const w = await proactiveWorld(t, {
    env: { HEALER_RESOURCE_CHECKS: 'false', HEALER_PLATFORM_CHECKS: 'false' },
  });
  t.same(
    w.healer.background.names.filter((n) => n === 'metrics-sampler' || n === 'platform-watcher'),
    [],
  );
  t.equal(w.healer.proactive?.sampler, undefined);
  t.equal(w.healer.proactive?.platform, undefined);
  t.ok(w.logLines().some((l) => l.includes('resource checks off; platform checks off')));
});

void t.test(
  'a cluster without metrics.k8s.io, cert-manager and Argo CD: the service keeps running and says so once per API',
  async (t) => {
    const w = await proactiveWorld(t, {
      sim: { withoutArgo: true, withoutGroups: ['metrics.k8s.io', 'cert-manager.io'] },
    });
    w.sim.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'talos-worker-1' } });
    for (let i = 0; i < 3; i++) await w.pass();
    const said = (text: string) => w.logLines().filter((l) => l.includes(text)).length;
    t.equal(said('the metrics API (metrics.k8s.io) is not served'), 1, 'metrics API said once');
    t.equal(said('Argo CD Applications are not served'), 1, 'Argo CD said once');
    t.equal(said('cert-manager Certificates are not served'), 1, 'cert-manager said once');
    t.notOk(w.healer.proactive?.sampler?.usageOn);
    t.same(w.healer.proactive?.platform?.enabled, ['image-pull']);
    const health = await w.app.inject({ method: 'GET', url: '/health' });
    t.equal(health.statusCode, 200, 'still serving');
    const ready = await w.app.inject({ method: 'GET', url: '/ready' });
    t.equal(ready.statusCode, 200, 'still ready');
    t.same(await w.incidents(), [], 'no incident from an absent API');
  },
);
