// `buildApp` over fakes, without the pipeline: the root plugin decorates the services the routes
// call, answers every not-found through HealerError in one shape, tells the decisions about a
// new or expired silence, and runs the background hooks on ready and close.
import t from 'tap';
import { appOverFakes } from '../helpers/app-fakes.js';
import { MCP_FIXTURE } from '../helpers/healer.js';

const json = { 'content-type': 'application/json' };

void t.test('the API serves from services over a store, with no pipeline built', async (t) => {
  const { app } = await appOverFakes();
  t.teardown(() => app.close());
  const start = await app.inject({
    method: 'POST',
    url: '/api/v1/session/start',
    headers: json,
    payload: MCP_FIXTURE,
  });
  t.equal(start.statusCode, 200);
  const got = await app.inject({ method: 'GET', url: `/api/v1/session/${MCP_FIXTURE.play_id}` });
  t.equal(got.statusCode, 200);
  t.equal(got.json().session.play_id, MCP_FIXTURE.play_id);
  const timeline = await app.inject({
    method: 'GET',
    url: `/api/v1/session/${MCP_FIXTURE.play_id}/timeline`,
  });
  t.equal(timeline.statusCode, 200);
  t.same(
    timeline.json().entries.map((e: { type: string }) => e.type),
    ['session'],
  );
  const leader = await app.inject({ method: 'GET', url: '/api/v1/leader' });
  t.equal(leader.json().identity, 'fake-replica');
  t.equal((await app.inject({ method: 'GET', url: '/health' })).statusCode, 200);
  t.equal((await app.inject({ method: 'GET', url: '/api/v1/thresholds' })).statusCode, 404);
});

void t.test('every unknown id is one not-found answer, 404 with its message', async (t) => {
  const { app } = await appOverFakes();
  t.teardown(() => app.close());
  const cases: [string, string, Record<string, unknown>][] = [
    ['GET', '/api/v1/session/play-x', { session: null, message: 'Session not found: play-x' }],
    [
      'GET',
      '/api/v1/session/play-x/timeline',
      { session: null, message: 'Session not found: play-x' },
    ],
    ['GET', '/api/v1/incidents/inc-x', { message: 'Incident not found: inc-x' }],
    ['GET', '/api/v1/silences/sil-x', { message: 'Silence not found: sil-x' }],
    ['DELETE', '/api/v1/silences/sil-x', { message: 'Silence not found: sil-x' }],
  ];
  for (const [method, url, body] of cases) {
    const res = await app.inject({ method: method as 'GET', url });
    t.equal(res.statusCode, 404, `${method} ${url}`);
    t.same(res.json(), { status: 'error', ...body }, `${method} ${url} body`);
  }
  const ack = await app.inject({
    method: 'POST',
    url: '/api/v1/incidents/inc-x/ack',
    headers: json,
    payload: { by: 'alice' },
  });
  t.equal(ack.statusCode, 404);
  t.same(ack.json(), { status: 'error', message: 'Incident not found: inc-x' });
  const page = await app.inject({ method: 'GET', url: '/incidents/inc-x' });
  t.equal(page.statusCode, 404, 'the dashboard page of an unknown incident');
  t.match(page.body, 'No incident “inc-x”');
});

void t.test('creating or expiring a silence tells the decisions at once', async (t) => {
  let changes = 0;
  const { app } = await appOverFakes({ onSilencesChanged: () => changes++ });
  t.teardown(() => app.close());
  const created = await app.inject({
    method: 'POST',
    url: '/api/v1/silences',
    headers: json,
    payload: {
      matchers: { alert: 'A7' },
      ends_at: '2026-11-21T12:00:00Z',
      comment: 'maintenance',
      created_by: 'alice',
    },
  });
  t.equal(created.statusCode, 201);
  t.equal(changes, 1, 'told when created');
  const id = created.json().silence.id as string;
  t.equal((await app.inject({ method: 'GET', url: '/api/v1/silences' })).json().count, 1);
  const expired = await app.inject({ method: 'DELETE', url: `/api/v1/silences/${id}` });
  t.equal(expired.statusCode, 200);
  t.equal(expired.json().silence.active, false);
  t.equal(changes, 2, 'told when expired');
});

void t.test('background work starts when the app is ready and stops when it closes', async (t) => {
  const calls: string[] = [];
  const hooks = {
    start: () => Promise.resolve(void calls.push('start')),
    stop: () => Promise.resolve(void calls.push('stop')),
    close: () => Promise.resolve(void calls.push('close')),
  };
  const { app } = await appOverFakes({ background: { startOnReady: true, ...hooks } });
  t.same(calls, [], 'nothing runs before the app is ready');
  await app.ready();
  t.same(calls, ['start']);
  t.equal((await app.inject({ method: 'GET', url: '/health' })).statusCode, 200);
  await app.close();
  t.same(calls, ['start', 'stop', 'close'], 'stopped, then what is left closed');

  const manual: string[] = [];
  const other = await appOverFakes({
    background: {
      startOnReady: false,
      start: () => Promise.resolve(void manual.push('start')),
      stop: () => Promise.resolve(void manual.push('stop')),
      close: () => Promise.resolve(void manual.push('close')),
    },
  });
  await other.app.ready();
  await other.app.close();
  t.same(manual, ['stop', 'close'], 'without startOnReady the app never starts the work');
});
