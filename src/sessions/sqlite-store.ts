import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { AlertDraft } from '../domain/alert.js';
import type { Incident, IncidentQuery } from '../domain/incident.js';
import type { ActionRecord, Decision, Silence } from '../domain/action.js';
import type {
  EndedStatus,
  IncidentState,
  Session,
  SessionStatus,
  SessionSummary,
} from '../domain/session.js';
import { applyIncident, nextIncident } from './model.js';
import { HealerError } from '../domain/errors.js';
import {
  decodeCursor,
  emptyCounts,
  emptyIncidentCounts,
  encodeCursor,
  type EndResult,
  type RecordOutcome,
  type ListPage,
  type ListQuery,
  type StartResult,
  type Store,
} from './store.js';
import { GroupCommit } from './group-commit.js';
import { migrate } from './sqlite-schema.js';

const docs = <T>(rows: unknown[]): T[] =>
  (rows as { doc: string }[]).map((r) => JSON.parse(r.doc) as T);

interface SessionRow {
  doc: string;
}

/**
 * The default store: one SQLite file in WAL mode (Node's built-in `node:sqlite`).
 * Writes are queued and committed together (group commit): each caller's change runs in its own
 * savepoint inside one transaction, and every promise resolves after that transaction is on disk
 * (`synchronous=FULL`), so a 200 is only ever sent for a durable write.
 */
