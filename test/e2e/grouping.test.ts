// Cause groups end to end (issue #17 points 1 and 5): a tools-server outage under three agents in
// two Plays is one parent incident with one issue and one remediation run, its three children
// linked; pods failing under one NotReady node are one group too; two unrelated failures at the
// same time (different servers, different nodes) stay separate. Real clients against the
// simulated cluster and GitHub, one manual clock.
import t from 'tap';
import { waitFor, type KubeSim } from '../sim/kube/index.js';
import type { GitHubSim } from '../sim/github/index.js';
import { remediationWorld, WORLD_REPO as REPO } from '../helpers/remediation-world.js';
import { MCP_FIXTURE } from '../helpers/healer.js';
import { agentLabels, imagePullPod, silentFailurePod } from '../helpers/pods.js';

type World = Awaited<ReturnType<typeof remediationWorld>>;

const healerRuns = (kube: KubeSim) =>
  kube.list('agents.platform/v1', 'coderuns', 'cto', {
    labelSelector: 'healer.platform/remediation=true',
  });
const issuesOf = (github: GitHubSim) => {
  const repo = github.world.repos.get(REPO.toLowerCase()) ?? github.world.repos.get(REPO);
  return repo ? [...repo.issues.values()].filter((i) => !('pull' in i && i.pull)) : [];
};

interface IncidentJson {
  id: string;
  alert: string;
  agent: string | null;
  play_id: string | null;
  title: string;
  state: string;
  last_decision: string | null;
  grouped_by: { incident_id: string; rule: string; key: string } | null;
  cause: { rule: string; key: string } | null;
}

async function startPlay(w: World, playId: string, task: string) {
  const res = await w.app.inject({
    method: 'POST',
    url: '/api/v1/session/start',
    payload: {
      ...MCP_FIXTURE,
      play_id: playId,
      repository: REPO,
      tasks: [{ id: task, title: task }],
    },
  });
  if (res.statusCode !== 200) throw new Error(`session start: ${res.statusCode} ${res.body}`);
}

