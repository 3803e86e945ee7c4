import type { AlertDraft } from '../../domain/alert.js';
import type { ActionRecord, Decision } from '../../domain/action.js';
import {
  emptyIncidentCounts,
  type Incident,
  type IncidentQuery,
  type IncidentState,
  type RecordOutcome,
} from '../../domain/incident.js';
import type { IncidentStore } from '../../domain/stores.js';
import { recordOccurrence } from '../../incidents/lifecycle.js';
import type { Database, Sql } from './database.js';
import type { SessionCache } from './session-cache.js';
import { docs, parseIncident, putAction, putIncident, readIncident } from './rows.js';

type Doc = { doc: string };

async function byFingerprint(sql: Sql, fingerprint: string): Promise<Incident | undefined> {
  const { rows } = await sql.query<Doc>(
    'SELECT doc FROM incidents WHERE fingerprint = $1 FOR UPDATE',
    [fingerprint],
  );
  return rows[0] ? parseIncident(rows[0].doc) : undefined;
}

export class PostgresIncidentStore implements IncidentStore {
  readonly #db: Database;
  readonly #cache: SessionCache | null;

  constructor(db: Database, cache: SessionCache | null = null) {
    this.#db = db;
    this.#cache = cache;
  }

  /** `fn`'s transaction; the session its incident is mirrored into leaves the read cache. */
  async #mirrored<T>(incidentOf: (out: T) => Incident | undefined, fn: (sql: Sql) => Promise<T>) {
    const out = await this.#db.tx(fn);
    const playId = incidentOf(out)?.playId;
    if (playId) this.#cache?.evict(playId);
    return out;
  }

  recordAlert(
    draft: AlertDraft,
    fingerprint: string,
    at: Date,
  ): Promise<{ incident: Incident; outcome: RecordOutcome }> {
    return this.#mirrored(
      (r) => r.incident,
      async (sql) => {
        let existing = await byFingerprint(sql, fingerprint);
        if (!existing) {
          // Claim the fingerprint first: a concurrent first sighting waits here, then updates.
          const fresh = recordOccurrence(undefined, draft, fingerprint, at);
          const i = fresh.incident;
          const { rowCount } = await sql.query(
            `INSERT INTO incidents (id, fingerprint, play_id, alert, state, last_seen, doc)
           VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (fingerprint) DO NOTHING`,
            [i.id, i.fingerprint, i.playId, i.alert, i.state, i.lastSeen, JSON.stringify(i)],
          );
          if (rowCount === 1) {
            await putIncident(sql, i, true);
            return fresh;
          }
          existing = await byFingerprint(sql, fingerprint);
        }
        const next = recordOccurrence(existing, draft, fingerprint, at);
        await putIncident(sql, next.incident, true);
        return next;
      },
    );
  }

  async getIncident(id: string): Promise<Incident | undefined> {
    const rows = await this.#db.query<Doc>('SELECT doc FROM incidents WHERE id = $1', [id]);
    return rows[0] ? parseIncident(rows[0].doc) : undefined;
  }

  async listIncidents(q: IncidentQuery): Promise<Incident[]> {
    const where: string[] = [];
    const args: (string | number)[] = [];
    for (const [column, value] of [
      ['state', q.state],
      ['play_id', q.playId],
      ['alert', q.alert],
    ] as const) {
      if (value === undefined) continue;
      args.push(value);
      where.push(`${column} = $${args.length}`);
    }
    for (const [op, value] of [
      ['>=', q.lastSeenFrom],
      ['<', q.lastSeenTo],
    ] as const) {
      if (value === undefined) continue;
      args.push(value);
      where.push(`last_seen ${op} $${args.length}`);
    }
    args.push(q.limit);
    const rows = await this.#db.query<Doc>(
      `SELECT doc FROM incidents ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY last_seen DESC, id DESC LIMIT $${args.length}`,
      args,
    );
    return rows.map((r) => parseIncident(r.doc));
  }

  async countIncidentsByState(): Promise<Record<IncidentState, number>> {
    const counts = emptyIncidentCounts();
    const rows = await this.#db.query<{ state: IncidentState; n: number }>(
      'SELECT state, COUNT(*)::int AS n FROM incidents GROUP BY state',
    );
    for (const r of rows) counts[r.state] = r.n;
    return counts;
  }

  async openIncidents(): Promise<Incident[]> {
    const rows = await this.#db.query<Doc>("SELECT doc FROM incidents WHERE state <> 'resolved'");
    return rows.map((r) => parseIncident(r.doc));
  }

  updateIncident(
    id: string,
    change: (current: Incident) => Incident | undefined,
  ): Promise<Incident | undefined> {
    return this.#mirrored(
      (i) => i,
      async (sql) => {
        const current = await readIncident(sql, id, true);
        if (!current) return undefined;
        const next = change(structuredClone(current));
        if (!next) return current;
        await putIncident(sql, next, false);
        return next;
      },
    );
  }

  commitDecision(input: {
    decision: Decision;
    actions: ActionRecord[];
    incident?: (current: Incident) => Incident;
  }): Promise<Incident | undefined> {
    return this.#mirrored(
      (i) => i,
      async (sql) => {
        const current = await readIncident(sql, input.decision.incidentId, true);
        const next = current && input.incident ? input.incident(structuredClone(current)) : current;
        if (next && next !== current) await putIncident(sql, next, false);
        const d = input.decision;
        await sql.query(
          'INSERT INTO decisions (id, incident_id, at, doc) VALUES ($1, $2, $3, $4)',
          [d.id, d.incidentId, d.at, JSON.stringify(d)],
        );
        for (const a of input.actions) await putAction(sql, a);
        return next;
      },
    );
  }

  async decisionsFor(incidentId: string): Promise<Decision[]> {
    return docs<Decision>(
      await this.#db.query<Doc>(
        'SELECT doc FROM decisions WHERE incident_id = $1 ORDER BY at, seq',
        [incidentId],
      ),
    );
  }

  async timeline(playId: string): Promise<{ decisions: Decision[]; actions: ActionRecord[] }> {
    const [decisions, actions] = await Promise.all([
      this.#db.query<Doc>(
        `SELECT d.doc FROM decisions d JOIN incidents i ON i.id = d.incident_id
         WHERE i.play_id = $1 ORDER BY d.at, d.seq`,
        [playId],
      ),
      this.#db.query<Doc>(
        `SELECT a.doc FROM actions a JOIN incidents i ON i.id = a.incident_id
         WHERE i.play_id = $1 ORDER BY a.created_at, a.seq`,
        [playId],
      ),
    ]);
    return { decisions: docs<Decision>(decisions), actions: docs<ActionRecord>(actions) };
  }
}
