import type { ActionRecord, Decision } from '../domain/action.js';
import type { Clock } from '../domain/clock.js';
import { HealerError, notFound } from '../domain/errors.js';
import type { Incident, IncidentQuery } from '../domain/incident.js';

/** An incident's parent and children (cause group, inhibition). */
export interface IncidentTree {
  parent: { incident: Incident; relation: 'grouped' | 'inhibited' } | null;
  children: { incident: Incident; relation: 'grouped' | 'inhibited' }[];
}
import type { IncidentStore, OutboxStore } from '../domain/stores.js';
import { groupChildren } from './grouping.js';

export type IncidentReads = Pick<
  IncidentStore,
  'getIncident' | 'listIncidents' | 'openIncidents' | 'decisionsFor' | 'timeline' | 'updateIncident'
> &
  Pick<OutboxStore, 'actionsFor'>;

/** An incident with what was decided on it, its outbox actions and the symptoms it inhibits. */
export interface IncidentDetail {
  incident: Incident;
  decisions: Decision[];
  actions: ActionRecord[];
  /** Open incidents inhibited by this one, then (a cause group) every incident of its cause. */
  children: { incident: Incident; relation: 'inhibited' | 'grouped' }[];
}

/** What the API and the dashboard read and do with incidents; an unknown id is `notFound`. */
export class IncidentService {
  readonly #store: IncidentReads;
  readonly #clock: Clock;

  constructor(store: IncidentReads, clock: Clock) {
    this.#store = store;
    this.#clock = clock;
  }

  list(query: IncidentQuery): Promise<Incident[]> {
    return this.#store.listIncidents(query);
  }

  open(): Promise<Incident[]> {
    return this.#store.openIncidents();
  }

  async get(id: string): Promise<Incident> {
    const i = await this.#store.getIncident(id);
    if (!i) throw notFound('Incident', id);
    return i;
  }

  decisionsFor(id: string): Promise<Decision[]> {
    return this.#store.decisionsFor(id);
  }

  actionsFor(id: string): Promise<ActionRecord[]> {
    return this.#store.actionsFor(id);
  }

  /** The incident's parent (cause group or inhibitor) and children, for the tree on its page. */
  async tree(i: Incident): Promise<IncidentTree> {
    const parentId = i.groupedBy?.incidentId ?? i.inhibitedBy?.incidentId ?? null;
    const [parent, grouped, open] = await Promise.all([
      parentId ? this.#store.getIncident(parentId) : Promise.resolve(undefined),
      groupChildren(this.#store, i),
      this.#store.openIncidents(),
    ]);
    return {
      parent: parent ? { incident: parent, relation: i.groupedBy ? 'grouped' : 'inhibited' } : null,
      children: [
        ...grouped.map((c) => ({ incident: c, relation: 'grouped' as const })),
        ...open
          .filter((c) => c.inhibitedBy?.incidentId === i.id)
          .map((c) => ({ incident: c, relation: 'inhibited' as const })),
      ],
    };
  }

  /** A Play's decisions and actions, oldest first. */
  timeline(playId: string): Promise<{ decisions: Decision[]; actions: ActionRecord[] }> {
    return this.#store.timeline(playId);
  }

  async detail(id: string): Promise<IncidentDetail> {
    const incident = await this.get(id);
    const [decisions, actions, open, grouped] = await Promise.all([
      this.#store.decisionsFor(id),
      this.#store.actionsFor(id),
      this.#store.openIncidents(),
      groupChildren(this.#store, incident),
    ]);
    const children = [
      ...open
        .filter((c) => c.inhibitedBy?.incidentId === incident.id)
        .map((c) => ({ incident: c, relation: 'inhibited' as const })),
      ...grouped.map((c) => ({ incident: c, relation: 'grouped' as const })),
    ];
    return { incident, decisions, actions, children };
  }

  /**
   * A person is on it (who, when, a comment): no notifications or escalation until the incident
   * changes. A resolved incident cannot be acknowledged (409).
   */
  async acknowledge(id: string, by: string, comment: string | null): Promise<Incident> {
    const at = this.#clock.now().toISOString();
    let resolved = false;
    const updated = await this.#store.updateIncident(id, (i) => {
      if (i.state === 'resolved') {
        resolved = true;
        return undefined;
      }
      const { state, severity, reopened } = i;
      return { ...i, acknowledged: { by, at, comment, state, severity, reopened } };
    });
    if (resolved) throw new HealerError('INCIDENT_RESOLVED', 409, `Incident is resolved: ${id}`);
    if (!updated) throw notFound('Incident', id);
    return updated;
  }
}