export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  readonly #db: DatabaseSync;
  readonly #writes: GroupCommit;
  readonly #stmt: Record<string, StatementSync>;

  private constructor(db: DatabaseSync) {
    this.#db = db;
    this.#writes = new GroupCommit(db);
    const p = (sql: string) => db.prepare(sql);
    this.#stmt = {
      get: p('SELECT doc FROM sessions WHERE play_id = ?'),
      status: p('SELECT status FROM sessions WHERE play_id = ?'),
      upsert:
        p(`INSERT INTO sessions (play_id, status, repository, started_at, last_updated, ended_at,
                   task_count, issue_count, doc)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                 ON CONFLICT(play_id) DO UPDATE SET status = excluded.status,
                   repository = excluded.repository, started_at = excluded.started_at,
                   last_updated = excluded.last_updated, ended_at = excluded.ended_at,
                   task_count = excluded.task_count, issue_count = excluded.issue_count, doc = excluded.doc`),
      active: p("SELECT doc FROM sessions WHERE status = 'active'"),
      staleActive: p("SELECT play_id FROM sessions WHERE status = 'active' AND last_updated < ?"),
      purge: p('DELETE FROM sessions WHERE ended_at IS NOT NULL AND ended_at < ?'),
      counts: p('SELECT status, COUNT(*) AS n FROM sessions GROUP BY status'),
      getCursor: p('SELECT value FROM cursors WHERE key = ?'),
      setCursor: p(
        'INSERT INTO cursors (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      ),
      ping: p('SELECT 1 AS ok'),
      putDecision: p('INSERT INTO decisions (id, incident_id, at, doc) VALUES (?, ?, ?, ?)'),
      decisionsFor: p('SELECT doc FROM decisions WHERE incident_id = ? ORDER BY at, rowid'),
      putAction:
        p(`INSERT INTO actions (id, incident_id, state, next_attempt_at, created_at, seq, doc)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET state = excluded.state,
                      next_attempt_at = excluded.next_attempt_at, doc = excluded.doc`),
      actionById: p('SELECT doc FROM actions WHERE id = ?'),
      actionsFor: p('SELECT doc FROM actions WHERE incident_id = ? ORDER BY created_at, seq'),
      dueActions: p(`SELECT doc FROM actions WHERE state = 'pending' AND next_attempt_at <= ?
                     ORDER BY created_at, seq LIMIT ?`),
      putSilence:
        p(`INSERT INTO silences (id, starts_at, ends_at, expired_at, doc) VALUES (?, ?, ?, ?, ?)
                     ON CONFLICT(id) DO UPDATE SET expired_at = excluded.expired_at, doc = excluded.doc`),
      silenceById: p('SELECT doc FROM silences WHERE id = ?'),
      allSilences: p('SELECT doc FROM silences ORDER BY starts_at DESC'),
      activeSilences:
        p(`SELECT doc FROM silences WHERE expired_at IS NULL AND ends_at > ? AND starts_at <= ?
                         ORDER BY starts_at DESC`),
      incidentByFp: p('SELECT doc FROM incidents WHERE fingerprint = ?'),
      incidentById: p('SELECT doc FROM incidents WHERE id = ?'),
      openIncidents: p("SELECT doc FROM incidents WHERE state != 'resolved'"),
      putIncident: p(`INSERT INTO incidents (id, fingerprint, play_id, alert, state, last_seen, doc)
                      VALUES (?, ?, ?, ?, ?, ?, ?)
                      ON CONFLICT(id) DO UPDATE SET play_id = excluded.play_id, alert = excluded.alert,
                        state = excluded.state, last_seen = excluded.last_seen, doc = excluded.doc`),
    };
  }

  /** Opens (creating if needed) and checks the database; a corrupt or unwritable file throws. */
  static open(path: string): SqliteStore {
    try {
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      const db = new DatabaseSync(path);
      try {
        db.exec('PRAGMA busy_timeout = 5000');
        db.exec('PRAGMA journal_mode = WAL');
        db.exec('PRAGMA synchronous = FULL');
        const check = db.prepare('PRAGMA quick_check').all() as { quick_check: string }[];
        if (check[0]?.quick_check !== 'ok') {
          throw new Error(`integrity check failed: ${check.map((r) => r.quick_check).join('; ')}`);
        }
        migrate(db); // also a write probe: fails on a read-only file or directory
        return new SqliteStore(db);
      } catch (err) {
        db.close();
        throw err;
      }
    } catch (err) {
      throw new HealerError(
        'STORE_UNAVAILABLE',
        503,
        `cannot open the sqlite store at ${path}: ${err instanceof Error ? err.message : String(err)}` +
          ' (fix or move the file, or choose another HEALER_STORE; nothing was changed)',
        { cause: err },
      );
    }
  }

  startSession(session: Session): Promise<StartResult> {
    return this.#writes.run((): StartResult => {
      const existing = this.#read(session.play_id);
      if (existing?.status === 'active') return { outcome: 'conflict', session: existing };
      this.#write(session);
      return { outcome: 'started', session, replaced: existing?.status ?? null };
    });
  }

  getSessionJson(playId: string): Promise<string | undefined> {
    const row = this.#stmt.get.get(playId) as SessionRow | undefined;
    return Promise.resolve(row?.doc);
  }

  getSession(playId: string): Promise<Session | undefined> {
    return Promise.resolve(this.#read(playId));
  }

  listSessions(query: ListQuery): Promise<ListPage> {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (query.status) {
      where.push('status = ?');
      args.push(query.status);
    }
    const after = query.cursor ? decodeCursor(query.cursor) : undefined;
    if (after) {
      where.push('(started_at < ? OR (started_at = ? AND play_id < ?))');
      args.push(after.started_at, after.started_at, after.play_id);
    }
    const sql = `SELECT play_id, repository, status, task_count, issue_count, started_at, last_updated
                 FROM sessions ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
                 ORDER BY started_at DESC, play_id DESC LIMIT ?`;
    const rows = this.#db.prepare(sql).all(...args, query.limit + 1) as unknown as SessionSummary[];
    const page = rows.slice(0, query.limit).map((r) => ({ ...r }));
    const last = page[page.length - 1];
    return Promise.resolve({
      sessions: page,
      nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null,
    });
  }

  activeSessions(): Promise<Session[]> {
    const rows = this.#stmt.active.all() as unknown as SessionRow[];
    return Promise.resolve(rows.map((r) => JSON.parse(r.doc) as Session));
  }

  updateSession(
    playId: string,
    change: (current: Session) => Session | undefined,
  ): Promise<Session | undefined> {
    return this.#writes.run(() => {
      const current = this.#read(playId);
      if (!current) return undefined;
      const next = change(structuredClone(current));
      if (!next) return current;
      this.#write(next);
      return next;
    });
  }

  endSession(
    playId: string,
    status: EndedStatus,
    reason: string | null,
    at: Date,
  ): Promise<EndResult> {
    return this.#writes.run(() => this.#end(playId, status, reason, at));
  }

  expireInactive(cutoff: Date, at: Date): Promise<Session[]> {
    return this.#writes.run(() => {
      const ids = this.#stmt.staleActive.all(cutoff.toISOString()) as { play_id: string }[];
      const out: Session[] = [];
      for (const { play_id } of ids) {
        const r = this.#end(play_id, 'expired', 'no activity within the session TTL', at);
        if (r.outcome === 'ended') out.push(r.session);
      }
      return out;
    });
  }

  purgeEnded(cutoff: Date): Promise<number> {
    return this.#writes.run(() => Number(this.#stmt.purge.run(cutoff.toISOString()).changes));
  }

  countByStatus(): Promise<Record<SessionStatus, number>> {
    const counts = emptyCounts();
    for (const row of this.#stmt.counts.all() as { status: SessionStatus; n: number }[]) {
      counts[row.status] = row.n;
    }
    return Promise.resolve(counts);
  }

  recordAlert(
    draft: AlertDraft,
    fingerprint: string,
    at: Date,
  ): Promise<{ incident: Incident; outcome: RecordOutcome }> {
    return this.#writes.run(() => {
      const row = this.#stmt.incidentByFp.get(fingerprint) as { doc: string } | undefined;
      const current = row ? (JSON.parse(row.doc) as Incident) : undefined;
      const next = nextIncident(current, draft, fingerprint, at);
      this.#putIncident(next.incident, true);
      return next;
    });
  }

  getIncident(id: string): Promise<Incident | undefined> {
    return Promise.resolve(this.#readIncident(id));
  }

  listIncidents(q: IncidentQuery): Promise<Incident[]> {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (q.state) {
      where.push('state = ?');
      args.push(q.state);
    }
    if (q.playId) {
      where.push('play_id = ?');
      args.push(q.playId);
    }
    if (q.alert) {
      where.push('alert = ?');
      args.push(q.alert);
    }
    const sql = `SELECT doc FROM incidents ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
                 ORDER BY last_seen DESC, id DESC LIMIT ?`;
    const rows = this.#db.prepare(sql).all(...args, q.limit) as { doc: string }[];
    return Promise.resolve(rows.map((r) => JSON.parse(r.doc) as Incident));
  }

  countIncidentsByState(): Promise<Record<IncidentState, number>> {
    const counts = emptyIncidentCounts();
    const rows = this.#db
      .prepare('SELECT state, COUNT(*) AS n FROM incidents GROUP BY state')
      .all() as { state: IncidentState; n: number }[];
    for (const r of rows) counts[r.state] = r.n;
    return Promise.resolve(counts);
  }

  openIncidents(): Promise<Incident[]> {
    const rows = this.#stmt.openIncidents.all() as { doc: string }[];
    return Promise.resolve(rows.map((r) => JSON.parse(r.doc) as Incident));
  }

  updateIncident(
    id: string,
    change: (current: Incident) => Incident | undefined,
  ): Promise<Incident | undefined> {
    return this.#writes.run(() => {
      const current = this.#readIncident(id);
      if (!current) return undefined;
      const next = change(structuredClone(current));
      if (!next) return current;
      this.#putIncident(next, false);
      return next;
    });
  }

  #readIncident(id: string): Incident | undefined {
    const row = this.#stmt.incidentById.get(id) as { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as Incident) : undefined;
  }

  /** Writes an incident and mirrors it into its session, inside the caller's transaction. */
  #putIncident(i: Incident, add: boolean): void {
    this.#stmt.putIncident.run(
      i.id,
      i.fingerprint,
      i.playId,
      i.alert,
      i.state,
      i.lastSeen,
      JSON.stringify(i),
    );
    const session = i.playId ? this.#read(i.playId) : undefined;
    const updated = session && applyIncident(session, i, add);
    if (updated) this.#write(updated);
  }

  commitDecision(input: {
    decision: Decision;
    actions: ActionRecord[];
    incident?: (current: Incident) => Incident;
  }): Promise<Incident | undefined> {
    return this.#writes.run(() => {
      const current = this.#readIncident(input.decision.incidentId);
      const next = current && input.incident ? input.incident(structuredClone(current)) : current;
      if (next && next !== current) this.#putIncident(next, false);
      const d = input.decision;
      this.#stmt.putDecision.run(d.id, d.incidentId, d.at, JSON.stringify(d));
      for (const a of input.actions) this.#putAction(a);
      return next;
    });
  }

  decisionsFor(incidentId: string): Promise<Decision[]> {
    return Promise.resolve(docs<Decision>(this.#stmt.decisionsFor.all(incidentId)));
  }

  actionsFor(incidentId: string): Promise<ActionRecord[]> {
    return Promise.resolve(docs<ActionRecord>(this.#stmt.actionsFor.all(incidentId)));
  }

  timeline(playId: string): Promise<{ decisions: Decision[]; actions: ActionRecord[] }> {
    const decisions = docs<Decision>(
      this.#db
        .prepare(
          'SELECT d.doc FROM decisions d JOIN incidents i ON i.id = d.incident_id WHERE i.play_id = ? ORDER BY d.at, d.rowid',
        )
        .all(playId),
    );
    const actions = docs<ActionRecord>(
      this.#db
        .prepare(
          'SELECT a.doc FROM actions a JOIN incidents i ON i.id = a.incident_id WHERE i.play_id = ? ORDER BY a.created_at, a.seq',
        )
        .all(playId),
    );
    return Promise.resolve({ decisions, actions });
  }

  dueActions(now: Date, limit: number): Promise<ActionRecord[]> {
    return Promise.resolve(docs<ActionRecord>(this.#stmt.dueActions.all(now.toISOString(), limit)));
  }

  updateAction(
    id: string,
    change: (current: ActionRecord) => ActionRecord | undefined,
  ): Promise<ActionRecord | undefined> {
    return this.#writes.run(() => {
      const row = this.#stmt.actionById.get(id) as { doc: string } | undefined;
      if (!row) return undefined;
      const current = JSON.parse(row.doc) as ActionRecord;
      const next = change(structuredClone(current));
      if (!next) return current;
      this.#putAction(next);
      return next;
    });
  }

  finishAction(
    id: string,
    change: (current: ActionRecord) => ActionRecord,
    incident?: (current: Incident) => Incident,
  ): Promise<{ action: ActionRecord | undefined; incident: Incident | undefined }> {
    return this.#writes.run(() => {
      const row = this.#stmt.actionById.get(id) as { doc: string } | undefined;
      if (!row) return { action: undefined, incident: undefined };
      const next = change(JSON.parse(row.doc) as ActionRecord);
      this.#putAction(next);
      const inc = this.#readIncident(next.incidentId);
      const nextInc = inc && incident ? incident(structuredClone(inc)) : inc;
      if (nextInc && nextInc !== inc) this.#putIncident(nextInc, false);
      return { action: next, incident: nextInc };
    });
  }

  createSilence(silence: Silence): Promise<Silence> {
    return this.#writes.run(() => {
      this.#putSilence(silence);
      return silence;
    });
  }

  listSilences(now?: Date): Promise<Silence[]> {
    const rows = now
      ? this.#stmt.activeSilences.all(now.toISOString(), now.toISOString())
      : this.#stmt.allSilences.all();
    return Promise.resolve(docs<Silence>(rows));
  }

  getSilence(id: string): Promise<Silence | undefined> {
    return Promise.resolve(docs<Silence>([this.#stmt.silenceById.get(id)].filter(Boolean))[0]);
  }

  expireSilence(id: string, at: Date): Promise<Silence | undefined> {
    return this.#writes.run(() => {
      const s = docs<Silence>([this.#stmt.silenceById.get(id)].filter(Boolean))[0];
      if (!s) return undefined;
      if (s.expiredAt) return s;
      const next = { ...s, expiredAt: at.toISOString() };
      this.#putSilence(next);
      return next;
    });
  }

  #putAction(a: ActionRecord): void {
    this.#stmt.putAction.run(
      a.id,
      a.incidentId,
      a.state,
      a.nextAttemptAt,
      a.createdAt,
      a.seq,
      JSON.stringify(a),
    );
  }

  #putSilence(s: Silence): void {
    this.#stmt.putSilence.run(s.id, s.startsAt, s.endsAt, s.expiredAt, JSON.stringify(s));
  }

  getCursor(key: string): Promise<string | undefined> {
    const row = this.#stmt.getCursor.get(key) as { value: string } | undefined;
    return Promise.resolve(row?.value);
  }

  setCursor(key: string, value: string): Promise<void> {
    return this.#writes.run(() => {
      this.#stmt.setCursor.run(key, value);
    });
  }

  ping(): Promise<void> {
    this.#stmt.ping.get();
    return Promise.resolve();
  }

  async close(): Promise<void> {
    await this.#writes.drain();
    if (this.#db.isOpen) this.#db.close();
  }

  #end(playId: string, status: EndedStatus, reason: string | null, at: Date): EndResult {
    const current = this.#read(playId);
    if (!current) return { outcome: 'not_found' };
    if (current.status !== 'active') return { outcome: 'already_ended', session: current };
    const iso = at.toISOString();
    const ended: Session = {
      ...current,
      status,
      end_reason: reason,
      ended_at: iso,
      last_updated: iso,
    };
    this.#write(ended);
    return { outcome: 'ended', session: ended };
  }

  #read(playId: string): Session | undefined {
    const row = this.#stmt.get.get(playId) as SessionRow | undefined;
    return row ? (JSON.parse(row.doc) as Session) : undefined;
  }

  #write(s: Session): void {
    this.#stmt.upsert.run(
      s.play_id,
      s.status,
      s.repository,
      s.started_at,
      s.last_updated,
      s.ended_at,
      s.tasks.length,
      s.issues.length,
      JSON.stringify(s),
    );
  }
}
