// The PR poller against the simulated GitHub: conditional requests at scale, change detection,
// sessions leaving, finding PRs, start/stop, retries without duplicate deliveries.
import t from 'tap';
import { ManualClock } from '../../../src/domain/clock.js';
import type { PrSnapshot } from '../../../src/domain/pr.js';
import type { GitHubClient } from '../../../src/sources/github/client.js';
import { PrPoller } from '../../../src/sources/github/poller.js';
import type { PollTarget, PrPollerOptions } from '../../../src/sources/github/poller.js';
import {
  HEALER_TOKEN,
  OWNER,
  R,
  REPO,
  agentOctokit,
  healerClient,
  memoryLogger,
  metricValue,
  newSim,
  sim,
} from './helpers.js';

const PULL = 'GET /repos/{owner}/{repo}/pulls/{pull_number}';

interface Delivery {
  playId: string;
  snapshot: PrSnapshot;
  changed: boolean;
}

function poller(
  client: GitHubClient & Partial<ReturnType<typeof healerClient>>,
  sessions: () => PollTarget[],
  over: Partial<PrPollerOptions> = {},
) {
  const deliveries: Delivery[] = [];
  const p = new PrPoller({
    github: client,
    clock: new ManualClock('2025-11-21T06:00:00Z'),
    intervalMs: 30_000,
    sessions,
    onSnapshot: (playId, snapshot, changed) => {
      deliveries.push({ playId, snapshot, changed });
      return Promise.resolve();
    },
    logger: memoryLogger(),
    metrics: client.metrics,
    ...over,
  });
  return { p, deliveries };
}

const target = (i: number, number: number | null): PollTarget => ({
  playId: `play-task-${i}`,
  repository: `${OWNER}/${REPO}`,
  taskIds: [String(i)],
  pullRequestUrls: number === null ? [] : [`https://github.com/${OWNER}/${REPO}/pull/${number}`],
});

void t.test(
  '200 sessions polling unchanged PRs for 5 minutes: conditional requests answer 304 and spend no rate limit',
  async (t) => {
    const gh = await newSim(t);
    const rex = agentOctokit(gh.url, 'rex');
    const targets = await Promise.all(
      Array.from({ length: 200 }, async (_, k) => {
        const i = k + 1;
        const pr = await rex.rest.pulls.create({
          ...R,
          title: `Task ${i}`,
          head: `feature/task-${i}`,
          base: 'main',
        });
        return target(i, pr.data.number);
      }),
    );
    // More in flight than the defaults (10 requests, 8 sessions), so the test is bound by CPU
    // rather than by round trips; the request counts below do not depend on it.
    const client = healerClient(gh.url, { maxConcurrent: 64 });
    const { p, deliveries } = poller(client, () => targets, { concurrency: 32 });
    gh.resetStats();
    const started = Date.now();
    const cpu0 = process.cpuUsage();
    // 5 minutes at HEALER_GITHUB_POLL_SECONDS=30: ten rounds, driven directly (no real waiting).
    const reports = [];
    let remainingAfterWarmup: number | undefined;
    let usedAfterWarmup: number | undefined;
    for (let round = 1; round <= 10; round++) {
      reports.push(await p.pollOnce());
      if (round === 2) {
        remainingAfterWarmup = await metricValue(
          client.registry,
          'healer_github_rate_limit_remaining',
          { resource: 'core' },
        );
        usedAfterWarmup = gh.stats.rateLimitUsed[HEALER_TOKEN]?.core;
      }
    }
    const ms = Date.now() - started;
    const cpu = process.cpuUsage(cpu0);
    const cpuMs = Math.round((cpu.user + cpu.system) / 1000);
    const total = gh.stats.total;
    const notModified = gh.stats.byStatus['304'] ?? 0;
    const used = gh.stats.rateLimitUsed[HEALER_TOKEN]?.core ?? 0;
    t.comment(
      `200 sessions × 10 rounds: ${total} requests, ${notModified} answered 304, ${used} counted against the rate limit; ${ms} ms wall, ${cpuMs} ms CPU (simulator included)`,
    );
    t.equal(
      total,
      200 * 6 * 2 + 200 * 3 * 8,
      'six requests per session while the PR changed (rounds 1–2), then three: PR, check runs, status',
    );
    t.equal(
      used,
      200 * 6 + 200,
      'round 1 fetched everything, round 2 only the PRs again (mergeability now computed)',
    );
    t.equal(usedAfterWarmup, used, 'rounds 3–10 spent nothing');
    t.equal(notModified, 200 * 5 + 200 * 3 * 8, 'every other answer was a 304');
    t.equal(
      await metricValue(client.registry, 'healer_github_rate_limit_remaining', {
        resource: 'core',
      }),
      remainingAfterWarmup,
      'the rate-limit metric did not move during the 304 rounds',
    );
    t.equal(remainingAfterWarmup, 5000 - used);
    t.equal(
      await metricValue(client.registry, 'healer_github_requests_total', { outcome: '304' }),
      notModified,
    );
    t.same(
      reports.map((r) => r.changed),
      [200, 200, 0, 0, 0, 0, 0, 0, 0, 0],
      'rules are triggered only by the two rounds that changed something',
    );
    t.equal(deliveries.filter((d) => d.changed).length, 400);
    t.equal(deliveries.length, 2000, 'every poll is reported, unchanged ones with changed=false');
    t.ok(deliveries.every((d) => d.snapshot.number === Number(d.playId.split('-')[2])));
    const durations = await client.registry
      .getSingleMetric('healer_github_poll_duration_seconds')!
      .get();
    t.equal(
      durations.values.find((v) => (v as { metricName?: string }).metricName?.endsWith('_count'))
        ?.value,
      2000,
      'one poll duration per session per round',
    );
  },
);

