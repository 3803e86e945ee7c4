// Outcome history end to end (issue #17 points 3 and 5): a remediation whose fix worked is
// recorded (cleared, with its pull request) and the next remediation of the same failure quotes
// it in its prompt; a class that failed three times before, with no success, is escalated at
// once with the reason and gets no CodeRun. Real clients against the simulated cluster and GitHub.
import t from 'tap';
import { waitFor, type KubeSim } from '../sim/kube/index.js';
import type { GitHubSim } from '../sim/github/index.js';
import {
  remediationWorld,
  WORLD_REPO as REPO,
  WORLD_T0 as T0,
} from '../helpers/remediation-world.js';
import { MCP_FIXTURE } from '../helpers/healer.js';
import { silentFailurePod } from '../helpers/pods.js';
import type { CodeRun } from '../../src/domain/kube.js';
import type { Incident } from '../../src/domain/incident.js';
import type { RemediationOutcome } from '../../src/domain/outcome.js';
import { evidenceSignature } from '../../src/incidents/history.js';
import { createGitHubClient } from '../../src/sources/github/client.js';

type World = Awaited<ReturnType<typeof remediationWorld>>;

const healerRuns = (kube: KubeSim): CodeRun[] =>
  kube.list('agents.platform/v1', 'coderuns', 'cto', {
    labelSelector: 'healer.platform/remediation=true',
  }) as unknown as CodeRun[];
const issuesOf = (github: GitHubSim) => {
  const repo = github.world.repos.get(REPO.toLowerCase()) ?? github.world.repos.get(REPO);
  return repo ? [...repo.issues.values()].filter((i) => !('pull' in i && i.pull)) : [];
};
const promptOf = (run: CodeRun): string => {
  const p = run.spec?.promptModification;
  return typeof p === 'string' ? p : '';
};

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

/** rex fails silently in play-task-4: the A2 incident, its issue and its run. */
async function firstFailure(w: World): Promise<{ incident: Incident; run: CodeRun }> {
  silentFailurePod(w.kube, { name: 'play-task-4-rex-x7k2p', at: T0 });
  await waitFor(() => healerRuns(w.kube).length === 1 && issuesOf(w.github).length === 1, {
    what: 'the first issue and run',
    timeoutMs: 10_000,
  });
  const [incident] = await w.store.openIncidents();
  return { incident: incident, run: healerRuns(w.kube)[0] };
}

/** The same failure of rex in play-task-5: a second incident of the same class. */
async function secondFailure(w: World): Promise<Incident> {
  await startPlay(w, 'play-task-5', '5');
  silentFailurePod(w.kube, {
    name: 'play-task-5-rex-q9w8e',
    playId: 'play-task-5',
    taskId: '5',
    at: w.clock.now().toISOString(),
  });
  let found: Incident | undefined;
  await waitFor(
    async () => {
      await w.healer.settle();
      found = (await w.store.openIncidents()).find((i) => i.playId === 'play-task-5');
      return found?.lastDecision != null;
    },
    { what: 'the second incident decided', timeoutMs: 10_000 },
  );
  return found!;
}

