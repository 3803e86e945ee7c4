import t from 'tap';
import { MCP_FIXTURE, testHealer } from '../helpers/healer.js';
import type { ManualClock } from '../../src/domain/clock.js';

const json = { 'content-type': 'application/json' };

void t.test('the MCP fixture starts a session; GET shows it field for field', async (t) => {
  const { app } = await testHealer();
  t.teardown(() => app.close());
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/session/start',
    headers: json,
    payload: MCP_FIXTURE,
  });
  t.equal(res.statusCode, 200);
  t.same(res.json(), {
    status: 'ok',
    session_id: 'play-mcp-format-test',
    // upstream's exact wording, no singular forms (the MCP server logs it as is)
    message: 'Session started with 1 tasks and 2 agent configurations',
  });

  const got = await app.inject({ method: 'GET', url: '/api/v1/session/play-mcp-format-test' });
  t.equal(got.statusCode, 200);
  const body = got.json<{ status: string; message: null; session: Record<string, unknown> }>();
  t.equal(body.status, 'ok');
  t.equal(body.message, null);
  const s = body.session;
  t.same(Object.keys(s).sort(), [
    'agents',
    'cto_config',
    'end_reason',
    'ended_at',
    'issues',
    'last_updated',
    'namespace',
    'play_id',
    'pr',
    'repository',
    'service',
    'started_at',
    'status',
    'tasks',
  ]);
  t.match(s, {
    play_id: 'play-mcp-format-test',
    repository: '5dlabs/cto-parallel-test',
    service: 'test-service',
    namespace: 'cto',
    status: 'active',
    started_at: '2026-11-21T10:00:00.000Z',
    last_updated: '2026-11-21T10:00:00.000Z',
    ended_at: null,
    end_reason: null,
    issues: [],
    pr: null,
  });
  t.same(s.tasks, [{ id: '1', title: 'Task 1', agent_hint: null, dependencies: [], priority: 0 }]);
  t.same(s.cto_config, {
    agents: {
      rex: { ...MCP_FIXTURE.cto_config.agents.rex },
      bolt: { ...MCP_FIXTURE.cto_config.agents.bolt },
    },
  });
  const agents = s.agents as Record<string, unknown>[];
  t.same(
    agents.map((a) => [a.name, a.stage, a.github_app]),
    [
      ['rex', 'implementation', '5DLabs-Rex'],
      ['bolt', 'infrastructure', '5DLabs-Bolt'],
    ],
  );
  const rex = agents[0];
  t.same(Object.keys(rex).sort(), [
    'coderun',
    'github_app',
    'name',
    'phase',
    'pod',
    'preflight',
    'stage',
    'started_at',
  ]);
  t.match(rex, { pod: null, coderun: null, started_at: null, preflight: { state: 'pending' } });
  const items = (rex.preflight as { items: Record<string, unknown>[] }).items;
  t.equal(items.length, 8);
  t.same(Object.keys(items[0]).sort(), ['evidence', 'id', 'label', 'state']);
  t.ok(items.every((i) => i.state === 'unknown' && i.evidence === null));
});

