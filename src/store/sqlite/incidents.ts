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
import { docs, parseIncident, type SqliteTables } from './tables.js';

const incidents = (rows: unknown[]): Incident[] =>
  (rows as { doc: string }[]).map((r) => parseIncident(r.doc));

export class SqliteIncidentStore implements IncidentStore {
  readonly #t: SqliteTables;
  readonly #byFingerprint;
  readonly #open;
  readonly #counts;
  readonly #putDecision;
  readonly #decisionsFor;
  readonly #timelineDecisions;
  readonly #timelineActions;

  constructor(tables: SqliteTables) {
    this.#t = tables;
    const p = (sql: string) => tables.db.prepare(sql);
    this.#byFingerprint = p('SELECT doc FROM incidents WHERE fingerprint = ?');
    this.#open = p("SELECT doc FROM incidents WHERE state != 'resolved'");
    this.#counts = p('SELECT state, COUNT(*) AS n FROM incidents GROUP BY state');
    this.#putDecision = p('INSERT INTO decisions (id, incident_id, at, doc) VALUES (?, ?, ?, ?)');
    this.#decisionsFor = p('SELECT doc FROM decisions WHERE incident_id = ? ORDER BY at, rowid');
    this.#timelineDecisions = p(
      'SELECT d.doc FROM decisions d JOIN incidents i ON i.id = d.incident_id WHERE i.play_id = ? ORDER BY d.at, d.rowid',
    );
    this.#timelineActions = p(
      'SELECT a.doc FROM actions a JOIN incidents i ON i.id = a.incident_id WHERE i.play_id = ? ORDER BY a.created_at, a.seq',
    );
  }

  recordAlert(
    draft: AlertDraft,
    fingerprint: string,
    at: Date,
  ): Promise<{ incident: Incident; outcome: RecordOutcome }> {
    return this.#t.writes.run(() => {
      const row = this.#byFingerprint.get(fingerprint) as { doc: string } | undefined;
      const next = recordOccurrence(row && parseIncident(row.doc), draft, fingerprint, at);
      this.#t.putIncident(next.incident, true);
      return next;
    });
  }

  getIncident(id: string): Promise<Incident | undefined> {
    return Promise.resolve(this.#t.readIncident(id));
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
    if (q.lastSeenFrom) {
      where.push('last_seen >= ?');
      args.push(q.lastSeenFrom);
    }
    if (q.lastSeenTo) {
      where.push('last_seen < ?');
      args.push(q.lastSeenTo);
    }
    const sql = `SELECT doc FROM incidents ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
                 ORDER BY last_seen DESC, id DESC LIMIT ?`;
    return Promise.resolve(incidents(this.#t.db.prepare(sql).all(...args, q.limit)));
  }

  countIncidentsByState(): Promise<Record<IncidentState, number>> {
    const counts = emptyIncidentCounts();
    for (const r of this.#counts.all() as { state: IncidentState; n: number }[])
      counts[r.state] = r.n;
    return Promise.resolve(counts);
  }

  openIncidents(): Promise<Incident[]> {
    return Promise.resolve(incidents(this.#open.all()));
  }

  updateIncident(
    id: string,
    change: (current: Incident) => Incident | undefined,
  ): Promise<Incident | undefined> {
    return this.#t.writes.run(() => {
      const current = this.#t.readIncident(id);
      if (!current) return undefined;
      const next = change(structuredClone(current));
      if (!next) return current;
      this.#t.putIncident(next, false);
      return next;
    });
  }

  commitDecision(input: {
    decision: Decision;
    actions: ActionRecord[];
    incident?: (current: Incident) => Incident;
  }): Promise<Incident | undefined> {
    return this.#t.writes.run(() => {
      const current = this.#t.readIncident(input.decision.incidentId);
      const next = current && input.incident ? input.incident(structuredClone(current)) : current;
      if (next && next !== current) this.#t.putIncident(next, false);
      const d = input.decision;
      this.#putDecision.run(d.id, d.incidentId, d.at, JSON.stringify(d));
      for (const a of input.actions) this.#t.putAction(a);
      return next;
    });
  }

  decisionsFor(incidentId: string): Promise<Decision[]> {
    return Promise.resolve(docs<Decision>(this.#decisionsFor.all(incidentId)));
  }

  timeline(playId: string): Promise<{ decisions: Decision[]; actions: ActionRecord[] }> {
    return Promise.resolve({
      decisions: docs<Decision>(this.#timelineDecisions.all(playId)),
      actions: docs<ActionRecord>(this.#timelineActions.all(playId)),
    });
  }
}
