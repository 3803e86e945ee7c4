import t from 'tap';
import { MCP_FIXTURE, testHealer } from '../helpers/healer.js';

const json = 'application/json';
const valid = { play_id: 'play-ok', repository: 'o/r' };
const deep = (n: number) => '['.repeat(n) + '1' + ']'.repeat(n);
const huge = 'x'.repeat(300_000);

/**
 * [name, content-type, raw body] — every one must get a 4xx JSON answer and change nothing.
 * (Upper-case play ids, ids with spaces or quotes and bare repository names used to be here: the
 * upstream service accepts them, so Healer does too — see upstream-bodies.test.ts.)
 */
const CASES: [string, string | undefined, string][] = [
  ['not JSON at all', json, 'hello'],
  ['truncated JSON', json, '{"play_id": "play-x", "repository": '],
  ['empty body with JSON type', json, ''],
  ['JSON null', json, 'null'],
  ['JSON array', json, '[1,2,3]'],
  ['JSON string', json, '"play-x"'],
  ['JSON number', json, '42'],
  ['empty object', json, '{}'],
  ['missing play_id', json, JSON.stringify({ repository: 'o/r' })],
  ['missing repository', json, JSON.stringify({ play_id: 'play-x' })],
  ['play_id a number', json, JSON.stringify({ ...valid, play_id: 123 })],
  ['play_id too long', json, JSON.stringify({ ...valid, play_id: 'p'.repeat(254) })],
  ['play_id empty', json, JSON.stringify({ ...valid, play_id: '' })],
  ['play_id with a newline', json, JSON.stringify({ ...valid, play_id: 'play\nx' })],
  ['repository a path without host', json, JSON.stringify({ ...valid, repository: 'a/b/c' })],
  ['repository an object', json, JSON.stringify({ ...valid, repository: { owner: 'o' } })],
  ['namespace not a DNS label', json, JSON.stringify({ ...valid, namespace: 'CTO_ns' })],
  ['tasks an object', json, JSON.stringify({ ...valid, tasks: { id: '1' } })],
  ['task without title', json, JSON.stringify({ ...valid, tasks: [{ id: '1' }] })],
  ['task id boolean', json, JSON.stringify({ ...valid, tasks: [{ id: true, title: 't' }] })],
  ['task id negative', json, JSON.stringify({ ...valid, tasks: [{ id: -1, title: 't' }] })],
  [
    'task priority fractional',
    json,
    JSON.stringify({ ...valid, tasks: [{ id: '1', title: 't', priority: 1.5 }] }),
  ],
  [
    '1001 tasks',
    json,
    JSON.stringify({
      ...valid,
      tasks: Array.from({ length: 1001 }, (_, i) => ({ id: String(i), title: 't' })),
    }),
  ],
  ['agents an array', json, JSON.stringify({ ...valid, cto_config: { agents: [] } })],
  [
    'remote tools not strings',
    json,
    JSON.stringify({ ...valid, cto_config: { agents: { rex: { tools: { remote: [1, 2] } } } } }),
  ],
  [
    'local server enabled a string',
    json,
    JSON.stringify({
      ...valid,
      cto_config: { agents: { rex: { tools: { localServers: { fs: { enabled: 'yes' } } } } } },
    }),
  ],
  [
    '65 agents',
    json,
    JSON.stringify({
      ...valid,
      cto_config: {
        agents: Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`a${i}`, {}])),
      },
    }),
  ],
  [
    'agent name with a slash',
    json,
    JSON.stringify({ ...valid, cto_config: { agents: { 're/x': {} } } }),
  ],
  ['huge title string', json, JSON.stringify({ ...valid, tasks: [{ id: '1', title: huge }] })],
  ['huge repository string', json, JSON.stringify({ ...valid, repository: huge })],
  [
    'deep nesting in tasks',
    json,
    `{"play_id":"play-deep","repository":"o/r","tasks":${deep(5000)}}`,
  ],
  [
    'very deep nesting in tasks',
    json,
    `{"play_id":"play-deep2","repository":"o/r","tasks":${deep(300_000)}}`,
  ],
  [
    'deep nesting in an agent',
    json,
    `{"play_id":"play-deep3","repository":"o/r","cto_config":{"agents":{"rex":${deep(10_000)}}}}`,
  ],
  [
    '__proto__ key at the top',
    json,
    '{"play_id":"play-proto","repository":"o/r","__proto__":{"polluted":true}}',
  ],
  [
    '__proto__ key nested',
    json,
    '{"play_id":"play-proto2","repository":"o/r","cto_config":{"agents":{"__proto__":{"cli":"x"}}}}',
  ],
  [
    'constructor.prototype key',
    json,
    '{"play_id":"play-ctor","repository":"o/r","constructor":{"prototype":{"x":1}}}',
  ],
  ['wrong content type text/plain', 'text/plain', JSON.stringify(valid)],
  ['form encoded', 'application/x-www-form-urlencoded', 'play_id=play-form&repository=o%2Fr'],
  ['no content type', undefined, JSON.stringify(valid)],
  ['2 MiB body', json, JSON.stringify({ ...valid, service: 'y'.repeat(2 * 1024 * 1024) })],
  ['invalid UTF-8 bytes', json, '{"play_id":"play-\udc00","repository":"o/r"}'],
  [
    'duplicate keys with a bad last value',
    json,
    '{"play_id":"play-dup","repository":"o/r","play_id":7}',
  ],
];

