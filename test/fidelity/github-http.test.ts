// HTTP behaviour of the simulated GitHub seen through the real Octokit and its plugins:
// conditional requests, rate limits (primary and secondary), retries, pagination, auth.
import { request as httpRequest } from 'node:http';
import t from 'tap';
import type { Test } from 'tap';
import { fetch } from 'undici';
import { startGitHubSim } from '../sim/github/index.js';
import { simOctokit } from '../sim/github/octokit.js';
import { githubOpenApiValidator } from '../sim/github/openapi-validator.js';

const validator = githubOpenApiValidator();
const R = { owner: '5dlabs', repo: 'cto' };
// Subtests use their own simulators, so they run side by side (several wait on real retry-after).
t.jobs = 4;

// Each subtest gets its own list of schema violations, checked when it ends.
function test(name: string, fn: (t: Test, violations: string[]) => Promise<void>): void {
  void t.test(name, async (t) => {
    const violations: string[] = [];
    await fn(t, violations);
    t.same(violations, [], "every response conforms to GitHub's OpenAPI description");
  });
}

async function newSim(t: Test, opts: Parameters<typeof startGitHubSim>[0] = {}) {
  const sim = await startGitHubSim(opts);
  t.teardown(() => sim.close());
  return sim;
}

async function openPr(sim: { url: string }, violations: string[]) {
  const rex = simOctokit(sim.url, { token: 'login:5dlabs-rex[bot]', validator, violations });
  const pr = await rex.rest.pulls.create({
    ...R,
    title: 'Task 1',
    head: 'feature/task-1',
    base: 'main',
  });
  return pr.data.number;
}

test('ETag round trip: If-None-Match answers 304 (a RequestError in Octokit) and costs no rate limit', async (t, violations) => {
  const sim = await newSim(t);
  const octokit = simOctokit(sim.url, { token: 'poller', validator, violations });
  const n = await openPr(sim, violations);
  await octokit.rest.pulls.get({ ...R, pull_number: n }); // starts the mergeability computation
  const first = await octokit.rest.pulls.get({ ...R, pull_number: n });
  const etag = first.headers.etag!;
  t.match(etag, /^W\/"[0-9a-f]{64}"$/, 'weak, content-based ETag');
  const remainingBefore = Number(first.headers['x-ratelimit-remaining']);
  const err = await octokit.rest.pulls
    .get({ ...R, pull_number: n, headers: { 'if-none-match': etag } })
    .then(
      () => undefined,
      (e: { name: string; status: number; response?: { headers: Record<string, string> } }) => e,
    );
  t.equal(err?.name, 'HttpError', 'Octokit raises a RequestError');
  t.equal(err?.status, 304);
  t.equal(
    Number(err?.response?.headers['x-ratelimit-remaining']),
    remainingBefore,
    'the 304 did not consume',
  );
  await octokit.rest.pulls
    .get({ ...R, pull_number: n, headers: { 'if-none-match': etag } })
    .catch(() => undefined);
  t.equal(sim.stats.byStatus['304'], 2);
  t.equal(sim.stats.byRouteStatus['GET /repos/{owner}/{repo}/pulls/{pull_number}']?.['304'], 2);
  t.equal(sim.stats.rateLimitUsed.poller?.core, 2, 'only the two 200 answers were counted');

  await simOctokit(sim.url, { token: 'login:5dlabs-tess[bot]' }).rest.issues.createComment({
    ...R,
    issue_number: n,
    body: 'LGTM',
  });
  const changed = await octokit.rest.pulls.get({
    ...R,
    pull_number: n,
    headers: { 'if-none-match': etag },
  });
  t.equal(changed.status, 200, 'a changed resource answers 200 with a new ETag');
  t.not(changed.headers.etag, etag);
  t.equal(changed.data.comments, 1);
});

