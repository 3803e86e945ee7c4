// Watch streams and fault injection on the wire: event framing, replay, 410 inside a 200 stream,
// bookmarks, timeoutSeconds, selector transitions, and injected failures, delays and outages.
import t from 'tap';
import { podManifest, startKubeSim, waitFor } from '../sim/kube/index.js';
import type { KubeSim, Wire } from '../sim/kube/index.js';

interface Watch {
  status: number;
  contentType: string | null;
  events: { type: string; object: Wire }[];
  ended: Promise<void>;
  abort(): void;
}

async function openWatch(sim: KubeSim, path: string): Promise<Watch> {
  const ctl = new AbortController();
  const res = await fetch(sim.url + path, {
    signal: ctl.signal,
    headers: { Authorization: 'Bearer sim-token' },
  });
  const events: Watch['events'] = [];
  const ended = (async () => {
    const decoder = new TextDecoder();
    let buf = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buf += decoder.decode(chunk, { stream: true });
        let i: number;
        while ((i = buf.indexOf('\n')) >= 0) {
          events.push(JSON.parse(buf.slice(0, i)));
          buf = buf.slice(i + 1);
        }
      }
    } catch {
      // aborted
    }
  })();
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    events,
    ended,
    abort: () => ctl.abort(),
  };
}

const PODS = '/api/v1/namespaces/cto/pods';