void t.test('a second start is 409; after complete a new start is a fresh session', async (t) => {
  const { app, clock } = await testHealer();
  t.teardown(() => app.close());
  const start = () =>
    app.inject({
      method: 'POST',
      url: '/api/v1/session/start',
      headers: json,
      payload: MCP_FIXTURE,
    });
  t.equal((await start()).statusCode, 200);
  const dup = await start();
  t.equal(dup.statusCode, 409);
  t.same(dup.json(), {
    status: 'error',
    session_id: 'play-mcp-format-test',
    message: 'Session already exists and is active',
  });

  (clock as ManualClock).advance(60_000);
  const done = await app.inject({
    method: 'POST',
    url: '/api/v1/session/play-mcp-format-test/complete',
    headers: json,
    payload: { status: 'completed', reason: 'merged' },
  });
  t.equal(done.statusCode, 200);
  t.match(done.json(), {
    status: 'ok',
    session_id: 'play-mcp-format-test',
    session: { status: 'completed', end_reason: 'merged', ended_at: '2026-11-21T10:01:00.000Z' },
  });

  const again = await app.inject({
    method: 'POST',
    url: '/api/v1/session/play-mcp-format-test/complete',
    headers: json,
    payload: { status: 'failed' },
  });
  t.equal(again.statusCode, 409);
  t.match(again.json(), { status: 'error', message: /already ended/ });

  (clock as ManualClock).advance(60_000);
  t.equal((await start()).statusCode, 200);
  const fresh = (
    await app.inject({ method: 'GET', url: '/api/v1/session/play-mcp-format-test' })
  ).json<{ session: Record<string, unknown> }>();
  t.match(fresh.session, {
    status: 'active',
    started_at: '2026-11-21T10:02:00.000Z',
    ended_at: null,
    end_reason: null,
  });

  const unknown = await app.inject({
    method: 'POST',
    url: '/api/v1/session/play-nope/complete',
    headers: json,
    payload: { status: 'cancelled' },
  });
  t.equal(unknown.statusCode, 404);
  t.match(unknown.json(), { status: 'error', message: 'Session not found: play-nope' });
});

void t.test(
  'unknown session → 404 with the api.md envelope; unknown route → 404 JSON',
  async (t) => {
    const { app } = await testHealer();
    t.teardown(() => app.close());
    const res = await app.inject({ method: 'GET', url: '/api/v1/session/play-missing' });
    t.equal(res.statusCode, 404);
    t.same(res.json(), {
      status: 'error',
      session: null,
      message: 'Session not found: play-missing',
    });
    const nope = await app.inject({ method: 'GET', url: '/api/v2/whatever' });
    t.equal(nope.statusCode, 404);
    t.match(nope.json(), { status: 'error', message: /not found/i });
  },
);

void t.test('lists: all newest first, active only, limit and cursor paging', async (t) => {
  const { app, clock } = await testHealer();
  t.teardown(() => app.close());
  for (const id of ['play-1', 'play-2', 'play-3']) {
    await app.inject({
      method: 'POST',
      url: '/api/v1/session/start',
      headers: json,
      payload: { play_id: id, repository: 'o/r', tasks: [{ id: 7, title: 't' }] },
    });
    (clock as ManualClock).advance(1000);
  }
  await app.inject({
    method: 'POST',
    url: '/api/v1/session/play-2/complete',
    headers: json,
    payload: { status: 'cancelled' },
  });
  const all = (await app.inject({ method: 'GET', url: '/api/v1/sessions' })).json<{
    status: string;
    count: number;
    sessions: Record<string, unknown>[];
  }>();
  t.equal(all.status, 'ok');
  t.equal(all.count, 3);
  t.same(
    all.sessions.map((s) => s.play_id),
    ['play-3', 'play-2', 'play-1'],
  );
  t.same(Object.keys(all.sessions[0]).sort(), [
    'issue_count',
    'last_updated',
    'play_id',
    'repository',
    'started_at',
    'status',
    'task_count',
  ]);
  t.same(
    Object.keys(all).sort(),
    ['count', 'sessions', 'status'],
    'no next_cursor on the last page',
  );
  const active = (await app.inject({ method: 'GET', url: '/api/v1/sessions/active' })).json<{
    count: number;
    sessions: { play_id: string }[];
  }>();
  t.same(
    active.sessions.map((s) => s.play_id),
    ['play-3', 'play-1'],
  );
  const page1 = (await app.inject({ method: 'GET', url: '/api/v1/sessions?limit=2' })).json<{
    count: number;
    next_cursor: string;
    sessions: { play_id: string }[];
  }>();
  t.equal(page1.count, 2);
  t.ok(page1.next_cursor);
  const page2 = (
    await app.inject({ method: 'GET', url: `/api/v1/sessions?limit=2&cursor=${page1.next_cursor}` })
  ).json<{ sessions: { play_id: string }[] }>();
  t.same(
    page2.sessions.map((s) => s.play_id),
    ['play-1'],
  );
  const bad = await app.inject({ method: 'GET', url: '/api/v1/sessions?limit=0' });
  t.equal(bad.statusCode, 400);
  t.match(bad.json(), { status: 'error', errors: [{ path: 'limit' }] });
});

