// Each scenario plays against the simulators and the test reads back, through the real clients
// (@kubernetes/client-node, fetch to Loki's query_range, Octokit), the objects, log lines and PR
// events its steps describe. The checks are generic: verifyPlayed folds the steps into the
// world they must leave and compares it with what the clients read.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CoreV1Api, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import t from 'tap';
import { simOctokit } from '../sim/github/octokit.js';
import { httpControl, loadScenario, parseScenario, playScenario } from '../sim/play/index.js';
import type { Scenario } from '../sim/play/index.js';
import { verifyPlayed } from '../sim/play/verify/index.js';
import { startSimWorld } from '../sim/world.js';

const DIR = fileURLToPath(new URL('../scenarios/', import.meta.url));
const scenarios: Scenario[] = await Promise.all(
  readdirSync(DIR)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => loadScenario(DIR + f)),
);
const byName = (n: string) => scenarios.find((s) => s.name === n)!;
const clean = { kube: [], loki: [], github: [] };

const linesOf = (s: Scenario) =>
  s.steps.reduce((n, st) => n + (st.action.kind === 'logs' ? st.action.spec.lines.length : 0), 0);

void t.test('every scenario plays into one world and reads back as described', async (t) => {
  const world = await startSimWorld({ controlPort: false });
  t.teardown(() => world.close());
  for (const s of scenarios) {
    await t.test(s.name, async (t) => {
      const before = Date.now();
      const r = await playScenario(world, s);
      t.same(
        await verifyPlayed(world, s, r),
        clean,
        'objects, logs and PR events as the steps say',
      );
      t.equal(r.playId, s.session.play_id);
      t.same(r.warnings, []);
      t.equal(r.counts.logLines, linesOf(s), 'every log line was shipped');
      t.equal(
        r.pr !== null,
        s.steps.some((st) => st.action.kind === 'pr'),
        'a PR iff a pr step',
      );
      const end = Date.parse(r.end);
      t.ok(end >= before && end <= Date.now(), 'the last step lands at "now"');
      t.equal(
        Date.parse(r.start),
        end - Math.max(...s.steps.map((st) => st.at)),
        'everything before it is back-dated by its offset',
      );
    });
  }
});

void t.test('the verifier notices a world that differs from the steps', async (t) => {
  const world = await startSimWorld({ controlPort: false });
  t.teardown(() => world.close());
  const s = byName('a4-approval-loop');
  const r = await playScenario(world, s);
  t.same(await verifyPlayed(world, s, r), clean);
  const cleo = r.pods.cleo.name;
  world.kube.patchStatus('v1', 'Pod', 'cto', cleo, { status: { phase: 'Failed' } });
  world.loki.push([
    {
      stream: { namespace: 'cto', pod: cleo, container: 'claude' },
      values: [[`${Date.now()}000000`, 'an extra line']],
    },
  ]);
  await simOctokit(world.urls.github, { token: 'login:someone' }).rest.issues.createComment({
    owner: '5dlabs',
    repo: 'cto-parallel-test',
    issue_number: r.pr!.number,
    body: 'an extra comment',
  });
  const v = await verifyPlayed(world, s, r);
  t.match(v.kube, [/pod cleo .* phase Failed, expected Running/]);
  t.match(v.loki, [/loki .*cleo.*\/claude: got 2 lines/]);
  t.match(v.github, [/comments: .*an extra comment/]);
});

void t.test(
  'a player in another process drives the world through its control server',
  async (t) => {
    const world = await startSimWorld();
    t.teardown(() => world.close());
    t.ok(world.urls.control);
    const remote = { urls: world.urls, control: httpControl(world.urls.control!) };
    for (const name of ['a7-crash-loop', 'a9-stuck-coderun', 'a4-approval-loop']) {
      const s = byName(name);
      const r = await playScenario(remote, s);
      t.same(
        await verifyPlayed(world, s, r),
        clean,
        `${name}: clock pinned, pod logs and restarts over HTTP`,
      );
    }
    t.equal(world.clock.pinned, null, 'the clock is released after the play');
  },
);