test('rate-limit headers are kept per token; /rate_limit is free', async (t, violations) => {
  const sim = await newSim(t, { rateLimits: { core: 100 } });
  const a = simOctokit(sim.url, { token: 'token-a', validator, violations });
  const b = simOctokit(sim.url, { token: 'token-b', validator, violations });
  const r1 = await a.rest.repos.get(R);
  t.equal(r1.headers['x-ratelimit-limit'], '100');
  t.equal(r1.headers['x-ratelimit-remaining'], '99');
  t.equal(r1.headers['x-ratelimit-used'], '1');
  t.equal(r1.headers['x-ratelimit-resource'], 'core');
  t.ok(Number(r1.headers['x-ratelimit-reset']) > Date.now() / 1000);
  await a.rest.repos.get(R);
  const rb = await b.rest.repos.get(R);
  t.equal(rb.headers['x-ratelimit-remaining'], '99', 'another token has its own bucket');
  const rl = await a.rest.rateLimit.get();
  t.equal(rl.data.resources.core.used, 2);
  t.equal(rl.data.resources.core.remaining, 98);
  const search = await a.rest.search.issuesAndPullRequests({ q: 'repo:5dlabs/cto x' });
  t.equal(search.headers['x-ratelimit-resource'], 'search');
  t.equal(search.headers['x-ratelimit-limit'], '30');
  t.same(sim.stats.rateLimitUsed['token-a'], { core: 2, search: 1 });
});

test('primary rate limit exhausted: 403 with GitHub message and remaining 0; onRateLimit is told', async (t, violations) => {
  const sim = await newSim(t);
  const calls: number[] = [];
  const octokit = simOctokit(sim.url, {
    token: 'login:healer',
    validator,
    violations,
    onRateLimit: (retryAfter) => {
      calls.push(retryAfter);
      return false;
    },
  });
  await octokit.rest.repos.get(R);
  sim.rateLimit.set('login:healer', { remaining: 0, resetInMs: 30_000 });
  const err = await octokit.rest.repos.get(R).then(
    () => undefined,
    (e: {
      status: number;
      response: { data: { message: string }; headers: Record<string, string> };
    }) => e,
  );
  t.equal(err?.status, 403);
  t.match(err?.response.data.message, /^API rate limit exceeded for user ID \d+\.$/);
  t.equal(err?.response.headers['x-ratelimit-remaining'], '0');
  t.equal(calls.length, 1);
  t.ok(calls[0] >= 29 && calls[0] <= 32, `retryAfter from x-ratelimit-reset (${calls[0]})`);
});

test('secondary rate limit: onSecondaryRateLimit is called and the write succeeds after retry-after', async (t, violations) => {
  const sim = await newSim(t);
  const n = await openPr(sim, violations);
  const seen: Array<{ retryAfter: number; url: string }> = [];
  const octokit = simOctokit(sim.url, {
    validator,
    violations,
    onSecondaryRateLimit: (retryAfter, options) => {
      seen.push({ retryAfter, url: options.url });
      return true;
    },
  });
  sim.faults.secondaryRateLimit({ count: 1, retryAfter: 1 });
  const began = Date.now();
  const res = await octokit.rest.issues.createComment({ ...R, issue_number: n, body: 'retry me' });
  const waited = Date.now() - began;
  t.equal(res.status, 201);
  t.same(seen, [{ retryAfter: 1, url: '/repos/{owner}/{repo}/issues/{issue_number}/comments' }]);
  t.ok(waited >= 950, `waited retry-after (${waited} ms)`);
  const key = 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments';
  t.same(sim.stats.byRouteStatus[key], { '403': 1, '201': 1 });
  const comments = await octokit.rest.issues.listComments({ ...R, issue_number: n });
  t.equal(comments.data.length, 1, 'the comment exists once');
});

test('the secondary-limit answer carries the documented message and retry-after', async (t, _violations) => {
  const sim = await newSim(t);
  sim.faults.secondaryRateLimit({ count: 1, retryAfter: 7 });
  const res = await fetch(`${sim.url}/repos/5dlabs/cto`, {
    headers: { authorization: 'token x', 'user-agent': 'probe' },
  });
  t.equal(res.status, 403);
  t.equal(res.headers.get('retry-after'), '7');
  const body = (await res.json()) as { message: string; documentation_url: string };
  t.match(
    body.message,
    /^You have exceeded a secondary rate limit\. Please wait a few minutes before you try again\./,
  );
  t.match(body.documentation_url, /secondary-rate-limits/);
  t.not(res.headers.get('x-ratelimit-remaining'), '0', 'not a primary limit');
});

