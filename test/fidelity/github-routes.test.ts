// Every route of the simulated GitHub, driven by the real Octokit (throttling + retry plugins);
// every response body, success or error, is validated against GitHub's published REST description.
import t from 'tap';
import type { Test } from 'tap';
import { startGitHubSim } from '../sim/github/index.js';
import { simOctokit } from '../sim/github/octokit.js';
import { githubOpenApiValidator } from '../sim/github/openapi-validator.js';

const sim = await startGitHubSim();
t.teardown(() => sim.close());
const validator = githubOpenApiValidator();
const violations: string[] = [];
const as = (token: string) => simOctokit(sim.url, { token, validator, violations });
const healer = as('healer-token');
const rex = as('login:5dlabs-rex[bot]');
const tess = as('login:5dlabs-tess[bot]');
const owner = '5dlabs';
const repo = 'cto';
const R = { owner, repo };

// Asserts that a request fails with the given status; returns the error's body.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- error bodies are read field by field
async function fails(t: Test, status: number, p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (e) {
    const err = e as { status?: number; response?: { data?: unknown } };
    t.equal(err.status, status, `answers ${status}`);
    return err.response?.data;
  }
  t.fail(`expected ${status}, got success`);
  return undefined;
}

// A subtest that ends by checking that every response it saw conforms to GitHub's description.
function test(name: string, fn: (t: Test) => Promise<void>): void {
  void t.test(name, async (t) => {
    await fn(t);
    t.same(violations.splice(0), [], "every response conforms to GitHub's OpenAPI description");
  });
}

test('repositories: create for user and org, get (auto-created on first use), duplicates refused', async (t) => {
  const mine = await healer.rest.repos.createForAuthenticatedUser({
    name: 'playground',
    description: 'sandbox',
  });
  t.equal(mine.status, 201);
  t.equal(mine.data.full_name, 'healer/playground');
  t.equal(mine.data.owner.type, 'User');
  const org = await healer.rest.repos.createInOrg({ org: owner, name: repo });
  t.equal(org.data.owner.login, owner);
  t.equal(org.data.owner.type, 'Organization');
  t.equal(org.data.default_branch, 'main');
  const got = await healer.rest.repos.get(R);
  t.equal(got.data.id, org.data.id);
  const auto = await healer.rest.repos.get({ owner: 'acme', repo: 'auto' });
  t.equal(auto.data.full_name, 'acme/auto');
  const dup = await fails(t, 422, healer.rest.repos.createInOrg({ org: owner, name: repo }));
  t.equal(dup.message, 'Validation Failed');
});

let prNumber = 0;
let headSha = '';