void t.test('watch streams', async (t) => {
  const sim = await startKubeSim({ bookmarkIntervalMs: 40 });
  t.teardown(() => sim.close());

  await t.test(
    'without resourceVersion: synthetic ADDED for existing objects, then live events',
    async (t) => {
      sim.create(podManifest('w-0'));
      const w = await openWatch(sim, `${PODS}?watch=true`);
      t.equal(w.status, 200);
      t.equal(w.contentType, 'application/json');
      sim.patchMerge('v1', 'Pod', 'cto', 'w-0', { metadata: { labels: { a: '1' } } });
      sim.delete('v1', 'Pod', 'cto', 'w-0');
      await waitFor(() => w.events.length === 3);
      t.same(
        w.events.map((e) => e.type),
        ['ADDED', 'MODIFIED', 'DELETED'],
      );
      t.equal(w.events[0].object.kind, 'Pod', 'watch objects carry kind and apiVersion');
      t.ok(
        Number(w.events[2].object.metadata.resourceVersion) >
          Number(w.events[1].object.metadata.resourceVersion),
        'DELETED carries the deletion resourceVersion',
      );
      w.abort();
      await w.ended;
    },
  );

  await t.test(
    'with resourceVersion: replays later changes from history, across namespaces on /pods',
    async (t) => {
      const rv = sim.stats.resourceVersion;
      sim.create(podManifest('w-1'));
      sim.create(podManifest('w-2', { namespace: 'default' }));
      sim.create({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'noise', namespace: 'cto' },
      });
      const ns = await openWatch(sim, `${PODS}?watch=1&resourceVersion=${rv}`);
      const all = await openWatch(sim, `/api/v1/pods?watch=true&resourceVersion=${rv}`);
      await waitFor(() => ns.events.length === 1 && all.events.length === 2);
      t.same(
        ns.events.map((e) => e.object.metadata.name),
        ['w-1'],
      );
      t.same(
        all.events.map((e) => `${e.object.metadata.namespace}/${e.object.metadata.name}`),
        ['cto/w-1', 'default/w-2'],
      );
      ns.abort();
      all.abort();
    },
  );

  await t.test(
    'a compacted resourceVersion answers one ERROR 410 Expired event in a 200 stream, then ends',
    async (t) => {
      const rv = sim.stats.resourceVersion;
      sim.faults.compact();
      const w = await openWatch(sim, `${PODS}?watch=true&resourceVersion=${rv}`);
      t.equal(w.status, 200);
      await w.ended;
      t.equal(w.events.length, 1);
      t.match(w.events[0], {
        type: 'ERROR',
        object: {
          kind: 'Status',
          apiVersion: 'v1',
          status: 'Failure',
          reason: 'Expired',
          code: 410,
          message: new RegExp(`^too old resource version: ${rv} \\(\\d+\\)$`),
        },
      });
      const list: Wire = await fetch(`${sim.url}${PODS}?limit=1`).then((r) => r.json());
      const fresh = await openWatch(
        sim,
        `${PODS}?watch=true&resourceVersion=${list.metadata.resourceVersion}`,
      );
      sim.create(podManifest('after-compact'));
      await waitFor(() => fresh.events.length === 1, {
        what: 'a watch from the list resourceVersion',
      });
      fresh.abort();
    },
  );

  await t.test(
    'bookmarks: periodic, on demand, and initial-events-end with sendInitialEvents',
    async (t) => {
      const w = await openWatch(
        sim,
        `${PODS}?watch=true&allowWatchBookmarks=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan`,
      );
      await waitFor(() => w.events.filter((e) => e.type === 'BOOKMARK').length >= 2, {
        what: 'periodic bookmarks',
      });
      const first = w.events.find((e) => e.type === 'BOOKMARK');
      t.same(first!.object.metadata.annotations, { 'k8s.io/initial-events-end': 'true' });
      t.equal(first!.object.kind, 'Pod');
      t.ok(
        w.events.findIndex((e) => e.type === 'ADDED') < w.events.indexOf(first!),
        'initial ADDED events come first',
      );
      const plain = await openWatch(
        sim,
        `${PODS}?watch=true&resourceVersion=${sim.stats.resourceVersion}`,
      );
      sim.sendBookmarks();
      sim.create(podManifest('bm'));
      await waitFor(() => plain.events.length === 1);
      t.same(
        plain.events.map((e) => e.type),
        ['ADDED'],
        'no bookmarks unless allowed',
      );
      w.abort();
      plain.abort();
    },
  );

  await t.test('timeoutSeconds ends the stream cleanly', async (t) => {
    const started = Date.now();
    const w = await openWatch(
      sim,
      `${PODS}?watch=true&timeoutSeconds=1&resourceVersion=${sim.stats.resourceVersion}`,
    );
    await w.ended;
    t.ok(Date.now() - started >= 900 && Date.now() - started < 3000);
  });

  await t.test(
    'a selector watch sees objects enter (ADDED) and leave (DELETED) the selection',
    async (t) => {
      sim.create(podManifest('sel', { labels: { agent: 'rex' } }));
      const w = await openWatch(
        sim,
        `${PODS}?watch=true&labelSelector=${encodeURIComponent('agent=rex,stage')}&resourceVersion=${sim.stats.resourceVersion}`,
      );
      sim.patchMerge('v1', 'Pod', 'cto', 'sel', { metadata: { labels: { stage: 'impl' } } });
      sim.patchMerge('v1', 'Pod', 'cto', 'sel', { metadata: { labels: { stage: 'quality' } } });
      sim.patchMerge('v1', 'Pod', 'cto', 'sel', { metadata: { labels: { agent: 'cleo' } } });
      await waitFor(() => w.events.length === 3);
      t.same(
        w.events.map((e) => e.type),
        ['ADDED', 'MODIFIED', 'DELETED'],
      );
      const f = await openWatch(
        sim,
        `${PODS}?watch=true&fieldSelector=status.phase%3DRunning&resourceVersion=${sim.stats.resourceVersion}`,
      );
      sim.patchStatus('v1', 'Pod', 'cto', 'sel', { status: { phase: 'Running' } });
      await waitFor(() => f.events.length === 1);
      t.equal(f.events[0].type, 'ADDED');
      w.abort();
      f.abort();
    },
  );

  await t.test(
    'stallWatches: the stream stays open and silent; a re-watch replays what it missed',
    async (t) => {
      const rv = sim.stats.resourceVersion;
      const w = await openWatch(
        sim,
        `${PODS}?watch=true&allowWatchBookmarks=true&resourceVersion=${rv}`,
      );
      await waitFor(() => sim.stats.watchesOpen === 1);
      t.equal(sim.faults.stallWatches(), 1);
      sim.create(podManifest('missed'));
      await new Promise((r) => setTimeout(r, 100));
      t.same(
        w.events.filter((e) => e.type !== 'BOOKMARK'),
        [],
        'nothing arrives, not even bookmarks',
      );
      t.equal(sim.stats.watchesOpen, 1, 'the stalled stream is still open');
      w.abort();
      const again = await openWatch(sim, `${PODS}?watch=true&resourceVersion=${rv}`);
      await waitFor(() => again.events.length === 1);
      t.equal(again.events[0].object.metadata.name, 'missed');
      again.abort();
    },
  );

  await t.test('cutWatches ends streams cleanly; abrupt resets them', async (t) => {
    const a = await openWatch(
      sim,
      `${PODS}?watch=true&resourceVersion=${sim.stats.resourceVersion}`,
    );
    await waitFor(() => sim.stats.watchesOpen === 1);
    t.equal(sim.faults.cutWatches(), 1);
    await a.ended;
    t.equal(sim.stats.watchesOpen, 0);
    const b = await fetch(
      `${sim.url}${PODS}?watch=true&resourceVersion=${sim.stats.resourceVersion}`,
    );
    const reading = b.text();
    await waitFor(() => sim.stats.watchesOpen === 1);
    sim.faults.cutWatches({ abrupt: true });
    await t.rejects(reading, 'the client sees a reset, not a clean end');
  });
});