/** An agent pod that failed silently, with the Warning event that says why. */
async function failingAgent(
  w: World,
  pod: string,
  agent: { playId: string; agent: string; taskId: string },
  event: { reason: string; message: string },
) {
  const at = w.clock.now().toISOString();
  w.kube.create({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${pod}.ev`, namespace: 'cto' },
    involvedObject: { kind: 'Pod', name: pod, namespace: 'cto', apiVersion: 'v1' },
    type: 'Warning',
    reason: event.reason,
    message: event.message,
    count: 1,
    firstTimestamp: at,
    lastTimestamp: at,
  });
  await waitFor(
    () => (w.healer.hub?.list('event') ?? []).some((e) => e.metadata?.name === `${pod}.ev`),
    { what: `the event of ${pod}` },
  );
  silentFailurePod(w.kube, { name: pod, ...agent, at });
}

async function incidents(w: World): Promise<IncidentJson[]> {
  return (await w.app.inject({ method: 'GET', url: '/api/v1/incidents?limit=100' })).json<{
    incidents: IncidentJson[];
  }>().incidents;
}

/** Every decision committed and every outbox action run (twice: a decision may plan more). */
async function settle(w: World) {
  for (let n = 0; n < 3; n++) {
    await w.healer.settle();
    await w.healer.outbox.runOnce();
  }
}

const TOOLS_DOWN = {
  reason: 'Failed',
  message:
    'MCP server "cto-tools" unreachable: dial tcp 10.96.0.17:3000: connect: connection refused',
};

void t.test(
  'a tools-server outage under three agents in two Plays: one parent, one issue, one run, three children linked',
  async (t) => {
    const w = await remediationWorld(t);
    await startPlay(w, 'play-task-5', '5');
    await failingAgent(
      w,
      'play-task-4-rex-a1b2c',
      { playId: 'play-task-4', agent: 'rex', taskId: '4' },
      TOOLS_DOWN,
    );
    await failingAgent(
      w,
      'play-task-4-blaze-d3e4f',
      { playId: 'play-task-4', agent: 'blaze', taskId: '4' },
      TOOLS_DOWN,
    );
    await failingAgent(
      w,
      'play-task-5-cleo-g5h6i',
      { playId: 'play-task-5', agent: 'cleo', taskId: '5' },
      TOOLS_DOWN,
    );
    let all: IncidentJson[] = [];
    await waitFor(
      async () => {
        await settle(w);
        all = await incidents(w);
        return all.filter((i) => i.grouped_by).length === 3;
      },
      { what: 'three grouped children', timeoutMs: 15_000 },
    );
    await settle(w);
    all = await incidents(w);
    const parents = all.filter((i) => i.cause);
    t.equal(parents.length, 1, 'one parent incident');
    const parent = parents[0];
    t.match(parent, {
      title: 'MCP server failing: cto-tools',
      agent: null,
      cause: { rule: 'mcp-server-down', key: 'cto-tools' },
    });
    const children = all.filter((i) => i.grouped_by);
    t.same(
      children.map((c) => `${c.play_id}/${c.agent}`).sort(),
      ['play-task-4/blaze', 'play-task-4/rex', 'play-task-5/cleo'],
      'the three agents in two Plays',
    );
    for (const c of children) {
      t.match(c, {
        last_decision: 'grouped',
        grouped_by: { incident_id: parent.id, rule: 'mcp-server-down', key: 'cto-tools' },
      });
    }
    t.equal(all.length, 4, 'nothing else');
    t.equal(issuesOf(w.github).length, 1, 'one issue');
    t.match(issuesOf(w.github)[0].title, /MCP server failing: cto-tools/);
    t.equal(healerRuns(w.kube).length, 1, 'one remediation run');
    t.match(
      healerRuns(w.kube)[0].metadata?.labels,
      { 'healer.platform/fingerprint': /^[0-9a-f]+$/ },
      'aimed at the parent',
    );
    const one = (
      await w.app.inject({ method: 'GET', url: `/api/v1/incidents/${parent.id}` })
    ).json<{ children: { id: string; relation: string }[]; incident: { last_decision: string } }>();
    t.equal(one.incident.last_decision !== 'grouped', true, 'the parent is acted on');
    t.same(
      one.children.map((c) => c.id).sort(),
      children.map((c) => c.id).sort(),
      'the parent lists its three children',
    );
    t.ok(
      one.children.every((c) => c.relation === 'grouped'),
      'as the incidents of its cause',
    );
    const page = await w.app.inject({ method: 'GET', url: `/incidents/${parent.id}` });
    t.equal(page.statusCode, 200);
    t.match(
      page.body,
      /Related incidents <span class="count">3<\/span>/,
      'the page shows the tree',
    );
    t.match(page.body, 'Incidents of the cause <code>cto-tools</code>: 3');
    for (const c of children) t.match(page.body, `/incidents/${c.id}`, 'the page links each child');
    const childPage = await w.app.inject({ method: 'GET', url: `/incidents/${children[0].id}` });
    t.match(
      childPage.body,
      `Cause group: <a href="/incidents/${parent.id}">`,
      'a child links its parent',
    );
  },
);

const DASHBOARD = 'https://healer.example.com';
/** The comments Healer posted on an issue that name incidents joining its cause. */
const childrenComments = (issue: { comments: { body: string }[] }) =>
  issue.comments.filter((c) => c.body.includes('### More incidents of this cause'));

void t.test(
  'a third agent in another Play fails after the outage’s issue opened: still one issue and one run, and the issue names the third child',
  async (t) => {
    const w = await remediationWorld(t, { heal: { issues: { dashboardUrl: DASHBOARD } } });
    await startPlay(w, 'play-task-5', '5');
    const play4 = { playId: 'play-task-4', taskId: '4' };
    await failingAgent(w, 'play-task-4-rex-j1j2j', { ...play4, agent: 'rex' }, TOOLS_DOWN);
    await failingAgent(w, 'play-task-4-blaze-j3j4j', { ...play4, agent: 'blaze' }, TOOLS_DOWN);
    await waitFor(
      async () => {
        await settle(w);
        return (
          issuesOf(w.github).length === 1 &&
          healerRuns(w.kube).length === 1 &&
          (await incidents(w)).filter((i) => i.grouped_by).length === 2
        );
      },
      { what: 'the parent’s issue and run', timeoutMs: 15_000 },
    );
    await settle(w);
    const issue = issuesOf(w.github)[0];
    const before = await incidents(w);
    const parent = before.find((i) => i.cause)!;
    const first = before.filter((i) => i.grouped_by);
    // the body lists the children it was written with; one that joined while it was being
    // written is named by a comment
    const told = first.filter((c) => issue.body?.includes(`(${DASHBOARD}/incidents/${c.id})`));
    t.ok(told.length >= 1, 'the body links the children it was written with');
    for (const c of first.filter((c) => !told.includes(c)))
      t.ok(
        childrenComments(issue).some((m) => m.body.includes(c.id)),
        'a child that joined as the issue was written is in a comment',
      );
    const commented = childrenComments(issue).length;

    // minutes later, an agent of another Play hits the same server
    w.clock.advance(4 * 60_000);
    await failingAgent(
      w,
      'play-task-5-cleo-j5j6j',
      { playId: 'play-task-5', agent: 'cleo', taskId: '5' },
      TOOLS_DOWN,
    );
    await waitFor(
      async () => {
        await settle(w);
        return childrenComments(issuesOf(w.github)[0]).some((c) => c.body.includes('play-task-5'));
      },
      { what: 'the issue told of the third child', timeoutMs: 15_000 },
    );
    await settle(w);
    const all = await incidents(w);
    const cleo = all.find((i) => i.agent === 'cleo')!;
    t.match(cleo, { last_decision: 'grouped', grouped_by: { incident_id: parent.id } });
    t.equal(all.filter((i) => i.cause).length, 1, 'one parent');
    t.equal(all.length, 4, 'three children and their parent');
    t.equal(issuesOf(w.github).length, 1, 'still exactly one issue');
    t.equal(healerRuns(w.kube).length, 1, 'still exactly one remediation run');
    const [comment, ...more] = childrenComments(issuesOf(w.github)[0]).slice(commented);
    t.same(more, [], 'one comment for the one child that joined');
    t.match(
      comment.body,
      `| [\`${cleo.id}\`](${DASHBOARD}/incidents/${cleo.id}) | \`A2\` | \`cleo\` | \`play-task-5\` | ${cleo.title} |`,
      'it names the child with its alert, agent, Play, title and link',
    );
    for (const c of first) t.notMatch(comment.body, c.id, 'and only the child that joined');
    t.match(
      comment.body,
      /<!-- untrusted-data:begin evidence -->\n`{3,}text\n/,
      'its evidence fenced',
    );
    t.match(comment.body, 'MCP server', 'the evidence is the child’s');
    t.match(comment.body, /<!-- healer:comment=[0-9a-f]{16}:children-[0-9a-f]{12}-r0 -->/);
    const detail = (
      await w.app.inject({ method: 'GET', url: `/api/v1/incidents/${parent.id}` })
    ).json<{ decisions: { reason: string; detail: string; plan: string[] }[] }>();
    t.ok(
      detail.decisions.some(
        (d) =>
          d.plan.includes('comment-issue') &&
          d.detail.includes(
            `joined the cause since issue #${issue.number} was written (${cleo.id})`,
          ),
      ),
      'the parent’s decision says why it commented',
    );

    // a repeat of the third child changes nothing on the issue
    await settle(w);
    t.equal(childrenComments(issuesOf(w.github)[0]).length, commented + 1, 'never twice');
  },
);

