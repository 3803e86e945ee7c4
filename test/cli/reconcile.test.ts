import t from 'tap';
import { join } from 'node:path';
import { startKubeSim } from '../sim/kube/index.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import { fingerprint } from '../../src/incidents/fingerprint.js';
import type { AlertDraft } from '../../src/domain/alert.js';
import { runHealer } from '../helpers/process.js';
import { tmpDir } from '../helpers/healer.js';

const draft = (pod: string): AlertDraft => ({
  alert: 'A7',
  severity: 'high',
  issueType: 'agent_failure',
  title: `Pod Failure: ${pod}`,
  description: 'ImagePullBackOff',
  namespace: 'cto',
  playId: null,
  taskId: null,
  agent: null,
  subject: pod,
  evidence: [],
  context: {},
  detectedAt: '2026-11-21T10:00:00Z',
});

void t.test(
  'healer reconcile: --dry-run lists incidents whose condition cleared; without it they resolve',
  async (t) => {
    const sim = await startKubeSim();
    t.teardown(() => sim.close());
    const dir = tmpDir();
    const kubeconfig = join(dir, 'kubeconfig');
    await sim.writeKubeconfig(kubeconfig);
    // a pod still failing, and an incident whose pod is long gone
    sim.create(
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'worker-pull-abc', namespace: 'cto' },
        spec: { containers: [{ name: 'main', image: 'nope:1' }] },
        status: {
          phase: 'Pending',
          containerStatuses: [
            {
              name: 'main',
              image: 'nope:1',
              imageID: '',
              ready: false,
              restartCount: 0,
              state: { waiting: { reason: 'ImagePullBackOff' } },
            },
          ],
        },
      },
      { keepStatus: true },
    );
    const db = join(dir, 'healer.db');
    const store = openSqliteStore(db);
    const gone = await store.recordAlert(
      draft('gone-pod'),
      fingerprint(draft('gone-pod')),
      new Date('2026-11-21T10:00:00Z'),
    );
    await store.close();
    const env = {
      KUBECONFIG: kubeconfig,
      HEALER_STORE: `sqlite:${db}`,
      HEALER_CONFIG: join(dir, 'heal.json'),
    };
    const { writeFileSync } = await import('node:fs');
    writeFileSync(env.HEALER_CONFIG, JSON.stringify({ remediation: { mode: 'observe' } }));

    const dry = await runHealer(['reconcile', '--dry-run', '--json'], env);
    t.equal(dry.code, 0, dry.stderr);
    const planned = JSON.parse(dry.stdout) as { dry_run: boolean; resolved: { id: string }[] };
    t.same(
      planned.resolved.map((r) => r.id),
      [gone.incident.id],
    );
    const after = openSqliteStore(db);
    t.equal((await after.getIncident(gone.incident.id))?.state, 'open', 'dry run changed nothing');
    await after.close();

    const real = await runHealer(['reconcile'], env);
    t.equal(real.code, 0, real.stderr);

    t.match(real.stdout, /resolved 1 incident/);
    const final = openSqliteStore(db);
    t.teardown(() => final.close());
    t.match(await final.getIncident(gone.incident.id), {
      state: 'resolved',
      resolution: 'condition no longer observed',
    });
    t.same(
      (await final.decisionsFor(gone.incident.id)).map((d) => d.reason),
      ['resolved'],
    );
    const open = await final.openIncidents();
    t.equal(open.length, 1, 'the still-failing pod has its incident');
    t.match(open[0], { alert: 'A7', subject: 'worker-pull' });
  },
);
