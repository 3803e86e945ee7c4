// `healer full --self-healing` and `healer alert-watch` run Healer's pipeline in process against
// the simulated world: a failure injected into the Play shows up in full's summary with the issue
// and the remediation run; alert-watch --dry-run creates nothing and says what it would create.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { waitFor } from '../sim/kube/fixtures.js';
import { startSimWorld } from '../sim/world.js';
import { cli, crashLoopPod, setWorkflowPhase, tempDir } from './helpers.js';

void t.test('full --self-healing: run, detect, open the issue, remediate, summarise', async (t) => {
  const world = await startSimWorld({ controlPort: false });
  t.teardown(() => world.close());
  const dir = tempDir();
  const config = join(dir, 'cto-config.json');
  writeFileSync(
    config,
    JSON.stringify({
      defaults: {
        play: { repository: '5dlabs/cto-parallel-test', service: 'cto-parallel-test' },
        remediation: { maxIterations: 2, syncTimeoutSecs: 2 },
      },
      agents: {
        rex: { githubApp: '5DLabs-Rex', cli: 'claude', model: 'claude-opus-4-5-20251101' },
      },
    }),
  );
  const env = {
    HOME: dir,
    KUBECONFIG: world.kubeconfigPath,
    GITHUB_TOKEN: 'login:healer',
    GITHUB_API_URL: world.urls.github,
    HEALER_RULE_TICK_SECONDS: '1',
  };
  const running = cli(
    [
      'full',
      '--task-id',
      '4',
      '--config',
      config,
      '--self-healing',
      '--format',
      'json',
      '--interval',
      '1',
      '--timeout',
      '2m',
    ],
    env,
  );
  const wf = await waitFor(() => world.kube.list('argoproj.io/v1alpha1', 'workflows', 'cto')[0], {
    timeoutMs: 60_000,
    intervalMs: 100,
    what: 'the Play Workflow',
  });
  const playId = String(wf.metadata.name);
  setWorkflowPhase(world.kube, 'cto', playId, 'Running');
  crashLoopPod(world.kube, { name: `${playId}-rex-x7k2p`, playId });
  const run = await waitFor(
    () =>
      world.kube.list('agents.platform/v1', 'coderuns', 'cto', {
        labelSelector: 'healer.platform/remediation=true',
      })[0],
    { timeoutMs: 60_000, intervalMs: 200, what: 'the remediation CodeRun' },
  );
  setWorkflowPhase(world.kube, 'cto', playId, 'Failed', 'child failed');
  const r = await running;
  t.equal(r.code, 1, `a failed Play exits 1 (${r.err.slice(0, 500)})`);
  const events = r.json;
  t.match(events[0], { event: 'submitted', play_id: playId });
  t.match(
    events.find((e) => e.event === 'incident'),
    { alert: 'A7', agent: 'rex', source: 'healer' },
  );
  const summary = events.find((e) => e.event === 'summary');
  t.match(summary, {
    play_id: playId,
    phase: 'Failed',
    incidents: [
      {
        alert: 'A7',
        severity: 'critical',
        agent: 'rex',
        issue: Number,
        attempts: 1,
        outcome: 'remediating',
      },
    ],
  });
  const issues = await fetch(
    `${world.urls.github}/repos/5dlabs/cto-parallel-test/issues?state=all`,
    {
      headers: { authorization: 'token login:healer' },
    },
  ).then((x) => x.json() as Promise<Array<{ number: number; title: string }>>);
  t.equal(issues.length, 1, 'one issue');
  t.equal(
    (summary as { incidents: Array<{ issue: number }> }).incidents[0].issue,
    issues[0].number,
  );
  t.match(run.metadata.labels, { 'alert-type': 'a7', 'issue-number': String(issues[0].number) });
});

void t.test('alert-watch --dry-run: incidents reported, nothing created', async (t) => {
  const world = await startSimWorld({ controlPort: false });
  t.teardown(() => world.close());
  const dir = tempDir();
  crashLoopPod(world.kube, { name: 'nightly-sync-x1', playId: 'none' });
  const env = {
    HOME: dir,
    KUBECONFIG: world.kubeconfigPath,
    GITHUB_TOKEN: 'login:healer',
    GITHUB_API_URL: world.urls.github,
    HEALER_STORE: 'memory',
    HEALER_RULE_TICK_SECONDS: '1',
  };
  const r = await cli(
    ['alert-watch', '--namespace', 'cto', '--dry-run', '--duration', '6s', '--format', 'json'],
    env,
  );
  t.equal(r.code, 0, r.err.slice(0, 500));
  t.match(
    r.json.find((e) => e.event === 'incident'),
    { alert: 'A7', severity: 'critical', state: 'open', issue: null },
  );
  t.match(
    r.json.find((e) => e.event === 'would-open-issue'),
    { title: /nightly-sync/ },
  );
  t.match(
    r.json.find((e) => e.event === 'would-create-coderun'),
    { namespace: 'cto', name: /^healer-a7-[0-9a-f]{8}-1$/ },
  );
  t.equal(world.kube.list('agents.platform/v1', 'coderuns', 'cto').length, 0, 'no CodeRun');
  const issues = await fetch(`${world.urls.github}/repos/5dlabs/cto/issues?state=all`, {
    headers: { authorization: 'token login:healer' },
  });
  t.same(issues.status === 404 ? [] : await issues.json(), [], 'no issue');
  const help = await cli(['alert-watch', '--help'], env);
  t.match(help.out, /Example:\n {2}healer alert-watch --namespace cto/);
});
