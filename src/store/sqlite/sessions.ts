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
import type { SqliteTables } from './tables.js';

export class SqliteSessionStore implements SessionStore {
  readonly #t: SqliteTables;
  readonly #active;
  readonly #staleActive;
  readonly #purge;
  readonly #counts;

  constructor(tables: SqliteTables) {
    this.#t = tables;
    const db = tables.db;
    this.#active = db.prepare("SELECT doc FROM sessions WHERE status = 'active'");
    this.#staleActive = db.prepare(
      "SELECT play_id FROM sessions WHERE status = 'active' AND last_updated < ?",
    );
    this.#purge = db.prepare('DELETE FROM sessions WHERE ended_at IS NOT NULL AND ended_at < ?');
    this.#counts = db.prepare('SELECT status, COUNT(*) AS n FROM sessions GROUP BY status');
  }

  startSession(session: Session): Promise<StartResult> {
    return this.#t.writes.run((): StartResult => {
      const existing = this.#t.readSession(session.play_id);
      if (existing?.status === 'active') return { outcome: 'conflict', session: existing };
      this.#t.writeSession(session);
      return { outcome: 'started', session, replaced: existing?.status ?? null };
    });
  }

  getSessionJson(playId: string): Promise<string | undefined> {
    const row = this.#t.stmt.getSession.get(playId) as { doc: string } | undefined;
    return Promise.resolve(row?.doc);
  }

  getSession(playId: string): Promise<Session | undefined> {
    return Promise.resolve(this.#t.readSession(playId));
  }

  listSessions(query: ListQuery): Promise<ListPage> {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (query.status) {
      where.push('status = ?');
      args.push(query.status);
    }
    const after = query.cursor ? decodeListCursor(query.cursor) : undefined;
    if (after) {
      where.push('(started_at < ? OR (started_at = ? AND play_id < ?))');
      args.push(after.started_at, after.started_at, after.play_id);
    }
    const sql = `SELECT play_id, repository, status, task_count, issue_count, started_at, last_updated
                 FROM sessions ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
                 ORDER BY started_at DESC, play_id DESC LIMIT ?`;
    const rows = this.#t.db
      .prepare(sql)
      .all(...args, query.limit + 1) as unknown as SessionSummary[];
    const page = rows.slice(0, query.limit).map((r) => ({ ...r }));
    const last = page[page.length - 1];
    return Promise.resolve({
      sessions: page,
      nextCursor: rows.length > query.limit && last ? encodeListCursor(last) : null,
    });
  }

  activeSessions(): Promise<Session[]> {
    const rows = this.#active.all() as unknown as { doc: string }[];
    return Promise.resolve(rows.map((r) => JSON.parse(r.doc) as Session));
  }

  updateSession(
    playId: string,
    change: (current: Session) => Session | undefined,
  ): Promise<Session | undefined> {
    return this.#t.writes.run(() => {
      const current = this.#t.readSession(playId);
      if (!current) return undefined;
      const next = change(structuredClone(current));
      if (!next) return current;
      this.#t.writeSession(next);
      return next;
    });
  }

  endSession(
    playId: string,
    status: EndedStatus,
    reason: string | null,
    at: Date,
  ): Promise<EndResult> {
    return this.#t.writes.run(() => this.#end(playId, status, reason, at));
  }

  expireInactive(cutoff: Date, at: Date): Promise<Session[]> {
    return this.#t.writes.run(() => {
      const ids = this.#staleActive.all(cutoff.toISOString()) as { play_id: string }[];
      const out: Session[] = [];
      for (const { play_id } of ids) {
        const r = this.#end(play_id, 'expired', 'no activity within the session TTL', at);
        if (r.outcome === 'ended') out.push(r.session);
      }
      return out;
    });
  }

  purgeEnded(cutoff: Date): Promise<number> {
    return this.#t.writes.run(() => Number(this.#purge.run(cutoff.toISOString()).changes));
  }

  countByStatus(): Promise<Record<SessionStatus, number>> {
    const counts = emptySessionCounts();
    for (const row of this.#counts.all() as { status: SessionStatus; n: number }[]) {
      counts[row.status] = row.n;
    }
    return Promise.resolve(counts);
  }

  #end(playId: string, status: EndedStatus, reason: string | null, at: Date): EndResult {
    const current = this.#t.readSession(playId);
    if (!current) return { outcome: 'not_found' };
    if (current.status !== 'active') return { outcome: 'already_ended', session: current };
    const ended = endedSession(current, status, reason, at);
    this.#t.writeSession(ended);
    return { outcome: 'ended', session: ended };
  }
}