void t.test('without a world control the play degrades and says so', async (t) => {
  const world = await startSimWorld({ controlPort: false });
  t.teardown(() => world.close());
  const s = byName('a4-approval-loop');
  const r = await playScenario({ urls: world.urls, control: null }, s);
  t.match(r.warnings, [/no world control/]);
  const gh = simOctokit(world.urls.github);
  const { data } = await gh.rest.issues.listComments({
    owner: '5dlabs',
    repo: 'cto-parallel-test',
    issue_number: r.pr!.number,
  });
  const at = s.steps.find((st) => st.action.kind === 'comment')!.at;
  t.equal(
    data[0].created_at,
    new Date(Date.parse(r.start) + at).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'comments are still back-dated (through the simulator endpoint)',
  );
  const kc = new KubeConfig();
  kc.loadFromFile(world.kubeconfigPath);
  const log = await kc
    .makeApiClient(CoreV1Api)
    .readNamespacedPodLog({ name: r.pods.rex.name, namespace: 'cto', container: 'claude' });
  t.equal(log, '', 'no pod log lines without a kubelet to write them');
});

void t.test(
  'speed plays the steps in real time; clock and start anchor the timeline',
  async (t) => {
    const world = await startSimWorld({ controlPort: false });
    t.teardown(() => world.close());
    const s = byName('a9-stuck-coderun'); // 11 minutes
    const r = await playScenario(world, s, { speed: 1320 }); // in half a second
    t.ok(r.elapsedMs >= 450, `took ${r.elapsedMs} ms`);
    t.equal(r.speed, 1320);
    t.ok(Math.abs(Date.parse(r.end) - Date.now()) < 1000, 'ends at now');

    const fixed = new Date('2026-03-01T12:00:00.000Z');
    const world2 = await startSimWorld({ controlPort: false });
    t.teardown(() => world2.close());
    const r2 = await playScenario(world2, s, { clock: { now: () => fixed } });
    t.equal(r2.end, fixed.toISOString(), 'the last step lands at the given clock');
    const kc = new KubeConfig();
    kc.loadFromFile(world2.kubeconfigPath);
    const cr = (await kc.makeApiClient(CustomObjectsApi).getNamespacedCustomObject({
      group: 'agents.platform',
      version: 'v1',
      namespace: 'cto',
      plural: 'coderuns',
      name: r2.coderuns.rex.name,
    })) as { metadata: { creationTimestamp: string } };
    t.equal(
      cr.metadata.creationTimestamp,
      '2026-03-01T11:49:03Z',
      'created 11 minutes before the end',
    );

    const world3 = await startSimWorld({ controlPort: false });
    t.teardown(() => world3.close());
    const r3 = await playScenario(world3, s, { start: new Date('2026-01-01T00:00:00Z') });
    t.equal(r3.start, '2026-01-01T00:00:00.000Z');
    t.equal(r3.end, '2026-01-01T00:11:00.000Z');
  },
);

