import type { Incident } from '../../domain/incident.js';

/** A stored incident as read back: records written before a field existed may lack it. */
export type StoredIncident = Omit<Incident, OptionalOnDisk> &
  Partial<Pick<Incident, OptionalOnDisk>>;

/** Fields added after the first stored incidents (older documents lack them). */
type OptionalOnDisk =
  | 'attempts'
  | 'evaluation'
  | 'lastDecision'
  | 'notified'
  | 'escalatedAt'
  | 'labelledSeverity'
  | 'acknowledged'
  | 'inhibitedBy';

/**
 * An incident record with every field filled: records written before a field existed get its
 * empty value, once, when a store reads them, so no reader needs a fallback.
 */
export function withIncidentDefaults(i: StoredIncident): Incident {
  return {
    ...i,
    attempts: i.attempts ?? [],
    evaluation: i.evaluation ?? null,
    lastDecision: i.lastDecision ?? null,
    notified: i.notified ?? [],
    escalatedAt: i.escalatedAt ?? null,
    labelledSeverity: i.labelledSeverity ?? null,
    acknowledged: i.acknowledged ?? null,
    inhibitedBy: i.inhibitedBy ?? null,
  };
}
