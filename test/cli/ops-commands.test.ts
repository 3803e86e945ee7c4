// `healer reset`, `memory`, `scan-logs` (→ `spawn-remediation --from-scan`) end to end against the
// simulated world and the simulated OpenMemory.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Octokit } from '@octokit/rest';
import t from 'tap';
import { parseAllDocuments } from 'yaml';
import { spawnRemediation } from '../../src/cli/spawn-remediation.js';
import { OpenMemoryClient } from '../../src/sources/memory/openmemory.js';
import { codeRunManifest } from '../sim/kube/fixtures.js';
import { startOpenMemorySim } from '../sim/openmemory/index.js';
import { startSimWorld } from '../sim/world.js';
import { cli, crashLoopPod, tempDir } from './helpers.js';

const playWorkflow = (name: string, repository: string) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Workflow',
  metadata: {
    name,
    namespace: 'cto',
    labels: { repository: repository.replace('/', '-'), 'task-id': '4' },
  },
  spec: {
    workflowTemplateRef: { name: 'play-workflow-template' },
    arguments: { parameters: [{ name: 'repository', value: repository }] },
  },
});

const codeRun = (name: string, playId: string) =>
  codeRunManifest(name, { labels: { 'workflows.argoproj.io/workflow': playId } });

void t.test(
  'reset lists exactly what --force then removes, and nothing of other repositories',
  async (t) => {
    const world = await startSimWorld({ controlPort: false });
    t.teardown(() => world.close());
    const dir = tempDir();
    const env = {
      HOME: dir,
      KUBECONFIG: world.kubeconfigPath,
      GITHUB_API_URL: world.urls.github,
      GITHUB_TOKEN: 'login:operator',
    };
    const k = world.kube;
    // the test repository's Play, and another repository's Play that must survive
    k.create(playWorkflow('play-task-4-aaaaa', '5dlabs/cto-parallel-test'));
    k.create(codeRun('play-task-4-aaaaa-rex', 'play-task-4-aaaaa'));
    crashLoopPod(k, { name: 'play-task-4-aaaaa-rex-x1', playId: 'play-task-4-aaaaa' });
    k.create(playWorkflow('play-task-4-bbbbb', '5dlabs/cto'));
    k.create(codeRun('play-task-4-bbbbb-rex', 'play-task-4-bbbbb'));
    crashLoopPod(k, { name: 'play-task-4-bbbbb-rex-x1', playId: 'play-task-4-bbbbb' });
    const gh = new Octokit({ baseUrl: world.urls.github, auth: 'login:operator' });
    for (const repo of ['cto-parallel-test', 'cto']) {
      for (const branch of ['feature/task-4-abc', 'task-5', 'docs-update']) {
        await gh.request('POST /_sim/repos/{owner}/{repo}/branches/{branch}/commits', {
          owner: '5dlabs',
          repo,
          branch,
          message: `work on ${branch}`,
        });
      }
      await gh.rest.pulls.create({
        owner: '5dlabs',
        repo,
        head: 'feature/task-4-abc',
        base: 'main',
        title: 'Task 4',
      });
    }

    const objects = () => ({
      workflows: k
        .list('argoproj.io/v1alpha1', 'workflows', 'cto')
        .map((o) => o.metadata.name)
        .sort(),
      coderuns: k
        .list('agents.platform/v1', 'coderuns', 'cto')
        .map((o) => o.metadata.name)
        .sort(),
      pods: k
        .list('v1', 'pods', 'cto')
        .map((o) => o.metadata.name)
        .sort(),
    });
    const github = async (repo: string) => ({
      open: (await gh.rest.pulls.list({ owner: '5dlabs', repo, state: 'open' })).data.map(
        (p) => p.number,
      ),
      branches: (await gh.rest.repos.listBranches({ owner: '5dlabs', repo })).data
        .map((b) => b.name)
        .sort(),
    });
    const before = {
      k: objects(),
      test: await github('cto-parallel-test'),
      other: await github('cto'),
    };

    const dry = await cli(
      ['reset', '--repo', 'cto-parallel-test', '--org', '5dlabs', '--format', 'json'],
      env,
    );
    t.equal(dry.code, 0, dry.err);
    const listed = dry.json
      .map((r) => `${String(r.action)} ${String(r.kind)} ${String(r.name)}`)
      .sort();
    t.same(listed, [
      'would-close pull-request 1',
      'would-delete branch feature/task-4-abc',
      'would-delete branch task-5',
      'would-delete coderun play-task-4-aaaaa-rex',
      'would-delete pod play-task-4-aaaaa-rex-x1',
      'would-delete workflow play-task-4-aaaaa',
    ]);
    t.same(
      { k: objects(), test: await github('cto-parallel-test'), other: await github('cto') },
      before,
      'without --force nothing changed',
    );

    const done = await cli(
      ['reset', '--repo', 'cto-parallel-test', '--org', '5dlabs', '--force', '--format', 'json'],
      env,
    );
    t.equal(done.code, 0, done.err);
    t.same(
      done.json.map((r) => `${String(r.kind)} ${String(r.name)}`).sort(),
      dry.json.map((r) => `${String(r.kind)} ${String(r.name)}`).sort(),
      '--force did exactly what was listed',
    );
    t.ok(done.json.every((r) => r.action === 'deleted' || r.action === 'closed'));
    t.same(objects(), {
      workflows: ['play-task-4-bbbbb'],
      coderuns: ['play-task-4-bbbbb-rex'],
      pods: ['play-task-4-bbbbb-rex-x1'],
    });
    t.same(await github('cto-parallel-test'), { open: [], branches: ['docs-update', 'main'] });
    t.same(await github('cto'), before.other, 'another repository is untouched');

    const again = await cli(
      ['reset', '--repo', 'cto-parallel-test', '--org', '5dlabs', '--format', 'text'],
      env,
    );
    t.equal(again.code, 0);
    t.match(again.out, /nothing to reset for 5dlabs\/cto-parallel-test/);

    const bad = await cli(['reset', '--repo', '../x', '--org', '5dlabs', '--force'], env);
    t.equal(bad.code, 2);
    const noGh = await cli(['reset', '--repo', 'cto', '--org', '5dlabs', '--force'], {
      HOME: dir,
      KUBECONFIG: world.kubeconfigPath,
    });
    t.equal(noGh.code, 2, 'no GitHub credentials: unreachable, nothing done');
    t.match(noGh.err, /--skip-github/);
    t.same(objects().workflows, ['play-task-4-bbbbb']);
    const k8sOnly = await cli(
      ['reset', '--repo', 'cto', '--org', '5dlabs', '--skip-github', '--format', 'json'],
      { HOME: dir, KUBECONFIG: world.kubeconfigPath },
    );
    t.equal(k8sOnly.code, 0);
    t.same(k8sOnly.json.map((r) => r.kind).sort(), ['coderun', 'pod', 'workflow']);
  },
);

