import t from 'tap';
import type { Test } from 'tap';
import { Registry } from 'prom-client';
import { fetch } from 'undici';
import { lokiLineFilter } from '../../../src/detectors/patterns/index.js';
import { ManualClock } from '../../../src/domain/clock.js';
import { openMemoryStore } from '../../../src/store/memory/index.js';
import type { Store } from '../../../src/domain/stores.js';
import { LokiPoller, registerLokiMetrics } from '../../../src/sources/logs/index.js';
import type { LogEntry, LokiPollerOptions } from '../../../src/sources/logs/index.js';
import { startLokiSim } from '../../sim/loki/index.js';
import { waitFor } from '../../sim/kube/index.js';
import type { LokiSim } from '../../sim/loki/index.js';
import { silentLogger } from '../../helpers/healer.js';
import { at, catalogue, playSession, REX_POD, stageHarness } from './helpers.js';

const T0 = new Date('2026-03-02T09:00:00Z');
const FILTER = lokiLineFilter(catalogue);
const ns = (d: Date, plusNs = 0n) => (BigInt(d.getTime()) * 1_000_000n + plusNs).toString();
const REX = { namespace: 'cto', pod: REX_POD, container: 'rex' };

async function setup(
  t: Test,
  opts: Partial<LokiPollerOptions> & {
    sim?: LokiSim;
    store?: Store;
    clock?: ManualClock;
  } = {},
) {
  const clock = opts.clock ?? new ManualClock(T0);
  const loki = opts.sim ?? (await startLokiSim({ clock: () => clock.now().getTime() }));
  if (!opts.sim) t.teardown(() => loki.close());
  const store = opts.store ?? openMemoryStore();
  const registry = new Registry();
  const metrics = registerLokiMetrics(registry);
  const got: LogEntry[] = [];
  const gaps: { ns: string; from: Date; to: Date }[] = [];
  const poller = new LokiPoller({
    url: loki.url,
    namespaces: () => ['cto'],
    filter: FILTER,
    store,
    clock,
    logger: silentLogger(),
    metrics,
    onEntries: (_ns, entries) => void got.push(...entries),
    onGap: (n, from, to) => void gaps.push({ ns: n, from, to }),
    backoff: { initialMs: 1000, maxMs: 8000 },
    random: () => 1,
    timeoutMs: 2000,
    ...opts,
  });
  t.teardown(() => poller.stop());
  const metric = async (name: string) =>
    (await registry.getMetricsAsJSON()).find((m) => m.name === name)?.values ?? [];
  return { clock, loki, store, poller, got, gaps, metric };
}

const push = (loki: LokiSim, values: Array<[Date, string]>, stream = REX) =>
  loki.push([{ stream, values: values.map(([d, l], i) => [ns(d, BigInt(i)), l]) }]);

const lines = (got: LogEntry[]) => got.map((e) => e.line);

void t.test(
  'one filtered query per namespace per tick; the cursor persists; lines are routed by labels',
  async (t) => {
    const { clock, loki, store, poller, got } = await setup(t);
    push(loki, [
      [at(T0, -30), 'Starting agent rex'],
      [at(T0, -20), 'Error: connect ECONNREFUSED 10.0.0.1:443'],
      [at(T0, -10), 'config: timeout=30s'],
    ]);
    const report = await poller.pollOnce();
    t.match(report, { namespaces: 1, lines: 2, pages: 1, errors: 0 });
    t.same(
      lines(got),
      ['Error: connect ECONNREFUSED 10.0.0.1:443', 'config: timeout=30s'],
      'Loki filtered server-side (the harmless echo passes the coarse union; the classifier drops it)',
    );
    t.match(got[0], {
      namespace: 'cto',
      pod: REX_POD,
      container: 'rex',
      tsNs: ns(at(T0, -20), 1n),
      labels: { namespace: 'cto', pod: REX_POD, container: 'rex' },
    });
    t.equal(got[0].time.toISOString(), at(T0, -20).toISOString());
    t.equal(await store.getCursor('loki:cto'), ns(at(T0, -5)), 'cursor = now − ingest delay');
    t.equal(loki.stats.queriesByPath['/loki/api/v1/query_range'], 1);
    clock.advance(5000);
    await poller.pollOnce();
    t.equal(loki.stats.queriesByPath['/loki/api/v1/query_range'], 2, 'one query per tick');
    t.equal(got.length, 2, 'the overlap re-read delivers nothing twice');
  },
);

