import t, { type Test } from 'tap';
import { KubeConfig } from '@kubernetes/client-node';
import { startKubeSim, waitFor, type KubeSim } from '../sim/kube/index.js';
import { testHealer, MCP_FIXTURE } from '../helpers/healer.js';
import { ManualClock } from '../../src/domain/clock.js';

const T0 = '2026-11-21T10:00:00Z';
const json = { 'content-type': 'application/json' };

/** A Healer watching a fresh simulated cluster; sim and Healer share one manual clock. */
async function world(
  t: Test,
  heal: Record<string, unknown> = { remediation: { mode: 'observe' } },
) {
  const clock = new ManualClock(T0);
  const sim = await startKubeSim({ now: () => clock.now(), bookmarkIntervalMs: 500 });
  const kc = new KubeConfig();
  kc.loadFromString(sim.kubeconfigYaml());
  const h = await testHealer({
    clock,
    heal,
    kube: { kc, source: 'simulator' },
    reflector: { backoff: { initialMs: 20, maxMs: 200 }, inactivityMs: 3000 },
  });
  t.teardown(async () => {
    await h.healer.stop();
    await sim.close();
  });
  await h.healer.start();
  await waitFor(() => h.healer.hub?.readiness().ok, { what: 'watches synced' });
  const start = await h.app.inject({
    method: 'POST',
    url: '/api/v1/session/start',
    headers: json,
    payload: { ...MCP_FIXTURE, play_id: 'play-task-4', tasks: [{ id: '4', title: 'Four' }] },
  });
  t.equal(start.statusCode, 200);
  return { sim, ...h, clock };
}

const labels = (agent: string) => ({
  'agents.platform/agent': agent,
  'task-id': '4',
  'workflows.argoproj.io/workflow': 'play-task-4',
});

function agentPod(
  sim: KubeSim,
  name: string,
  agent = 'rex',
  containers = ['claude', 'docker-daemon'],
) {
  sim.create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'cto', labels: labels(agent) },
    spec: { containers: containers.map((c) => ({ name: c, image: `ghcr.io/5dlabs/${c}:1` })) },
  });
}

const running = (startedAt: string) => ({ running: { startedAt } });
const cs = (name: string, state: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  name,
  image: `ghcr.io/5dlabs/${name}:1`,
  imageID: '',
  ready: 'running' in state,
  restartCount: 0,
  started: 'running' in state,
  state,
  ...extra,
});

async function incidents(app: Awaited<ReturnType<typeof world>>['app'], query = '') {
  const res = await app.inject({ method: 'GET', url: `/api/v1/incidents${query}` });
  return res.json<{ incidents: Record<string, unknown>[] }>().incidents;
}

