import t from 'tap';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import { storeContracts } from './contract/index.js';
import { tmpDir } from '../helpers/healer.js';

storeContracts(t, () => openSqliteStore(join(tmpDir(), 'healer.db')));

void t.test('log gaps kept as JSON in the cursor table move to their own table', async (t) => {
  const path = join(tmpDir(), 'healer.db');
  const first = openSqliteStore(path);
  await first.close();
  // the layout before log gaps had a table: schema version 3, gaps a JSON list under a cursor key
  // (and no outcomes table, which came after)
  const db = new DatabaseSync(path);
  db.exec('DROP TABLE log_gaps; DROP TABLE outcomes; PRAGMA user_version = 3');
  const put = db.prepare('INSERT INTO cursors (key, value) VALUES (?, ?)');
  put.run(
    'log-gaps:play-a',
    JSON.stringify([
      { from: '2026-11-21T10:00:00.000Z', to: '2026-11-21T10:05:00.000Z' },
      { from: '2026-11-21T11:00:00.000Z', to: '2026-11-21T11:05:00.000Z' },
    ]),
  );
  put.run('log-gaps:play-b', 'not json');
  put.run('loki:cto', '123');
  db.close();

  const store = openSqliteStore(path);
  t.teardown(() => store.close());
  t.same(await store.logGaps('play-a'), [
    { from: '2026-11-21T10:00:00.000Z', to: '2026-11-21T10:05:00.000Z' },
    { from: '2026-11-21T11:00:00.000Z', to: '2026-11-21T11:05:00.000Z' },
  ]);
  t.same(await store.logGaps('play-b'), [], 'an unreadable list is dropped');
  t.equal(await store.getCursor('log-gaps:play-a'), undefined, 'no JSON copy left behind');
  t.equal(await store.getCursor('loki:cto'), '123', 'other cursors untouched');
});

void t.test('a store of schema version 4 gains the outcomes table, its data kept', async (t) => {
  const path = join(tmpDir(), 'healer.db');
  const first = openSqliteStore(path);
  await first.setCursor('loki:cto', '42');
  await first.close();
  const db = new DatabaseSync(path);
  db.exec('DROP TABLE outcomes; PRAGMA user_version = 4');
  db.close();
  const store = openSqliteStore(path);
  t.teardown(() => store.close());
  t.equal(await store.getCursor('loki:cto'), '42', 'earlier data kept');
  t.same(await store.listOutcomes({ limit: 5 }), [], 'the table exists and is empty');
});
