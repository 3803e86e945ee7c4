import { outcomeWhere, type OutcomeQuery, type RemediationOutcome } from '../../domain/outcome.js';
import type { OutcomeStore } from '../../domain/stores.js';
import { docs, type SqliteTables } from './tables.js';

export class SqliteOutcomeStore implements OutcomeStore {
  readonly #t: SqliteTables;
  readonly #put;

  constructor(tables: SqliteTables) {
    this.#t = tables;
    this.#put = tables.db.prepare(
      `INSERT INTO outcomes (id, incident_id, alert, agent, signature, outcome, at, doc)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET alert = excluded.alert, agent = excluded.agent,
         signature = excluded.signature, outcome = excluded.outcome, at = excluded.at, doc = excluded.doc`,
    );
  }

  recordOutcome(o: RemediationOutcome): Promise<void> {
    return this.#t.writes.run(() => {
      this.#put.run(
        o.id,
        o.incidentId,
        o.alert,
        o.agent,
        o.signature,
        o.outcome,
        o.at,
        JSON.stringify(o),
      );
    });
  }

  listOutcomes(query: OutcomeQuery): Promise<RemediationOutcome[]> {
    const { conditions } = outcomeWhere(query);
    const where = conditions.map((c) =>
      c.column === 'at' ? 'at >= ?' : c.value === null ? `${c.column} IS NULL` : `${c.column} = ?`,
    );
    const values = conditions.filter((c) => c.value !== null).map((c) => c.value as string);
    const sql = `SELECT doc FROM outcomes${where.length ? ` WHERE ${where.join(' AND ')}` : ''}
                 ORDER BY at DESC, id DESC LIMIT ?`;
    const rows = this.#t.db.prepare(sql).all(...values, Math.max(0, Math.floor(query.limit)));
    return Promise.resolve(docs<RemediationOutcome>(rows));
  }
}
