// What the real client sends is accepted: every start body of the upstream Healer's tests
// (test/fixtures/upstream, with their source), and the inputs upstream accepts that Healer used to
// refuse — play ids like `Play-ABC`, bare and GitLab repositories, `""` and `null` where upstream
// tolerates them (a warning on the session, not a refusal). A body that parses but does not fit is
// 422, malformed JSON 400, as upstream answers.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { testHealer } from '../helpers/healer.js';
import { correlate } from '../../src/sources/kube/correlate.js';
import { buildCorrelationIndex } from '../../src/sources/kube/correlation-index.js';
import type { Session } from '../../src/domain/session.js';

const json = { 'content-type': 'application/json' };

interface Fixture {
  source: string;
  test: string;
  status: number;
  agents: number;
  tasks: number;
  body: Record<string, unknown>;
}
const FIXTURES = JSON.parse(
  readFileSync(new URL('../fixtures/upstream/session-start-bodies.json', import.meta.url), 'utf8'),
) as Fixture[];

type Started = Awaited<ReturnType<typeof testHealer>>;
async function start(h: Started, body: unknown) {
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/v1/session/start',
    headers: json,
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return res;
}
async function get(h: Started, playId: string) {
  const res = await h.app.inject({
    method: 'GET',
    url: `/api/v1/session/${encodeURIComponent(playId)}`,
  });
  return res.json<{ session: Session & { warnings?: string[] } }>().session;
}

void t.test(
  'every upstream test body is accepted with upstream’s exact start message',
  async (t) => {
    t.ok(FIXTURES.length >= 8, `${FIXTURES.length} upstream bodies`);
    const h = await testHealer();
    t.teardown(() => h.app.close());
    for (const f of FIXTURES) {
      const res = await start(h, f.body);
      t.equal(res.statusCode, f.status, `${f.test} (${f.source})`);
      t.same(res.json(), {
        status: 'ok',
        session_id: f.body.play_id,
        message: `Session started with ${f.tasks} tasks and ${f.agents} agent configurations`,
      });
      const s = await get(h, f.body.play_id as string);
      t.equal(s.play_id, f.body.play_id);
      t.equal(s.repository, f.body.repository);
      t.equal(s.tasks.length, f.tasks);
      t.equal(Object.keys(s.cto_config.agents).length, f.agents);
    }
    // upstream's lifecycle test sends its first body twice: the second is a 409
    const again = await start(h, FIXTURES[0].body);
    t.equal(again.statusCode, 409);
    t.match(again.json(), { status: 'error', message: 'Session already exists and is active' });
  },
);

const base = { repository: '5dlabs/cto', tasks: [{ id: '4', title: 'Add auth' }] };

void t.test('play ids upstream accepts are accepted and kept as sent', async (t) => {
  const h = await testHealer();
  t.teardown(() => h.app.close());
  const long = `p${'x'.repeat(252)}`;
  for (const id of [
    'Play-ABC',
    'play_task_4',
    'Play ABC #4',
    'play.task.4',
    'ÜberPlay-1',
    'play"} |~ ".*',
    long,
  ]) {
    const res = await start(h, { ...base, play_id: id });
    t.equal(res.statusCode, 200, `play_id ${JSON.stringify(id.slice(0, 20))}`);
    t.equal(res.json<{ session_id: string }>().session_id, id);
    t.equal((await get(h, id)).play_id, id, 'kept exactly as sent');
  }
});

void t.test('a play id meets the cluster in its normalised form', async (t) => {
  const h = await testHealer();
  t.teardown(() => h.app.close());
  t.equal((await start(h, { ...base, play_id: 'Play_Task-4' })).statusCode, 200);
  const s = await get(h, 'Play_Task-4');
  const idx = buildCorrelationIndex([s]);
  const opts = { exclusions: { namespaces: [], labels: {}, podNamePrefixes: [] } } as never;
  const byName = correlate(
    { metadata: { name: 'play-task-4-rex-x7k2p', namespace: 'cto', labels: {} } },
    'pod',
    idx,
    opts,
  );
  t.equal(byName.playId, 'Play_Task-4', 'a pod named after the normalised id belongs to the Play');
  const byLabel = correlate(
    {
      metadata: {
        name: 'coderun-x',
        namespace: 'cto',
        labels: { 'workflows.argoproj.io/workflow': 'play-task-4' },
      },
    },
    'coderun',
    idx,
    opts,
  );
  t.equal(byLabel.playId, 'Play_Task-4', 'and so does an object labelled with it');
});

