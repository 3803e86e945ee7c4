// Learned thresholds through the running service (issue #18): rex's successful runs, seen as real
// pods in the simulated cluster, are recorded; the threshold learned from them is fixed on the
// next session's agent, applied by A8 (25 minutes flagged, 14 not), shown in the incident's
// evidence and by GET /api/v1/thresholds; heal-config.json can pin a value instead.
import t, { type Test } from 'tap';
import { proactiveWorld } from '../helpers/proactive-world.js';
import { waitFor, type KubeSim } from '../sim/kube/index.js';

const json = { 'content-type': 'application/json' };

async function startSession(w: Awaited<ReturnType<typeof proactiveWorld>>, n: number) {
  const res = await w.app.inject({
    method: 'POST',
    url: '/api/v1/session/start',
    headers: json,
    payload: {
      play_id: `play-task-${n}`,
      repository: '5dlabs/cto-parallel-test',
      tasks: [{ id: String(n), title: `Task ${n}` }],
      cto_config: { agents: { rex: { githubApp: '5DLabs-Rex', cli: 'claude' } } },
    },
  });
  if (res.statusCode !== 200) throw new Error(`start ${n}: ${res.body}`);
}

/** A rex pod of Play n whose agent container started `startedMinAgo` and maybe finished. */
function rexPod(
  sim: KubeSim,
  now: Date,
  n: number,
  startedMinAgo: number,
  finishedMinAgo: number | null,
) {
  const name = `play-task-${n}-rex-x7k2p`;
  const at = (min: number) => new Date(now.getTime() - min * 60_000).toISOString();
  sim.create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'cto',
      labels: {
        'agents.platform/agent': 'rex',
        'task-id': String(n),
        'workflows.argoproj.io/workflow': `play-task-${n}`,
      },
    },
    spec: { containers: [{ name: 'claude', image: 'ghcr.io/5dlabs/claude:1' }] },
  });
  // a successful run's log shows it (else the completion check would flag it)
  if (finishedMinAgo !== null) {
    sim.appendLog(
      'cto',
      name,
      'claude',
      'PR created: https://github.com/5dlabs/cto-parallel-test/pull/1',
    );
    sim.appendLog('cto', name, 'claude', 'Implementation complete');
  }
  const state =
    finishedMinAgo === null
      ? { running: { startedAt: at(startedMinAgo) } }
      : {
          terminated: {
            exitCode: 0,
            reason: 'Completed',
            startedAt: at(startedMinAgo),
            finishedAt: at(finishedMinAgo),
          },
        };
  sim.patchStatus('v1', 'Pod', 'cto', name, {
    status: {
      phase: finishedMinAgo === null ? 'Running' : 'Succeeded',
      startTime: at(startedMinAgo),
      containerStatuses: [
        {
          name: 'claude',
          image: 'ghcr.io/5dlabs/claude:1',
          imageID: '',
          ready: finishedMinAgo === null,
          restartCount: 0,
          started: finishedMinAgo === null,
          state,
        },
      ],
    },
  });
  return name;
}

/** Six earlier Plays whose rex runs took 11.5–12 minutes. */
async function history(t: Test, w: Awaited<ReturnType<typeof proactiveWorld>>) {
  for (let n = 1; n <= 6; n++) {
    await startSession(w, n);
    rexPod(w.sim, w.clock.now(), n, 13, 1 + (n % 2) * 0.5);
  }
  await waitFor(() => w.healer.history.durations('rex', 'implementation').length === 6, {
    what: 'six runs recorded',
  });
  await w.healer.history.idle();
  t.same(
    w.healer.history.durations('rex', 'implementation').sort(),
    [690, 690, 690, 720, 720, 720],
    'each run recorded once, from its container start to finish',
  );
}

const thresholds = async (w: Awaited<ReturnType<typeof proactiveWorld>>) =>
  (await w.app.inject({ method: 'GET', url: '/api/v1/thresholds' })).json<{
    policy: Record<string, unknown>;
    thresholds: {
      agent: string;
      stage: string;
      runs: number;
      thresholds: Record<string, { seconds: number; basis: { kind: string }; description: string }>;
    }[];
  }>();