test('pulls: create, get (mergeable computed asynchronously), list with head/base filters', async (t) => {
  const created = await rex.rest.pulls.create({
    ...R,
    title: 'Task 4: add health probe',
    head: 'feature/task-4',
    base: 'main',
    body: 'Implements task 4',
  });
  t.equal(created.status, 201);
  prNumber = created.data.number;
  headSha = created.data.head.sha;
  t.match(headSha, /^[0-9a-f]{40}$/);
  t.equal(created.data.user.login, '5dlabs-rex[bot]');
  t.equal(created.data.user.type, 'Bot');
  t.equal(created.data.mergeable, null, 'null right after creation');
  t.equal(created.data.commits, 1);
  const first = await healer.rest.pulls.get({ ...R, pull_number: prNumber });
  t.equal(first.data.mergeable, null, 'the first GET starts the computation');
  t.equal(first.data.mergeable_state, 'unknown');
  const second = await healer.rest.pulls.get({ ...R, pull_number: prNumber });
  t.equal(second.data.mergeable, true);
  t.equal(second.data.mergeable_state, 'clean');
  t.equal(second.data.head.ref, 'feature/task-4');
  t.equal(second.data.base.ref, 'main');

  const other = await rex.rest.pulls.create({
    ...R,
    title: 'Task 5',
    head: 'feature/task-5',
    base: 'main',
  });
  const byHead = await healer.rest.pulls.list({
    ...R,
    state: 'open',
    head: `${owner}:feature/task-4`,
  });
  t.same(
    byHead.data.map((p) => p.number),
    [prNumber],
  );
  const bare = await healer.rest.pulls.list({ ...R, head: 'feature/task-4' });
  t.same(
    bare.data.map((p) => p.number).sort(),
    [prNumber, other.data.number].sort(),
    'a head without owner: is ignored, as on GitHub',
  );
  const byBase = await healer.rest.pulls.list({ ...R, base: 'develop' });
  t.same(byBase.data, []);
  const closedNone = await healer.rest.pulls.list({ ...R, state: 'closed' });
  t.same(closedNone.data, []);

  const dup = await fails(
    t,
    422,
    rex.rest.pulls.create({ ...R, title: 'again', head: 'feature/task-4', base: 'main' }),
  );
  t.match(dup.errors[0].message, /A pull request already exists/);
  const empty = await fails(
    t,
    422,
    rex.rest.pulls.create({ ...R, title: 'nothing', head: 'main', base: 'main' }),
  );
  t.match(empty.errors[0].message, /No commits between/);
  await fails(t, 404, healer.rest.pulls.get({ ...R, pull_number: 999 }));
});

test('pull commits: a pushed commit moves the head and resets mergeability', async (t) => {
  const pushed = await healer.request(
    'POST /_sim/repos/{owner}/{repo}/pulls/{pull_number}/commits',
    {
      ...R,
      pull_number: prNumber,
      message: 'fix: probe path',
      author: '5dlabs-rex[bot]',
      date: '2025-01-15T12:30:00Z',
    },
  );
  t.equal(pushed.status, 201);
  const commits = await healer.rest.pulls.listCommits({ ...R, pull_number: prNumber });
  t.equal(commits.data.length, 2);
  const last = commits.data[1];
  t.equal(last.commit.message, 'fix: probe path');
  t.equal(last.commit.author?.date, '2025-01-15T12:30:00Z');
  t.equal(last.author && 'login' in last.author ? last.author.login : undefined, '5dlabs-rex[bot]');
  t.equal(last.parents[0]?.sha, commits.data[0].sha);
  const pr = await healer.rest.pulls.get({ ...R, pull_number: prNumber });
  t.equal(pr.data.head.sha, last.sha);
  t.equal(pr.data.mergeable, null, 'head changed: mergeability unknown again');
  t.equal(pr.data.commits, 2);
  headSha = last.sha;
});

test('reviews: approve, request changes, comment; own PR cannot be approved', async (t) => {
  const approved = await tess.rest.pulls.createReview({
    ...R,
    pull_number: prNumber,
    event: 'APPROVE',
    body: 'LGTM',
  });
  t.equal(approved.status, 200);
  t.equal(approved.data.state, 'APPROVED');
  t.equal(approved.data.commit_id, headSha);
  t.ok(approved.data.submitted_at);
  await tess.rest.pulls.createReview({
    ...R,
    pull_number: prNumber,
    event: 'COMMENT',
    body: 'one nit',
  });
  await healer.rest.pulls.createReview({
    ...R,
    pull_number: prNumber,
    event: 'REQUEST_CHANGES',
    body: 'please fix',
  });
  const own = await fails(
    t,
    422,
    rex.rest.pulls.createReview({ ...R, pull_number: prNumber, event: 'APPROVE' }),
  );
  t.match(own.errors[0], /Can not approve your own pull request/);
  await fails(
    t,
    422,
    tess.rest.pulls.createReview({ ...R, pull_number: prNumber, event: 'REQUEST_CHANGES' }),
  );
  const list = await healer.rest.pulls.listReviews({ ...R, pull_number: prNumber });
  t.same(
    list.data.map((r) => [r.user?.login, r.state]),
    [
      ['5dlabs-tess[bot]', 'APPROVED'],
      ['5dlabs-tess[bot]', 'COMMENTED'],
      ['healer', 'CHANGES_REQUESTED'],
    ],
  );
  const backdated = await tess.request(
    'POST /_sim/repos/{owner}/{repo}/pulls/{pull_number}/reviews',
    {
      ...R,
      pull_number: prNumber,
      event: 'APPROVE',
      body: 'approved',
      submitted_at: '2025-01-15T13:00:00Z',
    },
  );
  t.equal((backdated.data as { submitted_at: string }).submitted_at, '2025-01-15T13:00:00Z');
});

