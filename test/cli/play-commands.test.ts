// `healer run`, `watch`, `loop`, `logs` and `fetch-logs` end to end against the simulated world:
// a Play submitted with `run` is visible to `watch`; a failure injected into it shows up there.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { parse } from 'yaml';
import { startSimWorld } from '../sim/world.js';
import { cli, crashLoopPod, setWorkflowPhase, tempDir } from './helpers.js';

const CTO_CONFIG = {
  version: '1.0',
  defaults: {
    play: {
      repository: '5dlabs/cto-parallel-test',
      service: 'cto-parallel-test',
      docsRepository: '5dlabs/cto-parallel-test',
      docsProjectDirectory: 'docs',
    },
    remediation: { maxIterations: 2, syncTimeoutSecs: 5 },
  },
  agents: {
    rex: {
      githubApp: '5DLabs-Rex',
      cli: 'factory',
      model: 'claude-opus-4-5-20251101',
      tools: { remote: ['github_create_pull_request'] },
    },
    cleo: { githubApp: '5DLabs-Cleo', cli: 'claude', model: 'claude-opus-4-5-20251101' },
    cipher: { githubApp: '5DLabs-Cipher', cli: 'claude', model: 'claude-opus-4-5-20251101' },
    tess: { githubApp: '5DLabs-Tess', cli: 'claude', model: 'claude-opus-4-5-20251101' },
  },
};

