import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { ActionRecord, Silence } from '../../domain/action.js';
import { HealerError } from '../../domain/errors.js';
import type { Incident } from '../../domain/incident.js';
import type { Session } from '../../domain/session.js';
import { applyIncident } from '../../domain/session-issue.js';
import { withIncidentDefaults } from '../../incidents/lifecycle.js';
import { GroupCommit } from './group-commit.js';
import { migrate } from './schema.js';

export const docs = <T>(rows: unknown[]): T[] =>
  (rows as { doc: string }[]).map((r) => JSON.parse(r.doc) as T);

/** Opens (creating if needed) and checks the database; a corrupt or unwritable file throws. */
export function openDatabase(path: string): DatabaseSync {
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
      return db;
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

/**
 * One SQLite database shared by the per-aggregate stores: its prepared statements, the row
 * helpers writes that span aggregates need (an incident mirrored into its session, a decision's
 * outbox actions), and the group commit every write goes through. The helpers are synchronous and
 * run inside the caller's `writes.run` transaction.
 */
export class SqliteTables {
  readonly db: DatabaseSync;
  readonly writes: GroupCommit;
  readonly stmt: Record<string, StatementSync>;

  constructor(db: DatabaseSync) {
    this.db = db;
    this.writes = new GroupCommit(db);
    const p = (sql: string) => db.prepare(sql);
    this.stmt = {
      getSession: p('SELECT doc FROM sessions WHERE play_id = ?'),
      upsertSession:
        p(`INSERT INTO sessions (play_id, status, repository, started_at, last_updated, ended_at,
                   task_count, issue_count, doc)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                 ON CONFLICT(play_id) DO UPDATE SET status = excluded.status,
                   repository = excluded.repository, started_at = excluded.started_at,
                   last_updated = excluded.last_updated, ended_at = excluded.ended_at,
                   task_count = excluded.task_count, issue_count = excluded.issue_count, doc = excluded.doc`),
      incidentById: p('SELECT doc FROM incidents WHERE id = ?'),
      putIncident: p(`INSERT INTO incidents (id, fingerprint, play_id, alert, state, last_seen, doc)
                      VALUES (?, ?, ?, ?, ?, ?, ?)
                      ON CONFLICT(id) DO UPDATE SET play_id = excluded.play_id, alert = excluded.alert,
                        state = excluded.state, last_seen = excluded.last_seen, doc = excluded.doc`),
      actionById: p('SELECT doc FROM actions WHERE id = ?'),
      putAction:
        p(`INSERT INTO actions (id, incident_id, state, next_attempt_at, created_at, seq, doc)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET state = excluded.state,
                      next_attempt_at = excluded.next_attempt_at, doc = excluded.doc`),
      putSilence:
        p(`INSERT INTO silences (id, starts_at, ends_at, expired_at, doc) VALUES (?, ?, ?, ?, ?)
                     ON CONFLICT(id) DO UPDATE SET expired_at = excluded.expired_at, doc = excluded.doc`),
      ping: p('SELECT 1 AS ok'),
    };
  }

  readSession(playId: string): Session | undefined {
    const row = this.stmt.getSession.get(playId) as { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as Session) : undefined;
  }

  writeSession(s: Session): void {
    this.stmt.upsertSession.run(
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

  readIncident(id: string): Incident | undefined {
    const row = this.stmt.incidentById.get(id) as { doc: string } | undefined;
    return row ? parseIncident(row.doc) : undefined;
  }

  /** Writes an incident and mirrors it into its session, inside the caller's transaction. */
  putIncident(i: Incident, add: boolean): void {
    this.stmt.putIncident.run(
      i.id,
      i.fingerprint,
      i.playId,
      i.alert,
      i.state,
      i.lastSeen,
      JSON.stringify(i),
    );
    const session = i.playId ? this.readSession(i.playId) : undefined;
    const updated = session && applyIncident(session, i, add);
    if (updated) this.writeSession(updated);
  }

  readAction(id: string): ActionRecord | undefined {
    const row = this.stmt.actionById.get(id) as { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as ActionRecord) : undefined;
  }

  putAction(a: ActionRecord): void {
    this.stmt.putAction.run(
      a.id,
      a.incidentId,
      a.state,
      a.nextAttemptAt,
      a.createdAt,
      a.seq,
      JSON.stringify(a),
    );
  }

  putSilence(s: Silence): void {
    this.stmt.putSilence.run(s.id, s.startsAt, s.endsAt, s.expiredAt, JSON.stringify(s));
  }

  async close(): Promise<void> {
    await this.writes.drain();
    if (this.db.isOpen) this.db.close();
  }
}

/** An incident row (records written before every field was filled get the defaults). */
export const parseIncident = (doc: string): Incident =>
  withIncidentDefaults(JSON.parse(doc) as Incident);
