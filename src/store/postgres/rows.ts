// Row helpers shared by the per-aggregate PostgreSQL stores; they run inside the caller's
// transaction (`Sql`), so a change spanning aggregates commits or rolls back as a whole.
// Lock order, everywhere: action → incident → session (no deadlock between writers).
import type { ActionRecord, Silence } from '../../domain/action.js';
import type { Incident } from '../../domain/incident.js';
import type { Session } from '../../domain/session.js';
import { applyIncident } from '../../domain/session-issue.js';
import { withIncidentDefaults } from '../../incidents/lifecycle.js';
import type { Sql } from './database.js';

type Doc = { doc: string };
export const docs = <T>(rows: Doc[]): T[] => rows.map((r) => JSON.parse(r.doc) as T);
export const parseIncident = (doc: string): Incident =>
  withIncidentDefaults(JSON.parse(doc) as Incident);

export async function readSession(
  sql: Sql,
  playId: string,
  lock = false,
): Promise<Session | undefined> {
  const { rows } = await sql.query<Doc>(
    `SELECT doc FROM sessions WHERE play_id = $1 ORDER BY id DESC LIMIT 1${lock ? ' FOR UPDATE' : ''}`,
    [playId],
  );
  return rows[0] ? (JSON.parse(rows[0].doc) as Session) : undefined;
}

export const sessionColumns = (s: Session): unknown[] => [
  s.play_id,
  s.status,
  s.repository,
  s.started_at,
  s.last_updated,
  s.ended_at,
  s.tasks.length,
  s.issues.length,
  JSON.stringify(s),
];

export async function insertSession(sql: Sql, s: Session): Promise<string | undefined> {
  const { rows } = await sql.query<{ id: string }>(
    `INSERT INTO sessions (play_id, status, repository, started_at, last_updated, ended_at,
                           task_count, issue_count, doc)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (play_id) WHERE status = 'active' DO NOTHING
     RETURNING id`,
    sessionColumns(s),
  );
  return rows[0]?.id;
}

/** Rewrites the (only) row of the session's play id. */
export async function writeSession(sql: Sql, s: Session): Promise<void> {
  await sql.query(
    `UPDATE sessions SET status = $2, repository = $3, started_at = $4, last_updated = $5,
            ended_at = $6, task_count = $7, issue_count = $8, doc = $9
     WHERE play_id = $1`,
    sessionColumns(s),
  );
}

export async function readIncident(
  sql: Sql,
  id: string,
  lock = false,
): Promise<Incident | undefined> {
  const { rows } = await sql.query<Doc>(
    `SELECT doc FROM incidents WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0] ? parseIncident(rows[0].doc) : undefined;
}

/** Writes an incident and mirrors it into its session. */
export async function putIncident(sql: Sql, i: Incident, add: boolean): Promise<void> {
  await sql.query(
    `INSERT INTO incidents (id, fingerprint, play_id, alert, state, last_seen, doc)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (id) DO UPDATE SET play_id = excluded.play_id, alert = excluded.alert,
       state = excluded.state, last_seen = excluded.last_seen, doc = excluded.doc`,
    [i.id, i.fingerprint, i.playId, i.alert, i.state, i.lastSeen, JSON.stringify(i)],
  );
  const session = i.playId ? await readSession(sql, i.playId, true) : undefined;
  const updated = session && applyIncident(session, i, add);
  if (updated) await writeSession(sql, updated);
}

export async function readAction(
  sql: Sql,
  id: string,
  lock = false,
): Promise<ActionRecord | undefined> {
  const { rows } = await sql.query<Doc>(
    `SELECT doc FROM actions WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0] ? (JSON.parse(rows[0].doc) as ActionRecord) : undefined;
}

/** Writes an action; any claim on it ends (its outcome is recorded). */
export async function putAction(sql: Sql, a: ActionRecord): Promise<void> {
  await sql.query(
    `INSERT INTO actions (id, incident_id, state, next_attempt_at, created_at, seq, doc)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (id) DO UPDATE SET state = excluded.state,
       next_attempt_at = excluded.next_attempt_at, doc = excluded.doc,
       claimed_by = NULL, claimed_until = NULL`,
    [a.id, a.incidentId, a.state, a.nextAttemptAt, a.createdAt, a.seq, JSON.stringify(a)],
  );
}

export async function putSilence(sql: Sql, s: Silence): Promise<void> {
  await sql.query(
    `INSERT INTO silences (id, starts_at, ends_at, expired_at, doc) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (id) DO UPDATE SET expired_at = excluded.expired_at, doc = excluded.doc`,
    [s.id, s.startsAt, s.endsAt, s.expiredAt, JSON.stringify(s)],
  );
}
