// The run history learned thresholds come from (issue #18): per agent and stage, a run counted
// once, capped, durable across a reopen of the SQLite store, and a damaged document dropped
// rather than crashing the start.
import t from 'tap';
import { join } from 'node:path';
import { MAX_RUNS, RUN_HISTORY_KEY, RunHistory } from '../../src/sessions/run-history.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import { openMemoryStore } from '../../src/store/memory/index.js';
import { tmpDir } from '../helpers/healer.js';

const run = (i: number, seconds = 700) => ({
  run: `pod/play-task-${i}-rex-x7k2p`,
  seconds,
  finishedAt: new Date(Date.UTC(2026, 10, 21, 10, i)).toISOString(),
});

void t.test('runs are kept per agent and stage, counted once, and survive a reopen', async (t) => {
  const path = join(tmpDir(), 'healer.db');
  const store = openSqliteStore(path);
  const h = new RunHistory(store);
  t.same(await h.load(), { keys: 0, dropped: false });
  t.equal(await h.record('Rex', 'implementation', run(1, 690)), true);
  t.equal(await h.record('rex', 'implementation', run(2, 720)), true);
  t.equal(await h.record('rex', 'implementation', run(2, 720)), false, 'the same pod twice');
  t.equal(await h.record('rex', 'quality', run(3, 300)), true);
  t.equal(await h.record('rex', 'quality', { ...run(4), seconds: 0 }), false, 'no duration');
  t.equal(await h.record('rex', 'quality', { ...run(5), seconds: NaN }), false);
  t.same(h.durations('rex', 'implementation'), [690, 720]);
  t.same(h.durations('REX', 'quality'), [300]);
  t.same(h.durations('cleo', 'quality'), []);
  await store.close();

  const reopened = openSqliteStore(path);
  t.teardown(() => reopened.close());
  const again = new RunHistory(reopened);
  t.same(await again.load(), { keys: 2, dropped: false });
  t.same(again.durations('rex', 'implementation'), [690, 720], 'learned history kept');
  t.same(
    again.keys().sort((a, b) => a.stage.localeCompare(b.stage)),
    [
      { agent: 'rex', stage: 'implementation', runs: 2 },
      { agent: 'rex', stage: 'quality', runs: 1 },
    ],
  );
});

void t.test('only the newest runs are kept; concurrent records all land', async (t) => {
  const store = openMemoryStore();
  const h = new RunHistory(store);
  await h.load();
  await Promise.all(
    Array.from({ length: MAX_RUNS + 10 }, (_, i) =>
      h.record('rex', 'implementation', run(i, 600 + i)),
    ),
  );
  await h.idle();
  const d = h.durations('rex', 'implementation');
  t.equal(d.length, MAX_RUNS);
  t.equal(d[0], 610, 'the oldest ten dropped');
  const again = new RunHistory(store);
  await again.load();
  t.same(again.durations('rex', 'implementation'), d, 'the last write holds every run');
});

void t.test('a damaged stored history is dropped, not fatal', async (t) => {
  const store = openMemoryStore();
  const h = new RunHistory(store);
  await store.setCursor(RUN_HISTORY_KEY, '{not json');
  t.same(await h.load(), { keys: 0, dropped: true });
  await store.setCursor(RUN_HISTORY_KEY, '[1,2]');
  t.same(await h.load(), { keys: 0, dropped: true });
  await store.setCursor(
    RUN_HISTORY_KEY,
    JSON.stringify({ 'rex/implementation': [run(1), { run: 3 }, 'x'], 'cleo/quality': 'nope' }),
  );
  t.same(await h.load(), { keys: 1, dropped: false });
  t.same(h.durations('rex', 'implementation'), [700], 'only well-formed runs kept');
});
