// A Healer acting on a simulated cluster and GitHub through the real clients (client-node,
// Octokit), on one manual clock, with the session of play-task-4 started as the MCP server does.
import type { Test } from 'tap';
import { KubeConfig } from '@kubernetes/client-node';
import { startKubeSim, waitFor } from '../sim/kube/index.js';
import { startGitHubSim } from '../sim/github/index.js';
import { testHealer, MCP_FIXTURE } from './healer.js';
import { ManualClock } from '../../src/domain/clock.js';
import { createGitHubClient } from '../../src/sources/github/client.js';
import type { HealerDeps } from '../../src/pipeline.js';

export const WORLD_T0 = '2026-11-21T10:00:00Z';
export const WORLD_REPO = '5dlabs/cto-parallel-test';

export async function remediationWorld(
  t: Test,
  opts: {
    heal?: Record<string, unknown>;
    env?: Record<string, string>;
    decisions?: HealerDeps['decisions'];
  } = {},
) {
  const clock = new ManualClock(WORLD_T0);
  const kube = await startKubeSim({ now: () => clock.now(), bookmarkIntervalMs: 500 });
  const github = await startGitHubSim({ clock: () => clock.now() });
  const kc = new KubeConfig();
  kc.loadFromString(kube.kubeconfigYaml());
  const h = await testHealer({
    clock,
    heal: { alerts: { staleProgressMinutes: 100000 }, ...opts.heal },
    env: { GITHUB_TOKEN: 'healer-token', GITHUB_API_URL: github.url, ...opts.env },
    kube: { kc, source: 'simulator' },
    reflector: { backoff: { initialMs: 20, maxMs: 200 }, inactivityMs: 3000 },
    dispatcher: { pollMs: 100, backoff: { initialMs: 50, maxMs: 500 } },
    ...(opts.decisions ? { decisions: opts.decisions } : {}),
    github: createGitHubClient({
      baseUrl: github.url,
      auth: { kind: 'token', token: 'healer-token' },
      retryBaseMs: 5,
      pacing: false,
    }),
  });
  t.teardown(async () => {
    await h.healer.stop();
    await Promise.all([kube.close(), github.close()]);
  });
  await h.healer.start();
  await waitFor(() => h.healer.hub?.readiness().ok, { what: 'watches synced' });
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/v1/session/start',
    payload: {
      ...MCP_FIXTURE,
      play_id: 'play-task-4',
      repository: WORLD_REPO,
      tasks: [{ id: '4', title: 'Four' }],
    },
  });
  t.equal(res.statusCode, 200);
  return { ...h, kube, github, clock };
}
