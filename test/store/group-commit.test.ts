import t from 'tap';
import { DatabaseSync, type SQLInputValue, type StatementResultingChanges } from 'node:sqlite';
import { GroupCommit, MAX_GROUP } from '../../src/store/sqlite/group-commit.js';

/** A real in-memory database, with the transactions it was asked to begin counted. */
function counted(): { db: DatabaseSync; begins: () => number } {
  const db = new DatabaseSync(':memory:');
  db.exec('CREATE TABLE t (n INTEGER PRIMARY KEY)');
  let begins = 0;
  // the group commit prepares its transaction control once: count the runs of its BEGIN
  const prepare = db.prepare.bind(db);
  db.prepare = (sql: string) => {
    const st = prepare(sql);
    if (sql.startsWith('BEGIN')) {
      const run = st.run.bind(st) as (...a: SQLInputValue[]) => StatementResultingChanges;
      st.run = ((...args: SQLInputValue[]) => {
        begins++;
        return run(...args);
      }) as typeof st.run;
    }
    return st;
  };
  return { db, begins: () => begins };
}

void t.test('writes queued in one turn commit in one transaction', async (t) => {
  const { db, begins } = counted();
  const g = new GroupCommit(db);
  const put = db.prepare('INSERT INTO t (n) VALUES (?)');
  const done = Array.from({ length: 40 }, (_, n) => g.run(() => put.run(n).changes));
  t.same(await Promise.all(done), Array(40).fill(1));
  t.equal(begins(), 1);
  t.ok(MAX_GROUP >= 40);
});

void t.test(
  'a burst larger than the group commits in order, in slices, with I/O between them',
  async (t) => {
    const { db, begins } = counted();
    const g = new GroupCommit(db, 100);
    const put = db.prepare('INSERT INTO t (n) VALUES (?)');
    const count = db.prepare('SELECT count(*) AS c FROM t');
    const settled: number[] = [];
    const done = Array.from({ length: 250 }, (_, n) =>
      g.run(() => put.run(n)).then(() => settled.push(n)),
    );
    // a failing write rolls back alone, in whichever slice it lands
    const failing = g.run(() => put.run(7));
    // something waiting for the event loop runs between two slices, not after all of them
    let seenBetween = -1;
    setImmediate(() => (seenBetween = (count.get() as { c: number }).c));
    await Promise.all(done);
    await t.rejects(failing);
    await g.drain();
    t.same(
      settled,
      Array.from({ length: 250 }, (_, n) => n),
    );
    t.equal(begins(), 3);
    t.equal((count.get() as { c: number }).c, 250);
    t.ok(seenBetween > 0 && seenBetween < 250, `between slices: ${seenBetween} rows committed`);
  },
);

void t.test('drain waits for every slice', async (t) => {
  const { db } = counted();
  const g = new GroupCommit(db, 10);
  const put = db.prepare('INSERT INTO t (n) VALUES (?)');
  for (let n = 0; n < 35; n++) void g.run(() => put.run(n));
  await g.drain();
  t.equal((db.prepare('SELECT count(*) AS c FROM t').get() as { c: number }).c, 35);
});

void t.test('a write alone (no savepoint) that fails leaves nothing behind', async (t) => {
  const { db, begins } = counted();
  const g = new GroupCommit(db);
  const put = db.prepare('INSERT INTO t (n) VALUES (?)');
  const count = () => (db.prepare('SELECT count(*) AS c FROM t').get() as { c: number }).c;
  await g.run(() => put.run(1));
  // half done when it throws: its first insert must roll back with it
  await t.rejects(
    g.run(() => {
      put.run(2);
      put.run(1);
    }),
    /UNIQUE/,
  );
  t.equal(count(), 1, 'the failed write left no row');
  t.notOk(db.isTransaction, 'no transaction left open');
  await g.run(() => put.run(3));
  t.equal(count(), 2, 'the next write commits');
  t.equal(begins(), 3);
});