void t.test('a change on the PR is reported once as changed, then unchanged again', async (t) => {
  const gh = await newSim(t);
  const rex = agentOctokit(gh.url, 'rex');
  const pr = await rex.rest.pulls.create({
    ...R,
    title: 'Task 4',
    head: 'feature/task-4',
    base: 'main',
  });
  const { p, deliveries } = poller(healerClient(gh.url), () => [target(4, pr.data.number)]);
  await p.pollOnce();
  await p.pollOnce();
  await p.pollOnce();
  await agentOctokit(gh.url, 'tess').rest.issues.createComment({
    ...R,
    issue_number: pr.data.number,
    body: '✅ All acceptance criteria met. APPROVED',
  });
  await p.pollOnce();
  await p.pollOnce();
  t.same(
    deliveries.map((d) => d.changed),
    [true, true, false, true, false],
  );
  t.equal(deliveries[3].snapshot.comments.at(-1)?.author, '5dlabs-tess[bot]');
});

void t.test('polling stops as soon as a session is no longer active', async (t) => {
  const gh = await newSim(t);
  const rex = agentOctokit(gh.url, 'rex');
  const numbers: number[] = [];
  for (let i = 1; i <= 3; i++) {
    const pr = await rex.rest.pulls.create({
      ...R,
      title: `T${i}`,
      head: `feature/task-${i}`,
      base: 'main',
    });
    numbers.push(pr.data.number);
  }
  let active = numbers.map((n, i) => target(i + 1, n));
  const { p, deliveries } = poller(healerClient(gh.url), () => active, {
    concurrency: 1,
    onSnapshot: (playId, snapshot, changed) => {
      deliveries.push({ playId, snapshot, changed });
      // The Play of task 3 ends while task 1 is being handled.
      if (playId === 'play-task-1') active = active.filter((s) => s.playId !== 'play-task-3');
      return Promise.resolve();
    },
  });
  gh.resetStats();
  const report = await p.pollOnce();
  t.same(
    deliveries.map((d) => d.playId),
    ['play-task-1', 'play-task-2'],
  );
  t.match(report, { sessions: 3, polled: 2, skipped: 1 });
  t.equal(gh.stats.requests[PULL], 2, 'the ended session was not fetched');
  active = [];
  gh.resetStats();
  t.match(await p.pollOnce(), { sessions: 0, polled: 0 });
  t.equal(gh.stats.total, 0, 'no session, no request');
});