void t.test(
  'rex with a 12-minute history: learned 18 minutes, 25 minutes stuck is flagged, 14 is not',
  async (t) => {
    const w = await proactiveWorld(t, {
      heal: { alerts: { staleProgressMinutes: 100000 }, stages: {} },
      env: { HEALER_RESOURCE_CHECKS: 'false', HEALER_PLATFORM_CHECKS: 'false' },
    });
    const before = (await thresholds(w)).thresholds.find((r) => r.agent === 'rex');
    t.match(before, {
      stage: 'implementation',
      runs: 0,
      thresholds: {
        'step-timeout': { seconds: 2700, basis: { kind: 'static', reason: 'no-history' } },
      },
    });
    await history(t, w);
    const after = (await thresholds(w)).thresholds.find((r) => r.agent === 'rex');
    t.match(after, {
      stage: 'implementation',
      runs: 6,
      thresholds: {
        'step-timeout': {
          seconds: 1080,
          basis: { kind: 'learned', samples: 6, p95Seconds: 720, factor: 1.5, bounded: null },
          description: '18 min (learned: p95 12 min × 1.5 over 6 successful runs)',
        },
        'stuck-coderun': { seconds: 600, basis: { kind: 'learned', bounded: 'ceiling' } },
      },
    });

    await startSession(w, 7);
    await startSession(w, 8);
    rexPod(w.sim, w.clock.now(), 7, 25, null);
    rexPod(w.sim, w.clock.now(), 8, 14, null);
    await waitFor(
      async () => {
        const s = (await w.app.inject({ method: 'GET', url: '/api/v1/session/play-task-8' })).json<{
          session: { agents: { name: string; pod: string | null }[] };
        }>().session;
        return w.healer.hub?.list('pod').length === 8 && s.agents.some((a) => a.pod);
      },
      { what: 'rex pods seen on play-task-7 and 8' },
    );
    await w.healer.tick();
    await w.healer.settle();
    const open = await w.incidents();
    // no PR and no commit for 25 minutes: A3 (stale progress, learned the same way) fires beside A8
    t.same(
      open.map((i) => `${String(i.alert)} ${String(i.play_id)}`).sort(),
      ['A3 play-task-7', 'A8 play-task-7'],
      'the stuck run is flagged; the 14-minute run on play-task-8 is not',
    );
    const a8 = open.find((i) => i.alert === 'A8')!;
    t.match(a8, {
      agent: 'rex',
      description:
        /its threshold is 18 min \(learned: p95 12 min × 1.5 over 6 successful runs\), below the implementation stage timeout of 45 minutes/,
      context: { thresholdSeconds: 1080, thresholdBasis: 'learned', timeoutMinutes: 45 },
    });
    t.ok(
      (a8.evidence as string[]).includes(
        'threshold 18 min (learned: p95 12 min × 1.5 over 6 successful runs)',
      ),
      'the evidence says which threshold and why',
    );
    t.match(
      open.find((i) => i.alert === 'A3'),
      {
        context: { thresholdSeconds: 1080, thresholdBasis: 'learned' },
      },
    );
    const agent = (await w.app.inject({ method: 'GET', url: '/api/v1/session/play-task-8' })).json<{
      session: { agents: { name: string; thresholds: Record<string, unknown> }[] };
    }>().session.agents[0];
    t.match(agent.thresholds, {
      'step-timeout': { seconds: 1080, basis: { kind: 'learned', samples: 6, p95Seconds: 720 } },
      'stale-progress': { seconds: 1080 },
    });
  },
);

void t.test('a value pinned in heal-config.json wins over the learned one', async (t) => {
  const w = await proactiveWorld(t, {
    heal: {
      alerts: { staleProgressMinutes: 100000 },
      thresholds: { pinned: { Rex: { stepTimeoutMinutes: 30, staleProgressMinutes: 40 } } },
    },
    env: { HEALER_RESOURCE_CHECKS: 'false', HEALER_PLATFORM_CHECKS: 'false' },
  });
  await history(t, w);
  const rex = (await thresholds(w)).thresholds.find((r) => r.agent === 'rex');
  t.match(rex?.thresholds['step-timeout'], {
    seconds: 1800,
    basis: { kind: 'pinned' },
    description: '30 min (pinned in heal-config.json)',
  });
  await startSession(w, 7);
  rexPod(w.sim, w.clock.now(), 7, 25, null);
  await waitFor(() => w.healer.hub?.list('pod').length === 7, { what: 'pod cached' });
  await w.healer.tick();
  await w.healer.settle();
  t.same(await w.incidents(), [], '25 minutes is within the pinned 30');
});

void t.test('learning switched off keeps the configured values', async (t) => {
  const w = await proactiveWorld(t, {
    heal: { thresholds: { learn: false } },
    env: { HEALER_RESOURCE_CHECKS: 'false', HEALER_PLATFORM_CHECKS: 'false' },
  });
  await history(t, w);
  const body = await thresholds(w);
  t.match(body.policy, { learn: false });
  t.match(body.thresholds.find((r) => r.agent === 'rex')?.thresholds['step-timeout'], {
    seconds: 2700,
    basis: { kind: 'static', reason: 'learning-off', samples: 6 },
  });
});
