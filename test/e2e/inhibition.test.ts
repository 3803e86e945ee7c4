// A silent failure on rex is followed by its CodeRun stuck (A9): one acted-on incident, the A9
// recorded as its child (issue 17 point 2); the API shows the tree; when the parent resolves and
// the child still fires, the child is decided on its own. Real clients against the simulated
// cluster and GitHub, one manual clock.
import t from 'tap';
import { waitFor, type KubeSim } from '../sim/kube/index.js';
import type { GitHubSim } from '../sim/github/index.js';
import {
  remediationWorld,
  WORLD_REPO as REPO,
  WORLD_T0 as T0,
} from '../helpers/remediation-world.js';
import { agentLabels, silentFailurePod } from '../helpers/pods.js';

const issuesOf = (github: GitHubSim) => {
  const repo = github.world.repos.get(REPO.toLowerCase()) ?? github.world.repos.get(REPO);
  return repo ? [...repo.issues.values()].filter((i) => !('pull' in i && i.pull)) : [];
};
const healerRuns = (kube: KubeSim) =>
  kube.list('agents.platform/v1', 'coderuns', 'cto', {
    labelSelector: 'healer.platform/remediation=true',
  });

interface IncidentJson {
  id: string;
  alert: string;
  state: string;
  subject: string;
  last_decision: string | null;
  inhibited_by: { incident_id: string; alert: string; rule: string } | null;
}

void t.test(
  'silent failure then its stuck CodeRun: one issue, one run; the A9 is the A2’s child until the A2 resolves',
  async (t) => {
    const h = await remediationWorld(t, {
      heal: { alerts: { staleProgressMinutes: 100000, stuckCodeRunMinutes: 10 } },
    });
    const { kube, github, clock } = h;
    const list = async () =>
      (
        await h.app.inject({
          method: 'GET',
          url: '/api/v1/incidents?limit=50',
        })
      ).json<{
        incidents: IncidentJson[];
      }>().incidents;

    // rex's agent container dies behind its sidecar: A2, its issue and its remediation run
    silentFailurePod(kube, { name: 'play-task-4-rex-x7k2p', at: T0 });
    await waitFor(() => issuesOf(github).length === 1 && healerRuns(kube).length === 1, {
      what: 'the A2 issue and run',
      timeoutMs: 10_000,
    });
    // rex's own CodeRun never gets a phase: 11 minutes later it is stuck (A9)
    kube.create({
      apiVersion: 'agents.platform/v1',
      kind: 'CodeRun',
      metadata: {
        name: 'play-task-4-coderun-rex',
        namespace: 'cto',
        labels: agentLabels('play-task-4', 'rex', '4'),
      },
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
    await waitFor(() => h.healer.hub?.get('coderun', 'cto', 'play-task-4-coderun-rex'));
    clock.advance(11 * 60_000);
    let a9: IncidentJson | undefined;
    await waitFor(
      async () => {
        await h.healer.tick();
        await h.healer.settle();
        // (the remediation run, never started in this world, is stuck too: that A9 is remediator-failed)
        a9 = (await list()).find((i) => i.subject === 'play-task-4-coderun-rex');
        return a9?.last_decision === 'inhibited-by';
      },
      { what: 'the A9 decided', timeoutMs: 10_000 },
    );
    const a2 = (await list()).find((i) => i.alert === 'A2')!;
    t.match(a9, {
      state: 'open',
      inhibited_by: { incident_id: a2.id, alert: 'A2', rule: 'agent-failure-stalls-its-run' },
    });
    await h.healer.outbox.runOnce();
    t.equal(issuesOf(github).length, 1, 'one issue for one cause');
    t.equal(healerRuns(kube).length, 1, 'one remediation run');
    const parent = (await h.app.inject({ method: 'GET', url: `/api/v1/incidents/${a2.id}` })).json<{
      children: { id: string; alert: string }[];
    }>();
    t.match(parent.children, [{ id: a9!.id, alert: 'A9' }], 'the parent lists its child');

    // the A2 clears (the pod is gone, 5 minutes clear) while rex's CodeRun is still stuck
    kube.delete('v1', 'Pod', 'cto', 'play-task-4-rex-x7k2p', { gracePeriodSeconds: 0 });
    await waitFor(() => h.healer.hub?.list('pod').length === 0, { what: 'pod gone' });
    clock.advance(5 * 60_000 + 1_000);
    await waitFor(
      async () => {
        await h.healer.tick();
        await h.healer.settle();
        const now = await list();
        return (
          now.find((i) => i.id === a2.id)?.state === 'resolved' &&
          now.find((i) => i.id === a9!.id)?.inhibited_by === null
        );
      },
      { what: 'parent resolved, child released', timeoutMs: 15_000 },
    );
    const released = (await list()).find((i) => i.id === a9!.id)!;
    t.not(released.last_decision, 'inhibited-by', `decided on its own: ${released.last_decision}`);
    await waitFor(() => issuesOf(github).length === 2, {
      what: 'the A9 gets its own issue',
      timeoutMs: 10_000,
    });
    t.match(
      issuesOf(github)
        .map((i) => i.title)
        .sort(),
      [/HEAL-A2/, /HEAL-A9/],
    );
  },
);