test('issue comments on a pull request; the PR is an issue with a pull_request key', async (t) => {
  const c1 = await rex.rest.issues.createComment({
    ...R,
    issue_number: prNumber,
    body: 'Rex: implementation done',
  });
  t.equal(c1.status, 201);
  t.match(c1.data.html_url, /\/pull\/\d+#issuecomment-\d+$/);
  await tess.rest.issues.createComment({
    ...R,
    issue_number: prNumber,
    body: 'Tess: all checks pass ✅',
  });
  const back = await healer.request(
    'POST /_sim/repos/{owner}/{repo}/issues/{issue_number}/comments',
    {
      ...R,
      issue_number: prNumber,
      body: 'Cleo: lgtm',
      login: '5dlabs-cleo[bot]',
      created_at: '2025-01-15T11:00:00Z',
    },
  );
  t.equal((back.data as { created_at: string }).created_at, '2025-01-15T11:00:00Z');
  const list = await healer.rest.issues.listComments({ ...R, issue_number: prNumber });
  t.same(
    list.data.map((c) => c.user?.login),
    ['5dlabs-rex[bot]', '5dlabs-tess[bot]', '5dlabs-cleo[bot]'],
  );
  const asIssue = await healer.rest.issues.get({ ...R, issue_number: prNumber });
  t.ok(asIssue.data.pull_request, 'pull_request key present');
  t.equal(asIssue.data.comments, 3);
  await fails(t, 422, rex.rest.issues.createComment({ ...R, issue_number: prNumber, body: '' }));
  await fails(t, 404, rex.rest.issues.createComment({ ...R, issue_number: 4242, body: 'x' }));
});

let issueNumber = 0;

test('issues: create with labels, get, update, close and reopen, list by label', async (t) => {
  const created = await healer.rest.issues.create({
    ...R,
    title: '[HEAL-A7] Pod Failure: play-task-4-rex-abc',
    body: 'Summary…\n\n<!-- healer:fingerprint=0123abcd4567ef89 -->',
    labels: ['heal', 'remediation', 'a7', 'severity:high'],
  });
  t.equal(created.status, 201);
  issueNumber = created.data.number;
  t.same(
    created.data.labels.map((l) => (typeof l === 'string' ? l : l.name)),
    ['heal', 'remediation', 'a7', 'severity:high'],
  );
  t.notOk(created.data.pull_request);
  const got = await healer.rest.issues.get({ ...R, issue_number: issueNumber });
  t.equal(got.data.title, created.data.title);
  t.equal(got.data.state, 'open');
  const edited = await healer.rest.issues.update({
    ...R,
    issue_number: issueNumber,
    title: '[HEAL-A7] Pod Failure: renamed',
  });
  t.equal(edited.data.title, '[HEAL-A7] Pod Failure: renamed');

  await healer.rest.issues.addLabels({ ...R, issue_number: prNumber, labels: ['heal'] });
  const byLabel = await healer.rest.issues.listForRepo({ ...R, labels: 'heal,a7', state: 'open' });
  t.same(
    byLabel.data.map((i) => i.number),
    [issueNumber],
  );
  const heal = await healer.rest.issues.listForRepo({ ...R, labels: 'HEAL' });
  t.same(
    heal.data.map((i) => [i.number, Boolean(i.pull_request)]).sort(),
    [
      [issueNumber, false],
      [prNumber, true],
    ].sort(),
    'PRs listed with a pull_request key; labels are case-insensitive',
  );

  const closed = await healer.rest.issues.update({
    ...R,
    issue_number: issueNumber,
    state: 'closed',
    state_reason: 'completed',
  });
  t.equal(closed.data.state, 'closed');
  t.equal(closed.data.state_reason, 'completed');
  t.ok(closed.data.closed_at);
  t.equal(closed.data.closed_by?.login, 'healer');
  const openOnly = await healer.rest.issues.listForRepo({ ...R, labels: 'a7' });
  t.same(openOnly.data, [], 'state defaults to open');
  const all = await healer.rest.issues.listForRepo({ ...R, labels: 'a7', state: 'all' });
  t.equal(all.data.length, 1);
  const reopened = await healer.rest.issues.update({
    ...R,
    issue_number: issueNumber,
    state: 'open',
  });
  t.equal(reopened.data.state_reason, 'reopened');
  t.equal(reopened.data.closed_at, null);
  await fails(
    t,
    422,
    healer.rest.issues.update({ ...R, issue_number: issueNumber, state: 'done' as 'open' }),
  );
  await fails(t, 422, healer.rest.issues.create({ ...R, title: '' }));
  await fails(
    t,
    401,
    simOctokit(sim.url, { token: null, validator, violations }).rest.issues.create({
      ...R,
      title: 'anon',
    }),
  );
});

test('labels: add, remove, set, list; repository labels', async (t) => {
  const added = await healer.rest.issues.addLabels({
    ...R,
    issue_number: issueNumber,
    labels: ['needs-human'],
  });
  t.ok(added.data.some((l) => l.name === 'needs-human'));
  const removed = await healer.rest.issues.removeLabel({
    ...R,
    issue_number: issueNumber,
    name: 'severity:high',
  });
  t.notOk(removed.data.some((l) => l.name === 'severity:high'));
  const missing = await fails(
    t,
    404,
    healer.rest.issues.removeLabel({ ...R, issue_number: issueNumber, name: 'nope' }),
  );
  t.equal(missing.message, 'Label does not exist');
  const onIssue = await healer.rest.issues.listLabelsOnIssue({ ...R, issue_number: issueNumber });
  t.same(
    onIssue.data.map((l) => l.name),
    ['heal', 'remediation', 'a7', 'needs-human'],
  );
  const set = await healer.rest.issues.setLabels({
    ...R,
    issue_number: issueNumber,
    labels: ['heal', 'a7'],
  });
  t.same(
    set.data.map((l) => l.name),
    ['heal', 'a7'],
  );
  const created = await healer.rest.issues.createLabel({
    ...R,
    name: 'severity:critical',
    color: 'b60205',
    description: 'P0',
  });
  t.equal(created.status, 201);
  const dup = await fails(
    t,
    422,
    healer.rest.issues.createLabel({ ...R, name: 'Severity:Critical' }),
  );
  t.equal(dup.errors[0].code, 'already_exists');
  await fails(t, 422, healer.rest.issues.createLabel({ ...R, name: 'bad-color', color: 'red' }));
  const one = await healer.rest.issues.getLabel({ ...R, name: 'severity:critical' });
  t.equal(one.data.color, 'b60205');
  const labels = await healer.rest.issues.listLabelsForRepo({ ...R, per_page: 100 });
  t.ok(
    ['heal', 'remediation', 'a7', 'severity:high', 'needs-human', 'severity:critical'].every((n) =>
      labels.data.some((l) => l.name === n),
    ),
  );
});

test('search issues: marker phrase, qualifiers, validation', async (t) => {
  const q = (s: string) => healer.rest.search.issuesAndPullRequests({ q: s });
  const marker = await q(
    `repo:${owner}/${repo} is:issue is:open in:body "healer:fingerprint=0123abcd4567ef89"`,
  );
  t.equal(marker.data.total_count, 1);
  t.equal(marker.data.items[0]?.number, issueNumber);
  t.equal(marker.data.incomplete_results, false);
  const other = await q(`repo:${owner}/${repo} "healer:fingerprint=ffffffffffffffff"`);
  t.equal(other.data.total_count, 0);
  const prs = await q(`repo:${owner}/${repo} is:pr label:heal`);
  t.same(
    prs.data.items.map((i) => i.number),
    [prNumber],
  );
  t.ok(prs.data.items[0]?.pull_request);
  const words = await q(`repo:${owner}/${repo} pod failure renamed in:title`);
  t.equal(words.data.total_count, 1);
  const closed = await q(`repo:${owner}/${repo} is:closed`);
  t.equal(closed.data.total_count, 0);
  const unknown = await fails(t, 422, q('repo:nobody/nothing heal'));
  t.match(unknown.errors[0].message, /cannot be searched/);
  await fails(t, 422, q(''));
});

test('check runs: create, update, get, list for a ref (latest per name by default)', async (t) => {
  const ci = as('login:github-actions[bot]');
  const run = await ci.rest.checks.create({
    ...R,
    name: 'build',
    head_sha: headSha,
    status: 'in_progress',
  });
  t.equal(run.status, 201);
  t.equal(run.data.status, 'in_progress');
  t.equal(run.data.app?.slug, 'github-actions');
  t.same(
    run.data.pull_requests.map((p) => p.number),
    [prNumber],
  );
  const done = await ci.rest.checks.update({
    ...R,
    check_run_id: run.data.id,
    conclusion: 'failure',
    output: { title: 'Build failed', summary: '2 errors' },
  });
  t.equal(done.data.status, 'completed');
  t.equal(done.data.conclusion, 'failure');
  t.ok(done.data.completed_at);
  const rerun = await ci.rest.checks.create({
    ...R,
    name: 'build',
    head_sha: headSha,
    conclusion: 'success',
  });
  await ci.rest.checks.create({ ...R, name: 'lint', head_sha: headSha, status: 'queued' });
  const latest = await healer.rest.checks.listForRef({ ...R, ref: headSha });
  t.equal(latest.data.total_count, 2);
  t.same(latest.data.check_runs.map((c) => [c.name, c.conclusion]).sort(), [
    ['build', 'success'],
    ['lint', null],
  ]);
  const all = await healer.rest.checks.listForRef({ ...R, ref: 'feature/task-4', filter: 'all' });
  t.equal(all.data.total_count, 3, 'a branch name resolves to its head');
  const named = await healer.rest.checks.listForRef({
    ...R,
    ref: headSha,
    check_name: 'build',
    filter: 'all',
  });
  t.equal(named.data.total_count, 2);
  const got = await healer.rest.checks.get({ ...R, check_run_id: rerun.data.id });
  t.equal(got.data.conclusion, 'success');
  await fails(t, 422, ci.rest.checks.create({ ...R, name: 'x', head_sha: '0'.repeat(40) }));
  await fails(
    t,
    422,
    ci.rest.checks.create({ ...R, name: 'x', head_sha: headSha, status: 'completed' }),
  );
  await fails(t, 422, healer.rest.checks.listForRef({ ...R, ref: 'no-such-branch' }));
});

test('commit statuses: create, combined state rules, list newest first', async (t) => {
  const empty = await healer.rest.repos.getCombinedStatusForRef({ ...R, ref: headSha });
  t.equal(empty.data.state, 'pending', 'no statuses → pending');
  t.equal(empty.data.total_count, 0);
  const s1 = await healer.rest.repos.createCommitStatus({
    ...R,
    sha: headSha,
    state: 'pending',
    context: 'ci/build',
  });
  t.equal(s1.status, 201);
  t.equal(s1.data.creator?.login, 'healer');
  await healer.rest.repos.createCommitStatus({
    ...R,
    sha: headSha,
    state: 'success',
    context: 'ci/build',
    target_url: 'https://ci.example/1',
  });
  const ok = await healer.rest.repos.getCombinedStatusForRef({ ...R, ref: 'feature/task-4' });
  t.equal(ok.data.state, 'success', 'the latest status per context counts');
  t.equal(ok.data.total_count, 1);
  await healer.rest.repos.createCommitStatus({
    ...R,
    sha: headSha,
    state: 'error',
    context: 'ci/e2e',
  });
  const bad = await healer.rest.repos.getCombinedStatusForRef({ ...R, ref: headSha });
  t.equal(bad.data.state, 'failure', 'error counts as failure');
  const list = await healer.rest.repos.listCommitStatusesForRef({ ...R, ref: headSha });
  t.same(
    list.data.map((s) => s.state),
    ['error', 'success', 'pending'],
  );
  await fails(
    t,
    422,
    healer.rest.repos.createCommitStatus({ ...R, sha: headSha, state: 'green' as 'success' }),
  );
  await fails(
    t,
    422,
    healer.rest.repos.createCommitStatus({ ...R, sha: 'f'.repeat(40), state: 'success' }),
  );
});

test('mergeable_state follows checks; the test-only endpoint overrides mergeability', async (t) => {
  await healer.rest.pulls.get({ ...R, pull_number: prNumber });
  const unstable = await healer.rest.pulls.get({ ...R, pull_number: prNumber });
  t.equal(unstable.data.mergeable, true);
  t.equal(unstable.data.mergeable_state, 'unstable', 'a failing status makes it unstable');
  const set = await healer.request('PATCH /_sim/repos/{owner}/{repo}/pulls/{pull_number}', {
    ...R,
    pull_number: prNumber,
    mergeable: false,
  });
  t.same(set.data, { mergeable: false, mergeable_state: 'dirty' });
  const dirty = await healer.rest.pulls.get({ ...R, pull_number: prNumber });
  t.equal(dirty.data.mergeable, false);
  t.equal(dirty.data.mergeable_state, 'dirty');
  await healer.request('PATCH /_sim/repos/{owner}/{repo}/pulls/{pull_number}', {
    ...R,
    pull_number: prNumber,
    mergeable: true,
    mergeable_state: 'blocked',
  });
  const blocked = await healer.rest.pulls.get({ ...R, pull_number: prNumber });
  t.equal(blocked.data.mergeable_state, 'blocked');
});

test('pulls: update and close; closing through the issues API closes the PR too', async (t) => {
  const updated = await rex.rest.pulls.update({
    ...R,
    pull_number: prNumber,
    title: 'Task 4: health probe (v2)',
  });
  t.equal(updated.data.title, 'Task 4: health probe (v2)');
  const list = await healer.rest.pulls.list({ ...R, state: 'open' });
  const other = list.data.find((p) => p.number !== prNumber)!;
  await healer.rest.issues.update({ ...R, issue_number: other.number, state: 'closed' });
  const closed = await healer.rest.pulls.get({ ...R, pull_number: other.number });
  t.equal(closed.data.state, 'closed');
  t.equal(closed.data.merged, false);
  const closedList = await healer.rest.pulls.list({ ...R, state: 'closed' });
  t.same(
    closedList.data.map((p) => p.number),
    [other.number],
  );
});

test('rate_limit overview and error shapes', async (t) => {
  const rl = await healer.rest.rateLimit.get();
  t.equal(rl.data.resources.core.limit, 5000);
  t.ok(rl.data.resources.search);
  t.same(rl.data.rate, rl.data.resources.core);
  const nf = await fails(
    t,
    404,
    healer.request('GET /repos/{owner}/{repo}/issues/{issue_number}', { ...R, issue_number: 9999 }),
  );
  t.equal(nf.message, 'Not Found');
  t.ok(nf.documentation_url);
});
