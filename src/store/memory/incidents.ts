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
import { clone, resolved, sortActions, type MemoryState } from './state.js';

export class MemoryIncidentStore implements IncidentStore {
  readonly #s: MemoryState;

  constructor(state: MemoryState) {
    this.#s = state;
  }

  recordAlert(
    draft: AlertDraft,
    fingerprint: string,
    at: Date,
  ): Promise<{ incident: Incident; outcome: RecordOutcome }> {
    this.#s.check();
    const current = [...this.#s.incidents.values()].find((i) => i.fingerprint === fingerprint);
    const next = recordOccurrence(current && clone(current), draft, fingerprint, at);
    this.#s.putIncident(next.incident, true);
    return resolved({ incident: clone(next.incident), outcome: next.outcome });
  }

  getIncident(id: string): Promise<Incident | undefined> {
    this.#s.check();
    const i = this.#s.incidents.get(id);
    return resolved(i && clone(i));
  }

  listIncidents(q: IncidentQuery): Promise<Incident[]> {
    this.#s.check();
    const rows = [...this.#s.incidents.values()]
      .filter(
        (i) =>
          (!q.state || i.state === q.state) &&
          (!q.playId || i.playId === q.playId) &&
          (!q.alert || i.alert === q.alert) &&
          (!q.lastSeenFrom || i.lastSeen >= q.lastSeenFrom) &&
          (!q.lastSeenTo || i.lastSeen < q.lastSeenTo),
      )
      .sort((a, b) =>
        a.lastSeen === b.lastSeen ? (a.id < b.id ? 1 : -1) : a.lastSeen < b.lastSeen ? 1 : -1,
      );
    return resolved(rows.slice(0, q.limit).map(clone));
  }

  countIncidentsByState(): Promise<Record<IncidentState, number>> {
    this.#s.check();
    const counts = emptyIncidentCounts();
    for (const i of this.#s.incidents.values()) counts[i.state]++;
    return resolved(counts);
  }

  openIncidents(): Promise<Incident[]> {
    this.#s.check();
    return resolved(
      [...this.#s.incidents.values()].filter((i) => i.state !== 'resolved').map(clone),
    );
  }

  updateIncident(
    id: string,
    change: (current: Incident) => Incident | undefined,
  ): Promise<Incident | undefined> {
    this.#s.check();
    const current = this.#s.incidents.get(id);
    if (!current) return resolved(undefined);
    const next = change(clone(current));
    if (next) this.#s.putIncident(next, false);
    return resolved(clone(next ?? current));
  }

  commitDecision(input: {
    decision: Decision;
    actions: ActionRecord[];
    incident?: (current: Incident) => Incident;
  }): Promise<Incident | undefined> {
    this.#s.check();
    const current = this.#s.incidents.get(input.decision.incidentId);
    const next = current && input.incident ? input.incident(clone(current)) : current;
    if (next && next !== current) this.#s.putIncident(next, false);
    this.#s.decisions.push(clone(input.decision));
    for (const a of input.actions) this.#s.actions.set(a.id, clone(a));
    return resolved(next && clone(next));
  }

  decisionsFor(incidentId: string): Promise<Decision[]> {
    this.#s.check();
    return resolved(this.#s.decisions.filter((d) => d.incidentId === incidentId).map(clone));
  }

  timeline(playId: string): Promise<{ decisions: Decision[]; actions: ActionRecord[] }> {
    this.#s.check();
    const ids = new Set(
      [...this.#s.incidents.values()].filter((i) => i.playId === playId).map((i) => i.id),
    );
    return resolved({
      decisions: this.#s.decisions.filter((d) => ids.has(d.incidentId)).map(clone),
      actions: sortActions([...this.#s.actions.values()].filter((a) => ids.has(a.incidentId))).map(
        clone,
      ),
    });
  }
}
