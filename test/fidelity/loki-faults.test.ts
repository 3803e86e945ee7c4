// Fault injection on the simulated Loki: errors, outages, slow answers and late-arriving lines,
// observed through a real HTTP client.
import t from 'tap';
import { fetch } from 'undici';
import { startLokiSim } from '../sim/loki/index.js';
import { NS, lines, promtailPush, queryRange } from '../sim/loki/testing.js';

void t.test('ingest delay hides fresh lines until they have arrived', async (t) => {
  let now = Date.UTC(2025, 0, 15, 12, 0, 0);
  const sim = await startLokiSim({ clock: () => now });
  t.teardown(() => sim.close());
  await promtailPush(sim.url, [
    { stream: { namespace: 'cto', pod: 'a' }, values: [[NS(now - 2000).toString(), 'early']] },
  ]);
  sim.faults.ingestDelayMs = 5000;
  await promtailPush(sim.url, [
    { stream: { namespace: 'cto', pod: 'a' }, values: [[NS(now - 1000).toString(), 'late']] },
  ]);
  const q = {
    query: '{namespace="cto"}',
    start: NS(now - 60_000),
    end: NS(now + 60_000),
    direction: 'forward',
  };
  t.same(lines((await queryRange(sim.url, q)).json), ['early'], 'the late line is not visible yet');
  now += 4999;
  t.same(lines((await queryRange(sim.url, q)).json), ['early']);
  now += 1;
  t.same(
    lines((await queryRange(sim.url, q)).json),
    ['early', 'late'],
    'visible once the delay has passed',
  );
});

void t.test('failRequests answers 5xx for N requests, then recovers', async (t) => {
  const sim = await startLokiSim();
  t.teardown(() => sim.close());
  sim.faults.failRequests({ status: 502, count: 2 });
  const q = { query: '{namespace="cto"}' };
  const a = await queryRange(sim.url, q);
  const b = await queryRange(sim.url, q);
  const c = await queryRange(sim.url, q);
  t.same([a.status, b.status, c.status], [502, 502, 200]);
  t.equal(a.text, 'Bad Gateway\n');
  t.equal(sim.stats.queries, 3, 'failed queries are counted too');
  t.equal(sim.stats.queriesByPath['/loki/api/v1/query_range'], 3);
});

void t.test('failRequests for a duration, limited to a path', async (t) => {
  const sim = await startLokiSim();
  t.teardown(() => sim.close());
  sim.faults.failRequests({ status: 500, forMs: 150, path: '/loki/api/v1/query_range' });
  t.equal((await queryRange(sim.url, { query: '{a="b"}' })).status, 500);
  t.equal((await fetch(`${sim.url}/loki/api/v1/labels`)).status, 200, 'other paths unaffected');
  await new Promise((r) => setTimeout(r, 200));
  t.equal((await queryRange(sim.url, { query: '{a="b"}' })).status, 200);
});

void t.test('an outage refuses connections, then Loki comes back with its data', async (t) => {
  const sim = await startLokiSim();
  t.teardown(() => sim.close());
  const now = Date.now();
  await promtailPush(sim.url, [
    { stream: { namespace: 'cto', pod: 'a' }, values: [[NS(now - 1000).toString(), 'kept']] },
  ]);
  await queryRange(sim.url, { query: '{namespace="cto"}' }); // a keep-alive connection exists
  sim.faults.outage(200);
  const err = await fetch(`${sim.url}/ready`).then(
    () => undefined,
    (e: Error & { cause?: { code?: string } }) => e,
  );
  t.ok(err, 'the request fails');
  t.match(String(err?.cause?.code), /ECONNREFUSED|ECONNRESET|UND_ERR_SOCKET/);
  await sim.faults.outageOver();
  const r = await queryRange(sim.url, { query: '{namespace="cto"}' });
  t.equal(r.status, 200);
  t.same(lines(r.json), ['kept']);
});

void t.test('a 503 outage keeps listening but answers Service Unavailable', async (t) => {
  const sim = await startLokiSim();
  t.teardown(() => sim.close());
  sim.faults.outage(150, { mode: '503' });
  const down = await fetch(`${sim.url}/ready`);
  t.equal(down.status, 503);
  await down.text();
  await new Promise((r) => setTimeout(r, 200));
  t.equal((await fetch(`${sim.url}/ready`)).status, 200);
});

void t.test('delay slows every answer; clear() removes all faults', async (t) => {
  const sim = await startLokiSim();
  t.teardown(() => sim.close());
  sim.faults.delay(120);
  const began = performance.now();
  await (await fetch(`${sim.url}/ready`)).text();
  t.ok(performance.now() - began >= 110, 'answer took at least the delay');
  sim.faults.failRequests({ status: 500 });
  sim.faults.clear();
  const again = performance.now();
  const res = await fetch(`${sim.url}/ready`);
  t.equal(res.status, 200);
  t.ok(performance.now() - again < 100, 'no delay after clear');
});

void t.test('a slow Loki makes a client deadline fire', async (t) => {
  const sim = await startLokiSim();
  t.teardown(() => sim.close());
  sim.faults.delay(300);
  const err = await fetch(`${sim.url}/loki/api/v1/labels`, {
    signal: AbortSignal.timeout(50),
  }).then(
    () => undefined,
    (e: Error) => e,
  );
  t.equal(err?.name, 'TimeoutError');
});
