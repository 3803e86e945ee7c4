import t from 'tap';
import { readFileSync } from 'node:fs';
import { testHealer } from '../helpers/healer.js';
import { renderOpenApi } from '../../scripts/openapi-doc.js';

void t.test(
  '/ready reports the store and that watching is off; /metrics has sessions by status',
  async (t) => {
    const { app } = await testHealer();
    t.teardown(() => app.close());
    const ready = await app.inject({ method: 'GET', url: '/ready' });
    t.equal(ready.statusCode, 200);
    t.match(ready.json(), {
      status: 'ready',
      checks: { store: { ok: true }, kubernetes: { ok: true, detail: /watching off/ } },
      reasons: [],
    });
    await app.inject({
      method: 'POST',
      url: '/api/v1/session/start',
      headers: { 'content-type': 'application/json' },
      payload: { play_id: 'play-m', repository: 'o/r' },
    });
    const metrics = await app.inject({ method: 'GET', url: '/metrics' });
    t.equal(metrics.statusCode, 200);
    t.match(metrics.headers['content-type'], /text\/plain/);
    t.match(metrics.body, /# HELP healer_sessions Sessions in the store by status/);
    t.match(metrics.body, /healer_sessions\{status="active"\} 1/);
    t.match(metrics.body, /healer_sessions\{status="expired"\} 0/);
    t.match(metrics.body, /healer_process_resident_memory_bytes/);
    t.match(
      metrics.body,
      /healer_http_requests_total\{route="\/api\/v1\/session\/start",method="POST",status="200"\} 1/,
    );
  },
);

void t.test('/ready answers 503 with the reason when the store is gone', async (t) => {
  const { app, store } = await testHealer();
  t.teardown(() => app.close());
  await store.close();
  const ready = await app.inject({ method: 'GET', url: '/ready' });
  t.equal(ready.statusCode, 503);
  t.match(ready.json(), { status: 'not_ready', reasons: [/^store: /] });
});

void t.test('bearer token: writes need it, reads stay open unless asked', async (t) => {
  const { app } = await testHealer({ env: { HEALER_API_TOKEN: 's3cret-token' } });
  t.teardown(() => app.close());
  const body = { play_id: 'play-auth', repository: 'o/r' };
  const headers = { 'content-type': 'application/json' };
  const none = await app.inject({
    method: 'POST',
    url: '/api/v1/session/start',
    headers,
    payload: body,
  });
  t.equal(none.statusCode, 401);
  t.match(none.json(), { status: 'error', message: /bearer token/i });
  const wrong = await app.inject({
    method: 'POST',
    url: '/api/v1/session/start',
    headers: { ...headers, authorization: 'Bearer nope' },
    payload: body,
  });
  t.equal(wrong.statusCode, 401);
  const right = await app.inject({
    method: 'POST',
    url: '/api/v1/session/start',
    headers: { ...headers, authorization: 'Bearer s3cret-token' },
    payload: body,
  });
  t.equal(right.statusCode, 200);
  t.equal((await app.inject({ method: 'GET', url: '/api/v1/sessions' })).statusCode, 200);

  const locked = await testHealer({
    env: { HEALER_API_TOKEN: 's3cret-token', HEALER_API_TOKEN_READS: 'true' },
  });
  t.teardown(() => locked.app.close());
  t.equal((await locked.app.inject({ method: 'GET', url: '/api/v1/sessions' })).statusCode, 401);
  t.equal(
    (
      await locked.app.inject({
        method: 'GET',
        url: '/api/v1/sessions',
        headers: { authorization: 'Bearer s3cret-token' },
      })
    ).statusCode,
    200,
  );
  t.equal(
    (await locked.app.inject({ method: 'GET', url: '/health' })).statusCode,
    200,
    'probes stay open',
  );
});

void t.test('the committed openapi/healer.json equals a fresh generation', async (t) => {
  const committed = readFileSync(new URL('../../openapi/healer.json', import.meta.url), 'utf8');
  const fresh = await renderOpenApi();
  t.equal(committed, fresh, 'run `npm run openapi` and commit the result');
  const doc = JSON.parse(fresh) as {
    openapi: string;
    paths: Record<string, Record<string, { operationId?: string; summary?: string }>>;
  };
  t.equal(doc.openapi, '3.1.0');
  for (const path of [
    '/health',
    '/ready',
    '/metrics',
    '/api/v1/session/start',
    '/api/v1/session/{play_id}',
    '/api/v1/sessions',
    '/api/v1/sessions/active',
    '/api/v1/session/{play_id}/complete',
  ]) {
    const ops = doc.paths[path];
    t.ok(ops, `${path} documented`);
    for (const op of Object.values(ops ?? {})) {
      t.ok(op.operationId && op.summary, `${path} has operationId and summary`);
    }
  }
});

void t.test('/openapi.json and /docs are served', async (t) => {
  const { app } = await testHealer();
  t.teardown(() => app.close());
  const doc = await app.inject({ method: 'GET', url: '/openapi.json' });
  t.equal(doc.statusCode, 200);
  t.match(doc.json(), { openapi: '3.1.0', info: { title: 'Healer' } });
  // "Try it out" targets the host the document was fetched from, not a fixed localhost:8083.
  const elsewhere = await app.inject({
    method: 'GET',
    url: '/openapi.json',
    headers: { host: 'healer.example.test:9000' },
  });
  t.same(elsewhere.json<{ servers: unknown }>().servers, [
    { url: 'http://healer.example.test:9000' },
  ]);
  const uiDoc = await app.inject({
    method: 'GET',
    url: '/docs/json',
    headers: { host: 'cto-healer:8083' },
  });
  t.same(uiDoc.json<{ servers: unknown }>().servers, [{ url: 'http://cto-healer:8083' }]);
  const docs = await app.inject({ method: 'GET', url: '/docs/' });
  t.equal(docs.statusCode, 200);
  t.match(docs.body, /swagger/i);
});