void t.test(
  `${CASES.length} malformed start bodies → 4xx JSON, never 5xx, store unchanged`,
  async (t) => {
    t.ok(CASES.length >= 30);
    const { app, store } = await testHealer();
    t.teardown(() => app.close());
    // one valid session so "unchanged" is checked against non-empty state
    await app.inject({
      method: 'POST',
      url: '/api/v1/session/start',
      headers: { 'content-type': json },
      payload: MCP_FIXTURE,
    });
    const before = await store.listSessions({ limit: 100 });

    for (const [name, type, body] of CASES) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/session/start',
        headers: type ? { 'content-type': type } : {},
        payload: body,
      });
      t.ok(res.statusCode >= 400 && res.statusCode < 500, `${name}: ${res.statusCode}`);
      let parsed: { status?: string; message?: string } = {};
      t.doesNotThrow(() => (parsed = res.json()), `${name}: JSON answer`);
      t.equal(parsed.status, 'error', `${name}: status error`);
      t.ok(
        typeof parsed.message === 'string' &&
          parsed.message.length > 10 &&
          parsed.message.length < 2000,
        `${name}: useful message: ${parsed.message}`,
      );
      t.notMatch(parsed.message ?? '', /at .*\.(ts|js):\d+/, `${name}: no stack trace`);
    }
    t.same(await store.listSessions({ limit: 100 }), before, 'store unchanged');
    t.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype pollution');
  },
);

void t.test(
  'specific status codes: 413, 415, and a 422 envelope listing every field error',
  async (t) => {
    const { app } = await testHealer();
    t.teardown(() => app.close());
    const big = await app.inject({
      method: 'POST',
      url: '/api/v1/session/start',
      headers: { 'content-type': json },
      payload: JSON.stringify({ ...valid, service: 'y'.repeat(2 * 1024 * 1024) }),
    });
    t.equal(big.statusCode, 413);
    const text = await app.inject({
      method: 'POST',
      url: '/api/v1/session/start',
      headers: { 'content-type': 'text/plain' },
      payload: 'x',
    });
    t.equal(text.statusCode, 415);
    t.match(text.json(), { status: 'error', session_id: null, message: /application\/json/ });
    const many = await app.inject({
      method: 'POST',
      url: '/api/v1/session/start',
      headers: { 'content-type': json },
      payload: {
        play_id: 'play-ok',
        repository: 'no/pe/x',
        namespace: 'BAD',
        tasks: [{ id: '1' }, { title: 2 }],
      },
    });
    // parses but does not fit: 422, as upstream answers (400 stays for malformed JSON)
    t.equal(many.statusCode, 422);
    const body = many.json<{
      session_id: string;
      message: string;
      errors: { path: string; message: string }[];
    }>();
    t.equal(body.session_id, 'play-ok');
    t.same(body.errors.map((e) => e.path).sort(), [
      'namespace',
      'repository',
      'tasks.0.title',
      'tasks.1.id',
      'tasks.1.title',
    ]);
    t.match(body.message, /^Invalid request: .+ \(and 2 more\)$/);
  },
);
