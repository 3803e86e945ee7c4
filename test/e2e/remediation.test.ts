import t, { type Test } from 'tap';
import { KubeConfig } from '@kubernetes/client-node';
import { startKubeSim, waitFor, type KubeSim } from '../sim/kube/index.js';
import { startGitHubSim, type GitHubSim } from '../sim/github/index.js';
import { testHealer, MCP_FIXTURE } from '../helpers/healer.js';
import { startReceiver } from '../helpers/receiver.js';
import { silentFailurePod } from '../helpers/pods.js';
import { ManualClock } from '../../src/domain/clock.js';
import { createGitHubClient } from '../../src/sources/github/client.js';

const T0 = '2026-11-21T10:00:00Z';
const REPO = '5dlabs/cto-parallel-test';

/** Healer with a simulated cluster, GitHub and Discord; one shared manual clock. */
async function world(t: Test, heal: Record<string, unknown> = {}) {
  const clock = new ManualClock(T0);
  const kube = await startKubeSim({ now: () => clock.now(), bookmarkIntervalMs: 500 });
  const github = await startGitHubSim({ clock: () => clock.now() });
  const discord = await startReceiver();
  const kc = new KubeConfig();
  kc.loadFromString(kube.kubeconfigYaml());
  const h = await testHealer({
    clock,
    heal: { alerts: { staleProgressMinutes: 100000 }, ...heal },
    env: {
      GITHUB_TOKEN: 'healer-token',
      GITHUB_API_URL: github.url,
      DISCORD_WEBHOOK_URL: discord.url,
    },
    kube: { kc, source: 'simulator' },
    reflector: { backoff: { initialMs: 20, maxMs: 200 }, inactivityMs: 3000 },
    dispatcher: { pollMs: 100, backoff: { initialMs: 50, maxMs: 500 } },
    // the real client, with the retry plugin's backoff shortened and write pacing off for tests
    github: createGitHubClient({
      baseUrl: github.url,
      auth: { kind: 'token', token: 'healer-token' },
      retryBaseMs: 5,
      pacing: false,
    }),
  });
  t.teardown(async () => {
    await h.healer.stop();
    await Promise.all([kube.close(), github.close(), discord.close()]);
  });
  await h.healer.start();
  await waitFor(() => h.healer.hub?.readiness().ok, { what: 'watches synced' });
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/v1/session/start',
    headers: { 'content-type': 'application/json' },
    payload: {
      ...MCP_FIXTURE,
      play_id: 'play-task-4',
      repository: REPO,
      tasks: [{ id: '4', title: 'Four' }],
    },
  });
  t.equal(res.statusCode, 200);
  return { kube, github, discord, ...h, clock };
}

/** rex's agent container exits 1 while its docker-daemon sidecar keeps the pod Running. */
const silentFailure = (kube: KubeSim, name = 'play-task-4-rex-x7k2p') =>
  silentFailurePod(kube, { name, at: T0 });

const issuesOf = (github: GitHubSim) => {
  const repo = github.world.repos.get(REPO.toLowerCase()) ?? github.world.repos.get(REPO);
  return repo ? [...repo.issues.values()].filter((i) => !('pull' in i && i.pull)) : [];
};
const healerRuns = (kube: KubeSim) =>
  kube.list('agents.platform/v1', 'coderuns', 'cto', {
    labelSelector: 'healer.platform/remediation=true',
  });

