// Acceptance scenarios, end to end: agents act on the simulated GitHub, the poller fetches the
// Play's PR through Healer's client, and the PR rules (A1, A3, A4, A5) run on every changed
// snapshot and on every rule tick. Each problem gives exactly one incident; look-alikes none.
import t from 'tap';
import type { Test } from 'tap';
import { healConfigSchema } from '../../../src/domain/heal-config.js';
import type { Rule } from '../../../src/detectors/rule.js';
import type { RuleView, Signal } from '../../../src/domain/signal.js';
import { a1CommentOrder } from '../../../src/detectors/rules/a1-comment-order.js';
import { a3StaleProgress } from '../../../src/detectors/rules/a3-stale-progress.js';
import { a4ApprovalLoop } from '../../../src/detectors/rules/a4-approval-loop.js';
import { a5PostTessCi } from '../../../src/detectors/rules/a5-post-tess-ci.js';
import type { AlertDraft } from '../../../src/domain/alert.js';
import { ManualClock } from '../../../src/domain/clock.js';
import type { PrSnapshot } from '../../../src/domain/pr.js';
import type { Session, SessionAgent } from '../../../src/domain/session.js';
import { PrPoller } from '../../../src/sources/github/poller.js';
import {
  OWNER,
  R,
  REPO,
  agentOctokit,
  healerClient,
  memoryLogger,
  newSim,
  sim,
} from './helpers.js';

const PR_RULES: Rule[] = [a1CommentOrder, a3StaleProgress, a4ApprovalLoop, a5PostTessCi];
const T0 = Date.parse('2025-11-21T05:00:00Z');
const heal = healConfigSchema.parse({});
const AGENTS = ['rex', 'cleo', 'cipher', 'tess', 'atlas'];
const BODY = {
  rex: '## Implementation complete\n\nAdded `POST /tasks` and `GET /tasks/{id}`.\n\n- cargo test: 43 passed',
  cleo: '### Code quality review\n\nClippy pedantic and rustfmt are clean.\n\nLGTM',
  cipher: '🔒 Security scan complete: cargo audit and gitleaks found nothing. Looks good.',
  tess: '✅ All acceptance criteria met. APPROVED',
};

/** A Play in progress: its session, the simulated repository, the poller and the rules. */
async function play(t: Test) {
  const clock = new ManualClock(T0);
  const gh = await newSim(t, { clock: () => clock.now() });
  const agent = (name: string) => agentOctokit(gh.url, name);
  const session: Session = {
    play_id: 'play-task-4',
    repository: `${OWNER}/${REPO}`,
    service: 'test-service',
    namespace: 'cto',
    cto_config: { agents: {} },
    tasks: [{ id: '4', title: 'Task 4', agent_hint: null, dependencies: [], priority: 0 }],
    status: 'active',
    started_at: new Date(T0).toISOString(),
    last_updated: new Date(T0).toISOString(),
    ended_at: null,
    end_reason: null,
    agents: AGENTS.map((name): SessionAgent => ({
      name,
      stage: heal.stages.agents[name],
      github_app: `5DLabs-${name[0].toUpperCase()}${name.slice(1)}`,
      pod: null,
      coderun: null,
      phase: 'Waiting',
      started_at: null,
      preflight: { state: 'passed', items: [] },
    })),
    issues: [],
    pr: null,
  };
  const alerts: AlertDraft[] = [];
  let last: PrSnapshot | null = null;
  let latest: AlertDraft[] = [];
  const evaluate = (snapshot: PrSnapshot | null, cause: 'event' | 'tick') => {
    const signal: Signal = {
      kind: 'pr',
      snapshot,
      cause,
      correlation: {
        playId: session.play_id,
        rule: 1,
        agent: null,
        taskId: '4',
        remediation: false,
        servesFingerprint: null,
        excluded: null,
      },
    };
    const view: RuleView = {
      now: clock.now(),
      session,
      config: { alerts: heal.alerts, stages: heal.stages, exclusions: heal.exclusions },
      podsOfCodeRun: () => [],
      eventsFor: () => [],
      expectedFor: () => undefined,
    };
    const rules = cause === 'tick' ? PR_RULES.filter((r) => r.timeBased) : PR_RULES;
    // As the registry's evaluateAll does, for these four rules only (the registry also holds
    // rules other people are writing).
    latest = rules.flatMap((rule) => rule.evaluate(signal, view));
    alerts.push(...latest);
  };
  const poller = new PrPoller({
    github: healerClient(gh.url),
    clock,
    intervalMs: 30_000,
    sessions: () => [{ playId: session.play_id, repository: session.repository, taskIds: ['4'] }],
    onSnapshot: (_id, snapshot, changed) => {
      last = snapshot;
      if (changed) evaluate(snapshot, 'event'); // only changed snapshots trigger rules
      return Promise.resolve();
    },
    logger: memoryLogger(),
  });

  return {
    gh,
    clock,
    agent,
    session,
    alerts,
    /** What the rules said at the last evaluation (empty: every condition has cleared). */
    get latest() {
      return latest;
    },
    /** Moves to `minute` after T0 and runs one poll round plus one rule tick. */
    async at(minute: number) {
      clock.set(T0 + minute * 60_000);
      await poller.pollOnce();
      evaluate(last, 'tick');
    },
    run(name: string, minute: number) {
      const a = session.agents.find((x) => x.name === name)!;
      a.phase = 'Running';
      a.started_at = new Date(T0 + minute * 60_000).toISOString();
      a.pod = `play-task-4-${name}-x7k2p`;
    },
    done(name: string) {
      session.agents.find((x) => x.name === name)!.phase = 'Succeeded';
    },
    /** Distinct incidents (fingerprint inputs) among every alert raised. */
    incidents() {
      return [
        ...new Set(
          alerts.map((a) =>
            [a.alert, a.namespace, a.playId, a.taskId, a.agent, a.subject].join('|'),
          ),
        ),
      ];
    },
  };
}

