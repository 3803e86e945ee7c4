// A Healer wired like production against the simulated cluster with the proactive sources on
// (issue #18); their passes are driven with `runNow()` and the shared manual clock.
import type { Test } from 'tap';
import { Writable } from 'node:stream';
import { KubeConfig } from '@kubernetes/client-node';
import { startKubeSim, waitFor, type KubeSim, type KubeSimOptions } from '../sim/kube/index.js';
import { testHealer } from './healer.js';
import { ManualClock } from '../../src/domain/clock.js';
import { createLogger } from '../../src/observability/logger.js';

export const T0 = '2026-11-21T10:00:00Z';

export async function proactiveWorld(
  t: Test,
  opts: { sim?: KubeSimOptions; env?: Record<string, string>; heal?: Record<string, unknown> } = {},
) {
  const clock = new ManualClock(T0);
  const sim = await startKubeSim({ now: () => clock.now(), bookmarkIntervalMs: 500, ...opts.sim });
  const kc = new KubeConfig();
  kc.loadFromString(sim.kubeconfigYaml());
  const logText: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logText.push(chunk.toString('utf8'));
      done();
    },
  });
  const h = await testHealer({
    clock,
    heal: { remediation: { mode: 'observe' }, ...opts.heal },
    // the timers never fire during a test: passes are driven with runNow()
    env: {
      HEALER_RESOURCE_POLL_SECONDS: '86400',
      HEALER_PLATFORM_POLL_SECONDS: '86400',
      ...opts.env,
    },
    logger: createLogger('info', { destination: sink }),
    kube: { kc, source: 'simulator' },
    reflector: { backoff: { initialMs: 20, maxMs: 200 }, inactivityMs: 3000 },
  });
  t.teardown(async () => {
    await h.healer.stop();
    await sim.close();
  });
  await h.healer.start();
  await waitFor(() => h.healer.hub?.readiness().ok, { what: 'watches synced' });
  const logLines = () => logText.join('').split('\n').filter(Boolean);
  const incidents = async (query = '') =>
    (await h.app.inject({ method: 'GET', url: `/api/v1/incidents${query}` })).json<{
      incidents: Record<string, unknown>[];
    }>().incidents;
  /** One pass of each enabled proactive source, then the tracker's writes. */
  const pass = async () => {
    await h.healer.polls.platform();
    await h.healer.polls.resources();
    await h.healer.settle();
  };
  return { ...h, sim, clock, logLines, incidents, pass };
}

export type World = Awaited<ReturnType<typeof proactiveWorld>>;

const json = { 'content-type': 'application/json' };

/** The session of play-task-<n> with one agent, as the MCP server starts it. */
export async function startSession(w: World, n: number, agent: string) {
  const res = await w.app.inject({
    method: 'POST',
    url: '/api/v1/session/start',
    headers: json,
    payload: {
      play_id: `play-task-${n}`,
      repository: '5dlabs/cto-parallel-test',
      tasks: [{ id: String(n), title: `Task ${n}` }],
      cto_config: { agents: { [agent]: { githubApp: '5DLabs-Rex', cli: 'claude' } } },
    },
  });
  if (res.statusCode !== 200) throw new Error(`start ${n}: ${res.body}`);
}

/** An agent pod running on `node` with a memory limit of 8Gi, its agent container started now. */
export function agentPod(sim: KubeSim, now: Date, n: number, agent: string, node: string): string {
  const name = `play-task-${n}-${agent}-x7k2p`;
  sim.create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'cto',
      labels: {
        'agents.platform/agent': agent,
        'task-id': String(n),
        'workflows.argoproj.io/workflow': `play-task-${n}`,
      },
    },
    spec: {
      nodeName: node,
      containers: [
        {
          name: 'claude',
          image: 'ghcr.io/5dlabs/claude:2.0.50',
          resources: { limits: { memory: '8Gi', cpu: '4' }, requests: { memory: '4Gi' } },
        },
        { name: 'docker-daemon', image: 'docker:27-dind' },
      ],
    },
  });
  const running = { running: { startedAt: now.toISOString() } };
  sim.patchStatus('v1', 'Pod', 'cto', name, {
    status: {
      phase: 'Running',
      startTime: now.toISOString(),
      containerStatuses: ['claude', 'docker-daemon'].map((c) => ({
        name: c,
        image: c,
        imageID: '',
        ready: true,
        restartCount: 0,
        started: true,
        state: running,
      })),
    },
  });
  return name;
}