void t.test('a session without a PR is re-checked every round until its PR appears', async (t) => {
  const gh = await newSim(t);
  const s = target(4, null);
  const { p, deliveries } = poller(healerClient(gh.url), () => [s]);
  t.match(await p.pollOnce(), { noPr: 1 });
  t.match(await p.pollOnce(), { noPr: 1 });
  const pr = await agentOctokit(gh.url, 'rex').rest.pulls.create({
    ...R,
    title: 'Task 4',
    head: 'feature/task-4',
    base: 'main',
  });
  await agentOctokit(gh.url, 'rex').rest.issues.addLabels({
    ...R,
    issue_number: pr.data.number,
    labels: ['task-4'],
  });
  t.match(await p.pollOnce(), { noPr: 0, polled: 1, changed: 1 });
  t.equal(deliveries[0].snapshot.number, pr.data.number);
  gh.resetStats();
  await p.pollOnce();
  t.equal(gh.stats.total, 6, 'once found, no more searching: the six PR resources only');
});

void t.test(
  'a secondary rate limit mid-poll is waited out and the snapshot delivered once',
  async (t) => {
    const gh = await newSim(t);
    const pr = await agentOctokit(gh.url, 'rex').rest.pulls.create({
      ...R,
      title: 'Task 4',
      head: 'feature/task-4',
      base: 'main',
    });
    const { p, deliveries } = poller(healerClient(gh.url), () => [target(4, pr.data.number)]);
    gh.resetStats();
    gh.faults.secondaryRateLimit({ count: 1, retryAfter: 1 });
    const started = Date.now();
    const report = await p.pollOnce();
    t.ok(Date.now() - started >= 950, 'waited for retry-after');
    t.match(report, { polled: 1, changed: 1, errors: 0 });
    t.equal(deliveries.length, 1);
    t.same(gh.stats.byRouteStatus[PULL], { '403': 1, '200': 1 });
  },
);

void t.test('a failing handler gets the change again next round', async (t) => {
  const gh = await newSim(t);
  const pr = await agentOctokit(gh.url, 'rex').rest.pulls.create({
    ...R,
    title: 'Task 4',
    head: 'feature/task-4',
    base: 'main',
  });
  await agentOctokit(gh.url, 'rex').rest.pulls.get({ ...R, pull_number: pr.data.number });
  let fail = true;
  const seen: boolean[] = [];
  const { p } = poller(healerClient(gh.url), () => [target(4, pr.data.number)], {
    onSnapshot: (_id, _s, changed) => {
      seen.push(changed);
      if (fail) {
        fail = false;
        return Promise.reject(new Error('store unavailable'));
      }
      return Promise.resolve();
    },
  });
  await p.pollOnce();
  await p.pollOnce();
  await p.pollOnce();
  t.same(seen, [true, true, false]);
});

void t.test('errors are counted, logged once, and polling recovers', async (t) => {
  const gh = await newSim(t);
  const pr = await agentOctokit(gh.url, 'rex').rest.pulls.create({
    ...R,
    title: 'Task 4',
    head: 'feature/task-4',
    base: 'main',
  });
  const logger = memoryLogger();
  const { p } = poller(healerClient(gh.url, { retries: 0 }), () => [target(4, pr.data.number)], {
    logger,
  });
  gh.faults.failRequests({ status: 500, count: 100 });
  t.match(await p.pollOnce(), { errors: 1 });
  t.match(await p.pollOnce(), { errors: 1 });
  gh.faults.clear();
  t.match(await p.pollOnce(), { errors: 0, polled: 1 });
  t.same(
    logger.lines.filter((l) => l.level === 'warn').map((l) => l.msg),
    ['pull request poll failed; retrying next round'],
    'one warning for the outage, not one per round',
  );
  t.ok(logger.lines.some((l) => l.msg === 'pull request polling recovered'));
});

