// The real kubectl binary against the simulated API server: the commands Healer's operators use
// must behave as on a real cluster (discovery, get, watch, logs, create, patch, delete, errors).
import { execFile, spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { stringify } from 'yaml';
import { codeRunManifest, podManifest, startKubeSim, waitFor } from '../sim/kube/index.js';
import type { Wire } from '../sim/kube/index.js';

const hasKubectl = !spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).error;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

void t.test(
  'real kubectl against the simulator',
  { skip: hasKubectl ? false : 'kubectl not on PATH' },
  async (t) => {
    const sim = await startKubeSim();
    const home = await mkdtemp(join(tmpdir(), 'kubectl-home-'));
    const kubeconfig = join(home, 'kubeconfig');
    await sim.writeKubeconfig(kubeconfig);
    t.teardown(async () => {
      await sim.close();
      await rm(home, { recursive: true, force: true });
    });
    // A fresh HOME per run: kubectl caches discovery under ~/.kube/cache.
    const env = { ...process.env, HOME: home, KUBECONFIG: kubeconfig };
    const kubectl = (...args: string[]): Promise<Run> =>
      new Promise((resolve) => {
        execFile('kubectl', args, { env, timeout: 15_000 }, (err, stdout, stderr) => {
          const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
          resolve({ code, stdout, stderr });
        });
      });

    sim.create(
      podManifest('rex-a', { labels: { agent: 'rex' }, containers: ['agent', 'sidecar'] }),
    );
    sim.create(podManifest('other', { namespace: 'default' }));
    for (let i = 1; i <= 4; i++) sim.appendLog('cto', 'rex-a', 'agent', `step ${i}`);

    await t.test('get pods -A -o json lists pods of every namespace', async (t) => {
      const r = await kubectl('get', 'pods', '-A', '-o', 'json');
      t.equal(r.code, 0, r.stderr);
      const list = JSON.parse(r.stdout);
      t.equal(list.kind, 'List');
      t.same(list.items.map((p: Wire) => `${p.metadata.namespace}/${p.metadata.name}`).sort(), [
        'cto/rex-a',
        'default/other',
      ]);
      t.equal(list.items[0].kind, 'Pod');
    });

    await t.test('get pod -o json returns the stored object with server fields', async (t) => {
      const r = await kubectl('get', 'pod', 'rex-a', '-o', 'json');
      t.equal(r.code, 0, r.stderr);
      const pod = JSON.parse(r.stdout);
      t.equal(pod.metadata.namespace, 'cto', 'the kubeconfig context namespace is cto');
      t.match(pod.metadata, { uid: String, resourceVersion: String, creationTimestamp: String });
      t.equal(pod.status.phase, 'Pending');
    });

    await t.test('get pods prints the server-side table', async (t) => {
      const r = await kubectl('get', 'pods');
      t.equal(r.code, 0, r.stderr);
      t.match(r.stdout, /NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE/);
      t.match(r.stdout, /rex-a\s+0\/2\s+Pending\s+0/);
    });

    await t.test('get -w sees an update made after it started', async (t) => {
      const child = spawn(
        'kubectl',
        ['get', 'pod', 'rex-a', '-w', '-o', 'jsonpath={.metadata.labels.stage}{"\\n"}'],
        { env },
      );
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      try {
        await waitFor(() => sim.stats.watchesOpen > 0, { what: 'kubectl watch' });
        sim.patchMerge('v1', 'Pod', 'cto', 'rex-a', { metadata: { labels: { stage: 'quality' } } });
        await waitFor(() => out.includes('quality'), { what: 'the update in kubectl output' });
        t.pass('kubectl printed the modified object');
      } finally {
        child.kill();
      }
    });

    await t.test('logs --tail=2 of a two-container pod', async (t) => {
      const r = await kubectl('logs', 'rex-a', '-c', 'agent', '--tail=2');
      t.equal(r.code, 0, r.stderr);
      t.equal(r.stdout, 'step 3\nstep 4\n');
      const bad = await kubectl('logs', 'rex-a', '-c', 'nope');
      t.not(bad.code, 0);
      t.match(bad.stderr, 'container nope is not valid for pod rex-a');
    });

    const dir = await mkdtemp(join(tmpdir(), 'kubectl-files-'));
    t.teardown(() => rm(dir, { recursive: true, force: true }));
    const good = join(dir, 'coderun.yaml');
    await writeFile(good, stringify(codeRunManifest('play-7-rex')));
    const bad = codeRunManifest('play-7-bad');
    delete (bad.spec as Record<string, unknown>).taskId;
    const badFile = join(dir, 'bad.yaml');
    await writeFile(badFile, stringify(bad));

    await t.test('create --validate=false a CodeRun, then a duplicate answers 409', async (t) => {
      const r = await kubectl('create', '--validate=false', '-f', good);
      t.equal(r.code, 0, r.stderr);
      t.match(r.stdout, 'coderun.agents.platform/play-7-rex created');
      t.ok(sim.get('agents.platform/v1', 'CodeRun', 'cto', 'play-7-rex'));
      const dup = await kubectl('create', '--validate=false', '-f', good);
      t.not(dup.code, 0);
      t.match(dup.stderr, 'Error from server (AlreadyExists)');
      t.match(dup.stderr, 'coderuns.agents.platform "play-7-rex" already exists');
    });

    await t.test('create of a CodeRun without taskId fails with the 422 message', async (t) => {
      const r = await kubectl('create', '--validate=false', '-f', badFile);
      t.not(r.code, 0);
      t.match(r.stderr, 'The CodeRun "play-7-bad" is invalid: spec.taskId: Required value');
    });

    await t.test('get by short name and patch --type=merge', async (t) => {
      const got = await kubectl('get', 'cr', '-o', 'name');
      t.equal(got.stdout.trim(), 'coderun.agents.platform/play-7-rex');
      const r = await kubectl(
        'patch',
        'coderun',
        'play-7-rex',
        '--type=merge',
        '-p',
        '{"spec":{"model":"opus"},"metadata":{"labels":{"fix":"1"}}}',
      );
      t.equal(r.code, 0, r.stderr);
      t.match(r.stdout, 'coderun.agents.platform/play-7-rex patched');
      const cr = sim.get('agents.platform/v1', 'coderuns', 'cto', 'play-7-rex')!;
      t.equal((cr.spec as Wire).model, 'opus');
      t.equal(cr.metadata.labels?.fix, '1');
      t.equal(cr.metadata.generation, 2, 'a spec change bumps generation');
      const smp = await kubectl('patch', 'coderun', 'play-7-rex', '-p', '{"spec":{"model":"x"}}');
      t.not(smp.code, 0, 'strategic merge patch is refused for custom resources');
      t.match(smp.stderr, 'application/strategic-merge-patch+json is not supported');
    });

    await t.test('delete removes the object; a second delete is NotFound', async (t) => {
      const r = await kubectl('delete', 'coderun', 'play-7-rex');
      t.equal(r.code, 0, r.stderr);
      t.match(r.stdout, 'coderun.agents.platform "play-7-rex" deleted');
      t.equal(sim.get('agents.platform/v1', 'CodeRun', 'cto', 'play-7-rex'), undefined);
      const again = await kubectl('delete', 'coderun', 'play-7-rex');
      t.match(
        again.stderr,
        'Error from server (NotFound): coderuns.agents.platform "play-7-rex" not found',
      );
      const pod = await kubectl('delete', 'pod', 'rex-a');
      t.equal(pod.code, 0, pod.stderr);
      t.match(pod.stdout, 'pod "rex-a" deleted');
    });
  },
);
