// Leadership of a Healer over its background work: who leads with which store and cluster, the
// one-line refusals, and two Healers on one shared store electing on the simulated API server
// (only the leader's background work runs; /api/v1/leader and /metrics say who leads).
import { KubeConfig } from '@kubernetes/client-node';
import t from 'tap';
import { loadConfig } from '../../src/config/index.js';
import { planLeadership } from '../../src/leader/plan.js';
import { probeLease } from '../../src/leader/probe.js';
import { openMemoryStore } from '../../src/store/memory/index.js';
import { kubeconfigYaml } from '../sim/kube/kubeconfig.js';
import { startKubeSim, waitFor } from '../sim/kube/index.js';
import { PROMPTS_DIR, testHealer } from '../helpers/healer.js';

function kubeconfig(url: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromString(kubeconfigYaml(url, 'sim-token'));
  return kc;
}

const config = (env: Record<string, string>) =>
  loadConfig({ env: { HEALER_PROMPTS_DIR: PROMPTS_DIR, ...env }, cwd: '/nonexistent' });

void t.test('who leads: the store, the replicas and the cluster decide', (t) => {
  const kc = kubeconfig('http://127.0.0.1:1');
  const cluster = { kc, source: 'test' };
  const none = { kc: null, reason: 'no kubeconfig and no in-cluster credentials' };
  const pg = 'postgres://healer@127.0.0.1:5432/healer';
  const noPod = () => undefined;

  const sqlite = planLeadership(config({ HEALER_STORE: 'sqlite:/tmp/x.db' }), cluster, noPod);
  t.match(sqlite, { mode: 'alone' }, 'SQLite, one replica: leads alone even with a cluster');

  t.throws(
    () => config({ HEALER_STORE: 'sqlite:/tmp/x.db', HEALER_REPLICAS: '2' }),
    /^invalid configuration: HEALER_REPLICAS: 2 replicas need the PostgreSQL store \(HEALER_STORE=postgres:\/\/…\); sqlite is one process's store$/,
    'two replicas on SQLite: refused by the configuration, in one line',
  );
  const twoOnPg = config({ HEALER_STORE: pg, HEALER_REPLICAS: '2' });
  const refused = planLeadership(twoOnPg, none, noPod);
  t.same(refused, {
    mode: 'refuse',
    reason:
      'HEALER_REPLICAS=2 needs a Kubernetes cluster for the leader Lease, and there is none (no kubeconfig and no in-cluster credentials)',
  });
  t.notMatch((refused as { reason: string }).reason, /\n/, 'one line');
  t.match(
    planLeadership(config({ HEALER_STORE: pg, HEALER_LEADER_LEASE: 'my-lease' }), none, noPod),
    {
      mode: 'refuse',
      reason:
        /^HEALER_LEADER_LEASE=my-lease asks for leader election, but there is no Kubernetes cluster/,
    },
    'a Lease asked for without a cluster: refused',
  );
  t.match(
    planLeadership(config({ HEALER_STORE: pg }), none, noPod),
    { mode: 'alone', why: /no cluster/ },
    'PostgreSQL, one replica, no cluster (a developer machine): leads alone',
  );

  const elected = planLeadership(
    config({ HEALER_STORE: pg, POD_NAME: 'healer-0' }),
    cluster,
    noPod,
  );
  t.match(
    elected,
    { mode: 'lease', identity: 'healer-0', lease: { name: 'healer-leader', namespace: 'cto' } },
    'PostgreSQL with a cluster: elected on healer-leader in the first watched namespace',
  );
  t.match(
    planLeadership(config({ HEALER_STORE: pg }), cluster, () => 'platform'),
    { mode: 'lease', lease: { namespace: 'platform' } },
    "the pod's own namespace comes before the watched ones",
  );
  t.match(
    planLeadership(
      config({
        HEALER_STORE: pg,
        HEALER_LEADER_LEASE: 'l',
        HEALER_LEADER_NAMESPACE: 'ops',
        HEALER_REPLICAS: '3',
      }),
      cluster,
      () => 'platform',
    ),
    { mode: 'lease', lease: { name: 'l', namespace: 'ops' } },
  );
  t.end();
});

void t.test('the start-up probe of the Lease: an unreachable cluster is one line', async (t) => {
  const sim = await startKubeSim();
  t.teardown(() => sim.close());
  t.equal(
    await probeLease(kubeconfig(sim.url), { name: 'healer-leader', namespace: 'cto' }),
    null,
    'a missing Lease is fine (the first candidate creates it)',
  );
  const closed = kubeconfig('http://127.0.0.1:1');
  const reason = await probeLease(closed, { name: 'healer-leader', namespace: 'cto' }, 3000);
  t.match(
    reason,
    /^leader election cannot reach the cluster for the Lease cto\/healer-leader on http:\/\/127\.0\.0\.1:1: /,
  );
  t.notMatch(reason, /\n/);
});