type Play = Awaited<ReturnType<typeof play>>;

/** Rex opens the PR at minute 2 for task 4 (branch `feature/task-4`). */
async function openPr(p: Play): Promise<number> {
  p.clock.set(T0 + 2 * 60_000);
  const pr = await p.agent('rex').rest.pulls.create({
    ...R,
    title: 'Task 4: task handlers',
    head: 'feature/task-4',
    base: 'main',
  });
  return pr.data.number;
}

const say = (p: Play, n: number, who: string, body: string) =>
  p.agent(who).rest.issues.createComment({ ...R, issue_number: n, body });

/** Rex, Cleo and Cipher did their part; Tess is running from minute 28. */
async function reviewedUpToTess(p: Play, n: number) {
  p.run('rex', 0);
  await p.at(3);
  await say(p, n, 'rex', BODY.rex);
  p.done('rex');
  p.run('cleo', 10);
  await p.at(12);
  await say(p, n, 'cleo', BODY.cleo);
  p.done('cleo');
  p.run('cipher', 18);
  await p.at(20);
  await say(p, n, 'cipher', BODY.cipher);
  p.done('cipher');
  p.run('tess', 28);
  await p.at(29);
}

const headSha = async (p: Play, n: number) =>
  (await p.agent('atlas').rest.pulls.get({ ...R, pull_number: n })).data.head.sha;

function expectOne(t: Test, p: Play, alert: string, extra: (a: AlertDraft) => void = () => {}) {
  const incidents = p.incidents();
  t.equal(incidents.length, 1, `exactly one incident: ${incidents.join(', ')}`);
  t.ok(incidents[0]?.startsWith(`${alert}|`), `it is ${alert}`);
  const first = p.alerts[0];
  if (first) {
    t.equal(first.subject, `#1`, 'the subject is the PR number');
    extra(first);
  }
}

void t.test('an approval loop: three consecutive LGTMs by Tess', async (t) => {
  const p = await play(t);
  const n = await openPr(p);
  await reviewedUpToTess(p, n);
  for (const minute of [30, 31, 32]) {
    p.clock.set(T0 + minute * 60_000);
    await say(p, n, 'tess', 'LGTM');
    await p.at(minute);
  }
  await p.at(33);
  expectOne(t, p, 'A4', (a) => {
    t.equal(a.agent, 'tess');
    t.equal(a.context.approvals_in_a_row, 3);
    t.equal(a.evidence.length, 3);
  });
  // Rex pushes a change: the loop is over.
  p.clock.set(T0 + 34 * 60_000);
  await sim.push(p.gh.url, n, 'fix: flaky acceptance test');
  await p.at(34);
  t.same(p.latest, [], 'a new commit resolves it');
});

void t.test('CI failing after Tess approved', async (t) => {
  const p = await play(t);
  const n = await openPr(p);
  await reviewedUpToTess(p, n);
  const sha = await headSha(p, n);
  const ci = p.agent('ci');
  const test = await ci.rest.checks.create({
    ...R,
    name: 'ci / test',
    head_sha: sha,
    status: 'in_progress',
  });
  await p.at(30);
  p.clock.set(T0 + 31 * 60_000);
  await say(p, n, 'tess', BODY.tess);
  p.done('tess');
  p.run('atlas', 32);
  await p.at(33);
  p.clock.set(T0 + 35 * 60_000);
  await ci.rest.checks.update({ ...R, check_run_id: test.data.id, conclusion: 'failure' });
  await p.at(35);
  await p.at(36);
  expectOne(t, p, 'A5', (a) => {
    t.equal(a.context.kind, 'ci_failure');
    t.equal(a.context.failed_checks, 'ci / test');
    t.ok(a.evidence.some((e) => e.includes('"ci / test" conclusion=failure')));
  });
  // A fix is pushed and CI passes on the new head: resolved.
  p.clock.set(T0 + 40 * 60_000);
  await sim.push(p.gh.url, n, 'fix: handle empty title');
  await ci.rest.checks.create({
    ...R,
    name: 'ci / test',
    head_sha: await headSha(p, n),
    conclusion: 'success',
  });
  await p.at(40);
  await p.at(41);
  t.same(p.latest, [], 'checks green again: nothing to report');
});

