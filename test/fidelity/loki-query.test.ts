// The simulated Loki answers pushes and LogQL log queries the way Loki does, through real HTTP.
import t from 'tap';
import { fetch } from 'undici';
import { startLokiSim } from '../sim/loki/index.js';
import {
  NS,
  checkStreamsResponse,
  entries,
  lines,
  promtailPush,
  queryRange,
} from '../sim/loki/testing.js';
import type { LokiStreamsBody } from '../sim/loki/testing.js';

const base = Date.UTC(2025, 0, 15, 12, 0, 0);
const sim = await startLokiSim({ clock: () => base + 60_000 });
t.teardown(() => sim.close());

const pod = (name: string, container = 'agent') => ({
  namespace: 'cto',
  pod: name,
  container,
  job: 'cto/agents',
});
const at = (s: number) => NS(base + s * 1000).toString();
const range = { start: NS(base - 60_000), end: NS(base + 60_000) };

const pushed = await promtailPush(sim.url, [
  {
    stream: pod('play-42-rex-abc'),
    values: [
      [at(1), 'INFO starting rex agent'],
      [at(2), 'MCP server tools-server: Failed to Initialize: connection refused'],
      [at(3), 'level=info msg="tool call ok"'],
    ],
  },
  { stream: pod('play-42-rex-abc', 'sidecar'), values: [[at(4), 'sidecar heartbeat']] },
  { stream: pod('play-42-tess-def'), values: [[at(5), 'Tess: all checks pass ✅']] },
  {
    stream: { namespace: 'other', pod: 'x', container: 'agent' },
    values: [[at(6), 'unrelated failed to initialize']],
  },
]);

void t.test('a Promtail JSON push is accepted with 204 and no body', (t) => {
  t.equal(pushed.status, 204);
  t.equal(pushed.body, '');
  t.end();
});

void t.test('query_range answers the documented streams shape', async (t) => {
  const r = await queryRange(sim.url, {
    query: '{namespace="cto"}',
    ...range,
    limit: 100,
    direction: 'forward',
  });
  t.equal(r.status, 200);
  t.same(checkStreamsResponse(r.json), []);
  t.equal(lines(r.json).length, 5);
  const labels = r.json!.data.result.map((s: { stream: Record<string, string> }) => s.stream);
  t.ok(
    labels.every((l: Record<string, string>) => l.namespace === 'cto' && l.pod && l.container),
    'stream labels are the pushed labels',
  );
  t.ok(
    labels.every((l: Record<string, string>) => l.service_name === l.container),
    'Loki 3 adds service_name',
  );
});

void t.test(
  'a (?i) regex line filter finds a pushed line; a non-matching one does not',
  async (t) => {
    const hit = await queryRange(sim.url, {
      query: '{namespace="cto"} |~ "(?i)mcp.*failed to initialize"',
      ...range,
    });
    t.same(lines(hit.json), ['MCP server tools-server: Failed to Initialize: connection refused']);
    t.equal(hit.json!.data.result[0].stream.pod, 'play-42-rex-abc');
    const miss = await queryRange(sim.url, {
      query: '{namespace="cto"} |~ "(?i)out of memory|oomkilled"',
      ...range,
    });
    t.equal(miss.status, 200);
    t.same(miss.json!.data.result, []);
    const caseSensitive = await queryRange(sim.url, {
      query: '{namespace="cto"} |~ "mcp.*failed"',
      ...range,
    });
    t.same(lines(caseSensitive.json), [], 'without (?i) the match is case-sensitive');
  },
);

void t.test('line filters |= != |~ !~ chain, and `or` alternatives work', async (t) => {
  const q = async (query: string) =>
    lines((await queryRange(sim.url, { query, ...range, direction: 'forward' })).json);
  t.same(await q('{namespace="cto"} |= "rex"'), ['INFO starting rex agent']);
  t.same(await q('{namespace="cto", container="agent"} != "INFO" !~ "(?i)^level="'), [
    'MCP server tools-server: Failed to Initialize: connection refused',
    'Tess: all checks pass ✅',
  ]);
  t.same((await q('{namespace="cto"} |= "heartbeat" or "✅"')).sort(), [
    'Tess: all checks pass ✅',
    'sidecar heartbeat',
  ]);
  t.same(await q('{namespace="cto"} |~ `\\d+` '), [], 'raw strings keep backslashes');
  t.same(
    await q('{namespace="cto"} |= "\\u2705"'),
    ['Tess: all checks pass ✅'],
    'Go escapes in strings',
  );
});