void t.test(
  'a silent failure behind a sidecar → exactly one A2 incident (method exit_code) on the session',
  async (t) => {
    const { sim, app, clock, healer } = await world(t);
    agentPod(sim, 'play-task-4-rex-x7k2p');
    sim.patchStatus('v1', 'Pod', 'cto', 'play-task-4-rex-x7k2p', {
      status: {
        phase: 'Running',
        startTime: T0,
        containerStatuses: [cs('claude', running(T0)), cs('docker-daemon', running(T0))],
      },
    });
    clock.advance(120_000);
    sim.patchStatus('v1', 'Pod', 'cto', 'play-task-4-rex-x7k2p', {
      status: {
        phase: 'Running',
        containerStatuses: [
          cs('claude', {
            terminated: {
              exitCode: 1,
              reason: 'Error',
              startedAt: T0,
              finishedAt: clock.now().toISOString(),
            },
          }),
          cs('docker-daemon', running(T0)),
        ],
      },
    });
    await waitFor(async () => (await incidents(app)).length === 1, { what: 'A2 incident' });
    // repeated events and timer passes add nothing
    sim.patchMerge('v1', 'Pod', 'cto', 'play-task-4-rex-x7k2p', {
      metadata: { annotations: { touched: 'yes' } },
    });
    await healer.tick();
    await healer.tick();
    await healer.settle();
    const list = await incidents(app);
    t.equal(list.length, 1);
    t.match(list[0], {
      alert: 'A2',
      severity: 'critical',
      play_id: 'play-task-4',
      agent: 'rex',
      task_id: '4',
      state: 'open',
      occurrences: 1,
      context: { method: 'exit_code' },
    });
    const session = (await app.inject({ method: 'GET', url: '/api/v1/session/play-task-4' })).json<{
      session: { issues: unknown[]; agents: { name: string; pod: string | null }[] };
    }>().session;
    t.match(session.issues, [
      { alert: 'A2', severity: 'critical', agent: 'rex', task_id: '4', issue_type: String },
    ]);
    t.equal(
      session.agents.find((a) => a.name === 'rex')?.pod,
      'play-task-4-rex-x7k2p',
      'agent pod recorded',
    );

    // the pod goes away → the incident resolves once the condition stayed clear for 5 minutes
    sim.delete('v1', 'Pod', 'cto', 'play-task-4-rex-x7k2p', { gracePeriodSeconds: 0 });
    await waitFor(() => healer.hub?.list('pod').length === 0, { what: 'pod gone' });
    await healer.tick();
    await healer.settle();
    t.equal(
      (await incidents(app, '?state=resolved')).length,
      0,
      'not at once (a crash loop looks healthy between crashes)',
    );
    clock.advance(5 * 60_000);
    await healer.tick();
    await healer.settle();
    t.equal((await incidents(app, '?state=resolved')).length, 1, 'resolved after 5 minutes clear');
  },
);

void t.test('crash loop, OOMKilled and image pull back-off → one A7 incident each', async (t) => {
  const { sim, app, clock } = await world(t);
  const pods: [string, string, Record<string, unknown>][] = [
    [
      'play-task-4-blaze-crash1',
      'blaze',
      cs(
        'claude',
        {
          waiting: {
            reason: 'CrashLoopBackOff',
            message: 'back-off 5m0s restarting failed container',
          },
        },
        { restartCount: 5, lastState: { terminated: { exitCode: 1, reason: 'Error' } } },
      ),
    ],
    [
      'play-task-4-cleo-oom12',
      'cleo',
      cs('claude', running(T0), {
        restartCount: 1,
        lastState: { terminated: { exitCode: 137, reason: 'OOMKilled', finishedAt: T0 } },
      }),
    ],
    [
      'play-task-4-tess-pull1',
      'tess',
      cs('claude', {
        waiting: {
          reason: 'ImagePullBackOff',
          message: 'Back-off pulling image "ghcr.io/5dlabs/claude:nope"',
        },
      }),
    ],
  ];
  for (const [name, agent, status] of pods) {
    agentPod(sim, name, agent, ['claude']);
    clock.advance(1000);
    sim.patchStatus('v1', 'Pod', 'cto', name, {
      status: {
        phase: name.includes('pull') ? 'Pending' : 'Running',
        startTime: T0,
        containerStatuses: [status],
      },
    });
  }
  // the detections; the image is also a cause, recorded as a parent (issue #17's grouping)
  const detected = async () => (await incidents(app)).filter((i) => !i.cause);
  await waitFor(async () => (await detected()).length === 3, {
    what: 'three A7 incidents',
    timeoutMs: 8000,
  });
  const list = await detected();
  t.match(
    (await incidents(app)).filter((i) => i.cause),
    [{ cause: { rule: 'image-pull-failing' } }],
    'one cause parent: the image',
  );
  const byAgent = Object.fromEntries(list.map((i) => [i.agent as string, i]));
  t.match(byAgent.blaze, {
    alert: 'A7',
    severity: 'critical',
    play_id: 'play-task-4',
    task_id: '4',
  });
  t.match(byAgent.cleo, { alert: 'A7', severity: 'critical' });
  t.match(byAgent.tess, { alert: 'A7', severity: 'high' });
});