void t.test('repositories: owner/name, bare names, GitHub and GitLab HTTPS/SSH URLs', async (t) => {
  const h = await testHealer();
  t.teardown(() => h.app.close());
  const cases: [string, string, RegExp | null][] = [
    ['5dlabs/cto', '5dlabs/cto', null],
    ['cto', '5dlabs/cto', /repository "cto" has no owner; taken as 5dlabs\/cto/],
    ['https://github.com/5dlabs/cto', '5dlabs/cto', null],
    ['https://github.com/5dlabs/cto.git', '5dlabs/cto', null],
    ['git@github.com:5dlabs/cto.git', '5dlabs/cto', null],
    ['ssh://git@github.com/5dlabs/cto.git', '5dlabs/cto', null],
    ['https://gitlab.example.com/group/sub/cto.git', 'group/sub/cto', /on gitlab\.example\.com/],
    ['git@gitlab.example.com:group/sub/cto.git', 'group/sub/cto', /on gitlab\.example\.com/],
    ['ssh://git@gitlab.example.com:2222/group/cto', 'group/cto', /on gitlab\.example\.com/],
  ];
  for (const [i, [repository, stored, warning]] of cases.entries()) {
    const play_id = `play-repo-${i}`;
    const res = await start(h, { ...base, play_id, repository });
    t.equal(res.statusCode, 200, repository);
    const s = await get(h, play_id);
    t.equal(s.repository, stored, `${repository} → ${stored}`);
    if (warning) t.match(s.warnings?.join('\n'), warning, 'a warning on the session');
    else t.equal(s.warnings, undefined, 'no warning');
  }
});

void t.test('a bare repository name takes the configured default owner', async (t) => {
  const h = await testHealer({ env: { HEALER_DEFAULT_REPO_OWNER: 'acme' } });
  t.teardown(() => h.app.close());
  t.equal((await start(h, { ...base, play_id: 'p1', repository: 'cto' })).statusCode, 200);
  t.equal((await get(h, 'p1')).repository, 'acme/cto');
});

void t.test('"" and null where upstream tolerates them: accepted, with a warning', async (t) => {
  const h = await testHealer();
  t.teardown(() => h.app.close());
  const body = {
    play_id: 'play-lenient',
    repository: '5dlabs/cto',
    service: null,
    namespace: null,
    cto_config: {
      agents: {
        rex: {
          githubApp: '',
          cli: '',
          model: null,
          tools: {
            remote: ['brave_search', ''],
            localServers: { fs: { enabled: null, tools: null } },
          },
        },
        blaze: { tools: null },
      },
    },
    tasks: [{ id: '4', title: 'Add auth', agent_hint: '', dependencies: null, priority: null }],
  };
  const res = await start(h, body);
  t.equal(res.statusCode, 200, res.body);
  t.equal(
    res.json<{ message: string }>().message,
    'Session started with 1 tasks and 2 agent configurations',
  );
  const s = await get(h, 'play-lenient');
  t.equal(s.service, null);
  t.equal(s.namespace, 'cto');
  t.same(s.cto_config.agents.rex, {
    githubApp: null,
    cli: null,
    model: null,
    tools: { remote: ['brave_search'], localServers: { fs: { enabled: false, tools: [] } } },
  });
  t.same(s.cto_config.agents.blaze?.tools, { remote: [], localServers: {} });
  t.same(s.tasks, [
    { id: '4', title: 'Add auth', agent_hint: null, dependencies: [], priority: 0 },
  ]);
  const w = s.warnings ?? [];
  for (const path of [
    'service was null',
    'namespace was null',
    'cto_config.agents.rex.githubApp was empty',
    'cto_config.agents.rex.cli was empty',
    'cto_config.agents.rex.model was null',
    'cto_config.agents.rex.tools.remote.1 was empty',
    'cto_config.agents.rex.tools.localServers.fs.enabled was null',
    'cto_config.agents.blaze.tools was null',
    'tasks.0.agent_hint was empty',
    'tasks.0.priority was null',
  ])
    t.ok(
      w.some((x) => x.startsWith(path)),
      `warning: ${path}`,
    );
});

void t.test('422 for a body that parses but does not fit; 400 for malformed JSON', async (t) => {
  const h = await testHealer();
  t.teardown(() => h.app.close());
  const cases: [unknown, RegExp][] = [
    [{ ...base, play_id: '' }, /play_id must not be empty/],
    [{ ...base, play_id: '   ' }, /play_id must not be blank/],
    [{ ...base, play_id: 'play\n4' }, /play_id must not contain control characters/],
    [{ ...base, play_id: 'play\u00074' }, /control characters/],
    [{ ...base, play_id: 'p'.repeat(254) }, /at most 253/],
    [{ ...base, play_id: 42 }, /play_id must be a string/],
    [{ repository: '5dlabs/cto' }, /play_id is required/],
    [{ ...base, play_id: 'p', repository: 'a/b/c' }, /repository must be owner\/name/],
    [{ ...base, play_id: 'p', repository: 'https://github.com/only-owner' }, /repository/],
    [{ ...base, play_id: 'p', repository: 7 }, /repository must be a string/],
    [{ ...base, play_id: 'p', tasks: 'none' }, /tasks must be an array/],
    [{ ...base, play_id: 'p', namespace: 'Not A Namespace' }, /namespace must be a DNS-1123 label/],
    [[1, 2], /must be a JSON object/],
  ];
  for (const [body, message] of cases) {
    const res = await start(h, body);
    t.equal(res.statusCode, 422, JSON.stringify(body).slice(0, 60));
    t.match(res.json(), { status: 'error', message });
  }
  for (const raw of ['{"play_id": "p",', '{play_id: p}', '']) {
    const res = await start(h, raw);
    t.equal(res.statusCode, 400, `malformed: ${JSON.stringify(raw)}`);
  }
  const list = await h.app.inject({ method: 'GET', url: '/api/v1/sessions' });
  t.equal(list.json<{ count: number }>().count, 0, 'nothing was stored');
});
