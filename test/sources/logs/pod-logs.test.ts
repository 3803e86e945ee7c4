import t from 'tap';
import type { Test } from 'tap';
import { KubeConfig } from '@kubernetes/client-node';
import { ManualClock } from '../../../src/domain/clock.js';
import { openMemoryStore } from '../../../src/store/memory/index.js';
import { PodLogFollower } from '../../../src/sources/logs/index.js';
import type {
  FollowTarget,
  LogEntry,
  PodLogFollowerOptions,
} from '../../../src/sources/logs/index.js';
import { podManifest, startKubeSim, waitFor } from '../../sim/kube/index.js';
import type { KubeSim } from '../../sim/kube/index.js';
import { silentLogger } from '../../helpers/healer.js';
import { at, playSession, REX_POD, stageHarness } from './helpers.js';

const REX: FollowTarget = { namespace: 'cto', pod: REX_POD, container: 'rex' };

async function setup(
  t: Test,
  opts: Partial<PodLogFollowerOptions> & { sim?: KubeSim; targets?: () => FollowTarget[] } = {},
) {
  const sim = opts.sim ?? (await startKubeSim());
  if (!opts.sim) t.teardown(() => sim.close());
  const kc = new KubeConfig();
  kc.loadFromString(sim.kubeconfigYaml());
  if (!sim.get('v1', 'Pod', 'cto', REX_POD))
    sim.create(
      podManifest(REX_POD, { containers: ['rex', 'docker-daemon'], labels: { agent: 'rex' } }),
    );
  const got: LogEntry[] = [];
  const follower = new PodLogFollower({
    kc,
    targets: opts.targets ?? (() => [REX]),
    clock: new ManualClock('2026-03-02T09:00:00Z'),
    logger: silentLogger(),
    onEntries: (_ns, entries) => void got.push(...entries),
    reconcileMs: 30,
    backoff: { initialMs: 10, maxMs: 100 },
    ...opts,
  });
  t.teardown(() => follower.stop());
  return { sim, kc, follower, got, lines: () => got.map((e) => e.line) };
}

const append = (sim: KubeSim, lines: string[], time?: Date, container = 'rex') => {
  for (const l of lines) sim.appendLog('cto', REX_POD, container, l, time);
};

void t.test('follows an agent container from its first line, with timestamps', async (t) => {
  const { sim, follower, got, lines } = await setup(t);
  const t1 = new Date('2026-03-02T09:00:01.123Z');
  append(sim, ['first', 'second'], t1);
  append(sim, ['sidecar line'], t1, 'docker-daemon');
  follower.start();
  await waitFor(() => got.length === 2, { what: 'the existing lines' });
  append(sim, ['third']);
  await waitFor(() => got.length === 3, { what: 'a followed line' });
  t.same(lines(), ['first', 'second', 'third']);
  t.match(got[0], {
    namespace: 'cto',
    pod: REX_POD,
    container: 'rex',
    tsNs: '1772442001123000000',
    labels: { namespace: 'cto', pod: REX_POD, container: 'rex' },
  });
  t.equal(got[0].time.toISOString(), t1.toISOString());
  t.same(follower.following, [`cto/${REX_POD}/rex`]);
  sim.faults.cutLogStreams(); // a follow request is logged by the simulator when it ends
  await waitFor(() => sim.stats.count(/\/log\?.*follow=true.*timestamps=true/) === 1);
  t.notOk(
    sim.stats.log.some((r) => /sinceTime/.test(r.url)),
    'the first request reads from the start',
  );
});

for (const abrupt of [false, true]) {
  void t.test(
    `a ${abrupt ? 'reset' : 'cleanly ended'} stream resumes with sinceTime: nothing lost, nothing twice`,
    async (t) => {
      const { sim, follower, got, lines } = await setup(t);
      const same = new Date(Date.now() - 500);
      append(sim, ['a', 'b', 'c'], same); // three lines of one millisecond
      follower.start();
      await waitFor(() => got.length === 3);
      t.equal(sim.faults.cutLogStreams({ abrupt }), 1);
      append(sim, ['d'], same); // the same millisecond as the last line delivered
      append(sim, ['a'], same); // an identical line at that time: a new line, not a repeat
      append(sim, ['e', 'f']);
      await waitFor(() => got.length >= 6, { what: 'the lines written while disconnected' });
      append(sim, ['g']);
      await waitFor(() => got.length >= 7);
      await new Promise((r) => setTimeout(r, 50));
      t.same(lines(), ['a', 'b', 'c', 'd', 'a', 'e', 'f', 'g']);
      sim.faults.cutLogStreams();
      await waitFor(() => sim.stats.count(/sinceTime=/) >= 1, {
        what: 'the resumed request logged',
      });
      const resumed = sim.stats.log.filter((r) => /\/log\?.*sinceTime=/.test(r.url));
      t.ok(resumed.length >= 1, 'resumed with sinceTime');
      const since = new URL(resumed[0].url, 'http://x').searchParams.get('sinceTime');
      t.match(since, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, 'whole seconds (RFC 3339)');
      t.ok(Date.parse(since!) <= same.getTime(), 'at or before the last line delivered');
    },
  );
}

void t.test('repeated drops under traffic: every line exactly once, in order', async (t) => {
  const { sim, follower, lines } = await setup(t);
  follower.start();
  await waitFor(() => sim.stats.logStreamsOpen === 1);
  const want: string[] = [];
  for (let round = 0; round < 5; round++) {
    for (let i = 0; i < 20; i++) {
      const l = `round ${round} line ${i}`;
      want.push(l);
      append(sim, [l]);
    }
    sim.faults.cutLogStreams({ abrupt: round % 2 === 0 });
    await new Promise((r) => setTimeout(r, 15));
  }
  await waitFor(() => lines().length >= want.length, { what: 'all lines' });
  await new Promise((r) => setTimeout(r, 50));
  t.same(lines(), want);
});

