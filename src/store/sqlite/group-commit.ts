import type { DatabaseSync, StatementSync } from 'node:sqlite';

interface Pending {
  fn: () => unknown;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

/** Most writes committed in one transaction; the rest wait for the next turn of the event loop. */
export const MAX_GROUP = 250;

/**
 * Runs synchronous write functions in batches: everything queued before the next turn of the
 * event loop commits in one transaction (one fsync), each function inside its own savepoint so a
 * failing one rolls back alone. Callers' promises settle after COMMIT returns. A batch holds at
 * most `maxGroup` writes and the rest, in order, go in the next turn: a burst (every pod of an
 * initial list firing at once: 105,000 writes at 5,000 sessions) then commits in slices of a few
 * hundred milliseconds instead of holding the event loop (watch events, the API, the Lease
 * renewal) for tens of seconds in one transaction.
 */
export class GroupCommit {
  readonly #db: DatabaseSync;
  readonly #max: number;
  /** Transaction control, prepared once (exec would parse the SQL on every write). */
  readonly #sql: Record<'begin' | 'commit' | 'savepoint' | 'release' | 'rollbackTo', StatementSync>;
  #queue: Pending[] = [];
  #scheduled = false;
  #idle: Promise<void> = Promise.resolve();
  #markIdle: (() => void) | undefined;

  constructor(db: DatabaseSync, maxGroup = MAX_GROUP) {
    this.#db = db;
    this.#max = maxGroup;
    this.#sql = {
      begin: db.prepare('BEGIN IMMEDIATE'),
      commit: db.prepare('COMMIT'),
      savepoint: db.prepare('SAVEPOINT w'),
      release: db.prepare('RELEASE w'),
      rollbackTo: db.prepare('ROLLBACK TO w'),
    };
  }

  run<T>(fn: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        this.#idle = new Promise((r) => (this.#markIdle = r));
        setImmediate(() => this.#flush());
      }
    });
  }

  /** Resolves once every queued write has been committed or rejected. */
  drain(): Promise<void> {
    return this.#idle;
  }

  #flush(): void {
    const batch = this.#queue.length > this.#max ? this.#queue.splice(0, this.#max) : this.#queue;
    if (batch === this.#queue) this.#queue = [];
    // what did not fit commits in the next turn, after the I/O that waited behind this batch
    if (this.#queue.length) setImmediate(() => this.#flush());
    else this.#scheduled = false;
    const results: { ok: boolean; value: unknown }[] = [];
    const sql = this.#sql;
    try {
      sql.begin.run();
    } catch (err) {
      for (const p of batch) p.reject(err);
      this.#done();
      return;
    }
    // a write alone needs no savepoint: if it fails, the whole transaction rolls back below
    const alone = batch.length === 1;
    for (const p of batch) {
      if (!alone) sql.savepoint.run();
      try {
        results.push({ ok: true, value: p.fn() });
        if (!alone) sql.release.run();
      } catch (err) {
        if (!alone) {
          sql.rollbackTo.run();
          sql.release.run();
        }
        results.push({ ok: false, value: err });
      }
    }
    try {
      if (alone && !results[0].ok) throw results[0].value;
      sql.commit.run();
    } catch (err) {
      try {
        this.#db.exec('ROLLBACK');
      } catch {
        // the failed COMMIT may already have rolled back
      }
      for (const p of batch) p.reject(err);
      this.#done();
      return;
    }
    batch.forEach((p, i) =>
      results[i].ok ? p.resolve(results[i].value) : p.reject(results[i].value),
    );
    this.#done();
  }

  #done(): void {
    if (!this.#scheduled) this.#markIdle?.();
  }
}
