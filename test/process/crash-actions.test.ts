// kill -9 Healer between the decision and the issue creation, restart: exactly one issue and one
// CodeRun. Same with a wiped store (the MCP server starts the Play again): the hidden fingerprint
// marker and the CodeRun's labels find what the lost store forgot.
import t from 'tap';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { startKubeSim, waitFor, type KubeSim } from '../sim/kube/index.js';
import { startGitHubSim, type GitHubSim } from '../sim/github/index.js';
import { startHealerProcess, type Running } from '../helpers/process.js';
import { tmpDir } from '../helpers/healer.js';
import { silentFailurePod } from '../helpers/pods.js';

const REPO = '5dlabs/cto-parallel-test';
const SESSION = {
  play_id: 'play-task-4',
  repository: REPO,
  cto_config: { agents: { rex: { githubApp: '5DLabs-Rex', cli: 'claude' } } },
  tasks: [{ id: '4', title: 'Four' }],
};

const post = async (url: string, path: string, body: unknown) => {
  const res = await request(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.statusCode, body: await res.body.text() };
};
const get = async <T>(url: string, path: string) =>
  (await (await request(`${url}${path}`)).body.json()) as T;

const silentFailure = (kube: KubeSim) => silentFailurePod(kube);

const issues = (github: GitHubSim) =>
  [...github.world.repos.values()].flatMap((r) => [...r.issues.values()]).filter((i) => !i.pull);
const runs = (kube: KubeSim) =>
  kube.list('agents.platform/v1', 'coderuns', 'cto', {
    labelSelector: 'healer.platform/remediation=true',
  });

void t.test(
  'kill -9 between the decision and the issue, restart, then a wiped store: one issue, one CodeRun',
  async (t) => {
    const kube = await startKubeSim();
    const github = await startGitHubSim();
    t.teardown(async () => {
      await Promise.all([kube.close(), github.close()]);
    });
    const dir = tmpDir();
    const kubeconfig = join(dir, 'kubeconfig');
    await kube.writeKubeconfig(kubeconfig);
    writeFileSync(
      join(dir, 'heal.json'),
      JSON.stringify({ alerts: { staleProgressMinutes: 100000 } }),
    );
    const db = join(dir, 'healer.db');
    const env = {
      KUBECONFIG: kubeconfig,
      HEALER_STORE: `sqlite:${db}`,
      HEALER_CONFIG: join(dir, 'heal.json'),
      GITHUB_TOKEN: 'healer-token',
      GITHUB_API_URL: github.url,
      LOG_LEVEL: 'warn',
    };
    let proc: Running | undefined;
    t.teardown(() => proc?.child.kill('SIGKILL'));
    // Healer logs `Healer listening` at info; the helper waits for it
    proc = await startHealerProcess({ ...env, LOG_LEVEL: 'info' });
    t.equal((await post(proc.url, '/api/v1/session/start', SESSION)).status, 200);

    // GitHub answers slowly: the issue creation is in flight when Healer dies
    github.faults.delay(2500);
    silentFailure(kube);
    const url = proc.url;
    await waitFor(
      async () => {
        const r = await get<{ incidents: { last_decision: string | null }[] }>(
          url,
          '/api/v1/incidents',
        );
        return r.incidents[0]?.last_decision === 'new';
      },
      { what: 'the decision stored', timeoutMs: 20_000, intervalMs: 50 },
    );
    await new Promise((r) => setTimeout(r, 300)); // the outbox has picked the open-issue action up
    proc.child.kill('SIGKILL');
    await proc.exited;
    await new Promise((r) => setTimeout(r, 2600)); // the slow request reaches GitHub after all
    github.faults.clear();

    proc = await startHealerProcess({ ...env, LOG_LEVEL: 'info' });
    await waitFor(() => issues(github).length >= 1 && runs(kube).length >= 1, {
      what: 'issue and CodeRun after the restart',
      timeoutMs: 30_000,
      intervalMs: 100,
    });
    await new Promise((r) => setTimeout(r, 3000)); // every pending action has had its turn
    t.equal(issues(github).length, 1, 'exactly one issue after kill -9 and restart');
    t.equal(runs(kube).length, 1, 'exactly one CodeRun');
    const [issue] = issues(github);
    t.match(issue.body, /<!-- healer:fingerprint=[0-9a-f]{64} -->/);

    // the store is lost; the MCP server starts the Play again
    proc.child.kill('SIGKILL');
    await proc.exited;
    for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
    proc = await startHealerProcess({ ...env, LOG_LEVEL: 'info' });
    t.equal((await post(proc.url, '/api/v1/session/start', SESSION)).status, 200);
    const url2 = proc.url;
    await waitFor(
      async () => {
        const r = await get<{ incidents: { id: string }[] }>(url2, '/api/v1/incidents');
        if (!r.incidents[0]) return false;
        const d = await get<{ actions: { action: string; state: string }[] }>(
          url2,
          `/api/v1/incidents/${r.incidents[0].id}`,
        );
        return ['open-issue', 'spawn-remediation'].every((k) =>
          d.actions.some((a) => a.action === k && a.state === 'done'),
        );
      },
      { what: 'the fresh store acted', timeoutMs: 30_000, intervalMs: 100 },
    );
    t.equal(issues(github).length, 1, 'still one issue: found by its marker');
    t.equal(runs(kube).length, 1, 'still one CodeRun: found by its labels');
    const r = await get<{
      incidents: {
        id: string;
        github_issue: { number: number } | null;
        attempts: { coderun: string }[];
      }[];
    }>(url2, '/api/v1/incidents');
    t.equal(r.incidents[0].github_issue?.number, issue.number, 'the new store adopted the issue');
    t.equal(r.incidents[0].attempts[0]?.coderun, runs(kube)[0].metadata.name, 'and the CodeRun');
  },
);