void t.test('agent pods under one NotReady node: one parent named by the node', async (t) => {
  const w = await remediationWorld(t);
  const node = { reason: 'NodeNotReady', message: 'Node worker-2 is not ready' };
  await failingAgent(
    w,
    'play-task-4-rex-n1n2n',
    { playId: 'play-task-4', agent: 'rex', taskId: '4' },
    node,
  );
  await failingAgent(
    w,
    'play-task-4-cipher-n3n4n',
    { playId: 'play-task-4', agent: 'cipher', taskId: '4' },
    node,
  );
  await waitFor(
    async () => {
      await settle(w);
      return (await incidents(w)).filter((i) => i.grouped_by).length === 2;
    },
    { what: 'two grouped children', timeoutMs: 15_000 },
  );
  await settle(w);
  const all = await incidents(w);
  t.same(
    all.filter((i) => i.cause).map((i) => i.title),
    ['Node not ready: worker-2'],
  );
  t.equal(issuesOf(w.github).length, 1, 'one issue');
  t.equal(healerRuns(w.kube).length, 1, 'one run');

  // the node comes back: the pods go, their incidents resolve, and then the parent with its issue
  const parentId = all.find((i) => i.cause)!.id;
  for (const pod of ['play-task-4-rex-n1n2n', 'play-task-4-cipher-n3n4n'])
    w.kube.delete('v1', 'Pod', 'cto', pod, { gracePeriodSeconds: 0 });
  await waitFor(() => w.healer.hub?.list('pod').length === 0, { what: 'pods gone' });
  w.clock.advance(5 * 60_000 + 1_000);
  await waitFor(
    async () => {
      await w.healer.tick();
      await settle(w);
      return (await incidents(w)).every((i) => i.state === 'resolved');
    },
    { what: 'children and parent resolved', timeoutMs: 15_000 },
  );
  const parent = (await incidents(w)).find((i) => i.id === parentId)!;
  t.match(parent, { state: 'resolved' }, 'the parent resolved with its children');
  const detail = (
    await w.app.inject({ method: 'GET', url: `/api/v1/incidents/${parentId}` })
  ).json<{ incident: { resolution: string }; children: { state: string }[] }>();
  t.equal(detail.incident.resolution, 'every incident of this cause resolved');
  t.same(
    detail.children.map((c) => c.state),
    ['resolved', 'resolved'],
    'its children are still listed',
  );
  await waitFor(() => issuesOf(w.github)[0]?.state === 'closed', {
    what: 'the parent’s issue closed',
    timeoutMs: 10_000,
  });
});

