// What the poller keeps of a pull request, fetched from the simulated GitHub through the client.
import t from 'tap';
import { ManualClock } from '../../../src/domain/clock.js';
import { ConditionalReader } from '../../../src/sources/github/conditional.js';
import { fetchPrSnapshot } from '../../../src/sources/github/fetch-snapshot.js';
import { prSummary, snapshotDigest } from '../../../src/sources/github/snapshot.js';
import { HEALER_TOKEN, R, agentOctokit, healerClient, newSim, sim } from './helpers.js';

async function playPr(t: Parameters<typeof newSim>[0]) {
  const clock = new ManualClock('2025-11-21T05:00:00Z');
  const gh = await newSim(t, { clock: () => clock.now() });
  const rex = agentOctokit(gh.url, 'rex');
  const pr = await rex.rest.pulls.create({
    ...R,
    title: 'Task 4: task handlers',
    head: 'feature/task-4',
    base: 'main',
  });
  const n = pr.data.number;
  return { gh, clock, rex, n };
}

void t.test(
  'the snapshot holds the PR, its comments and reviews, commits and head checks',
  async (t) => {
    const { gh, clock, rex, n } = await playPr(t);
    clock.advance(60_000);
    await sim.push(gh.url, n, 'test(tasks): cover validation');
    clock.advance(60_000);
    await rex.rest.issues.createComment({
      ...R,
      issue_number: n,
      body: '## Implementation complete',
    });
    clock.advance(60_000);
    await agentOctokit(gh.url, 'cipher').rest.pulls.createReview({
      ...R,
      pull_number: n,
      event: 'COMMENT',
      body: '🔒 Security scan complete: nothing found.',
    });
    await agentOctokit(gh.url, 'cleo').rest.pulls.createReview({
      ...R,
      pull_number: n,
      body: 'draft',
    }); // PENDING
    clock.advance(60_000);
    await agentOctokit(gh.url, 'tess').rest.pulls.createReview({
      ...R,
      pull_number: n,
      event: 'APPROVE',
      body: '✅ All acceptance criteria met. APPROVED',
    });
    const head = (await rex.rest.pulls.get({ ...R, pull_number: n })).data.head.sha;
    clock.advance(60_000);
    const ci = agentOctokit(gh.url, 'ci');
    await ci.rest.checks.create({ ...R, name: 'lint', head_sha: head, conclusion: 'success' });
    await ci.rest.checks.create({ ...R, name: 'ci / test', head_sha: head, conclusion: 'failure' });
    await ci.rest.checks.create({ ...R, name: 'e2e', head_sha: head, status: 'in_progress' });
    await ci.rest.repos.createCommitStatus({
      ...R,
      sha: head,
      state: 'pending',
      context: 'ci/jenkins',
    });
    await ci.rest.repos.createCommitStatus({
      ...R,
      sha: head,
      state: 'success',
      context: 'ci/jenkins',
    });
    await ci.rest.repos.createCommitStatus({ ...R, sha: head, state: 'error', context: 'deploy' });

    const reader = new ConditionalReader(healerClient(gh.url));
    const now = () => clock.now();
    const { snapshot: s, fresh } = await fetchPrSnapshot(reader, { ...R, number: n }, now);
    t.ok(fresh);
    t.match(s, {
      repository: `${R.owner}/${R.repo}`,
      number: n,
      url: `https://github.com/${R.owner}/${R.repo}/pull/${n}`,
      state: 'open',
      merged: false,
      headSha: head,
      headRef: 'feature/task-4',
      mergeable: true,
      mergeableState: 'unstable',
      fetchedAt: clock.now().toISOString(),
    });
    t.same(
      s.comments.map((c) => [c.author, c.type, c.body]),
      [
        ['5dlabs-rex[bot]', 'comment', '## Implementation complete'],
        ['5dlabs-cipher[bot]', 'COMMENTED', '🔒 Security scan complete: nothing found.'],
        ['5dlabs-tess[bot]', 'APPROVED', '✅ All acceptance criteria met. APPROVED'],
      ],
      'issue comments and submitted reviews in time order; the pending review is not there',
    );
    t.same(
      s.commits.map((c) => [c.message, c.author, c.date]),
      [
        ['Task 4: task handlers', '5dlabs-rex[bot]', '2025-11-21T05:00:00Z'],
        ['test(tasks): cover validation', '5dlabs-rex[bot]', '2025-11-21T05:01:00Z'],
      ],
    );
    t.same(
      s.checks
        .map((c) => [c.source, c.name, c.status, c.conclusion, c.completedAt !== null])
        .sort((a, b) => String(a[1]).localeCompare(String(b[1]))),
      [
        ['check_run', 'ci / test', 'completed', 'failure', true],
        ['status', 'ci/jenkins', 'completed', 'success', true],
        ['status', 'deploy', 'completed', 'error', true],
        ['check_run', 'e2e', 'in_progress', null, false],
        ['check_run', 'lint', 'completed', 'success', true],
      ],
      'check runs and the latest status per context',
    );
    t.same(prSummary(s), {
      number: n,
      url: s.url,
      state: 'open',
      mergeable: true,
      checks: { passed: 2, failed: 2, pending: 1 },
    });

    gh.resetStats();
    const used = gh.stats.rateLimitUsed[HEALER_TOKEN]?.core;
    t.equal(used, 6, 'the first fetch cost six requests');
    const again = await fetchPrSnapshot(reader, { ...R, number: n }, now);
    t.notOk(again.fresh, 'nothing changed: every resource answered 304');
    t.equal(gh.stats.byStatus['304'], 6);
    t.equal(gh.stats.total, 6, 'six requests per PR');
    t.equal(snapshotDigest(again.snapshot), snapshotDigest(s));
    t.equal(gh.stats.rateLimitUsed[HEALER_TOKEN]?.core, used, 'the 304s spent no rate limit');
  },
);

void t.test('long lists are paged, and each page is conditional', async (t) => {
  const { gh, n } = await playPr(t);
  for (let i = 0; i < 120; i++) await sim.comment(gh.url, n, '5dlabs-cleo[bot]', `nit ${i}`);
  const reader = new ConditionalReader(healerClient(gh.url));
  const { snapshot } = await fetchPrSnapshot(reader, { ...R, number: n }, () => new Date());
  t.equal(snapshot.comments.length, 120);
  t.equal(snapshot.comments.at(-1)?.body, 'nit 119');
  gh.resetStats();
  await fetchPrSnapshot(reader, { ...R, number: n }, () => new Date());
  t.equal(
    gh.stats.byRouteStatus['GET /repos/{owner}/{repo}/issues/{issue_number}/comments']?.['304'],
    2,
  );
});

void t.test('a merged PR reads as merged; summary state says so', async (t) => {
  const { gh, n } = await playPr(t);
  const reader = new ConditionalReader(healerClient(gh.url));
  const pull = gh.world.repos.get(`${R.owner}/${R.repo}`.toLowerCase())!.issues.get(n)!;
  pull.pull!.merged = true;
  pull.state = 'closed';
  const { snapshot } = await fetchPrSnapshot(reader, { ...R, number: n }, () => new Date());
  t.equal(snapshot.merged, true);
  t.equal(snapshot.state, 'closed');
  t.equal(prSummary(snapshot).state, 'merged');
});