void t.test(
  'start() polls every interval; stop() ends it and aborts nothing left behind',
  async (t) => {
    const gh = await newSim(t);
    const pr = await agentOctokit(gh.url, 'rex').rest.pulls.create({
      ...R,
      title: 'Task 4',
      head: 'feature/task-4',
      base: 'main',
    });
    const { p, deliveries } = poller(healerClient(gh.url), () => [target(4, pr.data.number)], {
      intervalMs: 20,
    });
    p.start();
    p.start(); // idempotent
    while (deliveries.length < 4) await new Promise((r) => setTimeout(r, 10));
    await p.stop();
    const after = gh.stats.total;
    await new Promise((r) => setTimeout(r, 100));
    t.equal(gh.stats.total, after, 'no request after stop()');
    t.ok(deliveries.length >= 4);
  },
);

void t.test('stop() aborts a poll that hangs', async (t) => {
  const gh = await newSim(t);
  const pr = await agentOctokit(gh.url, 'rex').rest.pulls.create({
    ...R,
    title: 'Task 4',
    head: 'feature/task-4',
    base: 'main',
  });
  const { p, deliveries } = poller(healerClient(gh.url), () => [target(4, pr.data.number)]);
  gh.faults.delay(5_000);
  p.start();
  await new Promise((r) => setTimeout(r, 50));
  const started = Date.now();
  await p.stop();
  t.ok(Date.now() - started < 500, 'stop did not wait for the hung request');
  t.equal(deliveries.length, 0);
  gh.faults.clear();
});

void t.test('sessions are polled a few at a time (the concurrency limit)', async (t) => {
  let inFlight = 0;
  let most = 0;
  const fake = {
    baseUrl: 'http://fake',
    authKind: 'token',
    rateLimit: { remaining: null, reset: null },
    octokit: {
      request: async (route: string) => {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight--;
        const m = /pulls\/(\d+)$/.exec(route);
        const data = m
          ? { number: Number(m[1]), html_url: '', state: 'open', head: { sha: 'abc', ref: 'x' } }
          : route.includes('check-runs')
            ? { check_runs: [] }
            : route.includes('/status')
              ? { statuses: [] }
              : [];
        return { data, headers: {} };
      },
    },
  } as unknown as GitHubClient;
  const sessions = Array.from({ length: 20 }, (_, i) => target(i + 1, i + 1));
  const { p } = poller(fake, () => sessions, { concurrency: 3 });
  const report = await p.pollOnce();
  t.equal(report.polled, 20);
  t.ok(most <= 3 * 5, `at most 3 sessions × 5 parallel requests in flight (saw ${most})`);
  t.ok(most > 5, 'sessions do run concurrently');
});

