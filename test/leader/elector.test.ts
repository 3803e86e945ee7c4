// Leader election against the simulated API server through the real client (CoordinationV1Api,
// the watch): one leader at a time, prompt hand-over on release, expiry of a silent holder, and
// a partitioned leader that stops acting before its lease can expire.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { CoordinationV1Api, KubeConfig, V1MicroTime } from '@kubernetes/client-node';
import t from 'tap';
import { LeaderElector, type LeaderElectorOptions } from '../../src/leader/elector.js';
import { kubeconfigYaml } from '../sim/kube/kubeconfig.js';
import { startKubeSim, waitFor, type KubeSim } from '../sim/kube/index.js';
import { silentLogger } from '../helpers/healer.js';

interface Span {
  who: string;
  from: number;
  to: number;
}

/** Every elector of a test records when it led, so overlaps can be checked. */
function recorder() {
  const spans: Span[] = [];
  const open = new Map<string, number>();
  return {
    spans,
    hooks(who: string) {
      return {
        onStartedLeading: () => void open.set(who, performance.now()),
        onStoppedLeading: () => {
          spans.push({ who, from: open.get(who)!, to: performance.now() });
          open.delete(who);
        },
      };
    },
    close() {
      for (const [who, from] of open) spans.push({ who, from, to: performance.now() });
      open.clear();
    },
    overlaps(): Span[][] {
      const out: Span[][] = [];
      for (const a of spans)
        for (const b of spans)
          if (a !== b && a.who < b.who && a.from < b.to && b.from < a.to) out.push([a, b]);
      return out;
    },
  };
}

function kubeconfig(url: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromString(kubeconfigYaml(url, 'sim-token'));
  return kc;
}

