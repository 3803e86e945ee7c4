// A silence created or expired through the API reaches the very next decision (issue 11: the
// routes wrote the store and the decisions kept deciding from their cached read of the silences).
// The decisions' snapshot is made an hour long here, so a stale read would be certain, not a race.
import t from 'tap';
import { KubeConfig } from '@kubernetes/client-node';
import { startKubeSim, waitFor } from '../sim/kube/index.js';
import { testHealer, MCP_FIXTURE } from '../helpers/healer.js';
import { silentFailurePod } from '../helpers/pods.js';
import { ManualClock } from '../../src/domain/clock.js';

const T0 = '2026-11-21T10:00:00Z';

void t.test('a new silence silences the next alert; an expired one no longer does', async (t) => {
  const clock = new ManualClock(T0);
  const kube = await startKubeSim({ now: () => clock.now(), bookmarkIntervalMs: 500 });
  const kc = new KubeConfig();
  kc.loadFromString(kube.kubeconfigYaml());
  const h = await testHealer({
    clock,
    heal: { alerts: { staleProgressMinutes: 100000 }, remediation: { mode: 'observe' } },
    kube: { kc, source: 'simulator' },
    reflector: { backoff: { initialMs: 20, maxMs: 200 }, inactivityMs: 3000 },
    decisions: { snapshotMs: 3_600_000 },
  });
  t.teardown(async () => {
    await h.healer.stop();
    await kube.close();
  });
  await h.healer.start();
  await waitFor(() => h.healer.hub?.readiness().ok, { what: 'watches synced' });
  const started = await h.app.inject({
    method: 'POST',
    url: '/api/v1/session/start',
    payload: { ...MCP_FIXTURE, play_id: 'play-task-4', tasks: [{ id: '4', title: 'Four' }] },
  });
  t.equal(started.statusCode, 200);

  const decided = async (agent: string) => {
    let reason: string | null | undefined;
    await waitFor(
      async () => {
        await h.healer.settle();
        const i = (await h.store.listIncidents({ limit: 50 })).find((x) => x.agent === agent);
        reason = i?.lastDecision;
        return reason !== undefined && reason !== null;
      },
      { what: `a decision on ${agent}'s incident`, timeoutMs: 10_000 },
    );
    return reason;
  };

  // rex fails before any silence: decided (and the decisions have read the silences: none)
  silentFailurePod(kube, { name: 'play-task-4-rex-a1', agent: 'rex', at: T0 });
  t.equal(await decided('rex'), 'new');

  const created = await h.app.inject({
    method: 'POST',
    url: '/api/v1/silences',
    payload: {
      matchers: { alert: 'A2' },
      ends_at: '2026-11-21T12:00:00Z',
      comment: 'sidecar rollout',
      created_by: 'ops',
    },
  });
  t.equal(created.statusCode, 201, created.body);
  const id = created.json<{ silence: { id: string } }>().silence.id;
  silentFailurePod(kube, { name: 'play-task-4-blaze-b2', agent: 'blaze', at: T0 });
  t.equal(await decided('blaze'), 'silenced', 'the silence made a moment ago applies');

  const expired = await h.app.inject({ method: 'DELETE', url: `/api/v1/silences/${id}` });
  t.equal(expired.statusCode, 200, expired.body);
  silentFailurePod(kube, { name: 'play-task-4-cleo-c3', agent: 'cleo', at: T0 });
  t.equal(await decided('cleo'), 'new', 'the expired silence no longer applies');
});