void t.test('label matchers = != =~ !~ select streams (regexes fully anchored)', async (t) => {
  const pods = async (sel: string) => {
    const r = await queryRange(sim.url, { query: sel, ...range });
    return [...new Set(entries(r.json).map((e) => `${e.stream.pod}/${e.stream.container}`))].sort();
  };
  t.same(await pods('{namespace="cto", pod="play-42-tess-def"}'), ['play-42-tess-def/agent']);
  t.same(await pods('{namespace="cto", container!="agent"}'), ['play-42-rex-abc/sidecar']);
  t.same(await pods('{pod=~"play-42-.*-abc"}'), [
    'play-42-rex-abc/agent',
    'play-42-rex-abc/sidecar',
  ]);
  t.same(await pods('{pod=~"play-42"}'), [], 'regex matchers are anchored');
  t.same(await pods('{namespace=~"cto|other", pod!~"play-.*"}'), ['x/agent']);
  t.same(
    await pods('{namespace="cto", missing=""}'),
    ['play-42-rex-abc/agent', 'play-42-rex-abc/sidecar', 'play-42-tess-def/agent'],
    'absent label equals ""',
  );
});

void t.test('limit applies across streams, sorted by time in the given direction', async (t) => {
  const back = await queryRange(sim.url, { query: '{namespace="cto"}', ...range, limit: 2 });
  t.same(
    entries(back.json)
      .map((e) => e.line)
      .sort(),
    ['Tess: all checks pass ✅', 'sidecar heartbeat'].sort(),
    'backward (default) keeps the newest',
  );
  const fwd = await queryRange(sim.url, {
    query: '{namespace="cto"}',
    ...range,
    limit: 2,
    direction: 'FORWARD',
  });
  t.same(lines(fwd.json), [
    'INFO starting rex agent',
    'MCP server tools-server: Failed to Initialize: connection refused',
  ]);
  const within = await queryRange(sim.url, {
    query: '{pod="play-42-rex-abc", container="agent"}',
    ...range,
    limit: 3,
  });
  t.same(
    within.json!.data.result[0].values.map((v: string[]) => v[1]),
    [
      'level=info msg="tool call ok"',
      'MCP server tools-server: Failed to Initialize: connection refused',
      'INFO starting rex agent',
    ],
    'backward answers are newest first inside a stream',
  );
});

void t.test(
  'forward paging by advancing start past the last timestamp returns every line once',
  async (t) => {
    const sim2 = await startLokiSim();
    t.teardown(() => sim2.close());
    const t0 = Date.now() - 30_000;
    const values: Array<[string, string]> = [];
    for (let i = 0; i < 25; i++) values.push([NS(t0 + i * 10).toString(), `line ${i}`]);
    await promtailPush(sim2.url, [
      { stream: { namespace: 'cto', pod: 'a' }, values: values.filter((_, i) => i % 2 === 0) },
      { stream: { namespace: 'cto', pod: 'b' }, values: values.filter((_, i) => i % 2 === 1) },
    ]);
    let start = NS(t0 - 1000);
    const end = NS(Date.now());
    const seen: string[] = [];
    let pages = 0;
    for (;;) {
      const r = await queryRange(sim2.url, {
        query: '{namespace="cto"}',
        start,
        end,
        limit: 10,
        direction: 'forward',
      });
      t.equal(r.status, 200);
      const page = entries(r.json).sort((a, b) => (a.ts < b.ts ? -1 : 1));
      pages++;
      seen.push(...page.map((e) => e.line));
      if (page.length < 10) break;
      start = page[page.length - 1].ts + 1n;
    }
    t.equal(pages, 3);
    t.same(
      seen,
      values.map((v) => v[1]),
    );
  },
);

void t.test(
  'start/end accept nanoseconds, RFC3339 and float seconds; end is exclusive',
  async (t) => {
    const q = '{namespace="cto", container="agent", pod="play-42-rex-abc"}';
    const iso = (s: number) => new Date(base + s * 1000).toISOString();
    const a = await queryRange(sim.url, {
      query: q,
      start: iso(2),
      end: iso(3),
      direction: 'forward',
    });
    t.same(lines(a.json), ['MCP server tools-server: Failed to Initialize: connection refused']);
    const b = await queryRange(sim.url, {
      query: q,
      start: ((base + 1000) / 1000).toFixed(3),
      end: ((base + 2500) / 1000).toFixed(3),
    });
    t.equal(lines(b.json).length, 2);
    const c = await queryRange(sim.url, {
      query: q,
      start: String(Math.floor(base / 1000)),
      end: String(Math.floor(base / 1000) + 2),
    });
    t.same(lines(c.json), ['INFO starting rex agent'], 'ten-digit integers are seconds');
    const bad = await queryRange(sim.url, { query: q, start: 'yesterday' });
    t.equal(bad.status, 400);
  },
);