void t.test('fault injection', async (t) => {
  const sim = await startKubeSim();
  t.teardown(() => sim.close());
  const get = (path = PODS) => fetch(sim.url + path);

  await t.test('failRequests: 429 TooManyRequests with Retry-After, for a count', async (t) => {
    sim.faults.failRequests({ status: 429, count: 2, match: /\/pods/, retryAfterSeconds: 3 });
    t.equal(
      (await get('/api/v1/namespaces/cto/configmaps')).status,
      200,
      'unmatched requests pass',
    );
    const r = await get();
    t.equal(r.status, 429);
    t.equal(r.headers.get('retry-after'), '3');
    t.match(await r.json(), {
      kind: 'Status',
      reason: 'TooManyRequests',
      code: 429,
      details: { retryAfterSeconds: 3 },
    });
    t.equal((await get()).status, 429);
    t.equal((await get()).status, 200, 'the count is used up');
    t.equal(sim.stats.injectedFailures, 2);
  });

  await t.test('failRequests: 500 InternalError for a while; clear() stops it', async (t) => {
    sim.faults.failRequests({ status: 500, forMs: 60_000 });
    const r = await get();
    t.equal(r.status, 500);
    t.match(await r.json(), { reason: 'InternalError', code: 500 });
    sim.faults.clear();
    t.equal((await get()).status, 200);
  });

  await t.test('delay applies to every response', async (t) => {
    sim.faults.delay(120);
    const started = Date.now();
    await get();
    t.ok(Date.now() - started >= 110);
    sim.faults.delay(0);
  });

  await t.test(
    'refuseConnections: connection refused, then the same port answers again',
    async (t) => {
      const w = await fetch(`${sim.url}${PODS}?watch=true`);
      const reading = w.text();
      await waitFor(() => sim.stats.watchesOpen === 1);
      const back = sim.faults.refuseConnections(150);
      await t.rejects(reading, 'open streams are reset');
      const err = await get().then(
        () => undefined,
        (e: unknown) => e as Error & { cause?: { code?: string } },
      );
      t.equal(err?.cause?.code, 'ECONNREFUSED');
      await back;
      t.equal((await get()).status, 200);
      const started = Date.now();
      await Promise.all([sim.faults.refuseConnections(50), sim.faults.refuseConnections(150)]);
      t.ok(Date.now() - started >= 140, 'overlapping outages merge and end with the last');
      t.equal((await get()).status, 200);
    },
  );

  await t.test('close() ends open watches and log follows cleanly', async (t) => {
    const other = await startKubeSim();
    other.create(podManifest('p'));
    const w = await fetch(`${other.url}${PODS}?watch=true`);
    const l = await fetch(`${other.url}${PODS}/p/log?follow=true`);
    const [wt, lt] = [w.text(), l.text()];
    await waitFor(() => other.stats.watchesOpen === 1 && other.stats.logStreamsOpen === 1);
    await other.close();
    t.match(await wt, /"ADDED"/);
    t.equal(await lt, '');
  });
});