void t.test(
  'a fix that worked is remembered: the next remediation of the same failure quotes its issue and pull request',
  async (t) => {
    const w = await remediationWorld(t);
    const { incident, run } = await firstFailure(w);
    // the run opens a pull request and succeeds; the pod goes; 5 minutes clear → resolved
    w.kube.patchStatus('agents.platform/v1', 'CodeRun', 'cto', run.metadata.name!, {
      status: {
        phase: 'Succeeded',
        finishedAt: w.clock.now().toISOString(),
        pullRequestUrl: `https://github.com/${REPO}/pull/913`,
      },
    });
    // the run ended while the pod still fails: so far the attempt left it firing, with its PR
    await waitFor(
      async () => {
        const [o] = await w.store.listOutcomes({ incidentId: incident.id, limit: 5 });
        return o?.outcome === 'still-firing' && o.pullRequestUrl !== null;
      },
      { what: 'the attempt’s outcome so far', timeoutMs: 10_000 },
    );
    w.kube.delete('v1', 'Pod', 'cto', 'play-task-4-rex-x7k2p', { gracePeriodSeconds: 0 });
    await waitFor(() => w.healer.hub?.list('pod').length === 0, { what: 'pod gone' });
    w.clock.advance(5 * 60_000 + 1_000);
    await w.healer.tick();
    await w.healer.settle();
    let outcomes: RemediationOutcome[] = [];
    await waitFor(
      async () => {
        outcomes = await w.store.listOutcomes({ incidentId: incident.id, limit: 5 });
        return outcomes[0]?.outcome === 'cleared';
      },
      { what: 'the outcome cleared', timeoutMs: 10_000 },
    );
    t.equal(outcomes.length, 1, 'one record per attempt');
    t.match(outcomes[0], {
      id: `${incident.id}#1`,
      alert: 'A2',
      agent: 'rex',
      signature: evidenceSignature(incident),
      issue: { number: 1 },
      pullRequestUrl: `https://github.com/${REPO}/pull/913`,
      summary: /ended Succeeded, pull request .*pull\/913; the condition cleared/,
    });
    t.notMatch(outcomes[0].signature, /x7k2p|play-task-4|\d/, 'no pod ids or numbers');

    const second = await secondFailure(w);
    t.equal(second.lastDecision, 'new');
    t.equal(evidenceSignature(second), evidenceSignature(incident), 'the same failure');
    await waitFor(() => healerRuns(w.kube).length === 2, {
      what: 'the second remediation run',
      timeoutMs: 10_000,
    });
    const next = healerRuns(w.kube).find((r) => r.metadata.name !== run.metadata.name)!;
    const prompt = promptOf(next);
    t.match(prompt, /## What Healer's earlier remediations of this failure led to/);
    const fence = prompt.slice(
      prompt.indexOf('<!-- untrusted-data:begin past-outcomes -->'),
      prompt.indexOf('<!-- untrusted-data:end past-outcomes -->'),
    );
    t.match(fence, /Most recent successful fix of this failure \(A2 on rex/);
    t.match(fence, new RegExp(`issue: #1 https://github.com/${REPO}/issues/1`));
    t.match(fence, new RegExp(`pull request: https://github.com/${REPO}/pull/913`));
    const insights = (await w.app.inject({ method: 'GET', url: '/api/v1/insights' })).json<{
      insights: { alert: string; agent: string; incidents: number; successes: number }[];
    }>();
    t.match(insights.insights, [{ alert: 'A2', agent: 'rex', incidents: 2, successes: 1 }]);
  },
);

void t.test(
  'a class that failed three times before and never succeeded: escalated at once, with the figures, no CodeRun',
  async (t) => {
    const w = await remediationWorld(t);
    const { incident } = await firstFailure(w);
    // three earlier incidents of the same failure of rex, whose runs did not fix it
    const signature = evidenceSignature(incident);
    for (const [n, outcome] of [
      [1, 'still-firing'],
      [2, 'run-failed'],
      [3, 'escalated'],
    ] as const)
      await w.store.recordOutcome({
        id: `inc-earlier-${n}#1`,
        incidentId: `inc-earlier-${n}`,
        attempt: 1,
        alert: 'A2',
        agent: 'rex',
        signature,
        outcome,
        coderun: `healer-a2-earlier${n}-1`,
        issue: { number: 100 + n, url: `https://github.com/${REPO}/issues/${100 + n}` },
        pullRequestUrl: null,
        summary: `attempt 1 tried restart ${n}; the alert kept firing`,
        startedAt: new Date(Date.parse(T0) - n * 86_400_000).toISOString(),
        at: new Date(Date.parse(T0) - n * 86_400_000 + 3_600_000).toISOString(),
      });
    const second = await secondFailure(w);
    t.equal(second.lastDecision, 'history-says-no');
    t.equal(second.state, 'escalated');
    const [decision] = await w.store.decisionsFor(second.id);
    t.match(
      decision.detail,
      /remediation of this class \(A2 on rex, signature ".*"\) failed 3 times in 3 other incidents within the last 30 days \(still-firing 1, run-failed 1, escalated 1; last at .*\) and never succeeded \(threshold 3\): issue opened and escalated to a person, no CodeRun/,
    );
    await waitFor(() => issuesOf(w.github).length === 2, {
      what: 'the second issue',
      timeoutMs: 10_000,
    });
    await w.healer.outbox.runOnce();
    const issue = issuesOf(w.github).find((i) => i.title.includes('play-task-5'));
    t.ok(issue, 'the second incident has its issue');
    await waitFor(() => JSON.stringify(issue?.labels ?? []).includes('needs-human'), {
      what: 'needs-human on the issue',
      timeoutMs: 10_000,
    });
    t.equal(healerRuns(w.kube).length, 1, 'no CodeRun for the refused class (only the first)');
    const api = (
      await w.app.inject({ method: 'GET', url: `/api/v1/incidents/${second.id}` })
    ).json<{ incident: { last_decision: string } }>();
    t.equal(api.incident.last_decision, 'history-says-no');
  },
);

void t.test(
  'a remediation pull request that is merged: pr-opened, then pr-merged once the condition cleared; quoted as the fix, counted in insights',
  async (t) => {
    const w = await remediationWorld(t);
    const { incident, run } = await firstFailure(w);
    // the remediation agent opens its pull request in the repository (the simulated GitHub)
    const agent = createGitHubClient({
      baseUrl: w.github.url,
      auth: { kind: 'token', token: 'login:5dlabs-rex[bot]' },
      retryBaseMs: 5,
      pacing: false,
    }).octokit;
    const [owner, repo] = REPO.split('/');
    const { data: pr } = await agent.rest.pulls.create({
      owner,
      repo,
      title: 'Pass the git credentials to rex again',
      head: 'healer/a2-rex-credentials',
      base: 'main',
    });
    w.kube.patchStatus('agents.platform/v1', 'CodeRun', 'cto', run.metadata.name!, {
      status: { phase: 'Running', pullRequestUrl: pr.html_url },
    });
    const mine = async () => (await w.store.listOutcomes({ incidentId: incident.id, limit: 5 }))[0];
    await waitFor(async () => (await mine())?.outcome === 'pr-opened', {
      what: 'pr-opened recorded',
      timeoutMs: 10_000,
    });
    // a pass before the merge changes nothing
    await w.healer.polls.remediationPrs();
    t.notMatch((await mine()).summary, /merged/, 'not merged yet');

    await agent.rest.pulls.merge({ owner, repo, pull_number: pr.number });
    await w.healer.polls.remediationPrs();
    let o = await mine();
    t.equal(o.outcome, 'pr-opened', 'merged, but whether the condition clears is not known yet');
    t.match(o.summary, /pull request was merged at .*#\d+ "Pass the git credentials to rex again"/);

    // the pod goes and the condition clears: cleared, then pr-merged on the next pass
    w.kube.delete('v1', 'Pod', 'cto', 'play-task-4-rex-x7k2p', { gracePeriodSeconds: 0 });
    await waitFor(() => w.healer.hub?.list('pod').length === 0, { what: 'pod gone' });
    w.clock.advance(5 * 60_000 + 1_000);
    await w.healer.tick();
    await w.healer.settle();
    await waitFor(async () => (await mine())?.outcome === 'cleared', {
      what: 'the outcome cleared',
      timeoutMs: 10_000,
    });
    await w.healer.polls.remediationPrs();
    o = await mine();
    t.match(o, {
      id: `${incident.id}#1`,
      outcome: 'pr-merged',
      pullRequestUrl: pr.html_url,
      issue: { number: 1 },
      summary: new RegExp(
        `the condition cleared .*; its pull request was merged at .*: #${pr.number} "Pass the git credentials to rex again" \\(\\d+ files? changed, \\+\\d+ −\\d+\\)`,
      ),
    });
    t.equal(
      (await w.store.listOutcomes({ incidentId: incident.id, limit: 5 })).length,
      1,
      'still one record per attempt',
    );
    await w.healer.polls.remediationPrs();
    t.same(await mine(), o, 'a later pass changes nothing');

    // the next remediation of the same failure quotes the merged fix; insights count it
    await secondFailure(w);
    await waitFor(() => healerRuns(w.kube).length === 2, {
      what: 'the second remediation run',
      timeoutMs: 10_000,
    });
    const next = healerRuns(w.kube).find((r) => r.metadata.name !== run.metadata.name)!;
    const prompt = promptOf(next);
    const fence = prompt.slice(
      prompt.indexOf('<!-- untrusted-data:begin past-outcomes -->'),
      prompt.indexOf('<!-- untrusted-data:end past-outcomes -->'),
    );
    t.match(fence, /Most recent successful fix of this failure \(A2 on rex/);
    t.match(fence, `pull request: ${pr.html_url}`);
    t.match(
      fence,
      /what happened: .*pull request was merged .*"Pass the git credentials to rex again"/,
    );
    const insights = (await w.app.inject({ method: 'GET', url: '/api/v1/insights' })).json<{
      totals: { successes: number; merged: number };
      insights: { alert: string; agent: string; successes: number; merged: number }[];
    }>();
    t.match(insights.insights, [{ alert: 'A2', agent: 'rex', successes: 1, merged: 1 }]);
    t.match(insights.totals, { successes: 1, merged: 1 });
  },
);