void t.test('lines younger than the ingest delay wait for the next tick', async (t) => {
  const { clock, loki, poller, got } = await setup(t);
  loki.faults.ingestDelayMs = 3000; // Loki shows them 3 s after the push
  push(loki, [[at(T0, -2), 'Error: connect ECONNREFUSED 10.0.0.2:443']]);
  await poller.pollOnce();
  t.same(got, [], 'not read yet: inside the 5 s ingest delay');
  clock.advance(2000);
  await poller.pollOnce();
  t.same(got, []);
  clock.advance(4000);
  await poller.pollOnce();
  t.same(lines(got), ['Error: connect ECONNREFUSED 10.0.0.2:443'], 'read once it is old enough');
  clock.advance(5000);
  await poller.pollOnce();
  t.equal(got.length, 1);
});

void t.test(
  'pages forward while a page is full; lines sharing the boundary timestamp are not lost or repeated',
  async (t) => {
    const { loki, poller, got, store } = await setup(t, { limit: 3 });
    const streams = ['rex', 'docker-daemon'].map((c) => ({ ...REX, container: c }));
    for (const [i, s] of streams.entries()) {
      loki.push([
        {
          stream: s,
          values: [40, 39, 38].map((sec, j): [string, string] => [
            ns(at(T0, -sec)),
            `Error: connect ECONNREFUSED 10.0.${i}.${j}:443`,
          ]),
        },
      ]);
    }
    const report = await poller.pollOnce();
    t.equal(got.length, 6, 'every line');
    t.equal(new Set(got.map((e) => `${e.container}|${e.line}`)).size, 6, 'each once');
    t.equal(
      report.pages,
      3,
      'three pages of three, each after the first starting at the last timestamp',
    );
    const times = got.map((e) => BigInt(e.tsNs));
    t.same(
      times,
      [...times].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
      'in time order',
    );
    t.equal(await store.getCursor('loki:cto'), ns(at(T0, -5)));
  },
);

void t.test('more lines at one nanosecond than a page holds are all read', async (t) => {
  const { loki, poller, got } = await setup(t, { limit: 2 });
  const containers = ['rex', 'docker-daemon', 'tools', 'git', 'wait'];
  for (const c of containers)
    loki.push([
      { stream: { ...REX, container: c }, values: [[ns(at(T0, -20)), `fatal error: ${c}`]] },
    ]);
  push(loki, [[at(T0, -19), 'fatal error: later']]);
  await poller.pollOnce();
  t.same(
    lines(got).sort(),
    [...containers.map((c) => `fatal error: ${c}`), 'fatal error: later'].sort(),
  );
});

void t.test('a long catch-up is spread over ticks (pages per tick)', async (t) => {
  const { loki, poller, got, store } = await setup(t, { limit: 2, maxPagesPerTick: 2 });
  push(
    loki,
    Array.from({ length: 9 }, (_, i): [Date, string] => [
      at(T0, -50 + i),
      `fatal error: boom ${i}`,
    ]),
  );
  await poller.pollOnce();
  t.equal(
    got.length,
    3,
    'two pages of two (each page after the first starts at the last timestamp)',
  );
  t.ok(BigInt((await store.getCursor('loki:cto'))!) < BigInt(ns(at(T0, -5))), 'cursor mid-way');
  let ticks = 1;
  while ((await store.getCursor('loki:cto')) !== ns(at(T0, -5)) && ticks < 10) {
    await poller.pollOnce();
    ticks++;
  }
  t.ok(ticks >= 4 && ticks < 10, `spread over ${ticks} ticks, each making progress`);
  t.same(
    lines(got),
    Array.from({ length: 9 }, (_, i) => `fatal error: boom ${i}`),
  );
  t.equal(await store.getCursor('loki:cto'), ns(at(T0, -5)), 'caught up');
});