void t.test(
  'comments, reviews and commits are re-read when the PR changes, and every few rounds regardless',
  async (t) => {
    const clock = new ManualClock('2025-11-21T05:00:00Z');
    const gh = await newSim(t, { clock: () => clock.now() });
    const pr = await agentOctokit(gh.url, 'rex').rest.pulls.create({
      ...R,
      title: 'Task 4',
      head: 'feature/task-4',
      base: 'main',
    });
    const n = pr.data.number;
    const { p, deliveries } = poller(healerClient(gh.url), () => [target(4, n)], {
      listRevalidateRounds: 4,
    });
    await p.pollOnce(); // round 1: everything
    await p.pollOnce(); // round 2: mergeability computed → PR changed → lists re-validated
    gh.resetStats();
    await p.pollOnce(); // round 3: unchanged
    t.equal(gh.stats.total, 3, 'an unchanged PR costs three 304s: PR, check runs, status');
    t.equal(gh.stats.byStatus['304'], 3);

    clock.advance(60_000);
    await agentOctokit(gh.url, 'tess').rest.pulls.createReview({
      ...R,
      pull_number: n,
      event: 'APPROVE',
      body: '✅ All acceptance criteria met. APPROVED',
    });
    await p.pollOnce(); // round 4: the review moved the PR's updated_at
    t.equal(deliveries.at(-1)?.changed, true);
    t.equal(deliveries.at(-1)?.snapshot.comments.at(-1)?.type, 'APPROVED');

    // A review backdated through the simulator does not touch the PR, like an edit GitHub does
    // not reflect on it: only the periodic re-validation sees it.
    await sim.review(
      gh.url,
      n,
      '5dlabs-cipher[bot]',
      'COMMENT',
      'No findings.',
      '2020-01-01T00:00:00Z',
    );
    await p.pollOnce(); // round 5 (4 polls done before it: 4 % 4 === 0 → re-validate)
    t.equal(deliveries.at(-1)?.changed, true, 're-validation found it');
    t.ok(deliveries.at(-1)?.snapshot.comments.some((c) => c.author === '5dlabs-cipher[bot]'));
  },
);

void t.test('an exhausted rate limit pauses polling until it resets, said once', async (t) => {
  const gh = await newSim(t);
  const pr = await agentOctokit(gh.url, 'rex').rest.pulls.create({
    ...R,
    title: 'Task 4',
    head: 'feature/task-4',
    base: 'main',
  });
  const logger = memoryLogger();
  const client = healerClient(gh.url);
  const { p } = poller(client, () => [target(4, pr.data.number)], { logger });
  gh.rateLimit.set(HEALER_TOKEN, { remaining: 0, resetInMs: 600_000 });
  t.match(await p.pollOnce(), { errors: 1 }, 'the first refusal is an error (too long to wait)');
  t.equal(client.rateLimit.remaining, 0);
  gh.resetStats();
  t.match(await p.pollOnce(), { skipped: 1, polled: 0 });
  t.match(await p.pollOnce(), { skipped: 1, polled: 0 });
  t.equal(gh.stats.total, 0, 'no request while the limit is exhausted');
  t.equal(
    logger.lines.filter((l) => l.msg.includes('polling paused')).length,
    1,
    'the pause is logged once',
  );
  // The window resets.
  gh.rateLimit.reset();
  client.rateLimit.reset = Math.floor(Date.now() / 1000) - 1;
  t.match(await p.pollOnce(), { polled: 1, errors: 0 });
});

void t.test('a PR found by label that is closed unmerged is looked for again', async (t) => {
  const gh = await newSim(t);
  const rex = agentOctokit(gh.url, 'rex');
  const first = await rex.rest.pulls.create({ ...R, title: 'T4', head: 'feat/a', base: 'main' });
  await rex.rest.issues.addLabels({ ...R, issue_number: first.data.number, labels: ['task-4'] });
  const { p, deliveries } = poller(healerClient(gh.url), () => [target(4, null)]);
  await p.pollOnce();
  t.equal(deliveries.at(-1)?.snapshot.number, first.data.number);
  await rex.rest.pulls.update({ ...R, pull_number: first.data.number, state: 'closed' });
  const second = await rex.rest.pulls.create({
    ...R,
    title: 'T4 again',
    head: 'feat/b',
    base: 'main',
  });
  await rex.rest.issues.addLabels({ ...R, issue_number: second.data.number, labels: ['task-4'] });
  await p.pollOnce(); // sees the first PR closed
  t.equal(deliveries.at(-1)?.snapshot.state, 'closed');
  await p.pollOnce();
  t.equal(deliveries.at(-1)?.snapshot.number, second.data.number, 'the new PR is followed');
});