test('the retry plugin retries a 502 and succeeds; exhausted retries surface the 502', async (t, violations) => {
  const sim = await newSim(t);
  const octokit = simOctokit(sim.url, { validator, violations, retryAfterBaseValue: 50 });
  sim.faults.failRequests({ status: 502, count: 1 });
  const ok = await octokit.rest.repos.get(R);
  t.equal(ok.status, 200);
  t.same(sim.stats.byRouteStatus['GET /repos/{owner}/{repo}'], { '502': 1, '200': 1 });
  sim.faults.failRequests({ status: 500, count: 10 });
  const err = await simOctokit(sim.url, { retries: 1, retryAfterBaseValue: 10 })
    .rest.repos.get(R)
    .then(
      () => undefined,
      (e: { status: number }) => e,
    );
  t.equal(err?.status, 500);
  sim.faults.clear();
});

test('Link pagination with per_page and page, followed by octokit.paginate', async (t, violations) => {
  const sim = await newSim(t);
  const octokit = simOctokit(sim.url, { validator, violations });
  for (let i = 1; i <= 45; i++)
    await octokit.rest.issues.create({ ...R, title: `issue ${i}`, labels: ['bulk'] });
  const first = await octokit.rest.issues.listForRepo({ ...R, per_page: 20, direction: 'asc' });
  t.equal(first.data.length, 20);
  t.match(first.headers.link, /<[^>]+[?&]page=2[^>]*>; rel="next"/);
  t.match(first.headers.link, /<[^>]+[?&]page=3[^>]*>; rel="last"/);
  const last = await octokit.rest.issues.listForRepo({
    ...R,
    per_page: 20,
    page: 3,
    direction: 'asc',
  });
  t.equal(last.data.length, 5);
  t.match(last.headers.link, /rel="prev".*rel="first"/);
  t.notMatch(last.headers.link, /rel="next"/);
  const all = await octokit.paginate(octokit.rest.issues.listForRepo, {
    ...R,
    per_page: 20,
    direction: 'asc',
  });
  t.same(
    all.map((i) => i.title),
    Array.from({ length: 45 }, (_, i) => `issue ${i + 1}`),
  );
  let pages = 0;
  for await (const _page of octokit.paginate.iterator(octokit.rest.issues.listForRepo, {
    ...R,
    per_page: 100,
  }))
    pages++;
  t.equal(pages, 1, 'per_page 100 fits all');
  const found = await octokit.paginate(octokit.rest.search.issuesAndPullRequests, {
    q: 'repo:5dlabs/cto label:bulk',
    per_page: 20,
  });
  t.equal(found.length, 45, 'search results paginate too');
});

test('authentication: Bearer works, bad credentials 401, anonymous reads have 60/h', async (t, violations) => {
  const sim = await newSim(t, { invalidTokens: ['revoked'] });
  const res = await fetch(`${sim.url}/repos/5dlabs/cto/issues`, {
    headers: { authorization: 'Bearer login:someone', 'user-agent': 'probe' },
  });
  t.equal(res.status, 200);
  const bad = simOctokit(sim.url, { token: 'revoked', validator, violations });
  const err = await bad.rest.repos.get(R).then(
    () => undefined,
    (e: { status: number; response: { data: { message: string } } }) => e,
  );
  t.equal(err?.status, 401);
  t.equal(err?.response.data.message, 'Bad credentials');
  const anon = await simOctokit(sim.url, { token: null, validator, violations }).rest.repos.get(R);
  t.equal(anon.headers['x-ratelimit-limit'], '60');
  const who = simOctokit(sim.url, { token: 'login:5dlabs-morgan[bot]', validator, violations });
  const issue = await who.rest.issues.create({ ...R, title: 'from a bot' });
  t.equal(issue.data.user?.login, '5dlabs-morgan[bot]');
  t.equal(issue.data.user?.type, 'Bot');
});