void t.test('memory round-trips through the simulated OpenMemory', async (t) => {
  const om = await startOpenMemorySim({ apiKey: 'k' });
  t.teardown(() => om.close());
  const env = { OPENMEMORY_URL: om.url, OPENMEMORY_API_KEY: 'k' };
  const client = new OpenMemoryClient({ url: om.url, apiKey: 'k' });
  const a = await client.add(
    'git authentication errors were fixed by refreshing the GitHub App token',
    {
      userId: 'rex',
      tags: ['git', 'auth'],
      metadata: { task_id: '4', alert: 'A7' },
    },
  );
  t.match(a, { id: /\S/, primary_sector: 'procedural', sectors: ['procedural'] });
  await client.add('tess prefers running the integration tests twice', {
    userId: 'tess',
    tags: ['tests'],
    metadata: { task_id: '5' },
  });
  await client.add('rex hit a merge conflict in Cargo.lock', {
    userId: 'rex',
    tags: ['git'],
    metadata: { task_id: '5' },
  });

  const list = await cli(['memory', 'list', '--agent', 'rex', '--format', 'json'], env);
  t.equal(list.code, 0, list.err);
  t.same(
    list.json.map((m) => m.content),
    [
      'rex hit a merge conflict in Cargo.lock',
      'git authentication errors were fixed by refreshing the GitHub App token',
    ],
  );
  const byTask = await cli(
    ['memory', 'list', '--agent', 'rex', '--task-id', '4', '--format', 'json'],
    env,
  );
  t.same(
    byTask.json.map((m) => m.id),
    [a.id],
  );

  const query = await cli(
    [
      'memory',
      'query',
      '--text',
      'git authentication errors',
      '--agent',
      'rex',
      '--format',
      'json',
    ],
    env,
  );
  t.equal(query.code, 0, query.err);
  t.match(query.json[0], { id: a.id, score: 1, primary_sector: 'procedural' });
  t.notOk(
    query.json.some((m) => String(m.content).includes('tess')),
    'another agent is filtered out',
  );

  const get = await cli(['memory', 'get', '--id', a.id, '--format', 'text'], env);
  t.equal(get.code, 0);
  t.match(get.out, /git authentication errors were fixed/);
  t.match(get.out, /tags=git,auth/);

  const stats = await cli(['memory', 'stats', '--agent', 'rex', '--format', 'json'], env);
  t.match(stats.json[0], {
    agent: 'rex',
    total: 2,
    by_tag: { git: 2, auth: 1 },
    mean_salience: 0.5,
  });

  const missing = await cli(['memory', 'get', '--id', 'nope'], env);
  t.equal(missing.code, 1);
  t.equal(
    (await cli(['memory', 'list'], { OPENMEMORY_URL: om.url })).code,
    1,
    'a wrong key answers 401: failed',
  );
  t.equal((await cli(['memory', 'list'], {})).code, 2, 'no OPENMEMORY_URL: usage');
  t.equal(
    (await cli(['memory', 'list'], { OPENMEMORY_URL: 'http://127.0.0.1:9' })).code,
    2,
    'unreachable',
  );
  t.equal((await cli(['memory', 'query', '--agent', 'rex'], env)).code, 2, 'query without --text');
  t.equal((await cli(['memory', 'list', '--limit', '0'], env)).code, 2);
  const help = await cli(['memory', 'query', '--help'], env);
  t.match(help.out, /Example:\n {2}healer memory query --text/);
});

