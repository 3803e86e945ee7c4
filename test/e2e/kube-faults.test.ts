import t from 'tap';
import { KubeConfig } from '@kubernetes/client-node';
import { startKubeSim, waitFor } from '../sim/kube/index.js';
import { testHealer, MCP_FIXTURE } from '../helpers/healer.js';
import { ManualClock } from '../../src/domain/clock.js';

const T0 = '2026-11-21T10:00:00.000Z';

void t.test(
  'watches cut mid-stream, history compacted, 500s and refused connections while failures are injected: each failure recorded exactly once, no restart',
  async (t) => {
    const clock = new ManualClock(T0);
    const kube = await startKubeSim({ now: () => clock.now(), bookmarkIntervalMs: 300 });
    const kc = new KubeConfig();
    kc.loadFromString(kube.kubeconfigYaml());
    const h = await testHealer({
      clock,
      heal: { remediation: { mode: 'observe' }, alerts: { staleProgressMinutes: 100000 } },
      kube: { kc, source: 'simulator' },
      reflector: { backoff: { initialMs: 20, maxMs: 200 }, inactivityMs: 2000 },
    });
    t.teardown(async () => {
      await h.healer.stop();
      await kube.close();
    });
    await h.healer.start();
    await waitFor(() => h.healer.hub?.readiness().ok, { what: 'watches synced' });
    const agents = ['rex', 'blaze', 'cleo', 'cipher', 'tess', 'atlas'];
    for (let p = 0; p < 4; p++) {
      await h.app.inject({
        method: 'POST',
        url: '/api/v1/session/start',
        headers: { 'content-type': 'application/json' },
        payload: {
          ...MCP_FIXTURE,
          play_id: `play-task-${p}`,
          tasks: [{ id: String(p), title: 'x' }],
        },
      });
    }

    const faults = [
      () => kube.faults.cutWatches({ abrupt: true }),
      () => {
        kube.faults.compact();
        kube.faults.cutWatches();
      },
      () => kube.faults.failRequests({ status: 500, count: 6 }),
      () => void kube.faults.refuseConnections(150),
      () => kube.faults.cutWatches(),
    ];
    let injected = 0;
    for (let p = 0; p < 4; p++) {
      for (const agent of agents) {
        const name = `play-task-${p}-${agent}-x${injected}`;
        kube.create({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: {
            name,
            namespace: 'cto',
            labels: {
              'agents.platform/agent': agent,
              'task-id': String(p),
              'workflows.argoproj.io/workflow': `play-task-${p}`,
            },
          },
          spec: {
            containers: [
              { name: 'claude', image: 'claude:1' },
              { name: 'docker-daemon', image: 'dind:1' },
            ],
          },
        });
        kube.patchStatus('v1', 'Pod', 'cto', name, {
          status: {
            phase: 'Running',
            startTime: T0,
            containerStatuses: [
              {
                name: 'claude',
                image: 'claude:1',
                imageID: '',
                ready: false,
                restartCount: 0,
                state: {
                  terminated: { exitCode: 2, reason: 'Error', startedAt: T0, finishedAt: T0 },
                },
              },
              {
                name: 'docker-daemon',
                image: 'dind:1',
                imageID: '',
                ready: true,
                restartCount: 0,
                state: { running: { startedAt: T0 } },
              },
            ],
          },
        });
        injected++;
        faults[injected % faults.length]();
        await new Promise((r) => setTimeout(r, 15));
      }
    }
    kube.faults.clear();
    const list = async () =>
      (await h.app.inject({ method: 'GET', url: '/api/v1/incidents?limit=100' })).json<{
        incidents: { alert: string; occurrences: number; play_id: string; agent: string }[];
      }>().incidents;
    await waitFor(async () => (await list()).length === injected, {
      what: `${injected} incidents`,
      timeoutMs: 20_000,
    });
    await h.healer.tick();
    await h.healer.settle();
    const incidents = await list();
    t.equal(incidents.length, injected, 'one incident per failure');
    t.ok(
      incidents.every((i) => i.alert === 'A2' && i.occurrences === 1),
      'each recorded exactly once',
    );
    t.equal(
      new Set(incidents.map((i) => `${i.play_id}/${i.agent}`)).size,
      injected,
      'right play and agent for each',
    );
    const restarts = h.healer.hub!.stats().reduce((n, s) => n + s.restarts, 0);
    t.ok(restarts >= 5, `the hub restarted its watches itself (${restarts} restarts)`);
    t.ok(h.healer.hub!.readiness().ok, 'and is ready again');
    const metrics = (await h.app.inject({ method: 'GET', url: '/metrics' })).body;
    t.match(metrics, /healer_watch_restarts_total\{kind="pod"\} [1-9]/);
  },
);
