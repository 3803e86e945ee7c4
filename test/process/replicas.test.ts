// Two `healer serve` processes on one real PostgreSQL (npm run postgres), electing their leader on
// a Lease of the simulated API server, with the simulated GitHub: sessions through either replica
// are visible through both; exactly one leads; 100 concurrent starts of one id give one 200;
// 100 distinct starts give 100 sessions; PostgreSQL restarted under load loses no acknowledged
// start and answers nothing but 503 while down; kill -9 of the leader during a silent failure →
// the other leads within the lease duration and there is exactly one issue and one CodeRun;
// SIGTERM of the leader → the other takes over within 3 s.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import t from 'tap';
import pg from 'pg';
import { request } from 'undici';
import { startKubeSim, waitFor, type KubeSim } from '../sim/kube/index.js';
import { startGitHubSim, type GitHubSim } from '../sim/github/index.js';
import { startHealerProcess, type Running } from '../helpers/process.js';
import { startPostgres } from '../helpers/postgres.js';
import { tmpDir } from '../helpers/healer.js';
import { silentFailurePod } from '../helpers/pods.js';

// PostgreSQL, three Healer starts, a kill -9 failover (up to the 15 s lease) and a claim lapse
t.setTimeout(600_000);

const REPO = '5dlabs/cto-parallel-test';
const session = (playId: string) => ({
  play_id: playId,
  repository: REPO,
  cto_config: { agents: { rex: { githubApp: '5DLabs-Rex', cli: 'claude' } } },
  tasks: [{ id: '4', title: 'Four' }],
});

const post = async (url: string, path: string, body: unknown) => {
  const res = await request(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.statusCode, body: await res.body.text() };
};
const get = async <T>(url: string, path: string) => {
  const res = await request(`${url}${path}`);
  return { status: res.statusCode, body: (await res.body.json()) as T };
};
interface LeaderBody {
  leader: boolean;
  identity: string;
  holder: string | null;
}
const leaderOf = async (r: Running) => (await get<LeaderBody>(r.url, '/api/v1/leader')).body;

const issues = (github: GitHubSim) =>
  [...github.world.repos.values()].flatMap((r) => [...r.issues.values()]).filter((i) => !i.pull);
const runs = (kube: KubeSim) =>
  kube.list('agents.platform/v1', 'coderuns', 'cto', {
    labelSelector: 'healer.platform/remediation=true',
  });

async function sql<R extends pg.QueryResultRow>(url: string, text: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return (await client.query<R>(text)).rows;
  } finally {
    await client.end();
  }
}

