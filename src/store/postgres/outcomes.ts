import { outcomeWhere, type OutcomeQuery, type RemediationOutcome } from '../../domain/outcome.js';
import type { OutcomeStore } from '../../domain/stores.js';
import type { Database } from './database.js';
import { docs } from './rows.js';

export class PostgresOutcomeStore implements OutcomeStore {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  async recordOutcome(o: RemediationOutcome): Promise<void> {
    await this.#db.query(
      `INSERT INTO outcomes (id, incident_id, alert, agent, signature, outcome, at, doc)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (id) DO UPDATE SET alert = excluded.alert, agent = excluded.agent,
         signature = excluded.signature, outcome = excluded.outcome, at = excluded.at, doc = excluded.doc`,
      [o.id, o.incidentId, o.alert, o.agent, o.signature, o.outcome, o.at, JSON.stringify(o)],
    );
  }

  async listOutcomes(query: OutcomeQuery): Promise<RemediationOutcome[]> {
    const { conditions } = outcomeWhere(query);
    const values: unknown[] = [];
    const where = conditions.map((c) => {
      if (c.value === null) return `${c.column} IS NULL`;
      values.push(c.value);
      return c.column === 'at' ? `at >= $${values.length}` : `${c.column} = $${values.length}`;
    });
    values.push(Math.max(0, Math.floor(query.limit)));
    const rows = await this.#db.query<{ doc: string }>(
      `SELECT doc FROM outcomes${where.length ? ` WHERE ${where.join(' AND ')}` : ''}
       ORDER BY at DESC, id DESC LIMIT $${values.length}`,
      values,
    );
    return docs<RemediationOutcome>(rows);
  }
}