void t.test(
  'a CodeRun stuck Pending past its threshold, no further events → one A9 on the timer',
  async (t) => {
    const { sim, app, clock, healer } = await world(t, {
      alerts: { stuckCodeRunMinutes: 10 },
      remediation: { mode: 'observe' },
    });
    sim.create({
      apiVersion: 'agents.platform/v1',
      kind: 'CodeRun',
      metadata: { name: 'play-task-4-coderun-rex', namespace: 'cto', labels: labels('rex') },
      spec: {
        taskId: 4,
        service: 'cto',
        repositoryUrl: 'https://github.com/5dlabs/cto',
        docsRepositoryUrl: 'https://github.com/5dlabs/cto',
        workingDirectory: '.',
        model: 'm',
        githubApp: '5DLabs-Rex',
      },
    });
    await waitFor(() => healer.hub?.get('coderun', 'cto', 'play-task-4-coderun-rex'));
    await healer.tick();
    await healer.settle();
    t.equal((await incidents(app)).length, 0, 'not yet stuck');
    clock.advance(11 * 60_000);
    await healer.tick();
    await healer.settle();
    const list = await incidents(app);
    t.equal(list.length, 1);
    t.match(list[0], {
      alert: 'A9',
      severity: 'medium',
      play_id: 'play-task-4',
      agent: 'rex',
      task_id: '4',
      subject: 'play-task-4-coderun-rex',
    });
  },
);

void t.test('an agent past its stage timeout → one A8 on the timer', async (t) => {
  // stale progress (A3, no PR for 52 min) would fire too; this test is about A8
  const { sim, app, clock, healer } = await world(t, {
    alerts: { staleProgressMinutes: 600 },
    remediation: { mode: 'observe' },
  });
  agentPod(sim, 'play-task-4-rex-long1');
  sim.patchStatus('v1', 'Pod', 'cto', 'play-task-4-rex-long1', {
    status: {
      phase: 'Running',
      startTime: T0,
      containerStatuses: [cs('claude', running(T0)), cs('docker-daemon', running(T0))],
    },
  });
  await waitFor(
    () => healer.hub?.get('pod', 'cto', 'play-task-4-rex-long1')?.status?.phase === 'Running',
  );
  clock.advance(52 * 60_000);
  await healer.tick();
  await healer.settle();
  const list = await incidents(app);
  t.equal(list.length, 1);
  t.match(list[0], {
    alert: 'A8',
    severity: 'medium',
    agent: 'rex',
    play_id: 'play-task-4',
    title: /rex running 52m/,
  });
});

void t.test('a succeeded rex pod whose logs show CONFLICT → one completion incident', async (t) => {
  const { sim, app } = await world(t);
  agentPod(sim, 'play-task-4-rex-done1', 'rex', ['claude']);
  sim.patchStatus('v1', 'Pod', 'cto', 'play-task-4-rex-done1', {
    status: { phase: 'Running', startTime: T0, containerStatuses: [cs('claude', running(T0))] },
  });
  for (const line of [
    'Cloning repository',
    'Applying changes',
    'CONFLICT (content): Merge conflict in src/main.rs',
    'Automatic merge failed; fix conflicts and then commit the result.',
  ]) {
    sim.appendLog('cto', 'play-task-4-rex-done1', 'claude', line);
  }
  sim.patchStatus('v1', 'Pod', 'cto', 'play-task-4-rex-done1', {
    status: {
      phase: 'Succeeded',
      containerStatuses: [
        cs('claude', {
          terminated: { exitCode: 0, reason: 'Completed', startedAt: T0, finishedAt: T0 },
        }),
      ],
    },
  });
  await waitFor(async () => (await incidents(app)).length === 1, { what: 'completion incident' });
  t.match((await incidents(app))[0], { alert: 'completion', agent: 'rex', play_id: 'play-task-4' });
});