void t.test(
  'Loki down for a while, then back: lines of the outage are classified after recovery, none twice',
  async (t) => {
    const h = await setup(t);
    const session = playSession(at(T0, -120));
    const stage = stageHarness({
      clock: h.clock,
      sessions: [session],
      startedAt: { [`cto/${REX_POD}/rex`]: at(T0, -100) },
    });
    const poller = new LokiPoller({
      url: h.loki.url,
      namespaces: () => ['cto'],
      filter: FILTER,
      store: h.store,
      clock: h.clock,
      logger: silentLogger(),
      onEntries: (n, e) => stage.stage.handle(n, e),
      backoff: { initialMs: 1000, maxMs: 8000 },
      random: () => 1,
      timeoutMs: 1000,
    });
    t.teardown(() => poller.stop());
    push(h.loki, [[at(T0, -30), 'Error: connect ECONNREFUSED 10.0.0.1:443']]);
    await poller.pollOnce();
    t.equal(stage.drafts.length, 1);
    const cursor = await h.store.getCursor('loki:cto');

    h.loki.faults.outage(300);
    const during: string[] = [];
    for (let i = 0; i < 6; i++) {
      h.clock.advance(5000);
      const line = `fatal error: out of memory (outage ${i})`;
      during.push(line);
      push(h.loki, [[at(h.clock.now(), -1), line]]); // Promtail keeps pushing to the ingester
      const r = await poller.pollOnce();
      t.ok(r.errors + r.waiting === 1, `tick ${i}: failed or backing off`);
    }
    t.equal(await h.store.getCursor('loki:cto'), cursor, 'the cursor stays while Loki is down');
    t.notOk((await poller.health()).ok, 'health says Loki is down');
    await h.loki.faults.outageOver();
    t.ok((await poller.health()).ok, 'and back');
    for (let i = 0; i < 4; i++) {
      h.clock.advance(5000);
      await poller.pollOnce();
    }
    t.same(
      stage.drafts.map((d) => d.alert),
      Array(1 + during.length).fill('runtime'),
    );
    // the raw line is named in the evidence only (issue 13: descriptions come from rule fields)
    const seen = stage.drafts.map((d) => String(d.context.lineTime) + d.evidence.join('\n'));
    t.equal(new Set(seen).size, seen.length, 'no line twice');
    t.equal(stage.drafts.length, 1 + during.length, 'every outage line classified once');
    t.ok(
      during.every((l) => stage.drafts.some((d) => d.evidence.some((e) => e.includes(l)))),
      'each outage line named',
    );
  },
);

void t.test('errors keep the cursor, back off per namespace, and are counted', async (t) => {
  const { clock, loki, poller, store, metric } = await setup(t);
  await poller.pollOnce();
  const cursor = await store.getCursor('loki:cto');
  loki.faults.failRequests({ status: 500, count: 2, path: '/loki/api/v1/query_range' });
  clock.advance(5000);
  t.match(await poller.pollOnce(), { errors: 1 });
  t.equal(await store.getCursor('loki:cto'), cursor);
  const queries = loki.stats.queries;
  clock.advance(500);
  t.match(await poller.pollOnce(), { errors: 0, waiting: 1 }, 'backing off: no query');
  t.equal(loki.stats.queries, queries);
  clock.advance(1000);
  t.match(await poller.pollOnce(), { errors: 1 }, 'second failure');
  clock.advance(1500);
  t.match(await poller.pollOnce(), { waiting: 1 }, 'the backoff doubled');
  clock.advance(1000);
  t.match(await poller.pollOnce(), { errors: 0, waiting: 0 }, 'recovered');
  t.not(await store.getCursor('loki:cto'), cursor);
  t.match(await metric('healer_loki_errors_total'), [
    { labels: { namespace: 'cto', reason: 'http_5xx' }, value: 2 },
  ]);
  const durations = await metric('healer_loki_query_duration_seconds');
  t.ok(
    durations.some(
      (v) =>
        v.labels.outcome === 'error' &&
        (v as { metricName?: string }).metricName?.endsWith('_count') &&
        v.value === 2,
    ),
    'failed queries timed',
  );
});

void t.test('a slow Loki hits the deadline and counts as a timeout', async (t) => {
  const { loki, poller, metric } = await setup(t, { timeoutMs: 100 });
  loki.faults.delay(400);
  t.match(await poller.pollOnce(), { errors: 1 });
  t.match(await metric('healer_loki_errors_total'), [{ labels: { reason: 'timeout' }, value: 1 }]);
  loki.faults.delay(0);
});