void t.test('parse errors answer 400 in Loki plain-text style', async (t) => {
  const cases: Array<[string, string | RegExp]> = [
    ['{app="x"', 'parse error at line 1, col 9: syntax error: unexpected $end, expecting , or }'],
    [
      '{app=x}',
      'parse error at line 1, col 6: syntax error: unexpected IDENTIFIER, expecting STRING',
    ],
    [
      '{app="x"} |= foo',
      'parse error at line 1, col 14: syntax error: unexpected IDENTIFIER, expecting STRING',
    ],
    ['app="x"', 'parse error at line 1, col 1: syntax error: unexpected IDENTIFIER'],
    ['{app="x"} |', 'parse error at line 1, col 12: syntax error: unexpected $end'],
    [
      '{app="x",\n pod=~"a" |= "b"',
      'parse error at line 2, col 11: syntax error: unexpected |=, expecting , or }',
    ],
    ['', 'parse error : syntax error: unexpected $end'],
    ['{app="x"} |= "a\\qb"', /^parse error at line 1, col 14: invalid char escape/],
    ['{app=~".*"}', /^parse error : queries require at least one regexp or equality matcher/],
    ['{app="x"} |~ "(?<=a)b"', /^parse error : error parsing regexp: /],
    [
      '{app="x"} |~ "a(?!b)"',
      /^parse error : error parsing regexp: invalid or unsupported Perl syntax/,
    ],
  ];
  for (const [query, want] of cases) {
    const r = await queryRange(sim.url, { query, ...range });
    t.equal(r.status, 400, query);
    if (typeof want === 'string') t.equal(r.text, `${want}\n`, query);
    else t.match(r.text, want, query);
  }
});

void t.test('metric queries and unsupported stages answer a clear 400', async (t) => {
  const m = await queryRange(sim.url, { query: 'count_over_time({app="x"}[5m])', ...range });
  t.equal(m.status, 400);
  t.match(m.text, /metric queries are not supported/);
  const s = await queryRange(sim.url, { query: '{app="x"} | json', ...range });
  t.equal(s.status, 400);
  t.match(s.text, /only line filters/);
});

void t.test(
  'limit above max_entries_limit_per_query and a bad direction are refused',
  async (t) => {
    const a = await queryRange(sim.url, { query: '{namespace="cto"}', limit: 5001 });
    t.equal(a.status, 400);
    t.match(a.text, /max entries limit per query exceeded/);
    const b = await queryRange(sim.url, { query: '{namespace="cto"}', direction: 'sideways' });
    t.equal(b.status, 400);
  },
);

void t.test('query_range also accepts POST form-encoded parameters', async (t) => {
  const res = await fetch(`${sim.url}/loki/api/v1/query_range`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      query: '{namespace="cto"} |= "Tess"',
      start: range.start.toString(),
      end: range.end.toString(),
    }),
  });
  t.equal(res.status, 200);
  t.same(lines((await res.json()) as LokiStreamsBody), ['Tess: all checks pass ✅']);
});

void t.test('/query refuses log queries like Loki 3 does', async (t) => {
  const res = await fetch(
    `${sim.url}/loki/api/v1/query?${new URLSearchParams({ query: '{namespace="cto"}' }).toString()}`,
  );
  t.equal(res.status, 400);
  t.equal(
    await res.text(),
    'log queries are not supported as an instant query type, please change your query to a range query type\n',
  );
});

void t.test('labels and label values endpoints', async (t) => {
  const names = await (
    await fetch(`${sim.url}/loki/api/v1/labels?start=${range.start}&end=${range.end}`)
  ).json();
  t.same(names, {
    status: 'success',
    data: ['container', 'job', 'namespace', 'pod', 'service_name'],
  });
  const values = await (
    await fetch(`${sim.url}/loki/api/v1/label/pod/values?start=${range.start}&end=${range.end}`)
  ).json();
  t.same(values, { status: 'success', data: ['play-42-rex-abc', 'play-42-tess-def', 'x'] });
  const q = encodeURIComponent('{namespace="other"}');
  const scoped = await (
    await fetch(
      `${sim.url}/loki/api/v1/label/pod/values?query=${q}&start=${range.start}&end=${range.end}`,
    )
  ).json();
  t.same((scoped as { data: string[] }).data, ['x']);
  const ready = await fetch(`${sim.url}/ready`);
  t.equal(ready.status, 200);
  t.equal((await ready.text()).trim(), 'ready');
});

void t.test('pushes with another content type or a bad body are refused', async (t) => {
  const proto = await fetch(`${sim.url}/loki/api/v1/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-protobuf' },
    body: Buffer.from([1, 2, 3]),
  });
  t.equal(proto.status, 415);
  t.match(await proto.text(), /unsupported content type/);
  const bad = await fetch(`${sim.url}/loki/api/v1/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"streams":[{"stream":{},"values":[["1","x"]]}]}',
  });
  t.equal(bad.status, 400);
  t.equal(await bad.text(), 'error at least one label pair is required per stream\n');
  const badTs = await promtailPush(sim.url, [{ stream: { a: 'b' }, values: [['soon', 'x']] }]);
  t.equal(badTs.status, 400);
});

void t.test('an exact duplicate entry is stored once', async (t) => {
  const ts = at(30);
  await promtailPush(sim.url, [
    {
      stream: { namespace: 'dup', pod: 'p' },
      values: [
        [ts, 'same'],
        [ts, 'same'],
        [ts, 'other'],
      ],
    },
  ]);
  await promtailPush(sim.url, [{ stream: { namespace: 'dup', pod: 'p' }, values: [[ts, 'same']] }]);
  const r = await queryRange(sim.url, {
    query: '{namespace="dup"}',
    ...range,
    direction: 'forward',
  });
  t.same(lines(r.json), ['same', 'other']);
});
