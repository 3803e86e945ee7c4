// A Play replayed at once against a Healer on real time: the simulated world writes every step
// back-dated (a CodeRun Running since 13 minutes, its pod a moment later, then Succeeded), the
// way a Healer meets a Play after a restart or a watch that delivers a backlog. No alert may come
// from an intermediate state the CodeRun already left: no A9 on a CodeRun whose phase is terminal.
import t from 'tap';
import { KubeConfig } from '@kubernetes/client-node';
import { startSimWorld } from '../sim/world.js';
import { loadScenario, playScenario } from '../sim/play/index.js';
import { waitFor } from '../sim/kube/index.js';
import { testHealer } from '../helpers/healer.js';
import { systemClock } from '../../src/domain/clock.js';
import type { AlertDraft } from '../../src/domain/alert.js';

const SCENARIO = new URL('../scenarios/a5-ci-after-tess.yaml', import.meta.url).pathname;

void t.test(
  'the CI-after-Tess Play replayed back-dated raises no A9 on its Succeeded CodeRuns',
  async (t) => {
    const scenario = await loadScenario(SCENARIO);
    const world = await startSimWorld();
    const kc = new KubeConfig();
    kc.loadFromString(world.kube.kubeconfigYaml());
    const h = await testHealer({
      clock: systemClock, // Healer's own time, as a real process has
      env: { LOKI_URL: world.urls.loki },
      kube: { kc, source: 'simulated world' },
      reflector: { backoff: { initialMs: 20, maxMs: 200 }, inactivityMs: 3000 },
      github: null,
      loki: { ingestDelayMs: 0, intervalMs: 60_000, initialLookbackMs: 3_600_000 },
    });
    t.teardown(async () => {
      await h.healer.stop();
      await world.close();
    });
    const recorded: AlertDraft[] = [];
    h.healer.incidents.on('recorded', ({ draft }) => recorded.push(draft));
    await h.healer.start();
    await waitFor(() => h.healer.hub?.readiness().ok, { what: 'watches synced' });
    const started = await h.app.inject({
      method: 'POST',
      url: '/api/v1/session/start',
      headers: { 'content-type': 'application/json' },
      payload: scenario.session,
    });
    t.equal(started.statusCode, 200, 'session started');
    await playScenario(world, scenario);

    // every step delivered: each agent's CodeRun is Succeeded in Healer's cache
    const hub = h.healer.hub!;
    await waitFor(
      () => hub.list('coderun').filter((cr) => cr.status?.phase === 'Succeeded').length >= 3,
      { what: 'the three CodeRuns Succeeded in the cache', timeoutMs: 10_000 },
    );
    await h.healer.tick();
    await h.healer.settle();

    const a9 = recorded.filter((d) => d.alert === 'A9');
    t.same(
      a9.map((d) => d.description),
      [],
      'no A9 was ever recorded for a CodeRun that reached Succeeded',
    );
    const incidents = await h.store.listIncidents({ limit: 50 });
    t.same(
      incidents.filter((i) => i.alert === 'A9').map((i) => i.title),
      [],
      'no A9 incident',
    );
  },
);