void t.test(
  'a catch-up longer than 1 h reads the last hour and records the gap (callback and metric)',
  async (t) => {
    const store = openMemoryStore();
    await store.setCursor('loki:cto', ns(at(T0, -7200)));
    const { loki, poller, got, gaps, metric } = await setup(t, { store });
    push(loki, [
      [at(T0, -5400), 'fatal error: in the gap'],
      [at(T0, -1800), 'fatal error: in the last hour'],
    ]);
    await poller.pollOnce();
    t.same(lines(got), ['fatal error: in the last hour']);
    t.equal(gaps.length, 1);
    t.same(
      { ns: gaps[0].ns, from: gaps[0].from.toISOString(), to: gaps[0].to.toISOString() },
      { ns: 'cto', from: at(T0, -7200).toISOString(), to: at(T0, -3605).toISOString() },
    );
    t.match(await metric('healer_loki_gap_seconds_total'), [
      { labels: { namespace: 'cto' }, value: 3595 },
    ]);
    const lag = await metric('healer_loki_lag_seconds');
    t.match(lag, [{ labels: { namespace: 'cto' }, value: 5 }], 'lag: now − cursor');
  },
);

void t.test(
  'a restarted poller resumes from the stored cursor without repeating lines',
  async (t) => {
    const store = openMemoryStore();
    const clock = new ManualClock(T0);
    const first = await setup(t, { store, clock });
    push(first.loki, [[at(T0, -20), 'fatal error: before restart']]);
    await first.poller.pollOnce();
    await first.poller.stop();
    clock.advance(3000);
    push(first.loki, [[at(T0, -3), 'fatal error: after restart']]);
    clock.advance(10_000);
    const second = await setup(t, { store, clock, sim: first.loki });
    await second.poller.pollOnce();
    t.same(lines(first.got), ['fatal error: before restart']);
    t.same(lines(second.got), ['fatal error: after restart']);
  },
);

void t.test('odd namespace values are escaped in LogQL', async (t) => {
  const odd = ['we"ird\\ns', 'cto.*', 'tab\there'];
  const { loki, poller, got, metric } = await setup(t, { namespaces: () => odd });
  for (const n of [...odd, 'cto', 'ctoX'])
    push(loki, [[at(T0, -20), `fatal error: in ${JSON.stringify(n)}`]], { ...REX, namespace: n });
  const report = await poller.pollOnce();
  t.match(report, { errors: 0, namespaces: 3 });
  t.same(await metric('healer_loki_errors_total'), []);
  t.same(
    got.map((e) => e.namespace).sort(),
    [...odd].sort(),
    'each namespace matched exactly, no regex, no injection',
  );
});

void t.test('cluster-wide (*) reads every namespace in one query', async (t) => {
  const { loki, poller, got, store } = await setup(t, { namespaces: () => ['*'] });
  push(loki, [[at(T0, -20), 'fatal error: a']], REX);
  push(loki, [[at(T0, -20), 'fatal error: b']], { ...REX, namespace: 'agents' });
  await poller.pollOnce();
  t.same(got.map((e) => e.namespace).sort(), ['agents', 'cto']);
  t.ok(await store.getCursor('loki:*'));
});

void t.test('contextAround reads the unfiltered lines around a line', async (t) => {
  const { loki, poller } = await setup(t);
  push(loki, [
    [at(T0, -40), 'one'],
    [at(T0, -39), 'two'],
    [at(T0, -38), 'three'],
    [at(T0, -37), 'four'],
    [at(T0, -36), 'Error: connect ECONNREFUSED 10.0.0.1:443'],
    [at(T0, -35), 'after one'],
    [at(T0, -34), 'after two'],
    [at(T0, -33), 'after three'],
  ]);
  push(loki, [[at(T0, -36), 'other container']], { ...REX, container: 'docker-daemon' });
  const ctx = await poller.contextAround({
    ...REX,
    tsNs: ns(at(T0, -36), 4n),
    line: 'Error: connect ECONNREFUSED 10.0.0.1:443',
  });
  t.same(ctx, { before: ['two', 'three', 'four'], after: ['after one', 'after two'] });
});

void t.test('health answers through /loki/api/v1/labels', async (t) => {
  const { loki, poller } = await setup(t);
  t.match(await poller.health(), { ok: true, detail: /Loki answers/ });
  t.equal(loki.stats.requestsByPath['/loki/api/v1/labels'], 1);
  loki.faults.failRequests({ status: 503, count: 1, path: '/loki/api/v1/labels' });
  t.match(await poller.health(), { ok: false, detail: /503/ });
});