void t.test('reconciles against the targets: new ones start, gone ones stop', async (t) => {
  let targets: FollowTarget[] = [REX];
  const { sim, follower, got } = await setup(t, { targets: () => targets });
  sim.create(podManifest('play-42-cleo-1', { containers: ['cleo'] }));
  follower.start();
  await waitFor(() => sim.stats.logStreamsOpen === 1);
  targets = [REX, { namespace: 'cto', pod: 'play-42-cleo-1', container: 'cleo' }];
  await waitFor(() => sim.stats.logStreamsOpen === 2, { what: 'the new stream' });
  sim.appendLog('cto', 'play-42-cleo-1', 'cleo', 'cleo here');
  await waitFor(() => got.some((e) => e.line === 'cleo here'));
  targets = [{ namespace: 'cto', pod: 'play-42-cleo-1', container: 'cleo' }];
  await waitFor(() => sim.stats.logStreamsOpen === 1, { what: 'the gone one stopped' });
  t.same(follower.following, ['cto/play-42-cleo-1/cleo']);
  append(sim, ['not followed any more']);
  await new Promise((r) => setTimeout(r, 60));
  t.notOk(got.some((e) => e.line === 'not followed any more'));
});

void t.test('a pod that does not exist yet is retried with backoff, then followed', async (t) => {
  const { sim, follower, got } = await setup(t, {
    targets: () => [{ namespace: 'cto', pod: 'play-42-tess-9', container: 'tess' }],
  });
  follower.start();
  await waitFor(() => sim.stats.count(/pods\/play-42-tess-9\/log/) >= 3, { what: 'retries' });
  sim.create(podManifest('play-42-tess-9', { containers: ['tess'] }));
  sim.appendLog('cto', 'play-42-tess-9', 'tess', 'tess starting');
  await waitFor(() => got.length === 1, { what: 'the line after the pod appeared' });
  t.equal(got[0].line, 'tess starting');
});

void t.test(
  'a restarted Healer resumes each container where it stopped (persisted position)',
  async (t) => {
    const cursors = openMemoryStore();
    const sim = await startKubeSim();
    t.teardown(() => sim.close());
    const first = await setup(t, { sim, cursors });
    const same = new Date(Date.now() - 1000);
    append(sim, ['one', 'two'], same);
    first.follower.start();
    await waitFor(() => first.got.length === 2);
    await first.follower.stop();
    append(sim, ['three'], same);
    append(sim, ['four']);
    const second = await setup(t, { sim, cursors });
    second.follower.start();
    await waitFor(() => second.got.length >= 2);
    await new Promise((r) => setTimeout(r, 50));
    t.same(second.lines(), ['three', 'four']);
  },
);

void t.test(
  'without Loki, an MCP server failing 10 s after the agent started is detected through the pod logs',
  async (t) => {
    const sim = await startKubeSim();
    t.teardown(() => sim.close());
    const started = new Date(Date.now() - 15_000);
    sim.create(
      podManifest(REX_POD, { containers: ['rex', 'docker-daemon'], labels: { agent: 'rex' } }),
    );
    sim.patchStatus('v1', 'Pod', 'cto', REX_POD, {
      status: {
        phase: 'Running',
        containerStatuses: [
          {
            name: 'rex',
            ready: true,
            restartCount: 0,
            state: { running: { startedAt: started.toISOString() } },
          },
          {
            name: 'docker-daemon',
            ready: true,
            restartCount: 0,
            state: { running: { startedAt: started.toISOString() } },
          },
        ],
      },
    });
    const clock = new ManualClock(at(started, 15));
    const session = playSession(at(started, -60));
    const h = stageHarness({
      clock,
      sessions: [session],
      startedAt: {},
      extra: {
        containerStartedAt: (ns, pod, container) => {
          const p = sim.get('v1', 'Pod', ns, pod) as {
            status?: {
              containerStatuses?: { name: string; state?: { running?: { startedAt?: string } } }[];
            };
          };
          const s = p?.status?.containerStatuses?.find((c) => c.name === container);
          return s?.state?.running?.startedAt ? new Date(s.state.running.startedAt) : null;
        },
      },
    });
    const { follower } = await setup(t, { sim, onEntries: (ns, e) => h.stage.handle(ns, e) });
    append(sim, ['║ rex - coder workflow starting'], at(started, 1));
    append(sim, ['MCP server filesystem initialization failed'], at(started, 10));
    append(sim, ['config: timeout=30s'], at(started, 11));
    follower.start();
    await waitFor(() => h.drafts.length === 1, { what: 'the A12 draft' });
    t.match(h.drafts[0], {
      alert: 'A12',
      severity: 'critical',
      issueType: 'mcp_init_failed',
      agent: 'rex',
      playId: session.play_id,
      context: { preflight: true, pod: REX_POD, container: 'rex' },
    });
    t.same(h.drafts[0].evidence.slice(0, 1), ['MCP server filesystem initialization failed']);
    t.ok(
      h.drafts[0].evidence.includes('║ rex - coder workflow starting'),
      'a line before as context',
    );
    const u = h.last();
    t.equal(u?.state, 'failed');
    t.match(h.item(u, 'local_servers_initialised'), { state: 'failed' });
    t.match(h.item(u, 'agent_type_identified'), { state: 'passed' });
  },
);