void t.test(
  'look-alike: two unrelated failures at once, on different servers and nodes, stay separate',
  async (t) => {
    const w = await remediationWorld(t);
    await startPlay(w, 'play-task-5', '5');
    await failingAgent(
      w,
      'play-task-4-rex-s1s2s',
      { playId: 'play-task-4', agent: 'rex', taskId: '4' },
      { reason: 'Failed', message: 'MCP server "github" unreachable: connection refused' },
    );
    await failingAgent(
      w,
      'play-task-5-cleo-s3s4s',
      { playId: 'play-task-5', agent: 'cleo', taskId: '5' },
      { reason: 'NodeNotReady', message: 'Node worker-7 is not ready' },
    );
    await waitFor(
      async () => {
        await settle(w);
        return (await incidents(w)).filter((i) => i.grouped_by).length === 2;
      },
      { what: 'both decided', timeoutMs: 15_000 },
    );
    await settle(w);
    const all = await incidents(w);
    const parents = all.filter((i) => i.cause);
    t.same(
      parents.map((p) => p.title).sort(),
      ['MCP server failing: github', 'Node not ready: worker-7'],
      'two causes, two parents',
    );
    const [a, b] = all.filter((i) => i.grouped_by);
    t.not(a.grouped_by!.incident_id, b.grouped_by!.incident_id, 'never one group');
    t.equal(issuesOf(w.github).length, 2, 'an issue each');
    t.equal(healerRuns(w.kube).length, 2, 'a run each');
  },
);

/** An agent pod of a Play whose agent container waits in ImagePullBackOff on `image`. */
const pullingAgentPod = (
  w: World,
  namespace: string,
  name: string,
  a: { playId: string; agent: string; taskId: string },
  image: string,
) =>
  imagePullPod(w.kube, {
    namespace,
    name,
    container: a.agent,
    image,
    labels: agentLabels(a.playId, a.agent, a.taskId),
    at: w.clock.now().toISOString(),
  });