void t.test('start and stop run the loop on its interval', async (t) => {
  const { loki, poller } = await setup(t, { intervalMs: 20 });
  poller.start();
  await waitFor(() => loki.stats.queries >= 3, { timeoutMs: 3000, what: 'three ticks' });
  await poller.stop();
  const n = loki.stats.queries;
  await new Promise((r) => setTimeout(r, 60));
  t.equal(loki.stats.queries, n, 'stopped');
});

void t.test(
  'late lines (timestamps behind the cursor) inside the trailing window are read exactly once, and counted',
  async (t) => {
    const { clock, loki, poller, got, metric } = await setup(t);
    push(loki, [[at(T0, -20), 'Error: connect ECONNREFUSED 10.0.0.1:443']]);
    await poller.pollOnce();
    t.equal(got.length, 1);
    // the clock moves on; ticks advance the cursor well past T0
    for (let i = 0; i < 12; i++) {
      clock.advance(10_000);
      await poller.pollOnce();
    }
    // a promtail backlog arrives: lines 2 minutes behind the cursor
    push(loki, [[at(T0, 0), 'Error: connect ECONNREFUSED 10.0.0.9:443']], {
      ...REX,
      container: 'docker-daemon',
    });
    await poller.pollOnce();
    t.same(
      lines(got),
      ['Error: connect ECONNREFUSED 10.0.0.1:443', 'Error: connect ECONNREFUSED 10.0.0.9:443'],
      'the late line is read',
    );
    for (let i = 0; i < 3; i++) {
      clock.advance(10_000);
      await poller.pollOnce();
    }
    t.equal(got.length, 2, 'and only once');
    const late = await metric('healer_loki_late_lines_total');
    t.equal(late.find((v) => v.labels.namespace === 'cto')?.value, 1, 'one late line counted');
  },
);

void t.test('lines older than the trailing window are counted as lost', async (t) => {
  const { clock, loki, poller, got, metric } = await setup(t, { overlapMs: 60_000 });
  await poller.pollOnce();
  for (let i = 0; i < 30; i++) {
    clock.advance(10_000);
    await poller.pollOnce();
  }
  // 4 minutes behind the cursor: older than the 1-minute window
  push(loki, [[at(T0, 60), 'Error: connect ECONNREFUSED 10.0.0.7:443']]);
  for (let i = 0; i < 12; i++) {
    clock.advance(10_000);
    await poller.pollOnce();
  }
  t.same(got, [], 'not delivered: older than the window');
  const lost = await metric('healer_loki_lines_older_than_window_total');
  t.equal(lost.find((v) => v.labels.namespace === 'cto')?.value, 1, 'but counted');
});

void t.test(
  'query_range is a POST form, so a union past the 16 KB request-header limit still reaches Loki',
  async (t) => {
    // The catalogue union plus 40 KB of alternatives no line contains: a GET carrying it in its
    // URL is refused by the simulated Loki (Node's 16 KB header limit, like a proxy's 8 KB one).
    const padding = Array.from({ length: 2000 }, (_, i) => `never-seen-word-${i}`).join('|');
    const filter = `${FILTER}|${padding}`;
    const { loki, poller, got } = await setup(t, { filter });
    push(loki, [
      [at(T0, -20), 'Error: connect ECONNREFUSED 10.0.0.1:443'],
      [at(T0, -10), 'Starting agent rex'],
    ]);
    const get = await fetch(
      `${loki.url}/loki/api/v1/query_range?${new URLSearchParams({ query: `{namespace="cto"} |~ "${filter}"` }).toString()}`,
    );
    t.equal(get.status, 431, 'the same query as a GET does not fit in the request line');
    await get.text();
    const report = await poller.pollOnce();
    t.match(report, { errors: 0, lines: 1 });
    t.same(lines(got), ['Error: connect ECONNREFUSED 10.0.0.1:443'], 'filtered by the long union');
    t.equal(loki.stats.requestsByMethod['POST /loki/api/v1/query_range'], 1, 'one POST per tick');
    t.equal(
      loki.stats.queriesByPath['/loki/api/v1/query_range'],
      1,
      'the refused GET never got in',
    );
  },
);
