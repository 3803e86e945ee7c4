import type { ActionRecord } from '../../domain/action.js';
import type { Incident } from '../../domain/incident.js';
import type { OutboxStore } from '../../domain/stores.js';
import { ProcessClaims } from '../claims.js';
import { docs, type SqliteTables } from './tables.js';

export class SqliteOutboxStore implements OutboxStore {
  readonly #claims = new ProcessClaims();
  readonly #t: SqliteTables;
  readonly #actionsFor;
  readonly #due;

  constructor(tables: SqliteTables) {
    this.#t = tables;
    this.#actionsFor = tables.db.prepare(
      'SELECT doc FROM actions WHERE incident_id = ? ORDER BY created_at, seq',
    );
    this.#due = tables.db
      .prepare(`SELECT doc FROM actions WHERE state = 'pending' AND next_attempt_at <= ?
                     ORDER BY created_at, seq LIMIT ?`);
  }

  actionsFor(incidentId: string): Promise<ActionRecord[]> {
    return Promise.resolve(docs<ActionRecord>(this.#actionsFor.all(incidentId)));
  }

  dueActions(now: Date, limit: number): Promise<ActionRecord[]> {
    return Promise.resolve(docs<ActionRecord>(this.#due.all(now.toISOString(), limit)));
  }

  async claimDueActions(
    now: Date,
    limit: number,
    owner: string,
    leaseMs: number,
  ): Promise<ActionRecord[]> {
    // Every due action is read: those held by another owner are skipped, not counted.
    const due = await this.dueActions(now, Number.MAX_SAFE_INTEGER);
    return this.#claims.claim(due, limit, owner, leaseMs);
  }

  releaseClaims(owner: string): Promise<void> {
    this.#claims.release(owner);
    return Promise.resolve();
  }

  updateAction(
    id: string,
    change: (current: ActionRecord) => ActionRecord | undefined,
  ): Promise<ActionRecord | undefined> {
    return this.#t.writes.run(() => {
      const current = this.#t.readAction(id);
      if (!current) return undefined;
      const next = change(structuredClone(current));
      if (!next) return current;
      this.#t.putAction(next);
      this.#claims.end(id);
      return next;
    });
  }

  finishAction(
    id: string,
    change: (current: ActionRecord) => ActionRecord,
    incident?: (current: Incident) => Incident,
  ): Promise<{ action: ActionRecord | undefined; incident: Incident | undefined }> {
    return this.#t.writes.run(() => {
      const current = this.#t.readAction(id);
      if (!current) return { action: undefined, incident: undefined };
      const next = change(current);
      this.#t.putAction(next);
      this.#claims.end(id);
      const inc = this.#t.readIncident(next.incidentId);
      const nextInc = inc && incident ? incident(structuredClone(inc)) : inc;
      if (nextInc && nextInc !== inc) this.#t.putIncident(nextInc, false);
      return { action: next, incident: nextInc };
    });
  }
}
