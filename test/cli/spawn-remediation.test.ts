// `healer spawn-remediation`: --dry-run prints a CodeRun YAML the API server accepts; without it
// the CodeRun is created in the (simulated) cluster, and a repeat adopts it.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Command } from 'commander';
import t from 'tap';
import { parse } from 'yaml';
import {
  issueUrl,
  registerSpawnRemediation,
  spawnRemediation,
} from '../../src/cli/spawn-remediation.js';
import { sampleIncident } from '../../src/cli/test-alert.js';
import { startKubeSim, type Wire } from '../sim/kube/index.js';

function capture() {
  const out = new PassThrough();
  const err = new PassThrough();
  let o = '';
  out.on('data', (d: Buffer) => (o += d.toString()));
  err.on('data', () => undefined);
  return { io: { out, err }, stdout: () => o };
}

const emptyDir = () => mkdtempSync(join(tmpdir(), 'healer-spawn-'));
const fp8 = sampleIncident('A7', {
  taskId: '123',
  playId: null,
  pod: 'failed-pod',
}).fingerprint.slice(0, 8);

void t.test('--dry-run prints valid CodeRun YAML that the API server accepts', async (t) => {
  const cwd = emptyDir();
  const c = capture();
  const code = await spawnRemediation(
    {
      alert: 'a7',
      taskId: '123',
      targetPod: 'failed-pod',
      issueNumber: '456',
      dryRun: true,
      json: false,
      env: { HOME: cwd },
      cwd,
    },
    c.io,
  );
  t.equal(code, 0);
  const cr = parse(c.stdout());
  t.match(cr, {
    apiVersion: 'agents.platform/v1',
    kind: 'CodeRun',
    metadata: {
      name: `healer-a7-${fp8}-1`,
      namespace: 'cto',
      labels: {
        'healer.platform/remediation': 'true',
        'alert-type': 'a7',
        'task-id': '123',
        'target-pod': 'failed-pod',
        'issue-number': '456',
      },
    },
    spec: {
      taskId: 123,
      service: 'heal',
      githubApp: '5DLabs-Rex',
      env: {
        TASK_ID: '123',
        HEAL_ISSUE_NUMBER: '456',
        HEAL_ISSUE_URL: 'https://github.com/5dlabs/cto/issues/456',
        HEAL_ATTEMPT: '1',
      },
    },
  });
  t.match(cr.spec.promptModification, 'Fixes #456');
  t.match(cr.spec.promptModification, 'failed-pod');

  const sim = await startKubeSim();
  t.teardown(() => sim.close());
  t.doesNotThrow(() => sim.create(cr), 'valid against the CRD');

  const j = capture();
  await spawnRemediation(
    {
      alert: 'a7',
      taskId: '123',
      targetPod: 'failed-pod',
      issueNumber: '456',
      dryRun: true,
      json: true,
      env: { HOME: cwd },
      cwd,
    },
    j.io,
  );
  t.same(JSON.parse(j.stdout()), cr, '--json prints the same object');
});

void t.test('without --dry-run the CodeRun is created, then adopted', async (t) => {
  const cwd = emptyDir();
  const sim = await startKubeSim();
  t.teardown(() => sim.close());
  const kubeconfig = join(cwd, 'kubeconfig');
  await sim.writeKubeconfig(kubeconfig);
  const opts = {
    alert: 'A7',
    taskId: '4',
    dryRun: false,
    json: false,
    env: { HOME: cwd, KUBECONFIG: kubeconfig },
    cwd,
  };
  const name = `healer-a7-${sampleIncident('A7', { taskId: '4', playId: null }).fingerprint.slice(0, 8)}-1`;
  const c = capture();
  t.equal(await spawnRemediation(opts, c.io), 0);
  t.equal(c.stdout(), `created CodeRun cto/${name} (attempt 1)\n`);
  const cr = sim.get('agents.platform/v1', 'coderuns', 'cto', name) as Wire;
  t.ok(cr, 'the CodeRun exists in the cluster');
  t.equal(cr.spec.taskId, 4);
  t.equal(cr.metadata.labels['healer.platform/play-id'], 'platform');

  const again = capture();
  t.equal(await spawnRemediation({ ...opts, json: true }, again.io), 0);
  t.match(JSON.parse(again.stdout()), { coderun: name, adopted: true });
  const second = capture();
  await spawnRemediation({ ...opts, attempt: '2' }, second.io);
  t.match(second.stdout(), /^created CodeRun cto\/healer-a7-[0-9a-f]{8}-2 \(attempt 2\)\n$/);
  t.equal(sim.list('agents.platform/v1', 'coderuns', 'cto').length, 2);
});

void t.test('one-line failures', async (t) => {
  const cwd = emptyDir();
  const base = { alert: 'a7', taskId: '4', dryRun: false, json: false, env: { HOME: cwd }, cwd };
  await t.rejects(spawnRemediation(base, capture().io), {
    message: /^cannot create the CodeRun: no kubeconfig and no in-cluster credentials/,
  });
  await t.rejects(spawnRemediation({ ...base, issueNumber: 'x' }, capture().io), {
    message: '--issue-number must be a positive integer, got "x"',
  });
  await t.rejects(spawnRemediation({ ...base, alert: 'zz' }, capture().io), {
    message: /^unknown alert "zz"/,
  });
  await t.rejects(spawnRemediation({ ...base, taskId: 'a b' }, capture().io), {
    message: '--task-id "a b" is not a task id',
  });
});

void t.test('issue URLs follow the API host', (t) => {
  t.equal(issueUrl('https://api.github.com', 'o/r', 3), 'https://github.com/o/r/issues/3');
  t.equal(
    issueUrl('https://ghe.example.com/api/v3', 'o/r', 3),
    'https://ghe.example.com/o/r/issues/3',
  );
  t.end();
});

void t.test('registerSpawnRemediation parses the flags', async (t) => {
  const cwd = emptyDir();
  const c = capture();
  let pending: Promise<number> | undefined;
  const program = new Command('healer').exitOverride();
  registerSpawnRemediation(
    program,
    c.io,
    (p) => {
      pending = p;
    },
    { env: { HOME: cwd }, cwd },
  );
  await program.parseAsync(
    ['spawn-remediation', '--alert', 'a9', '--task-id', '7', '--issue-number', '12', '--dry-run'],
    { from: 'user' },
  );
  t.equal(await pending, 0);
  const cr = parse(c.stdout());
  t.match(cr.metadata, { name: /^healer-a9-[0-9a-f]{8}-1$/, labels: { 'issue-number': '12' } });
});
