import { MAX_LOG_GAPS, type CursorStore, type LogGap } from '../../domain/stores.js';
import type { SqliteTables } from './tables.js';

export class SqliteCursorStore implements CursorStore {
  readonly #t: SqliteTables;
  readonly #get;
  readonly #set;
  readonly #addGap;
  readonly #trimGaps;
  readonly #gaps;

  constructor(tables: SqliteTables) {
    this.#t = tables;
    const p = (sql: string) => tables.db.prepare(sql);
    this.#get = p('SELECT value FROM cursors WHERE key = ?');
    this.#set = p(
      'INSERT INTO cursors (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    );
    this.#addGap = p('INSERT INTO log_gaps (play_id, from_at, to_at) VALUES (?, ?, ?)');
    this.#trimGaps = p(`DELETE FROM log_gaps WHERE play_id = ? AND seq NOT IN
                          (SELECT seq FROM log_gaps WHERE play_id = ? ORDER BY seq DESC LIMIT ?)`);
    this.#gaps = p(
      'SELECT from_at AS "from", to_at AS "to" FROM log_gaps WHERE play_id = ? ORDER BY seq',
    );
  }

  getCursor(key: string): Promise<string | undefined> {
    const row = this.#get.get(key) as { value: string } | undefined;
    return Promise.resolve(row?.value);
  }

  setCursor(key: string, value: string): Promise<void> {
    return this.#t.writes.run(() => {
      this.#set.run(key, value);
    });
  }

  addLogGap(playId: string, from: Date, to: Date): Promise<void> {
    return this.#t.writes.run(() => {
      this.#addGap.run(playId, from.toISOString(), to.toISOString());
      this.#trimGaps.run(playId, playId, MAX_LOG_GAPS);
    });
  }

  logGaps(playId: string): Promise<LogGap[]> {
    const rows = this.#gaps.all(playId) as unknown as LogGap[];
    return Promise.resolve(rows.map((r) => ({ from: r.from, to: r.to })));
  }
}
