// `healer test-alert`: renders an alert's issue and prompt from the sample; without --dry-run it
// creates the issue in (simulated) GitHub and the CodeRun in the (simulated) cluster, once.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Command } from 'commander';
import t from 'tap';
import { registerTestAlert, sampleIncident, testAlert } from '../../src/cli/test-alert.js';
import { startGitHubSim } from '../sim/github/index.js';
import { startKubeSim, type Wire } from '../sim/kube/index.js';

function capture() {
  const out = new PassThrough();
  const err = new PassThrough();
  let o = '';
  out.on('data', (d: Buffer) => (o += d.toString()));
  err.on('data', () => undefined);
  return { io: { out, err }, stdout: () => o };
}

/** An empty working directory and HOME: no heal-config.json, no ~/.kube/config. */
const emptyDir = () => mkdtempSync(join(tmpdir(), 'healer-test-alert-'));

void t.test(
  '--dry-run prints the issue, the prompt and the criteria, creates nothing',
  async (t) => {
    const cwd = emptyDir();
    const c = capture();
    const code = await testAlert(
      { alert: 'a7', podName: 'test-pod', dryRun: true, json: false, env: { HOME: cwd }, cwd },
      c.io,
    );
    t.equal(code, 0);
    const out = c.stdout();
    const fp = sampleIncident('A7', { pod: 'test-pod' }).fingerprint;
    t.match(out, /^=== Issue \(5dlabs\/cto\): \[HEAL-A7\] Pod Failure: test-pod\n/);
    t.match(out, /\nlabels: heal, remediation, a7, severity:\w+\n/);
    t.match(out, `<!-- healer:fingerprint=${fp} -->`);
    t.match(out, '=== Remediation prompt (CodeRun spec.promptModification)');
    t.match(out, 'Fixes #1234', 'the prompt refers to the issue');
    t.match(out, '=== Acceptance criteria');
    t.match(out, /dry run: nothing was created\n$/);
  },
);

void t.test('--json gives the rendered parts as one document', async (t) => {
  const cwd = emptyDir();
  const c = capture();
  await testAlert(
    { alert: 'A2', dryRun: true, json: true, repository: 'acme/platform', env: { HOME: cwd }, cwd },
    c.io,
  );
  const doc = JSON.parse(c.stdout());
  t.match(doc, {
    alert: 'A2',
    dryRun: true,
    issue: {
      repository: 'acme/platform',
      title: /^\[HEAL-A2\] /,
      labels: ['heal', 'remediation', 'a2'],
    },
    prompt: String,
    acceptance: String,
  });
  t.match(doc.issue.body, `healer:fingerprint=${doc.fingerprint as string}`);
  t.notOk('created' in doc);
});

void t.test('one-line failures: unknown alert, no credentials, no cluster', async (t) => {
  const cwd = emptyDir();
  const base = { dryRun: false, json: false, cwd };
  await t.rejects(testAlert({ ...base, alert: 'a6', env: { HOME: cwd } }, capture().io), {
    message: /^unknown alert "a6": one of a1, a2, a3, a4, a5, a7/,
  });
  await t.rejects(testAlert({ ...base, alert: 'a7', env: { HOME: cwd } }, capture().io), {
    message: /^cannot create the issue: no GitHub credentials \(set GITHUB_TOKEN/,
  });
  const gh = await startGitHubSim();
  t.teardown(() => gh.close());
  const env = { HOME: cwd, GITHUB_TOKEN: 'healer-token', GITHUB_API_URL: gh.url };
  await t.rejects(testAlert({ ...base, alert: 'a7', env }, capture().io), {
    message: /^cannot create the CodeRun: no kubeconfig and no in-cluster credentials/,
  });
  t.equal(gh.stats.total, 0, 'nothing was created when one destination is missing');
  await t.rejects(
    testAlert({ ...base, alert: 'a7', env: { HOME: cwd, HEALER_PORT: 'x' } }, capture().io),
    { message: /^invalid configuration: HEALER_PORT: .*; run healer check-config$/ },
  );
});

void t.test('without --dry-run: the issue and the CodeRun are created once', async (t) => {
  const cwd = emptyDir();
  const gh = await startGitHubSim();
  t.teardown(() => gh.close());
  const sim = await startKubeSim();
  t.teardown(() => sim.close());
  const kubeconfig = join(cwd, 'kubeconfig');
  await sim.writeKubeconfig(kubeconfig);
  const env = {
    HOME: cwd,
    GITHUB_TOKEN: 'healer-token',
    GITHUB_API_URL: gh.url,
    KUBECONFIG: kubeconfig,
  };
  const opts = {
    alert: 'a7',
    podName: 'play-task-4-rex-xyz',
    dryRun: false,
    json: false,
    env,
    cwd,
  };

  const c = capture();
  t.equal(await testAlert(opts, c.io), 0);
  const fp = sampleIncident('A7', { pod: 'play-task-4-rex-xyz' }).fingerprint;
  const name = `healer-a7-${fp.slice(0, 8)}-1`;
  t.match(c.stdout(), /\ncreated issue #1 https:\/\/github\.com\/5dlabs\/cto\/issues\/1\n/);
  t.match(c.stdout(), `\ncreated CodeRun cto/${name}\n`);
  const issue = gh.world.findRepo('5dlabs', 'cto')!.issues.get(1)!;
  t.match(issue.title, '[HEAL-A7] Pod Failure: play-task-4-rex-xyz');
  t.match(issue.body, `healer:fingerprint=${fp}`);
  const cr = sim.get('agents.platform/v1', 'coderuns', 'cto', name) as Wire;
  t.ok(cr, 'the CodeRun exists');
  t.equal(cr.metadata.labels['issue-number'], '1');
  t.equal(cr.metadata.labels['target-pod'], 'play-task-4-rex-xyz');
  t.match(cr.spec.promptModification, 'Fixes #1');

  const again = capture();
  t.equal(await testAlert({ ...opts, json: true }, again.io), 0);
  t.match(JSON.parse(again.stdout()).created, {
    issue: { number: 1, adopted: true },
    coderun: { coderun: name, adopted: true },
  });
  t.equal(gh.world.findRepo('5dlabs', 'cto')!.issues.size, 1);
  t.equal(sim.list('agents.platform/v1', 'coderuns', 'cto').length, 1);
});

void t.test('registerTestAlert parses the flags', async (t) => {
  const cwd = emptyDir();
  const c = capture();
  let pending: Promise<number> | undefined;
  const program = new Command('healer').exitOverride();
  registerTestAlert(
    program,
    c.io,
    (p) => {
      pending = p;
    },
    { env: { HOME: cwd }, cwd },
  );
  await program.parseAsync(['test-alert', '--alert', 'A9', '--dry-run'], { from: 'user' });
  t.equal(await pending, 0);
  t.match(c.stdout(), /^=== Issue \(5dlabs\/cto\): \[HEAL-A9\] Stuck CodeRun/);
});