void t.test('two replicas on PostgreSQL with a Lease', async (t) => {
  const [server, kube, github] = await Promise.all([
    startPostgres(t),
    startKubeSim(),
    startGitHubSim(),
  ]);
  t.teardown(() => Promise.all([kube.close(), github.close()]));
  const url = await server.freshDatabase('replicas');
  const dir = tmpDir();
  const kubeconfig = join(dir, 'kubeconfig');
  await kube.writeKubeconfig(kubeconfig);
  writeFileSync(
    join(dir, 'heal.json'),
    JSON.stringify({ alerts: { staleProgressMinutes: 100000 } }),
  );
  const env = (name: string) => ({
    KUBECONFIG: kubeconfig,
    HEALER_STORE: url,
    HEALER_REPLICAS: '2',
    POD_NAME: name,
    HEALER_CONFIG: join(dir, 'heal.json'),
    GITHUB_TOKEN: 'healer-token',
    GITHUB_API_URL: github.url,
    HEALER_GITHUB_POLL_SECONDS: '3600',
    HEALER_SHUTDOWN_DRAIN_SECONDS: '2',
    LOG_LEVEL: 'info',
  });
  const procs: Running[] = [];
  t.teardown(() => {
    for (const p of procs) p.child.kill('SIGKILL');
  });
  const start = async (name: string) => {
    const p = await startHealerProcess(env(name), ['serve'], { timeoutMs: 180_000 });
    procs.push(p);
    return p;
  };
  const [a, b] = await Promise.all([start('healer-a'), start('healer-b')]);

  const leaders = async (...rs: Running[]) => {
    const views = await Promise.all(rs.map(leaderOf));
    return { views, leading: rs.filter((_, i) => views[i].leader) };
  };
  await waitFor(
    async () => {
      const { views, leading } = await leaders(a, b);
      return leading.length === 1 && views.every((v) => v.holder === views[0].holder);
    },
    { what: 'one leader that both replicas name', timeoutMs: 30_000, intervalMs: 100 },
  );
  const { leading } = await leaders(a, b);
  let leader = leading[0];
  let follower = leader === a ? b : a;
  t.pass(`exactly one leader: ${(await leaderOf(leader)).identity}`);
  const metricsOf = async (r: Running) => (await request(`${r.url}/metrics`)).body.text();
  t.match(await metricsOf(leader), /^healer_leader 1$/m, 'healer_leader 1 on the leader');
  t.match(await metricsOf(follower), /^healer_leader 0$/m, 'healer_leader 0 on the follower');

  await t.test('sessions started through either replica are visible through both', async (t) => {
    t.equal((await post(a.url, '/api/v1/session/start', session('play-via-a'))).status, 200);
    t.equal((await post(b.url, '/api/v1/session/start', session('play-via-b'))).status, 200);
    for (const r of [a, b])
      for (const id of ['play-via-a', 'play-via-b'])
        t.equal((await get(r.url, `/api/v1/session/${id}`)).status, 200, `${id} through ${r.url}`);
  });

  await t.test(
    '100 concurrent starts of one play id over both replicas: exactly one 200',
    async (t) => {
      const answers = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          post((i % 2 ? a : b).url, '/api/v1/session/start', session('play-race')),
        ),
      );
      const by = (s: number) => answers.filter((x) => x.status === s).length;
      t.equal(by(200), 1, 'one 200');
      t.equal(by(409), 99, 'the rest 409');
    },
  );

  await t.test(
    '100 concurrent distinct starts over both replicas: 100 sessions, no duplicates',
    async (t) => {
      const answers = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          post((i % 2 ? a : b).url, '/api/v1/session/start', session(`play-bulk-${i}`)),
        ),
      );
      t.equal(answers.filter((x) => x.status === 200).length, 100, 'every start acknowledged');
      const [row] = await sql<{ n: string }>(
        url,
        "SELECT count(*) AS n FROM sessions WHERE play_id LIKE 'play-bulk-%'",
      );
      t.equal(Number(row.n), 100, '100 rows');
      t.same(
        await sql(url, 'SELECT play_id FROM sessions GROUP BY play_id HAVING count(*) > 1'),
        [],
        'no play id stored twice',
      );
    },
  );

  await t.test(
    'PostgreSQL restarted under load: no acknowledged start lost, only 503 while down',
    async (t) => {
      const acknowledged: string[] = [];
      const statuses = new Map<number, number>();
      let n = 0;
      let running = true;
      const worker = async (w: number) => {
        while (running) {
          const id = `play-load-${w}-${n++}`;
          const r = await post((n % 2 ? a : b).url, '/api/v1/session/start', session(id));
          statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
          if (r.status === 200) acknowledged.push(id);
          else if (r.status === 503) await new Promise((res) => setTimeout(res, 50));
        }
      };
      const load = Promise.all(Array.from({ length: 8 }, (_, w) => worker(w)));
      await new Promise((r) => setTimeout(r, 1000));
      await server.stop();
      await new Promise((r) => setTimeout(r, 8000)); // longer than the store's retries (~5 s)
      await server.start();
      await new Promise((r) => setTimeout(r, 2000));
      running = false;
      await load;
      const answered = Object.fromEntries(statuses);
      t.ok(
        acknowledged.length > 0,
        `acknowledged starts: ${acknowledged.length}; answers ${JSON.stringify(answered)}`,
      );
      t.same(
        [...statuses.keys()].filter((s) => s !== 200 && s !== 503),
        [],
        'nothing but 200 and 503',
      );
      t.ok((statuses.get(503) ?? 0) > 0, 'the outage was seen (503 while PostgreSQL was down)');
      const stored = new Set(
        (
          await sql<{ play_id: string }>(
            url,
            "SELECT play_id FROM sessions WHERE play_id LIKE 'play-load-%'",
          )
        ).map((r) => r.play_id),
      );
      t.same(
        acknowledged.filter((id) => !stored.has(id)),
        [],
        'every acknowledged start is stored',
      );
      await waitFor(async () => (await get(a.url, '/ready')).status === 200, {
        what: 'ready again',
        timeoutMs: 20_000,
        intervalMs: 200,
      });
    },
  );

  await t.test(
    'kill -9 of the leader during a silent failure: the other leads within the lease; one issue, one CodeRun',
    async (t) => {
      // started through the follower: the leader learns it from the shared store
      t.equal(
        (await post(follower.url, '/api/v1/session/start', session('play-task-4'))).status,
        200,
      );
      await new Promise((r) => setTimeout(r, 2500)); // the leader's session sync (2 s)
      github.faults.delay(1500); // the issue creation is in flight when the leader dies
      silentFailurePod(kube);
      await waitFor(
        async () => {
          const r = await get<{ incidents: { last_decision: string | null }[] }>(
            follower.url,
            '/api/v1/incidents',
          );
          return r.body.incidents.some((i) => i.last_decision === 'new');
        },
        { what: 'the decision stored', timeoutMs: 30_000, intervalMs: 50 },
      );
      await new Promise((r) => setTimeout(r, 300)); // the outbox has claimed the open-issue action
      const killed = performance.now();
      leader.child.kill('SIGKILL');
      await leader.exited;
      await waitFor(async () => (await leaderOf(follower)).leader, {
        what: 'the follower leads',
        timeoutMs: 25_000,
        intervalMs: 50,
      });
      const takeover = performance.now() - killed;
      t.ok(
        takeover <= 16_000,
        `the other replica leads ${(takeover / 1000).toFixed(1)} s after kill -9 (lease 15 s, renewed every 5 s)`,
      );
      github.faults.clear();
      await waitFor(() => issues(github).length >= 1 && runs(kube).length >= 1, {
        what: 'issue and CodeRun after the take-over',
        timeoutMs: 90_000,
        intervalMs: 200,
      });
      await new Promise((r) => setTimeout(r, 4000)); // every pending action has had its turn
      t.equal(issues(github).length, 1, 'exactly one GitHub issue');
      t.equal(runs(kube).length, 1, 'exactly one remediation CodeRun');
      [leader, follower] = [follower, leader];
    },
  );

  await t.test('SIGTERM of the leader: the other takes over within 3 s', async (t) => {
    const heir = await start('healer-c');
    const holder = (await leaderOf(leader)).identity;
    await waitFor(async () => (await leaderOf(heir)).holder === holder, {
      what: 'the new replica follows',
      timeoutMs: 20_000,
      intervalMs: 100,
    });
    const stopped = performance.now();
    leader.child.kill('SIGTERM');
    await waitFor(async () => (await leaderOf(heir)).leader, {
      what: 'the heir leads',
      timeoutMs: 10_000,
      intervalMs: 25,
    });
    const takeover = performance.now() - stopped;
    t.ok(takeover < 3000, `took over ${Math.round(takeover)} ms after SIGTERM`);
    t.equal(await leader.exited, 0, 'the old leader exited cleanly');
    t.match(await metricsOf(heir), /^healer_leader 1$/m);
  });
});