void t.test(
  "scan-logs groups the platform's findings; its JSON feeds spawn-remediation --from-scan",
  async (t) => {
    const world = await startSimWorld({ controlPort: false });
    t.teardown(() => world.close());
    const now = Date.now();
    const ns = (ago: number) => String(BigInt(now - ago) * 1_000_000n);
    const lines = (text: string, n: number, offset = 0) =>
      Array.from({ length: n }, (_, i): [string, string] => [ns(60_000 + offset + i * 1000), text]);
    world.loki.push([
      {
        stream: { namespace: 'cto', pod: 'play-task-4-rex-x7k2p', container: 'claude' },
        values: [
          ...lines('fatal: Authentication failed for repository', 6),
          ...lines('all good', 50, 100_000),
        ],
      },
      {
        stream: { namespace: 'automation', pod: 'sync-job-1', container: 'main' },
        values: lines('error: failed to push some refs to origin', 3),
      },
      {
        stream: { namespace: 'infra', pod: 'old-pod', container: 'main' },
        values: [[ns(3 * 3600_000), 'fatal: Authentication failed for repository']],
      },
    ]);
    const env = { HOME: tempDir(), LOKI_URL: world.urls.loki };
    const r = await cli(
      ['scan-logs', '--window', '1h', '--namespaces', 'cto,automation,infra', '--json'],
      env,
    );
    t.equal(r.code, 1, 'a group over its threshold: exit 1');
    t.match(r.json, [
      {
        namespace: 'cto',
        pod: 'play-task-4-rex-x7k2p',
        alert: 'runtime',
        category: 'git-auth',
        severity: 'critical',
        count: 6,
        flagged: true,
      },
      {
        namespace: 'automation',
        pod: 'sync-job-1',
        category: 'git',
        severity: 'medium',
        count: 3,
        flagged: false,
      },
    ]);
    t.equal(r.json.length, 2, 'outside the window: not scanned');
    const text = await cli(
      ['scan-logs', '--namespaces', 'cto', '--format', 'text', '--error-threshold', '10'],
      env,
    );
    t.equal(text.code, 0, `below threshold: exit 0 (${text.err})`);
    t.match(text.out, /1 group\(s\), 0 over threshold/);
    t.equal((await cli(['scan-logs', '--window', 'soon'], env)).code, 2);
    t.equal((await cli(['scan-logs'], { HOME: tempDir() })).code, 2, 'no LOKI_URL');

    // the scan's JSON lines → one remediation CodeRun per flagged group
    const scanFile = join(tempDir(), 'scan.jsonl');
    writeFileSync(scanFile, r.out);
    let out = '';
    const io = {
      out: new (await import('node:stream')).PassThrough().on(
        'data',
        (d: Buffer) => (out += d.toString()),
      ),
      err: new (await import('node:stream')).PassThrough(),
    };
    const cwd = tempDir();
    const code = await spawnRemediation(
      {
        fromScan: '-',
        maxCoderuns: '3',
        dryRun: true,
        json: false,
        stdin: Readable.from([r.out]),
        env: { HOME: cwd },
        cwd,
      },
      io,
    );
    t.equal(code, 0);
    const docs = parseAllDocuments(out).map(
      (d) =>
        d.toJSON() as {
          metadata: { labels: Record<string, string> };
          spec: { promptModification: string };
        },
    );
    t.equal(docs.length, 1, 'only the flagged group');
    t.match(docs[0].metadata.labels, {
      'alert-type': 'runtime',
      'target-pod': 'play-task-4-rex-x7k2p',
      'task-id': '4',
    });
    t.match(docs[0].spec.promptModification, /fatal: Authentication failed/);
    t.doesNotThrow(() => world.kube.create(docs[0]), 'the API server accepts it');
    const fromFile = await spawnRemediation(
      { fromScan: scanFile, maxCoderuns: '3', dryRun: true, json: true, env: { HOME: cwd }, cwd },
      io,
    );
    t.equal(fromFile, 0);
  },
);