void t.test(
  'one image failing to pull under agent pods in two namespaces, platform checks on: the check joins the cause group, one issue and one run; another image stays apart',
  async (t) => {
    const w = await remediationWorld(t, {
      env: {
        HEALER_NAMESPACES: 'cto,agents-b',
        HEALER_RESOURCE_CHECKS: 'false',
        HEALER_PLATFORM_POLL_SECONDS: '86400',
      },
      heal: { issues: { repository: REPO } },
    });
    await startPlay(w, 'play-task-5', '5');
    w.kube.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'agents-b' } });
    const broken = 'ghcr.io/5dlabs/rex:9.9.9';
    const typo = 'ghcr.io/5dlabs/cleo:1.0.0-typo';
    const play4 = { playId: 'play-task-4', taskId: '4' };
    pullingAgentPod(w, 'cto', 'play-task-4-rex-p1p2p', { ...play4, agent: 'rex' }, broken);
    pullingAgentPod(w, 'cto', 'play-task-4-blaze-p3p4p', { ...play4, agent: 'blaze' }, broken);
    pullingAgentPod(
      w,
      'agents-b',
      'play-task-5-rex-p5p6p',
      { playId: 'play-task-5', agent: 'rex', taskId: '5' },
      broken,
    );
    // the look-alike: another image, failing in one namespace
    pullingAgentPod(w, 'cto', 'play-task-4-cleo-q1q2q', { ...play4, agent: 'cleo' }, typo);
    let all: IncidentJson[] = [];
    await waitFor(
      async () => {
        await settle(w);
        all = await incidents(w);
        return all.filter((i) => i.grouped_by).length >= 4 && issuesOf(w.github).length === 2;
      },
      { what: 'the pods grouped by image and their issues open', timeoutMs: 15_000 },
    );
    // the platform check (if its watcher has not run yet) sees the image failing in two namespaces
    await w.healer.polls.platform();
    await waitFor(
      async () => {
        await settle(w);
        all = await incidents(w);
        return all.some((i) => i.alert === 'platform' && i.grouped_by);
      },
      { what: 'the platform incident grouped', timeoutMs: 15_000 },
    );
    await settle(w);
    all = await incidents(w);
    const parents = all.filter((i) => i.cause);
    t.same(
      parents.map((p) => p.title).sort(),
      [`Image failing to pull: ${broken}`, `Image failing to pull: ${typo}`].sort(),
      'one parent per image',
    );
    const parent = parents.find((p) => p.cause?.key === broken)!;
    const check = all.find((i) => i.alert === 'platform')!;
    t.match(
      check,
      {
        title: `Image ${broken} fails to pull in 2 namespaces`,
        last_decision: 'grouped',
        grouped_by: { incident_id: parent.id, rule: 'image-pull-failing', key: broken },
      },
      'the platform check’s incident is a child of the image’s cause group',
    );
    t.same(
      all
        .filter((i) => i.grouped_by?.incident_id === parent.id)
        .map((i) => i.title)
        .sort(),
      [
        `Image ${broken} fails to pull in 2 namespaces`,
        'Pod Failure: play-task-4-blaze-p3p4p',
        'Pod Failure: play-task-4-rex-p1p2p',
        'Pod Failure: play-task-5-rex-p5p6p',
      ],
      'three agent pods and the platform check',
    );
    t.equal(all.length, 7, 'nothing else');
    t.same(
      issuesOf(w.github)
        .map((i) => i.title)
        .sort(),
      [
        `[HEAL-A7] Image failing to pull: ${broken}`,
        `[HEAL-A7] Image failing to pull: ${typo}`,
      ].sort(),
      'one issue per image',
    );
    t.equal(healerRuns(w.kube).length, 2, 'one run per image');
    // the check's incident joined a cause whose issue was already written (or was being written):
    // the issue names it, in its body or in a comment
    await waitFor(
      async () => {
        await settle(w);
        const issue = issuesOf(w.github).find((i) => i.title.includes(broken))!;
        return [issue.body ?? '', ...issue.comments.map((c) => c.body)].some((b) =>
          b.includes(`| \`${check.id}\` | \`platform\` | — | — (platform) |`),
        );
      },
      { what: 'the image’s issue naming the platform check’s incident', timeoutMs: 15_000 },
    );
    t.pass('the image’s issue names the platform check’s incident');
  },
);