test('requests without a User-Agent are refused; bad JSON answers 400', async (t, _violations) => {
  const sim = await newSim(t);
  const status = await new Promise<number>((resolve, reject) => {
    const req = httpRequest(
      `${sim.url}/repos/5dlabs/cto`,
      { headers: { authorization: 'token x' } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end();
  });
  t.equal(status, 403);
  const res = await fetch(`${sim.url}/repos/5dlabs/cto/issues`, {
    method: 'POST',
    headers: {
      authorization: 'token x',
      'user-agent': 'probe',
      'content-type': 'application/json',
    },
    body: '{"title": ',
  });
  t.equal(res.status, 400);
  t.equal(((await res.json()) as { message: string }).message, 'Problems parsing JSON');
});

test('search index lag hides new issues until it has passed', async (t, violations) => {
  let now = Date.UTC(2025, 0, 15, 12, 0, 0);
  const sim = await newSim(t, { clock: () => new Date(now) });
  const octokit = simOctokit(sim.url, { validator, violations });
  sim.faults.searchLagMs = 10_000;
  await octokit.rest.issues.create({ ...R, title: 'fresh', body: 'healer:fingerprint=aa11' });
  const q = { q: 'repo:5dlabs/cto "healer:fingerprint=aa11"' };
  t.equal(
    (await octokit.rest.search.issuesAndPullRequests(q)).data.total_count,
    0,
    'not indexed yet',
  );
  now += 11_000;
  t.equal((await octokit.rest.search.issuesAndPullRequests(q)).data.total_count, 1);
  const issue = await octokit.rest.issues.get({ ...R, issue_number: 1 });
  t.equal(issue.data.created_at, '2025-01-15T12:00:00Z', 'timestamps come from the clock');
});

test('repositories are not auto-created when the option is off', async (t, violations) => {
  const sim = await newSim(t, { autoCreateRepos: false });
  const octokit = simOctokit(sim.url, { validator, violations });
  const err = await octokit.rest.repos.get(R).then(
    () => undefined,
    (e: { status: number }) => e,
  );
  t.equal(err?.status, 404);
  await octokit.rest.repos.createInOrg({ org: '5dlabs', name: 'cto' });
  t.equal((await octokit.rest.repos.get(R)).status, 200);
});

test('test-only endpoints over HTTP: faults, stats, branch commits', async (t, violations) => {
  const sim = await newSim(t);
  const octokit = simOctokit(sim.url, { validator, violations, retryAfterBaseValue: 10 });
  const post = (path: string, body: unknown) =>
    fetch(`${sim.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  t.equal((await post('/_sim/faults/fail', { status: 503, count: 1 })).status, 204);
  t.equal((await octokit.rest.repos.get(R)).status, 200, 'retried past the 503');
  const pushed = await fetch(`${sim.url}/_sim/repos/5dlabs/cto/branches/feature%2Fx/commits`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'token login:5dlabs-blaze[bot]' },
    body: JSON.stringify({ message: 'wip', date: '2025-01-15T10:00:00Z' }),
  });
  t.equal(pushed.status, 201);
  const commit = (await pushed.json()) as { sha: string; author: { login: string } };
  t.equal(commit.author.login, '5dlabs-blaze[bot]');
  const runs = await octokit.rest.checks.listForRef({ ...R, ref: 'feature/x' });
  t.equal(runs.data.total_count, 0, 'the branch exists and resolves');
  t.equal((await post('/_sim/faults/clear', {})).status, 204);
  const stats = (await (await fetch(`${sim.url}/_sim/stats`)).json()) as {
    byRouteStatus: Record<string, Record<string, number>>;
  };
  t.same(stats.byRouteStatus['GET /repos/{owner}/{repo}'], { '503': 1, '200': 1 });
  t.notOk(
    Object.keys(stats.byRouteStatus).some((k) => k.includes('/_sim/')),
    'test-only calls are not counted',
  );
});