void t.test('run → watch → loop → logs → fetch-logs', async (t) => {
  const world = await startSimWorld({ controlPort: false });
  t.teardown(() => world.close());
  const dir = tempDir();
  const config = join(dir, 'cto-config.json');
  writeFileSync(config, JSON.stringify(CTO_CONFIG));
  const env = { HOME: dir, KUBECONFIG: world.kubeconfigPath, GITHUB_API_URL: world.urls.github };

  await t.test('--dry-run prints the manifest and creates nothing', async (t) => {
    const r = await cli(
      ['run', '--task-id', '4', '--config', config, '--dry-run', '--format', 'text'],
      env,
    );
    t.equal(r.code, 0, r.err);
    const wf = parse(r.out) as {
      spec: { arguments: { parameters: Array<{ name: string; value: string }> } };
    };
    t.match(wf, {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Workflow',
      metadata: {
        generateName: 'play-task-4-',
        namespace: 'cto',
        labels: { 'task-id': '4', repository: '5dlabs-cto-parallel-test' },
      },
      spec: { workflowTemplateRef: { name: 'play-workflow-template' } },
    });
    const params = Object.fromEntries(
      (wf.spec.arguments.parameters as Array<{ name: string; value: string }>).map((p) => [
        p.name,
        p.value,
      ]),
    );
    t.same(params, {
      'task-id': '4',
      repository: '5dlabs/cto-parallel-test',
      service: 'cto-parallel-test',
      'docs-repository': '5dlabs/cto-parallel-test',
      'docs-project-directory': 'docs',
      'implementation-agent': '5DLabs-Rex',
      'implementation-cli': 'factory',
      'implementation-model': 'claude-opus-4-5-20251101',
      'quality-agent': '5DLabs-Cleo',
      'quality-cli': 'claude',
      'quality-model': 'claude-opus-4-5-20251101',
      'security-agent': '5DLabs-Cipher',
      'security-cli': 'claude',
      'security-model': 'claude-opus-4-5-20251101',
      'testing-agent': '5DLabs-Tess',
      'testing-cli': 'claude',
      'testing-model': 'claude-opus-4-5-20251101',
    });
    t.equal(world.kube.list('argoproj.io/v1alpha1', 'workflows', 'cto').length, 0);
  });

  await t.test('bad input is a usage error that changes nothing', async (t) => {
    for (const argv of [
      ['run', '--task-id', '4 5', '--config', config],
      ['run', '--task-id', '4', '--repository', 'not-a-repo'],
      ['run', '--task-id', '4', '--config', join(dir, 'missing.json')],
      ['watch'],
      ['run', '--task-id', '4', '--config', config, '--format', 'xml'],
    ]) {
      const r = await cli(argv, env);
      t.equal(r.code, 2, `${argv.join(' ')}: ${r.err}`);
      t.match(r.err, /^healer: /);
    }
    t.equal(world.kube.list('argoproj.io/v1alpha1', 'workflows', 'cto').length, 0);
    const none = await cli(['run', '--task-id', '4', '--config', config], { HOME: dir });
    t.equal(none.code, 2, 'no cluster: unreachable');
  });

  // a running Healer is told about the Play
  const starts: unknown[] = [];
  const { createServer } = await import('node:http');
  const healer = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      if (req.url === '/api/v1/session/start') starts.push(JSON.parse(body));
      res.writeHead(req.url === '/api/v1/session/start' ? 200 : 404, {
        'content-type': 'application/json',
      });
      res.end(
        JSON.stringify({
          status: 'ok',
          message: 'Session started with 1 tasks and 4 agent configurations',
        }),
      );
    });
  });
  await new Promise<void>((r) => healer.listen(0, '127.0.0.1', r));
  t.teardown(() => healer.close());
  const healerUrl = `http://127.0.0.1:${(healer.address() as { port: number }).port}`;

  const submitted = await cli(['run', '--task-id', '4', '--config', config, '--format', 'json'], {
    ...env,
    HEALER_URL: healerUrl,
  });
  t.equal(submitted.code, 0, submitted.err);
  const playId = String(submitted.json[0].play_id);
  t.match(playId, /^play-task-4-/);
  t.ok(world.kube.get('argoproj.io/v1alpha1', 'workflows', 'cto', playId), 'the Workflow exists');
  t.match(submitted.json[1], { event: 'healer', answer: /^200 Session started/ });
  t.match(starts, [
    {
      play_id: playId,
      repository: '5dlabs/cto-parallel-test',
      namespace: 'cto',
      tasks: [{ id: '4' }],
      cto_config: {
        agents: {
          rex: { githubApp: '5DLabs-Rex', tools: { remote: ['github_create_pull_request'] } },
        },
      },
    },
  ]);

  await t.test('watch follows the Play until it ends; an injected failure shows up', async (t) => {
    setWorkflowPhase(world.kube, 'cto', playId, 'Running');
    crashLoopPod(world.kube, { name: `${playId}-rex-x7k2p`, playId });
    const logs = tempDir();
    const watching = cli(
      [
        'watch',
        '--task-id',
        '4',
        '--format',
        'json',
        '--interval',
        '1',
        '--timeout',
        '1m',
        '--fetch-logs',
        '--output-dir',
        logs,
      ],
      env,
    );
    await new Promise((r) => setTimeout(r, 1500));
    setWorkflowPhase(world.kube, 'cto', playId, 'Failed', 'child failed');
    const r = await watching;
    t.equal(r.code, 1, 'a failed Play exits 1');
    const events = r.json;
    t.match(events[0], { event: 'workflow', play_id: playId, phase: 'Running' });
    t.match(
      events.find((e) => e.event === 'agent'),
      { agent: 'rex', pod: `${playId}-rex-x7k2p`, reason: 'CrashLoopBackOff', restarts: 5 },
    );
    t.match(
      events.find((e) => e.event === 'incident'),
      { alert: 'A7', severity: 'critical', agent: 'rex', source: 'local' },
      'A7 computed with the same rules',
    );
    t.match(
      events.find((e) => e.event === 'logs-saved'),
      { pod: `${playId}-rex-x7k2p` },
    );
    t.ok(
      existsSync(join(logs, `${playId}-rex-x7k2p-current.log`)),
      '--fetch-logs saved the failing pod',
    );
    t.match(events.at(-1), { event: 'end', phase: 'Failed' });
    t.equal(events.filter((e) => e.event === 'incident').length, 1, 'an incident is reported once');

    const byId = await cli(['watch', '--play-id', playId, '--format', 'text'], env);
    t.equal(byId.code, 1);
    t.match(byId.out, /workflow play-task-4-\S+: Failed \(child failed\)/);
    t.match(byId.out, /INCIDENT A7 \[critical\] rex/);

    const missing = await cli(['watch', '--play-id', 'play-task-99', '--format', 'json'], env);
    t.equal(missing.code, 1);
    t.match(missing.err, /no Play play-task-99 in cto/);
  });

  await t.test('loop reports the whole view; --output-file keeps a JSON-lines copy', async (t) => {
    const file = join(tempDir(), 'loop.jsonl');
    const r = await cli(
      ['loop', '--play-id', playId, '--interval', '1', '--format', 'text', '--output-file', file],
      env,
    );
    t.equal(r.code, 1);
    t.match(r.out, new RegExp(`Play ${playId} \\(cto\\): Failed`));
    t.match(r.out, /agent rex +coderun - +pod Running +CrashLoopBackOff +restarts 5/);
    const copy = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    t.match(copy[0], { event: 'status', playId, phase: 'Failed' });
    t.match(copy.at(-1), { event: 'end' });
  });

  await t.test(
    'logs: a Play step from the pod log API; --errors-only keeps the catalogue findings',
    async (t) => {
      const all = await cli(
        ['logs', '--play-id', playId, '--step', 'rex', '--format', 'json'],
        env,
      );
      t.equal(all.code, 0, all.err);
      t.same(
        all.json.map((l) => l.text),
        ['starting agent again'],
      );
      t.match(all.json[0], { pod: `${playId}-rex-x7k2p`, container: 'claude', time: /^\d{4}-/ });
      const clean = await cli(
        ['logs', '--play-id', playId, '--errors-only', '--format', 'json'],
        env,
      );
      t.equal(clean.code, 0, 'no finding: exit 0');
      t.same(clean.json, []);
      world.kube.appendLog(
        'cto',
        `${playId}-rex-x7k2p`,
        'claude',
        'error: failed to push some refs to origin',
      );
      const found = await cli(
        ['logs', '--play-id', playId, '--errors-only', '--format', 'json'],
        env,
      );
      t.equal(found.code, 1, 'findings: exit 1');
      t.match(found.json, [
        {
          text: 'error: failed to push some refs to origin',
          alert: 'runtime',
          pattern: 'rt-git-push-rejected',
        },
      ]);
      t.equal(found.json.length, 1);
      const none = await cli(['logs', '--play-id', playId, '--step', 'cleo'], env);
      t.equal(none.code, 1);
      t.match(none.err, /no pods for Play/);
    },
  );

  await t.test('fetch-logs writes the four files', async (t) => {
    const out = tempDir();
    const pod = `${playId}-rex-x7k2p`;
    const r = await cli(
      [
        'fetch-logs',
        '--pod-name',
        pod,
        '--namespace',
        'cto',
        '--output-dir',
        out,
        '--format',
        'json',
      ],
      env,
    );
    t.equal(r.code, 0, r.err);
    t.same(readdirSync(out).sort(), [
      `${pod}-current.log`,
      `${pod}-describe.txt`,
      `${pod}-events.yaml`,
      `${pod}-previous.log`,
    ]);
    t.match(readFileSync(join(out, `${pod}-current.log`), 'utf8'), /starting agent again/);
    t.match(readFileSync(join(out, `${pod}-previous.log`), 'utf8'), /fatal: Authentication failed/);
    t.notMatch(readFileSync(join(out, `${pod}-current.log`), 'utf8'), /fatal/);
    t.match(parse(readFileSync(join(out, `${pod}-events.yaml`), 'utf8')), [
      { reason: 'BackOff', type: 'Warning' },
    ]);
    const describe = readFileSync(join(out, `${pod}-describe.txt`), 'utf8');
    t.match(describe, /Status: +Running/);
    t.match(describe, /State: +Waiting \(CrashLoopBackOff\)/);
    t.match(describe, /Restart Count: +5/);
    t.match(describe, /Warning +BackOff/);
    t.equal(r.json.length, 4);

    const gone = await cli(['fetch-logs', '--pod-name', 'no-such-pod', '--output-dir', out], env);
    t.equal(gone.code, 1);
    t.match(gone.err, /no pod no-such-pod in cto/);
    const bad = await cli(['fetch-logs', '--pod-name', 'Bad_Name', '--output-dir', out], env);
    t.equal(bad.code, 2);
  });

  await t.test('every command has --help with an example', async (t) => {
    for (const c of [['run'], ['watch'], ['loop'], ['logs'], ['fetch-logs']]) {
      const r = await cli([...c, '--help'], env);
      t.equal(r.code, 0);
      t.match(r.out, /Example:\n {2}healer /, c[0]);
    }
  });
});
