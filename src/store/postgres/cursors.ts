import { MAX_LOG_GAPS, type CursorStore, type LogGap } from '../../domain/stores.js';
import type { Database } from './database.js';

export class PostgresCursorStore implements CursorStore {
  readonly #db: Database;
  /** Gaps are appended in call order (one at a time from this replica; only the leader reads logs). */
  #appends: Promise<unknown> = Promise.resolve();

  constructor(db: Database) {
    this.#db = db;
  }

  async getCursor(key: string): Promise<string | undefined> {
    const rows = await this.#db.query<{ value: string }>(
      'SELECT value FROM cursors WHERE key = $1',
      [key],
    );
    return rows[0]?.value;
  }

  setCursor(key: string, value: string): Promise<void> {
    return this.#db.tx(async (sql) => {
      await sql.query(
        'INSERT INTO cursors (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
        [key, value],
      );
    });
  }

  addLogGap(playId: string, from: Date, to: Date): Promise<void> {
    const next = this.#appends.then(() => this.#append(playId, from, to));
    this.#appends = next.catch(() => undefined);
    return next;
  }

  #append(playId: string, from: Date, to: Date): Promise<void> {
    return this.#db.tx(async (sql) => {
      await sql.query('INSERT INTO log_gaps (play_id, from_at, to_at) VALUES ($1, $2, $3)', [
        playId,
        from.toISOString(),
        to.toISOString(),
      ]);
      await sql.query(
        `DELETE FROM log_gaps WHERE play_id = $1 AND seq NOT IN
           (SELECT seq FROM log_gaps WHERE play_id = $1 ORDER BY seq DESC LIMIT $2)`,
        [playId, MAX_LOG_GAPS],
      );
    });
  }

  async logGaps(playId: string): Promise<LogGap[]> {
    const rows = await this.#db.query<LogGap>(
      'SELECT from_at AS "from", to_at AS "to" FROM log_gaps WHERE play_id = $1 ORDER BY seq',
      [playId],
    );
    return rows.map((r) => ({ from: r.from, to: r.to }));
  }
}