void t.test(
  'a silent failure behind a sidecar → one issue, one valid CodeRun, one Discord call; repeats add occurrences only',
  async (t) => {
    const w = await world(t);
    silentFailure(w.kube);
    await waitFor(
      () =>
        healerRuns(w.kube).length === 1 &&
        issuesOf(w.github).length === 1 &&
        w.discord.calls.length === 1,
      { what: 'issue, CodeRun and notification', timeoutMs: 10_000 },
    );
    const [issue] = issuesOf(w.github);
    t.match(issue.title, /^\[HEAL-A2\] Silent Failure: play-task-4-rex-x7k2p/);
    t.same(issue.labels.slice().sort(), ['a2', 'heal', 'remediation', 'severity:critical']);
    t.match(issue.body, /<!-- healer:fingerprint=[0-9a-f]{64} -->/);
    const [run] = healerRuns(w.kube);
    t.match(run, {
      metadata: {
        name: /^healer-a2-[0-9a-f]{8}-1$/,
        labels: { 'healer.platform/remediation': 'true', 'alert-type': 'a2', 'task-id': '4' },
      },
      spec: { taskId: 4, promptModification: /Fixes #\d+/ },
    });
    t.match(JSON.stringify(w.discord.calls[0].body), /A2/);

    // the same failure again: another pod of the family dies, and the first one is touched
    silentFailure(w.kube, 'play-task-4-rex-y8m3q');
    w.kube.patchMerge('v1', 'Pod', 'cto', 'play-task-4-rex-x7k2p', {
      metadata: { annotations: { touched: 'yes' } },
    });
    await waitFor(async () => (await w.store.openIncidents())[0]?.occurrences === 2, {
      what: 'second occurrence',
    });
    await w.healer.tick();
    await w.healer.settle();
    await w.healer.outbox.runOnce();
    t.equal(issuesOf(w.github).length, 1, 'still one issue');
    t.equal(healerRuns(w.kube).length, 1, 'still one CodeRun');
    t.equal(w.discord.calls.length, 1, 'still one notification');
    const incidents = await w.store.listIncidents({ limit: 10 });
    t.equal(incidents.length, 1);
    t.match(incidents[0], {
      alert: 'A2',
      occurrences: 2,
      state: 'remediating',
      remediationSpawned: true,
      githubIssue: { number: issue.number },
    });
    const timeline = (
      await w.app.inject({ method: 'GET', url: '/api/v1/session/play-task-4/timeline' })
    ).json<{ entries: { type: string; summary: string }[] }>();
    t.ok(
      timeline.entries.some((e) => e.type === 'decision' && e.summary.startsWith('new:')),
      'the decision is on the timeline',
    );
    t.ok(
      timeline.entries.some(
        (e) => e.type === 'decision' && /^(remediation-active|repeat):/.test(e.summary),
      ),
      'and why the repeat did nothing',
    );
  },
);

void t.test(
  'remediation runs fail and the alert persists → attempt 2, then 3, then needs-human; never a 4th CodeRun',
  async (t) => {
    const w = await world(t);
    silentFailure(w.kube);
    const fail = async (n: number) => {
      await waitFor(() => healerRuns(w.kube).length === n, {
        what: `CodeRun ${n}`,
        timeoutMs: 10_000,
      });
      const name = healerRuns(w.kube)
        .map((r) => r.metadata.name)
        .sort()
        .at(-1)!;
      w.kube.patchStatus('agents.platform/v1', 'CodeRun', 'cto', name, {
        status: { phase: 'Failed', finishedAt: w.clock.now().toISOString() },
      });
      await waitFor(
        async () =>
          (await w.store.openIncidents())[0]?.attempts?.find((a) => a.coderun === name)?.finishedAt,
        { what: `attempt ${n} finished` },
      );
      await w.healer.settle();
      w.clock.advance(11 * 60_000); // past the cooldown
      await w.healer.tick();
      await w.healer.settle();
      w.healer.outbox.kick();
    };
    await fail(1);
    await fail(2);
    await fail(3);
    await waitFor(
      () => {
        const issue = issuesOf(w.github)[0];
        return issue?.labels.includes('needs-human');
      },
      { what: 'needs-human label', timeoutMs: 10_000 },
    );
    await w.healer.outbox.idle();
    t.equal(healerRuns(w.kube).length, 3, 'exactly three CodeRuns');
    const [incident] = await w.store.openIncidents();
    t.match(incident, { state: 'escalated', escalatedAt: String });
    t.same(
      (incident.attempts ?? []).map((a) => a.attempt),
      [1, 2, 3],
    );
    const detail = (
      await w.app.inject({ method: 'GET', url: `/api/v1/incidents/${incident.id}` })
    ).json<{
      incident: {
        state: string;
        attempts: { attempt: number; phase: string }[];
        last_decision: string;
      };
      decisions: { reason: string; detail: string }[];
      actions: { action: string; state: string }[];
    }>();
    t.match(detail.incident, { state: 'escalated', last_decision: String });
    t.same(
      detail.incident.attempts.map((a) => [a.attempt, a.phase]),
      [
        [1, 'Failed'],
        [2, 'Failed'],
        [3, 'Failed'],
      ],
    );
    t.ok(
      detail.decisions.some((d) => d.reason === 'attempts-exhausted' && d.detail.length > 10),
      'why it escalated, on the incident',
    );
    t.ok(
      detail.actions.some((a) => a.action === 'label-issue' && a.state === 'done'),
      'the needs-human label action, on the incident',
    );
    const reasons = (await w.store.decisionsFor(incident.id)).map((d) => d.reason);
    t.same(reasons.filter((r) => r === 'recurred-after-fix').length, 2);
    t.ok(reasons.includes('attempts-exhausted'));
    // later ticks add nothing
    w.clock.advance(30 * 60_000);
    await w.healer.tick();
    await w.healer.settle();
    await w.healer.outbox.runOnce();
    t.equal(healerRuns(w.kube).length, 3, 'still three');
    t.ok(
      w.discord.calls.some((c) => /Needs a human/.test(JSON.stringify(c.body))),
      'escalation notified',
    );
  },
);

void t.test(
  'GitHub answering 5xx for a while: the issue is created once, later; the CodeRun waits for it',
  async (t) => {
    const w = await world(t);
    w.github.faults.failRequests({ status: 502, count: 8 });
    silentFailure(w.kube);
    // the outbox backs off on the (manual) clock: let time pass while waiting
    await waitFor(
      () => {
        w.clock.advance(5_000);
        w.healer.outbox.kick();
        return issuesOf(w.github).length === 1 && healerRuns(w.kube).length === 1;
      },
      { what: 'issue and CodeRun after the outage', timeoutMs: 20_000, intervalMs: 100 },
    );
    await w.healer.outbox.idle();
    t.equal(issuesOf(w.github).length, 1);
    const actions = await w.store.actionsFor((await w.store.openIncidents())[0].id);
    const open = actions.find((a) => a.action.kind === 'open-issue')!;
    t.ok(open.attempts > 1, `open-issue took ${open.attempts} attempts`);
    t.equal(open.state, 'done');
  },
);

void t.test(
  'evaluate-then-fix: an evaluation run first; when it ends without an issue, Healer writes the issue and starts the remediation',
  async (t) => {
    const w = await world(t, { remediation: { mode: 'evaluate-then-fix' } });
    silentFailure(w.kube);
    await waitFor(() => healerRuns(w.kube).length === 1, {
      what: 'evaluation CodeRun',
      timeoutMs: 10_000,
    });
    const [evaluation] = healerRuns(w.kube);
    t.match(evaluation, {
      metadata: {
        name: /^healer-eval-a2-[0-9a-f]{8}$/,
        labels: { 'agents.platform/type': 'healer-evaluation' },
      },
    });
    t.equal(
      issuesOf(w.github).length,
      0,
      'no issue yet: the evaluation agent is asked to write it',
    );
    w.kube.patchStatus('agents.platform/v1', 'CodeRun', 'cto', evaluation.metadata.name, {
      status: { phase: 'Succeeded', finishedAt: w.clock.now().toISOString() },
    });
    await waitFor(() => issuesOf(w.github).length === 1 && healerRuns(w.kube).length === 2, {
      what: 'fallback issue and remediation CodeRun',
      timeoutMs: 10_000,
    });
    const names = healerRuns(w.kube)
      .map((r) => r.metadata.name)
      .sort();
    t.match(names[0], /^healer-a2-[0-9a-f]{8}-1$/, 'the remediation run');
    t.match(issuesOf(w.github)[0].body, /<!-- healer:fingerprint=[0-9a-f]{64} -->/);
    const [incident] = await w.store.openIncidents();
    t.match(incident, {
      evaluation: { phase: 'Succeeded' },
      attempts: [{ attempt: 1 }],
      githubIssue: { number: Number },
    });
  },
);
