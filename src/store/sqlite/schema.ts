import type { DatabaseSync } from 'node:sqlite';

/** Schema migrations, applied in order inside one transaction; `user_version` records the level. */
const MIGRATIONS: string[] = [
  `CREATE TABLE sessions (
     play_id TEXT PRIMARY KEY,
     status TEXT NOT NULL,
     repository TEXT NOT NULL,
     started_at TEXT NOT NULL,
     last_updated TEXT NOT NULL,
     ended_at TEXT,
     task_count INTEGER NOT NULL,
     issue_count INTEGER NOT NULL,
     doc TEXT NOT NULL
   );
   CREATE INDEX sessions_list ON sessions (started_at DESC, play_id DESC);
   CREATE INDEX sessions_status ON sessions (status, last_updated);
   CREATE TABLE cursors (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);`,
  `CREATE TABLE incidents (
     id TEXT PRIMARY KEY,
     fingerprint TEXT NOT NULL UNIQUE,
     play_id TEXT,
     alert TEXT NOT NULL,
     state TEXT NOT NULL,
     last_seen TEXT NOT NULL,
     doc TEXT NOT NULL
   );
   CREATE INDEX incidents_list ON incidents (last_seen DESC, id DESC);
   CREATE INDEX incidents_play ON incidents (play_id, last_seen DESC);
   CREATE INDEX incidents_state ON incidents (state);`,
  `CREATE TABLE decisions (id TEXT PRIMARY KEY, incident_id TEXT NOT NULL, at TEXT NOT NULL, doc TEXT NOT NULL);
   CREATE INDEX decisions_incident ON decisions (incident_id, at);
   CREATE TABLE actions (
     id TEXT PRIMARY KEY,
     incident_id TEXT NOT NULL,
     state TEXT NOT NULL,
     next_attempt_at TEXT NOT NULL,
     created_at TEXT NOT NULL,
     seq INTEGER NOT NULL,
     doc TEXT NOT NULL
   );
   CREATE INDEX actions_due ON actions (state, next_attempt_at);
   CREATE INDEX actions_incident ON actions (incident_id, created_at, seq);
   CREATE TABLE silences (
     id TEXT PRIMARY KEY,
     starts_at TEXT NOT NULL,
     ends_at TEXT NOT NULL,
     expired_at TEXT,
     doc TEXT NOT NULL
   );`,
  // Log gaps: one row per gap (they were a JSON list in `cursors`, rewritten on every gap).
  `CREATE TABLE log_gaps (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     play_id TEXT NOT NULL,
     from_at TEXT NOT NULL,
     to_at TEXT NOT NULL
   );
   CREATE INDEX log_gaps_play ON log_gaps (play_id, seq);
   INSERT INTO log_gaps (play_id, from_at, to_at)
     SELECT substr(c.key, 10), json_extract(g.value, '$.from'), json_extract(g.value, '$.to')
     FROM cursors c,
       json_each(CASE WHEN json_valid(c.value) AND json_type(c.value) = 'array' THEN c.value ELSE '[]' END) g
     WHERE c.key LIKE 'log-gaps:%' AND json_type(g.value, '$.from') = 'text' AND json_type(g.value, '$.to') = 'text'
     ORDER BY c.key, g.key;
   DELETE FROM cursors WHERE key LIKE 'log-gaps:%';`,
  // Remediation outcomes (issue #17): one row per incident attempt, read by class and signature.
  `CREATE TABLE outcomes (
     id TEXT PRIMARY KEY,
     incident_id TEXT NOT NULL,
     alert TEXT NOT NULL,
     agent TEXT,
     signature TEXT NOT NULL,
     outcome TEXT NOT NULL,
     at TEXT NOT NULL,
     doc TEXT NOT NULL
   );
   CREATE INDEX outcomes_class ON outcomes (alert, agent, signature, at DESC);
   CREATE INDEX outcomes_signature ON outcomes (signature, at DESC);
   CREATE INDEX outcomes_at ON outcomes (at DESC, id DESC);
   CREATE INDEX outcomes_incident ON outcomes (incident_id);`,
];

export function migrate(db: DatabaseSync): void {
  const { user_version: level } = db.prepare('PRAGMA user_version').get() as {
    user_version: number;
  };
  if (level > MIGRATIONS.length) {
    throw new Error(
      `database schema version ${level} is newer than this Healer understands (${MIGRATIONS.length})`,
    );
  }
  db.exec('BEGIN IMMEDIATE');
  try {
    for (let v = level; v < MIGRATIONS.length; v++) db.exec(MIGRATIONS[v]);
    db.exec(`PRAGMA user_version = ${MIGRATIONS.length}`);
    db.prepare(
      "INSERT INTO meta (key, value) VALUES ('opened_at', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    ).run(new Date().toISOString());
    db.exec('COMMIT');
  } catch (err) {
    db.exec('ROLLBACK');
    throw err;
  }
}