const FAST = {
  leaseDurationMs: 3000,
  renewPeriodMs: 500,
  renewDeadlineMs: 2000,
  retryPeriodMs: 500,
};

void t.test(
  'two Healers on one store: only the leader works; both serve; the follower takes over on stop',
  async (t) => {
    const sim = await startKubeSim();
    t.teardown(() => sim.close());
    const store = openMemoryStore();
    // The store is shared: the first Healer to stop must not close it under the other.
    const shared = Object.assign(Object.create(store) as typeof store, {
      close: () => Promise.resolve(),
    });
    const make = async (identity: string) => {
      const kc = kubeconfig(sim.url);
      const h = await testHealer({
        store: shared,
        kube: { kc, source: 'sim' },
        leadership: {
          plan: { mode: 'lease', identity, kc, lease: { name: 'healer-leader', namespace: 'cto' } },
          timings: FAST,
        },
      });
      await h.app.listen({ host: '127.0.0.1', port: 0 });
      return h;
    };
    const a = await make('replica-a');
    const b = await make('replica-b');
    const stopped = new Set<unknown>();
    const stop = async (h: typeof a) => {
      if (stopped.has(h)) return;
      stopped.add(h);
      await h.healer.stop();
    };
    t.teardown(() => Promise.all([stop(a), stop(b)]));
    await a.healer.start();
    await b.healer.start();
    const leader = await waitFor(
      () => (a.healer.background.started ? a : b.healer.background.started ? b : undefined),
      { what: 'a leader', timeoutMs: 10_000 },
    );
    const follower = leader === a ? b : a;
    const leaderId = leader.healer.leadership.identity;
    await waitFor(() => follower.healer.leadership.view().holder === leaderId, {
      what: 'the follower sees the holder',
    });
    t.notOk(follower.healer.background.started, "the follower's background work is off");
    t.notOk(follower.healer.hub?.started, 'the follower does not watch the cluster');

    for (const h of [a, b]) {
      const body = (await h.app.inject('/api/v1/leader')).json<Record<string, unknown>>();
      t.match(body, {
        leader: h === leader,
        identity: h.healer.leadership.identity,
        holder: leaderId,
        since: /^\d{4}-\d\d-\d\dT/,
        mode: 'lease',
        lease: { name: 'healer-leader', namespace: 'cto' },
        expiresAt: /^\d{4}-\d\d-\d\dT/,
      });
      const metrics = (await h.app.inject('/metrics')).body;
      t.match(metrics, new RegExp(`^healer_leader ${h === leader ? 1 : 0}$`, 'm'));
    }
    t.match(
      (await leader.app.inject('/metrics')).body,
      /^healer_leader_transitions_total\{to="leader"\} 1$/m,
    );
    const ready = await follower.app.inject('/ready');
    t.equal(ready.statusCode, 200, 'a follower is ready (it serves the API)');

    // a session started through the follower is in the shared store, visible through both
    const start = await follower.app.inject({
      method: 'POST',
      url: '/api/v1/session/start',
      payload: { play_id: 'play-via-follower', repository: '5dlabs/cto', namespace: 'cto' },
    });
    t.equal(start.statusCode, 200, start.body);
    t.equal((await leader.app.inject('/api/v1/session/play-via-follower')).statusCode, 200);

    const handedOver = performance.now();
    await stop(leader);
    // The 3 s bound of a SIGTERM hand-over is checked with real processes
    // (test/process/replicas.test.ts); here the stop also drains this app's HTTP server.
    await waitFor(() => follower.healer.background.started, {
      what: 'the follower takes over',
      timeoutMs: 15_000,
    });
    t.pass(
      `took over ${Math.round(performance.now() - handedOver)} ms after the leader began to stop`,
    );
    t.ok(follower.healer.hub?.started, 'the new leader watches');
    t.match((await follower.app.inject('/api/v1/leader')).json(), {
      leader: true,
      holder: follower.healer.leadership.identity,
    });
  },
);

void t.test('one process on SQLite or memory leads alone, and says so', async (t) => {
  const { healer, app } = await testHealer();
  t.teardown(() => healer.stop());
  t.match((await app.inject('/api/v1/leader')).json(), {
    leader: false,
    holder: null,
    mode: 'alone',
  });
  await healer.start();
  t.ok(healer.background.started);
  t.match((await app.inject('/api/v1/leader')).json(), {
    leader: true,
    identity: healer.leadership.identity,
    holder: healer.leadership.identity,
    since: /^\d{4}-/,
    mode: 'alone',
    lease: null,
    expiresAt: null,
  });
  t.match((await app.inject('/metrics')).body, /^healer_leader 1$/m);
});