void t.test('a merge conflict after Tess approved', async (t) => {
  const p = await play(t);
  const n = await openPr(p);
  await reviewedUpToTess(p, n);
  p.clock.set(T0 + 30 * 60_000);
  await say(p, n, 'tess', BODY.tess);
  p.done('tess');
  p.run('atlas', 31);
  await p.at(31);
  await sim.mergeable(p.gh.url, n, { mergeable: false });
  await p.at(33);
  await p.at(34);
  expectOne(t, p, 'A5', (a) => {
    t.equal(a.context.kind, 'merge_conflict');
    t.equal(a.context.mergeable_state, 'dirty');
  });
  await sim.mergeable(p.gh.url, n, { mergeable: true });
  await p.at(36);
  t.same(p.latest, [], 'mergeable again: resolved');
});

void t.test('no commit for longer than the threshold while rex runs', async (t) => {
  const p = await play(t);
  p.run('rex', 0);
  await p.at(1); // no PR yet: measured from rex's start
  const n = await openPr(p);
  for (const minute of [5, 10, 15, 17]) await p.at(minute);
  t.same(p.alerts, [], 'within the threshold');
  for (const minute of [18, 20, 25]) await p.at(minute);
  expectOne(t, p, 'A3', (a) => {
    t.equal(a.agent, 'rex');
    t.equal(a.context.minutes_since_commit, 16);
    t.equal(a.context.measured_from, 'last_commit');
  });
  p.clock.set(T0 + 26 * 60_000);
  await sim.push(p.gh.url, n, 'feat(tasks): validation');
  await p.at(26);
  t.same(p.latest, [], 'a new commit resolves it');
});

void t.test('cleo running while rex never commented', async (t) => {
  const p = await play(t);
  const n = await openPr(p);
  p.run('rex', 0);
  await p.at(3);
  p.done('rex');
  p.run('cleo', 10);
  await p.at(11);
  await p.at(12);
  expectOne(t, p, 'A1', (a) => {
    t.equal(a.agent, 'cleo');
    t.equal(a.context.expected_stage, 'implementation');
  });
  p.clock.set(T0 + 13 * 60_000);
  await say(p, n, 'rex', BODY.rex);
  await p.at(13);
  t.same(p.latest, [], "rex's comment arrived: resolved");
});

void t.test('look-alike: approvals interleaved with commits', async (t) => {
  const p = await play(t);
  const n = await openPr(p);
  await reviewedUpToTess(p, n);
  for (const minute of [30, 32, 34]) {
    p.clock.set(T0 + minute * 60_000);
    await say(p, n, 'tess', 'LGTM');
    await p.at(minute);
    p.clock.set(T0 + (minute + 1) * 60_000);
    await sim.push(p.gh.url, n, `test: acceptance round ${minute}`);
    await p.at(minute + 1);
  }
  t.same(p.incidents(), []);
});

void t.test('look-alike: a check that failed before Tess approved and passed after', async (t) => {
  const p = await play(t);
  const n = await openPr(p);
  await reviewedUpToTess(p, n);
  const sha = await headSha(p, n);
  const ci = p.agent('ci');
  await ci.rest.checks.create({ ...R, name: 'ci / test', head_sha: sha, conclusion: 'failure' });
  await p.at(29);
  p.clock.set(T0 + 30 * 60_000);
  await say(p, n, 'tess', BODY.tess);
  p.done('tess');
  await p.at(30);
  p.clock.set(T0 + 33 * 60_000);
  await ci.rest.checks.create({ ...R, name: 'ci / test', head_sha: sha, conclusion: 'success' });
  await p.at(33);
  await p.at(34);
  t.same(p.incidents(), []);
});

void t.test('look-alike: a PR still computing mergeability (mergeable: null)', async (t) => {
  const p = await play(t);
  const n = await openPr(p);
  await reviewedUpToTess(p, n);
  p.clock.set(T0 + 30 * 60_000);
  await say(p, n, 'tess', BODY.tess);
  p.done('tess');
  await sim.mergeable(p.gh.url, n, { mergeable: null });
  for (const minute of [30, 31, 32]) await p.at(minute);
  t.equal(p.alerts.length, 0);
  t.same(p.incidents(), []);
});
