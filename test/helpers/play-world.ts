// A whole simulated world for end-to-end tests of what leaves Healer: the simulated Kubernetes API
// server, Loki, GitHub and a Discord receiver, and Healer wired like production (its own JSON
// logger into a buffer), with Plays whose agent pods print the lines a test pushes through Loki.
import { Writable } from 'node:stream';
import type { Test } from 'tap';
import { KubeConfig } from '@kubernetes/client-node';
import { startKubeSim, waitFor } from '../sim/kube/index.js';
import { startLokiSim } from '../sim/loki/index.js';
import { startGitHubSim } from '../sim/github/index.js';
import { startReceiver } from './receiver.js';
import { testHealer } from './healer.js';
import { ManualClock } from '../../src/domain/clock.js';
import { createGitHubClient } from '../../src/sources/github/client.js';
import { createLogger } from '../../src/observability/logger.js';

export const T0 = '2026-11-21T10:00:00.000Z';
export const REPO = '5dlabs/cto-parallel-test';
const at = (s: number) => new Date(Date.parse(T0) + s * 1000);
const ns = (d: Date) => `${BigInt(d.getTime()) * 1_000_000n}`;

export type PlayWorld = Awaited<ReturnType<typeof playWorld>>;

export async function playWorld(t: Test) {
  const clock = new ManualClock(at(0));
  const kube = await startKubeSim({ now: () => clock.now(), bookmarkIntervalMs: 500 });
  const loki = await startLokiSim();
  const github = await startGitHubSim({ clock: () => clock.now() });
  const discord = await startReceiver();
  const kc = new KubeConfig();
  kc.loadFromString(kube.kubeconfigYaml());
  const logText: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logText.push(chunk.toString('utf8'));
      done();
    },
  });
  const h = await testHealer({
    clock,
    logger: createLogger('debug', { destination: sink }),
    heal: {
      alerts: { staleProgressMinutes: 100000 },
      remediation: { maxConcurrent: 100 },
    },
    env: {
      LOKI_URL: loki.url,
      GITHUB_TOKEN: 'healer-token',
      GITHUB_API_URL: github.url,
      DISCORD_WEBHOOK_URL: discord.url,
    },
    kube: { kc, source: 'simulator' },
    reflector: { backoff: { initialMs: 20, maxMs: 200 }, inactivityMs: 3000 },
    dispatcher: { pollMs: 50, backoff: { initialMs: 50, maxMs: 500 } },
    loki: { ingestDelayMs: 0, intervalMs: 60_000, initialLookbackMs: 3_600_000 },
    github: createGitHubClient({
      baseUrl: github.url,
      auth: { kind: 'token', token: 'healer-token' },
      retryBaseMs: 5,
      pacing: false,
    }),
  });
  t.teardown(async () => {
    await h.healer.stop();
    await Promise.all([kube.close(), loki.close(), github.close(), discord.close()]);
  });
  await h.healer.start();
  await waitFor(() => h.healer.hub?.readiness().ok, { what: 'watches synced' });

  /** Starts Play `play-task-<n>` with rex running in pod `play-task-<n>-rex-x7k2p`. */
  async function startPlay(n: number): Promise<string> {
    const playId = `play-task-${n}`;
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/session/start',
      headers: { 'content-type': 'application/json' },
      payload: {
        play_id: playId,
        repository: REPO,
        tasks: [{ id: String(n), title: `Task ${n}` }],
        cto_config: { agents: { rex: { githubApp: '5DLabs-Rex', cli: 'codex' } } },
      },
    });
    t.equal(res.statusCode, 200, `${playId} started`);
    const pod = `${playId}-rex-x7k2p`;
    kube.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: pod,
        namespace: 'cto',
        labels: {
          'agents.platform/agent': 'rex',
          'task-id': String(n),
          'workflows.argoproj.io/workflow': playId,
        },
      },
      spec: { containers: [{ name: 'codex', image: 'codex:1' }] },
    });
    kube.patchStatus('v1', 'Pod', 'cto', pod, {
      status: {
        phase: 'Running',
        startTime: T0,
        containerStatuses: [
          {
            name: 'codex',
            image: 'codex:1',
            imageID: '',
            ready: true,
            restartCount: 0,
            started: true,
            state: { running: { startedAt: T0 } },
          },
        ],
      },
    });
    return pod;
  }

  /** Pushes lines of a pod's agent container to Loki, one second apart from `fromSecond`. */
  function logLines(pod: string, lines: string[], fromSecond = 120): void {
    loki.push([
      {
        stream: { namespace: 'cto', pod, container: 'codex' },
        values: lines.map((line, i) => [ns(at(fromSecond + i / 100)), line] as [string, string]),
      },
    ]);
  }

  const issues = () => {
    const repo = github.world.repos.get(REPO.toLowerCase()) ?? github.world.repos.get(REPO);
    return repo ? [...repo.issues.values()].filter((i) => !('pull' in i && i.pull)) : [];
  };
  const codeRuns = () =>
    kube.list('agents.platform/v1', 'coderuns', 'cto', {
      labelSelector: 'healer.platform/remediation=true',
    });

  /**
   * Reads the pushed lines (one Loki poll) and lets decisions and the outbox finish. GitHub
   * refuses writes until every line is recorded, so each issue shows all of its evidence.
   */
  async function settle(expectIncidents: number): Promise<void> {
    github.faults.failRequests({ status: 503, count: 1_000_000 });
    clock.set(at(600));
    await h.healer.polls.logs();
    await waitFor(async () => (await h.store.openIncidents()).length >= expectIncidents, {
      what: `${expectIncidents} incidents`,
      timeoutMs: 30_000,
    });
    await h.healer.settle();
    github.faults.clear();
    await waitFor(
      () => {
        clock.advance(5_000);
        h.healer.outbox.kick();
        return (
          issues().length >= expectIncidents &&
          codeRuns().length >= expectIncidents &&
          discord.calls.length >= expectIncidents
        );
      },
      { what: 'issues, CodeRuns and notifications', timeoutMs: 60_000, intervalMs: 100 },
    );
    await h.healer.outbox.idle();
  }

  /** Everything Healer let out, by exit. */
  async function exits(): Promise<Record<string, string>> {
    const get = async (url: string) => (await h.app.inject({ method: 'GET', url })).body;
    const list = (await h.store.listIncidents({ limit: 1000 })) as {
      id: string;
      playId: string | null;
    }[];
    const api: string[] = [
      await get('/api/v1/incidents?limit=1000'),
      await get('/api/v1/sessions'),
    ];
    for (const i of list) {
      api.push(await get(`/api/v1/incidents/${i.id}`));
      if (i.playId) {
        api.push(await get(`/api/v1/session/${i.playId}`));
        api.push(await get(`/api/v1/session/${i.playId}/timeline`));
      }
    }
    api.push(await get('/api/v1/dashboard/state'));
    return {
      'issue titles and bodies': issues()
        .map((i) => `${i.title}\n${i.body ?? ''}`)
        .join('\n\n'),
      'issue comments': issues()
        .flatMap((i) => i.comments.map((c) => c.body))
        .join('\n\n'),
      'CodeRun prompts': codeRuns()
        .map((r) => JSON.stringify(r.spec))
        .join('\n'),
      notifications: discord.calls.map((c) => JSON.stringify(c.body)).join('\n'),
      API: api.join('\n'),
      dashboard: [
        await get('/'),
        await get('/?view=history&from=2000-01-01'),
        ...(await Promise.all(list.map((i) => get(`/incidents/${i.id}`)))),
      ].join('\n'),
      "Healer's logs": logText.join(''),
    };
  }

  return {
    kube,
    loki,
    github,
    discord,
    ...h,
    startPlay,
    logLines,
    settle,
    exits,
    issues,
    codeRuns,
    logText,
  };
}
