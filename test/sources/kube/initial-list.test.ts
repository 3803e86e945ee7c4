// The initial list of many agent pods whose sessions all fire (A8: every pod has run past its
// step timeout) records the alert once per pod, and every record is decided on. Deciding must not
// read every open incident each time: at 1,000 sessions and 20,000 pods that was 20,000 reads of
// 1,000 incidents during the list (issue 11: the list ≈ 5× slower and the process ≈ 4× larger
// than on 2026-11-21). Real clients against the simulated cluster; counts, never timings.
import t from 'tap';
import { KubeConfig } from '@kubernetes/client-node';
import { ManualClock } from '../../../src/domain/clock.js';
import type { Store } from '../../../src/domain/stores.js';
import { openMemoryStore } from '../../../src/store/memory/index.js';
import { startKubeSim, waitFor } from '../../sim/kube/index.js';
import { testHealer } from '../../helpers/healer.js';
import { agentLabels, containerStatus } from '../../helpers/pods.js';
import { rexSession } from '../../helpers/sessions.js';

const SESSIONS = 12;
const PODS_PER_SESSION = 5;

void t.test(
  'a list of firing pods decides once per pod without a read of every open incident per decision',
  async (t) => {
    const clock = new ManualClock('2026-12-07T10:00:00Z');
    const started = new Date(clock.now().getTime() - 6 * 3600_000).toISOString();
    const kube = await startKubeSim({ now: () => clock.now(), bookmarkIntervalMs: 500 });
    const kc = new KubeConfig();
    kc.loadFromString(kube.kubeconfigYaml());

    const memory = openMemoryStore();
    const reads = { open: 0, decisions: 0 };
    const store: Store = {
      ...memory,
      openIncidents: () => {
        reads.open++;
        return memory.openIncidents();
      },
      commitDecision: (input) => {
        reads.decisions++;
        return memory.commitDecision(input);
      },
    };
    const { healer } = await testHealer({
      store,
      clock,
      heal: { remediation: { mode: 'observe' }, alerts: { staleProgressMinutes: 100000 } },
      kube: { kc, source: 'simulator' },
      // the shared snapshot of open incidents is read once for the whole test
      decisions: { snapshotMs: 3_600_000 },
    });
    t.teardown(async () => {
      await healer.stop();
      await kube.close();
    });

    for (let s = 0; s < SESSIONS; s++) {
      await healer.sessions.start(rexSession(s));
      for (let p = 0; p < PODS_PER_SESSION; p++) {
        kube.create(
          {
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: {
              name: `play-${s}-rex-p${p}`,
              namespace: 'cto',
              labels: agentLabels(`play-${s}`, 'rex', String(s)),
            },
            spec: {
              containers: [
                { name: 'claude', image: 'claude:1' },
                { name: 'docker-daemon', image: 'dind:1' },
              ],
            },
            status: {
              phase: 'Running',
              startTime: started,
              containerStatuses: [
                containerStatus('claude', { running: { startedAt: started } }),
                containerStatus('docker-daemon', { running: { startedAt: started } }),
              ],
            },
          },
          { keepStatus: true },
        );
      }
    }

    await healer.start();
    await waitFor(() => healer.hub?.readiness().ok, { what: 'the initial list' });
    await waitFor(
      async () =>
        (await memory.openIncidents()).filter((i) => i.alert === 'A8').length === SESSIONS,
      { what: 'an A8 per session' },
    );
    await healer.settle();
    const pods = SESSIONS * PODS_PER_SESSION;
    t.ok(
      reads.decisions >= pods,
      `a decision per recorded pod (${reads.decisions} for ${pods} pods)`,
    );
    t.ok(
      reads.open <= 3,
      `open incidents read ${reads.open} times for ${reads.decisions} decisions (the shared snapshot, not one read per decision)`,
    );
  },
);
