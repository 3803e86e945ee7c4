import t from 'tap';
import { join } from 'node:path';
import { startKubeSim } from '../sim/kube/index.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import { fingerprint } from '../../src/incidents/fingerprint.js';
import { causeOf } from '../../src/incidents/grouping.js';
import type { AlertDraft } from '../../src/domain/alert.js';
import { runHealer } from '../helpers/process.js';
import { tmpDir } from '../helpers/healer.js';
import { startGitHubSim } from '../sim/github/index.js';
import { session } from '../store/contract/fixtures.js';
import { cli } from './helpers.js';

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

    // the dry run in process (the real process below): one spawned Healer keeps this file
    // within its time limit on a loaded machine
    const dry = await cli(['reconcile', '--dry-run', '--json'], { ...env, LOG_LEVEL: 'fatal' });
    t.equal(dry.code, 0, dry.err);
    const planned = JSON.parse(dry.out) as { dry_run: boolean; resolved: { id: string }[] };
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
    // the detection; the image is also a cause, recorded as a parent (issue #17's grouping)
    const open = await final.openIncidents();
    const detections = open.filter((i) => !causeOf(i));
    t.equal(detections.length, 1, 'the still-failing pod has its incident');
    t.match(detections[0], { alert: 'A7', subject: 'worker-pull' });
    t.same(
      open.flatMap((i) => causeOf(i)?.rule ?? []),
      ['image-pull-failing'],
      'and the image its cause parent',
    );
  },
);

const prDraft = (playId: string): AlertDraft => ({
  alert: 'A5',
  severity: 'high',
  issueType: 'ci_failure',
  title: 'Post-Tess CI Failure: PR #12',
  description: 'CI / e2e failed after Tess approved',
  namespace: 'cto',
  playId,
  taskId: '8',
  agent: 'tess',
  subject: `${playId}/pr`,
  evidence: [],
  context: {},
  detectedAt: '2026-11-21T10:00:00Z',
});

/** A store with an A7 incident (read from Kubernetes) and an A5 incident of an active Play (GitHub). */
async function seed(db: string) {
  const store = openSqliteStore(db);
  await store.startSession(session('play-task-8', 0, { repository: '5dlabs/cto-parallel-test' }));
  const at = new Date('2026-11-21T10:00:00Z');
  const pod = await store.recordAlert(draft('gone-pod'), fingerprint(draft('gone-pod')), at);
  const pr = await store.recordAlert(
    prDraft('play-task-8'),
    fingerprint(prDraft('play-task-8')),
    at,
  );
  await store.close();
  return { pod: pod.incident.id, pr: pr.incident.id };
}

type Report = {
  dry_run: boolean;
  resolved: { id: string }[];
  unobserved: { id: string; alert: string; missing: string }[];
};

void t.test(
  'healer reconcile without cluster access or GitHub resolves nothing and names the missing sources',
  async (t) => {
    const dir = tmpDir();
    const db = join(dir, 'healer.db');
    const ids = await seed(db);
    // no KUBECONFIG, no in-cluster credentials, no GitHub credentials
    const env = { HEALER_STORE: `sqlite:${db}`, HOME: '/nonexistent' };

    // what the operator ran: a dry run that used to say it would resolve every incident
    const run = await cli(['reconcile', '--dry-run'], env);
    const dry = { code: run.code, stdout: run.out, stderr: run.err };
    t.equal(dry.code, 2, 'exit 2: a source could not be read');
    t.match(dry.stdout, /^would resolve 0 incidents$/m, 'nothing would resolve');
    t.match(
      dry.stdout,
      /not judged: 2 open incidents whose source could not be read \(left open\)/,
    );
    t.match(dry.stdout, new RegExp(`  Kubernetes: watching is off[^\\n]*\\n    ${ids.pod}  A7`));
    t.match(
      dry.stdout,
      new RegExp(
        `  GitHub: pull requests are not read \\(no GitHub credentials[^\\n]*\\n    ${ids.pr}  A5`,
      ),
    );
    t.match(dry.stderr, /2 incidents not judged: Kubernetes: watching is off/);
    const after = openSqliteStore(db);
    t.teardown(() => after.close());
    for (const id of [ids.pod, ids.pr]) {
      t.equal((await after.getIncident(id))?.state, 'open', `${id} stays open`);
      t.same(await after.decisionsFor(id), [], `${id}: no decision, no action`);
    }
  },
);

void t.test(
  'healer reconcile resolves what it observed clear and leaves a PR incident whose PR could not be read',
  async (t) => {
    const sim = await startKubeSim();
    t.teardown(() => sim.close());
    const gh = await startGitHubSim();
    t.teardown(() => gh.close());
    // GitHub refuses the token: the Play's pull request cannot be read
    gh.faults.failRequests({ status: 401, forMs: 60_000 });
    const dir = tmpDir();
    const kubeconfig = join(dir, 'kubeconfig');
    await sim.writeKubeconfig(kubeconfig);
    const db = join(dir, 'healer.db');
    const ids = await seed(db);
    const env = {
      KUBECONFIG: kubeconfig,
      HEALER_STORE: `sqlite:${db}`,
      GITHUB_TOKEN: 'healer-token',
      GITHUB_API_URL: gh.url,
      LOG_LEVEL: 'fatal',
    };
    const out = await cli(['reconcile', '--json'], env);
    t.equal(out.code, 2, out.err);
    const report = JSON.parse(out.out) as Report;
    t.same(
      report.resolved.map((r) => r.id),
      [ids.pod],
      'the pod incident resolves: the cluster was read and its pod is gone',
    );
    t.same(
      report.unobserved.map((u) => u.id),
      [ids.pr],
    );
    t.match(
      report.unobserved[0].missing,
      /^GitHub: reading the pull request of play play-task-8 failed in the last round/,
    );
    const after = openSqliteStore(db);
    t.teardown(() => after.close());
    t.equal((await after.getIncident(ids.pod))?.state, 'resolved');
    t.equal((await after.getIncident(ids.pr))?.state, 'open', 'the PR incident stays open');
  },
);