/** A TCP proxy in front of the sim whose connections can be cut: a replica's network partition. */
async function partitionable(
  sim: KubeSim,
): Promise<{ url: string; cut(): void; heal(): void; close(): Promise<void> }> {
  const target = new URL(sim.url);
  const sockets = new Set<Socket>();
  let broken = false;
  const server: Server = createServer((client) => {
    if (broken) return client.destroy();
    const upstream = connect(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `${target.protocol}//127.0.0.1:${port}`,
    cut() {
      broken = true;
      for (const s of sockets) s.destroy();
    },
    heal() {
      broken = false;
    },
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

const FAST = {
  leaseDurationMs: 3000,
  renewPeriodMs: 500,
  renewDeadlineMs: 2000,
  retryPeriodMs: 500,
};

function elector(
  kc: KubeConfig,
  identity: string,
  hooks: Pick<LeaderElectorOptions, 'onStartedLeading' | 'onStoppedLeading'>,
  extra: Partial<LeaderElectorOptions> = {},
): LeaderElector {
  return new LeaderElector({
    kc,
    namespace: 'cto',
    name: 'healer-leader',
    identity,
    logger: silentLogger(),
    ...hooks,
    ...extra,
  });
}

void t.test('leader election on a Lease', async (t) => {
  const sim = await startKubeSim();
  t.teardown(() => sim.close());
  const kc = kubeconfig(sim.url);
  const leases = kc.makeApiClient(CoordinationV1Api);
  const readLease = () => leases.readNamespacedLease({ namespace: 'cto', name: 'healer-leader' });

  await t.test(
    'two candidates: exactly one leads; releasing hands over at once (the watch, not the 5 s retry)',
    async (t) => {
      const rec = recorder();
      // Production timings: 15 s lease, renew every 5 s, retry every 5 s.
      const a = elector(kc, 'replica-a', rec.hooks('replica-a'));
      const b = elector(kc, 'replica-b', rec.hooks('replica-b'));
      a.start();
      b.start();
      const leader = await waitFor(() => (a.isLeader ? a : b.isLeader ? b : undefined), {
        what: 'a leader',
      });
      const other = leader === a ? b : a;
      await waitFor(() => other.status().holder === leader.identity, {
        what: 'the follower sees the holder',
      });
      t.notOk(other.isLeader, 'only one leads');
      const lease = await readLease();
      t.equal(lease.spec?.holderIdentity, leader.identity);
      t.equal(lease.spec?.leaseDurationSeconds, 15);
      t.match(String(lease.spec?.renewTime), /\.\d{6}Z$/, 'renewTime is a MicroTime');
      t.same(other.status(), {
        leader: false,
        identity: other.identity,
        holder: leader.identity,
        since: new Date(String(lease.spec?.acquireTime)).toISOString(),
      });

      const released = performance.now();
      await leader.stop();
      t.equal((await readLease()).spec?.holderIdentity, '', 'stop releases the lease');
      await waitFor(() => other.isLeader, { timeoutMs: 3000, what: 'take-over after release' });
      const takeover = performance.now() - released;
      t.ok(
        takeover < 3000,
        `the other replica took over ${Math.round(takeover)} ms after the release`,
      );
      t.equal(
        (await readLease()).spec?.leaseTransitions,
        1,
        'one transition recorded in the Lease',
      );
      await other.stop();
      rec.close();
      t.same(rec.overlaps(), [], 'never two leaders at once');
      t.same(
        rec.spans.map((s) => s.who),
        [leader.identity, other.identity],
      );
    },
  );

  await t.test(
    'a holder that went silent (kill -9) is replaced only after a whole lease duration',
    async (t) => {
      // What a killed leader leaves behind: its lease, renewed a moment ago and never again.
      await leases.deleteNamespacedLease({ namespace: 'cto', name: 'healer-leader' });
      const now = new V1MicroTime(Date.now());
      await leases.createNamespacedLease({
        namespace: 'cto',
        body: {
          metadata: { name: 'healer-leader' },
          spec: {
            holderIdentity: 'ghost',
            leaseDurationSeconds: 3,
            acquireTime: now,
            renewTime: now,
          },
        },
      });
      const killed = performance.now();
      const rec = recorder();
      const heir = elector(kc, 'heir', rec.hooks('heir'), FAST);
      heir.start();
      await waitFor(() => heir.status().holder === 'ghost', { what: 'heir sees the ghost' });
      t.equal(heir.status().since, now.toISOString().replace(/000Z$/, 'Z'));
      await new Promise((r) => setTimeout(r, 1500));
      t.notOk(heir.isLeader, 'not while the lease may still be valid');
      await waitFor(() => heir.isLeader, { timeoutMs: 6000, what: 'heir takes over after expiry' });
      const waited = performance.now() - killed;
      t.ok(waited >= 2900, `took over ${Math.round(waited)} ms after the last renewal (lease 3 s)`);
      t.ok(waited < 4500, 'promptly once it expired, not a retry period later');
      t.equal((await readLease()).spec?.leaseTransitions, 1);
      await heir.stop();
    },
  );

  await t.test(
    'a partitioned leader stops acting before its lease expires; the other leads only after',
    async (t) => {
      const proxyA = await partitionable(sim);
      t.teardown(() => proxyA.close());
      const rec = recorder();
      const a = elector(kubeconfig(proxyA.url), 'part-a', rec.hooks('part-a'), FAST);
      a.start();
      await waitFor(() => a.isLeader, { what: 'a leads' });
      const b = elector(kc, 'part-b', rec.hooks('part-b'), FAST);
      b.start();
      await waitFor(() => b.status().holder === 'part-a', { what: 'b sees a' });
      const renewTimeBefore = String((await readLease()).spec?.renewTime);

      proxyA.cut();
      const cutAt = performance.now();
      await waitFor(() => !a.isLeader, { timeoutMs: 4000, what: 'a gives up' });
      t.equal(rec.spans[0]?.who, 'part-a');
      const lastRenew = Date.parse(String((await readLease()).spec?.renewTime));
      t.ok(
        rec.spans[0].to - cutAt < 2600,
        `a stopped acting ${Math.round(rec.spans[0].to - cutAt)} ms after the cut`,
      );
      t.ok(Date.now() < lastRenew + 3000, 'before the lease it last renewed could expire');
      t.notOk(b.isLeader, 'b does not lead while the lease is still valid');
      await waitFor(() => b.isLeader, { timeoutMs: 6000, what: 'b takes over after expiry' });
      t.not(String((await readLease()).spec?.renewTime), renewTimeBefore);

      proxyA.heal();
      await new Promise((r) => setTimeout(r, 1500));
      t.notOk(a.isLeader, 'a, back on the network, sees b holding the lease and stays a follower');
      t.equal(a.status().holder, 'part-b');
      await Promise.all([a.stop(), b.stop()]);
      rec.close();
      t.same(rec.overlaps(), [], 'the two never led at the same time');
    },
  );

  await t.test(
    'API errors while following are retried; a missing namespace is reported, not thrown',
    async (t) => {
      sim.faults.failRequests({ status: 500, count: 3, match: /leases/ });
      const rec = recorder();
      const c = elector(kc, 'retry-c', rec.hooks('retry-c'), FAST);
      c.start();
      await waitFor(() => c.isLeader, { timeoutMs: 5000, what: 'leads after transient 500s' });
      await c.stop();
      const lost = elector(kc, 'nowhere', rec.hooks('nowhere'), {
        ...FAST,
        namespace: 'absent-ns',
      });
      lost.start();
      await new Promise((r) => setTimeout(r, 800));
      t.notOk(lost.isLeader, 'no lease can be created in a namespace that does not exist');
      await lost.stop();
    },
  );
});
