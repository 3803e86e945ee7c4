import type { EndedStatus, Session, SessionStatus, SessionSummary } from '../../domain/session.js';
import { emptySessionCounts, endedSession } from '../../domain/session.js';
import {
  decodeListCursor,
  encodeListCursor,
  type EndResult,
  type ListPage,
  type ListQuery,
  type SessionStore,
  type StartResult,
} from '../../domain/stores.js';
import type { Database, Sql } from './database.js';
import type { SessionCache } from './session-cache.js';
import { insertSession, readSession, writeSession } from './rows.js';
import { StartBatcher } from './start-batch.js';

export class PostgresSessionStore implements SessionStore {
  readonly #db: Database;
  readonly #cache: SessionCache | null;
  readonly #starts: StartBatcher;

  constructor(db: Database, cache: SessionCache | null = null) {
    this.#db = db;
    this.#cache = cache;
    this.#starts = new StartBatcher(db);
  }

  /** `fn`'s transaction, then the play ids it wrote leave this replica's read cache. */
  async #write<T>(
    playIds: (out: T) => readonly string[],
    fn: (sql: Sql) => Promise<T>,
  ): Promise<T> {
    const out = await this.#db.tx(fn);
    for (const id of playIds(out)) this.#cache?.evict(id);
    return out;
  }

  /**
   * One INSERT that the partial unique index on active play ids admits or refuses, so concurrent
   * starts on any number of replicas give exactly one `started`; an ended row of the play id is
   * removed by the same statement (it is replaced). The starts of one event-loop turn share that
   * statement (`StartBatcher`); each resolves once it committed.
   */
  async startSession(session: Session): Promise<StartResult> {
    // the common cases in one round trip: admitted (replacing an ended row), or refused
    const row = await this.#starts.start(session);
    this.#cache?.evict(session.play_id);
    if (row.id) return { outcome: 'started', session, replaced: row.replaced ?? null };
    const existing = await this.getSession(session.play_id);
    if (existing?.status === 'active') return { outcome: 'conflict', session: existing };
    // the active one ended between the two: settle it in a transaction
    return this.#startInTx(session);
  }

  /** The same start as a transaction that retries until it is admitted or meets an active one. */
  #startInTx(session: Session): Promise<StartResult> {
    return this.#write(
      () => [session.play_id],
      async (sql): Promise<StartResult> => {
        for (;;) {
          const id = await insertSession(sql, session);
          if (id !== undefined) {
            const { rows } = await sql.query<{ status: SessionStatus }>(
              'DELETE FROM sessions WHERE play_id = $1 AND id <> $2 RETURNING status',
              [session.play_id, id],
            );
            return { outcome: 'started', session, replaced: rows[0]?.status ?? null };
          }
          const existing = await readSession(sql, session.play_id);
          // The active one may have ended between the INSERT and this read: try again.
          if (existing?.status === 'active') return { outcome: 'conflict', session: existing };
        }
      },
    );
  }

  async getSessionJson(playId: string): Promise<string | undefined> {
    const read = async () =>
      (
        await this.#db.query<{ doc: string }>(
          'SELECT doc FROM sessions WHERE play_id = $1 ORDER BY id DESC LIMIT 1',
          [playId],
        )
      )[0]?.doc;
    return this.#cache ? this.#cache.get(playId, read) : read();
  }

  async getSession(playId: string): Promise<Session | undefined> {
    const doc = await this.getSessionJson(playId);
    return doc === undefined ? undefined : (JSON.parse(doc) as Session);
  }

  async listSessions(query: ListQuery): Promise<ListPage> {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (query.status) {
      args.push(query.status);
      where.push(`status = $${args.length}`);
    }
    const after = query.cursor ? decodeListCursor(query.cursor) : undefined;
    if (after) {
      args.push(after.started_at, after.play_id);
      const s = `$${args.length - 1}`;
      where.push(`(started_at < ${s} OR (started_at = ${s} AND play_id < $${args.length}))`);
    }
    args.push(query.limit + 1);
    const rows = await this.#db.query<SessionSummary>(
      `SELECT play_id, repository, status, task_count, issue_count, started_at, last_updated
       FROM sessions ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY started_at DESC, play_id DESC LIMIT $${args.length}`,
      args,
    );
    const page = rows.slice(0, query.limit).map((r) => ({ ...r }));
    const last = page[page.length - 1];
    return {
      sessions: page,
      nextCursor: rows.length > query.limit && last ? encodeListCursor(last) : null,
    };
  }

  async activeSessions(): Promise<Session[]> {
    const rows = await this.#db.query<{ doc: string }>(
      "SELECT doc FROM sessions WHERE status = 'active'",
    );
    return rows.map((r) => JSON.parse(r.doc) as Session);
  }

  updateSession(
    playId: string,
    change: (current: Session) => Session | undefined,
  ): Promise<Session | undefined> {
    return this.#write(
      () => [playId],
      async (sql) => {
        const current = await readSession(sql, playId, true);
        if (!current) return undefined;
        const next = change(structuredClone(current));
        if (!next) return current;
        await writeSession(sql, next);
        return next;
      },
    );
  }

  endSession(
    playId: string,
    status: EndedStatus,
    reason: string | null,
    at: Date,
  ): Promise<EndResult> {
    return this.#write(
      () => [playId],
      (sql) => end(sql, playId, status, reason, at),
    );
  }

  expireInactive(cutoff: Date, at: Date): Promise<Session[]> {
    return this.#write(
      (ended) => ended.map((s) => s.play_id),
      async (sql) => {
        const { rows } = await sql.query<{ play_id: string }>(
          "SELECT play_id FROM sessions WHERE status = 'active' AND last_updated < $1 ORDER BY play_id",
          [cutoff.toISOString()],
        );
        const out: Session[] = [];
        for (const { play_id } of rows) {
          const r = await end(sql, play_id, 'expired', 'no activity within the session TTL', at);
          if (r.outcome === 'ended') out.push(r.session);
        }
        return out;
      },
    );
  }

  async purgeEnded(cutoff: Date): Promise<number> {
    const n = await this.#db.tx(async (sql) => {
      const r = await sql.query(
        'DELETE FROM sessions WHERE ended_at IS NOT NULL AND ended_at < $1',
        [cutoff.toISOString()],
      );
      return r.rowCount ?? 0;
    });
    if (n) this.#cache?.clear();
    return n;
  }

  async countByStatus(): Promise<Record<SessionStatus, number>> {
    const counts = emptySessionCounts();
    const rows = await this.#db.query<{ status: SessionStatus; n: number }>(
      'SELECT status, COUNT(*)::int AS n FROM sessions GROUP BY status',
    );
    for (const row of rows) counts[row.status] = row.n;
    return counts;
  }
}

async function end(
  sql: Sql,
  playId: string,
  status: EndedStatus,
  reason: string | null,
  at: Date,
): Promise<EndResult> {
  const current = await readSession(sql, playId, true);
  if (!current) return { outcome: 'not_found' };
  if (current.status !== 'active') return { outcome: 'already_ended', session: current };
  const ended = endedSession(current, status, reason, at);
  await writeSession(sql, ended);
  return { outcome: 'ended', session: ended };
}
