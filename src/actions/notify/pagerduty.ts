// PagerDuty Events API v2 (https://developer.pagerduty.com/docs/events-api-v2/trigger-events/):
// `trigger` for critical/high incidents when opened or escalated, `resolve` on resolution, with the
// incident's fingerprint as `dedup_key` so every event of one incident lands on one PagerDuty
// alert. Pure; every text from the incident is redacted.
import type { Incident } from '../../domain/incident.js';
import { redact, redactDeep } from '../../domain/redact.js';
import { ALERT_TEMPLATES, issueTitle } from '../../templates/index.js';
import type { NotifyEvent, NotifyLinks } from './message.js';

/** The events endpoint; a test or a proxy passes its own. */
export const PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';

/** Healer's severities paged: the rest never wake anyone. */
export const PAGED_SEVERITIES: ReadonlySet<Incident['severity']> = new Set(['critical', 'high']);

const PD_SEVERITY: Record<Incident['severity'], 'critical' | 'error' | 'warning' | 'info'> = {
  critical: 'critical',
  high: 'error',
  medium: 'warning',
  low: 'info',
  info: 'info',
};

const oneLine = (s: string, max: number): string => {
  const t = redact(s).replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
};

export function pagerDutyPayload(
  incident: Incident,
  event: NotifyEvent,
  routingKey: string,
  links: NotifyLinks,
  now: Date,
): Record<string, unknown> {
  const base = { routing_key: routingKey, dedup_key: incident.fingerprint };
  if (event === 'resolved') return { ...base, event_action: 'resolve' };
  const summary = `${event === 'escalated' ? 'Needs a human: ' : ''}${issueTitle(incident.alert, incident.title)}`;
  return {
    ...base,
    event_action: 'trigger',
    payload: {
      summary: oneLine(summary, 1024),
      source: incident.playId ?? incident.namespace ?? 'platform',
      severity: PD_SEVERITY[incident.severity],
      timestamp: now.toISOString(),
      component: incident.agent ?? 'platform',
      group: incident.namespace ?? 'cluster',
      class: `${incident.alert} ${ALERT_TEMPLATES[incident.alert].name}`,
      custom_details: redactDeep({
        incident: incident.id,
        event,
        description: oneLine(incident.description, 2000),
        play: incident.playId,
        task: incident.taskId,
        agent: incident.agent,
        occurrences: incident.occurrences,
        first_seen: incident.firstSeen,
      }),
    },
    client: 'Healer',
    ...(links.dashboard ? { client_url: links.dashboard } : {}),
    links: [
      ...(links.issue
        ? [{ href: links.issue, text: `GitHub issue #${incident.githubIssue?.number ?? ''}` }]
        : []),
      ...(links.dashboard ? [{ href: links.dashboard, text: 'Healer dashboard' }] : []),
    ],
  };
}
