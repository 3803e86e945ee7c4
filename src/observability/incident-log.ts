import type { Logger } from 'pino';
import type { Incident } from '../domain/incident.js';
import type { Metrics } from './metrics.js';

/** The incident events the tracker emits, as far as logs and metrics read them. */
export interface IncidentEvents {
  on(
    e: 'recorded',
    fn: (r: { incident: Incident; outcome: string; latencyMs: number | null }) => void,
  ): unknown;
  on(e: 'resolved', fn: (r: { incident: Incident; reason: string }) => void): unknown;
  on(e: 'error', fn: (err: unknown) => void): unknown;
}

/** Counts and logs what the tracker records and resolves (a repeat is debug chatter). */
export function observeIncidents(tracker: IncidentEvents, metrics: Metrics, logger: Logger): void {
  tracker.on('recorded', ({ incident, outcome, latencyMs }) => {
    metrics.alerts.inc({ alert: incident.alert, severity: incident.severity });
    if (latencyMs !== null) metrics.detectionLatency.observe(latencyMs / 1000);
    const level = outcome === 'repeat' ? 'debug' : 'info';
    logger[level](
      { incident_id: incident.id, alert: incident.alert, play_id: incident.playId, outcome },
      `${incident.alert} ${incident.title}`,
    );
  });
  tracker.on('resolved', ({ incident, reason }) =>
    logger.info(
      { incident_id: incident.id, alert: incident.alert, play_id: incident.playId, reason },
      'incident resolved',
    ),
  );
  tracker.on('error', (err) => logger.error({ err }, 'recording an incident failed'));
}
