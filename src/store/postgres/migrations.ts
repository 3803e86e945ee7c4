// Versioned schema migrations, applied at start. A session-level advisory lock makes replicas that
// start together take turns: the first applies what is missing, the others then find nothing to do.
import type pg from 'pg';

/** Ordered; never edit one that has shipped, append a new one. */
export const MIGRATIONS: string[] = [
  `CREATE TABLE sessions (
     id bigserial PRIMARY KEY,
     play_id text NOT NULL,
     status text NOT NULL,
     repository text NOT NULL,
     started_at text NOT NULL,
     last_updated text NOT NULL,
     ended_at text,
     task_count integer NOT NULL,
     issue_count integer NOT NULL,
     doc text NOT NULL
   );
   -- At most one active session per Play, across every replica: a start is one INSERT that this
   -- index admits or refuses.
   CREATE UNIQUE INDEX sessions_one_active ON sessions (play_id) WHERE status = 'active';
   CREATE INDEX sessions_play ON sessions (play_id, id DESC);
   CREATE INDEX sessions_list ON sessions (started_at DESC, play_id DESC);
   CREATE INDEX sessions_status ON sessions (status, last_updated);
   CREATE TABLE cursors (key text PRIMARY KEY, value text NOT NULL);
   CREATE TABLE incidents (
     id text PRIMARY KEY,
     fingerprint text NOT NULL UNIQUE,
     play_id text,
     alert text NOT NULL,
     state text NOT NULL,
     last_seen text NOT NULL,
     doc text NOT NULL
   );
   CREATE INDEX incidents_list ON incidents (last_seen DESC, id DESC);
   CREATE INDEX incidents_play ON incidents (play_id, last_seen DESC);
   CREATE INDEX incidents_state ON incidents (state);
   CREATE TABLE decisions (
     seq bigserial PRIMARY KEY,
     id text NOT NULL UNIQUE,
     incident_id text NOT NULL,
     at text NOT NULL,
     doc text NOT NULL
   );
   CREATE INDEX decisions_incident ON decisions (incident_id, at, seq);
   CREATE TABLE actions (
     id text PRIMARY KEY,
     incident_id text NOT NULL,
     state text NOT NULL,
     next_attempt_at text NOT NULL,
     created_at text NOT NULL,
     seq integer NOT NULL,
     doc text NOT NULL,
     claimed_by text,
     claimed_until timestamptz
   );
   CREATE INDEX actions_due ON actions (state, next_attempt_at);
   CREATE INDEX actions_incident ON actions (incident_id, created_at, seq);
   CREATE TABLE silences (
     id text PRIMARY KEY,
     starts_at text NOT NULL,
     ends_at text NOT NULL,
     expired_at text,
     doc text NOT NULL
   );
   CREATE TABLE log_gaps (
     seq bigserial PRIMARY KEY,
     play_id text NOT NULL,
     from_at text NOT NULL,
     to_at text NOT NULL
   );
   CREATE INDEX log_gaps_play ON log_gaps (play_id, seq);`,
  // Remediation outcomes (issue #17): one row per incident attempt, read by class and signature.
  `CREATE TABLE outcomes (
     id text PRIMARY KEY,
     incident_id text NOT NULL,
     alert text NOT NULL,
     agent text,
     signature text NOT NULL,
     outcome text NOT NULL,
     at text NOT NULL,
     doc text NOT NULL
   );
   CREATE INDEX outcomes_class ON outcomes (alert, agent, signature, at DESC);
   CREATE INDEX outcomes_signature ON outcomes (signature, at DESC);
   CREATE INDEX outcomes_at ON outcomes (at DESC, id DESC);
   CREATE INDEX outcomes_incident ON outcomes (incident_id);`,
  // Every write of a session row is announced on commit, so each replica's read cache drops it
  // (src/store/postgres/session-cache.ts).
  `CREATE FUNCTION healer_sessions_notify() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     IF TG_OP = 'DELETE' THEN
       PERFORM pg_notify('healer_sessions', OLD.play_id);
     ELSE
       PERFORM pg_notify('healer_sessions', NEW.play_id);
     END IF;
     RETURN NULL;
   END $$;
   CREATE TRIGGER sessions_notify AFTER INSERT OR UPDATE OR DELETE ON sessions
     FOR EACH ROW EXECUTE FUNCTION healer_sessions_notify();`,
];

/** Arbitrary constant: the advisory lock every Healer takes while migrating. */
const LOCK_KEY = 7_263_480_112;

/** Applies the missing migrations; returns the schema version afterwards. */
export async function migrate(pool: pg.Pool): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    try {
      await client.query(
        `CREATE TABLE IF NOT EXISTS schema_migrations (
           version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
      );
      const { rows } = await client.query<{ v: number | null }>(
        'SELECT max(version) AS v FROM schema_migrations',
      );
      const level = rows[0]?.v ?? 0;
      if (level > MIGRATIONS.length) {
        throw new Error(
          `database schema version ${level} is newer than this Healer understands (${MIGRATIONS.length})`,
        );
      }
      for (let v = level; v < MIGRATIONS.length; v++) {
        await client.query('BEGIN');
        try {
          await client.query(MIGRATIONS[v]);
          await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [v + 1]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK');
          throw err;
        }
      }
      return MIGRATIONS.length;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]);
    }
  } finally {
    client.release();
  }
}