void t.test('healthy look-alikes produce nothing', async (t) => {
  const { sim, app, clock, healer } = await world(t);
  // exit 0 beside a running sidecar
  agentPod(sim, 'play-task-4-rex-ok001');
  sim.patchStatus('v1', 'Pod', 'cto', 'play-task-4-rex-ok001', {
    status: {
      phase: 'Running',
      startTime: T0,
      containerStatuses: [
        cs('claude', {
          terminated: { exitCode: 0, reason: 'Completed', startedAt: T0, finishedAt: T0 },
        }),
        cs('docker-daemon', running(T0)),
      ],
    },
  });
  // completed job pod
  agentPod(sim, 'play-task-4-cleo-ok002', 'cleo', ['claude']);
  sim.patchStatus('v1', 'Pod', 'cto', 'play-task-4-cleo-ok002', {
    status: {
      phase: 'Succeeded',
      startTime: T0,
      containerStatuses: [
        cs('claude', {
          terminated: { exitCode: 0, reason: 'Completed', startedAt: T0, finishedAt: T0 },
        }),
      ],
    },
  });
  sim.appendLog('cto', 'play-task-4-cleo-ok002', 'claude', 'Review complete: APPROVED');
  // one restart then healthy
  agentPod(sim, 'play-task-4-tess-ok003', 'tess', ['claude']);
  sim.patchStatus('v1', 'Pod', 'cto', 'play-task-4-tess-ok003', {
    status: {
      phase: 'Running',
      startTime: T0,
      containerStatuses: [
        cs('claude', running(T0), {
          restartCount: 1,
          lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: T0 } },
        }),
      ],
    },
  });
  // a container in its first 30 s, not ready yet
  clock.advance(5 * 60_000);
  agentPod(sim, 'play-task-4-atlas-ok04', 'atlas', ['claude']);
  sim.patchStatus('v1', 'Pod', 'cto', 'play-task-4-atlas-ok04', {
    status: {
      phase: 'Running',
      startTime: clock.now().toISOString(),
      containerStatuses: [cs('claude', running(clock.now().toISOString()), { ready: false })],
    },
  });
  await waitFor(() => healer.hub?.list('pod').length === 4);
  await healer.tick();
  await healer.settle();
  t.same(await incidents(app), []);
});

void t.test("the Play's Workflow turning Succeeded completes its session", async (t) => {
  const { sim, app } = await world(t);
  sim.create({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: { name: 'play-task-4', namespace: 'cto' },
    spec: {},
    status: { phase: 'Running' },
  });
  sim.patchMerge('argoproj.io/v1alpha1', 'Workflow', 'cto', 'play-task-4', {
    status: { phase: 'Succeeded', finishedAt: T0 },
  });
  await waitFor(
    async () => {
      const s = (await app.inject({ method: 'GET', url: '/api/v1/session/play-task-4' })).json<{
        session: { status: string };
      }>();
      return s.session.status === 'completed';
    },
    { what: 'session completed' },
  );
  const s = (await app.inject({ method: 'GET', url: '/api/v1/session/play-task-4' })).json<{
    session: { end_reason: string };
  }>().session;
  t.match(s.end_reason, /workflow Succeeded/);
});

void t.test(
  "the Play's Workflow turning Failed fails its session; another play's Workflow changes nothing",
  async (t) => {
    const { sim, app } = await world(t);
    sim.create({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Workflow',
      metadata: { name: 'play-other', namespace: 'cto' },
      spec: {},
      status: { phase: 'Failed' },
    });
    sim.create({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Workflow',
      metadata: { name: 'play-task-4', namespace: 'cto' },
      spec: {},
      status: { phase: 'Running' },
    });
    sim.patchMerge('argoproj.io/v1alpha1', 'Workflow', 'cto', 'play-task-4', {
      status: { phase: 'Failed', message: 'child step rex failed' },
    });
    await waitFor(
      async () =>
        (await app.inject({ method: 'GET', url: '/api/v1/session/play-task-4' })).json<{
          session: { status: string };
        }>().session.status === 'failed',
      { what: 'session failed' },
    );
    const s = (await app.inject({ method: 'GET', url: '/api/v1/session/play-task-4' })).json<{
      session: { end_reason: string };
    }>().session;
    t.match(s.end_reason, /workflow Failed: child step rex failed/);
  },
);