// The parts of the vocabulary the scenario files do not use, in one play.
const VOCABULARY = `
name: vocabulary
description: every step kind and option the scenario files leave out
session:
  play_id: play-task-21-vocab
  repository: 5dlabs/cto-sandbox
  namespace: agents
  cto_config:
    agents:
      rex: { githubApp: 5DLabs-Rex, cli: codex }
      tess: { githubApp: 5DLabs-Tess, cli: claude }
  tasks: [{ id: 21, title: Vocabulary }]
steps:
  - { at: 0s, workflow: { phase: Running, labels: { team: platform } } }
  - { at: 1s, coderun: { agent: rex, id: first, phase: Running, labels: { try: '1' } } }
  - { at: 2s, pod: { agent: rex, id: first, unschedulable: '0/3 nodes are available: 3 Insufficient memory.' } }
  - { at: 3s, event: { pod: first, reason: NotTriggerScaleUp, message: 'pod didn''t trigger scale-up', component: cluster-autoscaler } }
  - { at: 1m, pod: { agent: rex, id: first, delete: true } }
  - { at: 1m1s, coderun: { agent: rex, id: first, delete: true } }
  - { at: 1m2s, event: { workflow: true, type: Normal, reason: WorkflowNodeRunning, message: 'Running node rex retry' } }
  - { at: 1m5s, coderun: { agent: rex, id: second, phase: Running, message: retry } }
  - { at: 1m6s, pod: { agent: rex, id: second, containers: [codex, helper], sidecars: [tools], labels: { tier: agent, job-name: null } } }
  - { at: 1m10s, pod: { agent: rex, id: second, phase: Running, states: { codex: running, helper: { running: {}, ready: false }, tools: running } } }
  - at: 1m12s
    logs:
      pod: second
      container: helper
      stream: stderr
      every: 1s
      lines: ['one', { after: 5s, text: 'two, five seconds in' }, 'three']
  - { at: 1m20s, event: { coderun: second, reason: Retried, message: 'second attempt started', type: Normal } }
  - { at: 2m, commit: { author: jonathon, message: 'chore: seed the branch' } }
  - { at: 2m5s, pr: { agent: rex, title: 'Vocabulary', labels: [vocab], base: main } }
  - { at: 2m10s, status: { context: ci/coverage, state: pending, description: running } }
  - { at: 2m40s, status: { context: ci/coverage, state: success, target_url: 'https://ci.example.com/runs/1' } }
  - { at: 3m, review: { agent: tess, event: REQUEST_CHANGES, body: 'Please add a test for {head}.' } }
  - { at: 3m5s, comment: { author: jonathon, body: 'Agreed with Tess on #{pr}.' } }
  - { at: 3m10s, check: { name: lint, conclusion: neutral, title: Lint, summary: 'no findings' } }
  - { at: 3m20s, pod: { agent: rex, id: second, phase: Failed, reason: DeadlineExceeded, message: 'Pod was active too long', states: { codex: 'terminated:143:Error', helper: 'terminated:0', tools: 'terminated:0' } } }
  - { at: 3m21s, coderun: { agent: rex, id: second, phase: Failed, message: 'Job deadline exceeded' } }
  - { at: 3m30s, workflow: { phase: Failed, message: 'child rex failed' } }
  - { at: 4m, mergeable: { mergeable: true, state: unstable } }
expect:
  alerts:
    - { alert: A7, severity: high, agent: rex, task_id: 21, reason: DeadlineExceeded }
  issues: 1
  coderuns: 1
`;

void t.test(
  'the rest of the vocabulary plays and reads back, in a namespace of its own',
  async (t) => {
    const world = await startSimWorld({ controlPort: false });
    t.teardown(() => world.close());
    const s = parseScenario(VOCABULARY);
    const r = await playScenario(world, s);
    t.same(await verifyPlayed(world, s, r), clean);
    t.same(Object.keys(r.pods), ['first', 'second']);
    t.equal(r.counts.events > 3, true, 'scenario and kubelet events');
    const kc = new KubeConfig();
    kc.loadFromFile(world.kubeconfigPath);
    const core = kc.makeApiClient(CoreV1Api);
    const pod = await core.readNamespacedPod({ name: r.pods.second.name, namespace: 'agents' });
    t.equal(pod.metadata?.labels?.tier, 'agent');
    t.notOk(pod.metadata?.labels?.['job-name'], 'a label removed with null');
    t.equal(pod.status?.reason, 'DeadlineExceeded');
    const autoscaler = await core.listNamespacedEvent({
      namespace: 'agents',
      fieldSelector: `involvedObject.name=${r.pods.first.name}`,
    });
    t.same(
      autoscaler.items.map((e) => e.reason).sort(),
      ['FailedScheduling', 'NotTriggerScaleUp'],
      'an unschedulable pod gets the scheduler event',
    );
  },
);