void t.test('a repository URL is normalised and a numeric task id becomes a string', async (t) => {
  const { app } = await testHealer();
  t.teardown(() => app.close());
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/session/start',
    headers: json,
    payload: {
      play_id: 'play-task-4',
      repository: 'https://github.com/5dlabs/cto.git',
      tasks: [{ id: 4, title: 'Four', dependencies: [3] }],
      extra: 'ignored',
    },
  });
  t.equal(res.statusCode, 200);
  t.equal(
    res.json<{ message: string }>().message,
    'Session started with 1 tasks and 0 agent configurations',
  );
  const s = (await app.inject({ method: 'GET', url: '/api/v1/session/play-task-4' })).json<{
    session: Record<string, unknown>;
  }>().session;
  t.equal(s.repository, '5dlabs/cto');
  t.same(s.tasks, [{ id: '4', title: 'Four', agent_hint: null, dependencies: ['3'], priority: 0 }]);
  t.notOk('extra' in s, 'unknown keys are dropped');
  t.same(s.cto_config, { agents: {} });
});

void t.test(
  'session TTL: an inactive session expires; ended sessions are purged after 7 days',
  async (t) => {
    const { app, healer, clock } = await testHealer();
    t.teardown(() => app.close());
    const c = clock as ManualClock;
    await app.inject({
      method: 'POST',
      url: '/api/v1/session/start',
      headers: json,
      payload: { play_id: 'play-ttl', repository: 'o/r' },
    });
    c.advance(47 * 3600_000);
    t.same(await healer.sessions.sweep(), { expired: 0, purged: 0 });
    c.advance(2 * 3600_000);
    t.same(await healer.sessions.sweep(), { expired: 1, purged: 0 });
    const s = (await app.inject({ method: 'GET', url: '/api/v1/session/play-ttl' })).json<{
      session: { status: string; end_reason: string };
    }>().session;
    t.equal(s.status, 'expired');
    t.match(s.end_reason, /TTL/);
    c.advance(7 * 86_400_000 + 1000);
    t.same(await healer.sessions.sweep(), { expired: 0, purged: 1 });
    t.equal((await app.inject({ method: 'GET', url: '/api/v1/session/play-ttl' })).statusCode, 404);
  },
);

void t.test('secrets in a detected issue never leave through the session API', async (t) => {
  const { app, store } = await testHealer();
  t.teardown(() => app.close());
  await app.inject({
    method: 'POST',
    url: '/api/v1/session/start',
    headers: json,
    payload: { play_id: 'play-sec', repository: 'o/r' },
  });
  const token = 'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';
  await store.recordAlert(
    {
      alert: 'runtime',
      severity: 'critical',
      issueType: 'agent_error',
      title: 'Runtime Error: rex',
      description: `auth failed with ${token}`,
      namespace: 'cto',
      playId: 'play-sec',
      taskId: null,
      agent: 'rex',
      subject: 'auth',
      evidence: [`GITHUB_TOKEN=${token} rejected: Bad credentials`],
      context: {},
      detectedAt: '2026-11-21T10:00:00Z',
    },
    'e'.repeat(64),
    new Date('2026-11-21T10:00:00Z'),
  );
  const res = await app.inject({ method: 'GET', url: '/api/v1/session/play-sec' });
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], /application\/json/);
  t.notMatch(res.body, token);
  t.match(
    res.json<{ session: { issues: { evidence: string[] }[] } }>().session.issues[0].evidence[0],
    /\[REDACTED:/,
  );
  const incidents = await app.inject({ method: 'GET', url: '/api/v1/incidents' });
  t.notMatch(incidents.body, token);
});
