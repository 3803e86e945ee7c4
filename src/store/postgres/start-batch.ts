import type { Session, SessionStatus } from '../../domain/session.js';
import type { Database } from './database.js';
import { sessionColumns } from './rows.js';

/** What the start statement said of one session: admitted (`id`), or refused (`id` null). */
export interface StartRow {
  id: string | null;
  replaced: SessionStatus | null;
}

interface Pending {
  session: Session;
  resolve: (row: StartRow) => void;
  reject: (err: unknown) => void;
}

/**
 * Many starts as one statement: the rows arrive as arrays (`unnest`), the partial unique index on
 * active play ids admits or refuses each, and an admitted row removes the ended row of its play
 * id that it replaces. The statement is autocommitted, so every start of the batch is durable
 * (and refused ones are settled) when it answers; `ON CONFLICT … DO NOTHING` decides each row
 * alone, so concurrent batches on any number of replicas still give one `started` per play id.
 */
export const START_SESSIONS_SQL = `
  WITH v AS (
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                         $7::int[], $8::int[], $9::text[])
      AS v(play_id, status, repository, started_at, last_updated, ended_at, task_count,
           issue_count, doc)
  ), ins AS (
    INSERT INTO sessions (play_id, status, repository, started_at, last_updated, ended_at,
                          task_count, issue_count, doc)
    SELECT * FROM v
    ON CONFLICT (play_id) WHERE status = 'active' DO NOTHING
    RETURNING id, play_id
  ), del AS (
    -- the ended rows of the admitted play ids, found row by row through sessions_play and deleted
    -- by primary key: a join here may be planned as a scan of the whole table (without fresh
    -- statistics it was: the start cost grew with every session ever stored)
    DELETE FROM sessions s
    WHERE s.id = ANY (ARRAY(
      SELECT o.id FROM ins CROSS JOIN LATERAL (
        SELECT x.id FROM sessions x WHERE x.play_id = ins.play_id AND x.id <> ins.id
        OFFSET 0 -- keeps the planner from flattening this into a join
      ) o))
    RETURNING s.play_id, s.status
  )
  SELECT ins.play_id, ins.id,
         (SELECT d.status FROM del d WHERE d.play_id = ins.play_id LIMIT 1) AS replaced
  FROM ins`;

/** The batch's sessions as the statement's nine column arrays. */
export function startSessionsArgs(sessions: readonly Session[]): unknown[][] {
  const columns: unknown[][] = Array.from({ length: 9 }, () => []);
  for (const s of sessions) sessionColumns(s).forEach((v, i) => columns[i].push(v));
  return columns;
}

/**
 * Group commit for PostgreSQL starts, like SQLite's `GroupCommit`: the starts that arrive in one
 * turn of the event loop go to the server as one statement, one WAL flush instead of one per
 * start, and a named statement the server plans once per connection (about a third less server
 * CPU per start, measured in ticks per 1,000 starts). Each caller's promise settles after that
 * statement committed. A play id already in the batch waits for the next one, so each batch names
 * a play id once and a second start of the same id meets the first as an active session.
 */
export class StartBatcher {
  readonly #db: Database;
  #queue: Pending[] = [];
  #scheduled = false;

  constructor(db: Database) {
    this.#db = db;
  }

  start(session: Session): Promise<StartRow> {
    return new Promise<StartRow>((resolve, reject) => {
      this.#queue.push({ session, resolve, reject });
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#scheduled || this.#queue.length === 0) return;
    this.#scheduled = true;
    setImmediate(() => void this.#flush());
  }

  async #flush(): Promise<void> {
    this.#scheduled = false;
    const batch: Pending[] = [];
    const later: Pending[] = [];
    const ids = new Set<string>();
    for (const p of this.#queue) {
      const seen = ids.has(p.session.play_id);
      ids.add(p.session.play_id);
      (seen ? later : batch).push(p);
    }
    this.#queue = later;
    let rows: { play_id: string; id: string; replaced: SessionStatus | null }[];
    try {
      rows = await this.#db.statement(
        START_SESSIONS_SQL,
        startSessionsArgs(batch.map((p) => p.session)),
        'healer_start_sessions',
      );
    } catch (err) {
      for (const p of batch) p.reject(err);
      return;
    } finally {
      // a play id held back goes in the next batch even when no other start arrives
      this.#schedule();
    }
    const admitted = new Map(rows.map((r) => [r.play_id, r]));
    for (const p of batch) {
      const row = admitted.get(p.session.play_id);
      p.resolve(row ? { id: row.id, replaced: row.replaced } : { id: null, replaced: null });
    }
  }
}
