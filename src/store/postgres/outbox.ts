import type { ActionRecord } from '../../domain/action.js';
import type { Incident } from '../../domain/incident.js';
import type { OutboxStore } from '../../domain/stores.js';
import type { Database } from './database.js';
import { docs, putAction, putIncident, readAction, readIncident } from './rows.js';

type Doc = { doc: string };

export class PostgresOutboxStore implements OutboxStore {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  async actionsFor(incidentId: string): Promise<ActionRecord[]> {
    return docs<ActionRecord>(
      await this.#db.query<Doc>(
        'SELECT doc FROM actions WHERE incident_id = $1 ORDER BY created_at, seq',
        [incidentId],
      ),
    );
  }

  async dueActions(now: Date, limit: number): Promise<ActionRecord[]> {
    return docs<ActionRecord>(
      await this.#db.query<Doc>(
        `SELECT doc FROM actions WHERE state = 'pending' AND next_attempt_at <= $1
         ORDER BY created_at, seq LIMIT $2`,
        [now.toISOString(), limit],
      ),
    );
  }

  /**
   * Due actions no other dispatcher holds, claimed for `leaseMs` by `owner` (FOR UPDATE SKIP
   * LOCKED: two dispatchers claiming at once take disjoint actions, neither waits). Recording an
   * action's outcome ends its claim; a claim whose owner died lapses after `leaseMs`.
   */
  async claimDueActions(
    now: Date,
    limit: number,
    owner: string,
    leaseMs: number,
  ): Promise<ActionRecord[]> {
    return docs<ActionRecord>(
      await this.#db.tx(async (sql) => {
        const { rows } = await sql.query<Doc & { created_at: string; seq: number }>(
          `UPDATE actions SET claimed_by = $3, claimed_until = now() + ($4 * interval '1 millisecond')
           WHERE id IN (
             SELECT id FROM actions
             WHERE state = 'pending' AND next_attempt_at <= $1
               AND (claimed_until IS NULL OR claimed_until < now() OR claimed_by = $3)
             ORDER BY created_at, seq LIMIT $2
             FOR UPDATE SKIP LOCKED)
           RETURNING doc, created_at, seq`,
          [now.toISOString(), limit, owner, leaseMs],
        );
        return rows.sort((a, b) =>
          a.created_at === b.created_at ? a.seq - b.seq : a.created_at < b.created_at ? -1 : 1,
        );
      }),
    );
  }

  async releaseClaims(owner: string): Promise<void> {
    await this.#db.query(
      'UPDATE actions SET claimed_by = NULL, claimed_until = NULL WHERE claimed_by = $1',
      [owner],
    );
  }

  updateAction(
    id: string,
    change: (current: ActionRecord) => ActionRecord | undefined,
  ): Promise<ActionRecord | undefined> {
    return this.#db.tx(async (sql) => {
      const current = await readAction(sql, id, true);
      if (!current) return undefined;
      const next = change(structuredClone(current));
      if (!next) return current;
      await putAction(sql, next);
      return next;
    });
  }

  finishAction(
    id: string,
    change: (current: ActionRecord) => ActionRecord,
    incident?: (current: Incident) => Incident,
  ): Promise<{ action: ActionRecord | undefined; incident: Incident | undefined }> {
    return this.#db.tx(async (sql) => {
      const current = await readAction(sql, id, true);
      if (!current) return { action: undefined, incident: undefined };
      const next = change(current);
      await putAction(sql, next);
      const inc = await readIncident(sql, next.incidentId, true);
      const nextInc = inc && incident ? incident(structuredClone(inc)) : inc;
      if (nextInc && nextInc !== inc) await putIncident(sql, nextInc, false);
      return { action: next, incident: nextInc };
    });
  }
}
