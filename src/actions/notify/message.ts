// What a notification says (remediation.md §2.3): severity, alert and name, play, agent, one-line
// description, links to the issue and the dashboard. Pure; every text from the incident is redacted.
import type { Severity } from '../../domain/alert.js';
import type { Incident } from '../../domain/incident.js';
import { redact, redactDeep } from '../../domain/redact.js';
import { ALERT_TEMPLATES, issueTitle } from '../../templates/index.js';
import { inertMarkdown } from '../../templates/markdown.js';
import { dashboardLink } from '../handler.js';

export type NotifyEvent = 'opened' | 'escalated' | 'resolved';

/** Embed colours: red, orange, yellow, blue, grey by severity; green for a resolution. */
export const SEVERITY_COLOURS: Record<Severity, number> = {
  critical: 0xd73a49,
  high: 0xf66a0a,
  medium: 0xdbab09,
  low: 0x0366d6,
  info: 0x6a737d,
};
export const RESOLVED_COLOUR = 0x28a745;

const EVENT_TITLES: Record<NotifyEvent, string> = {
  opened: 'New incident',
  escalated: 'Needs a human',
  resolved: 'Resolved',
};

const oneLine = (s: string, max: number): string => {
  const t = redact(s).replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
};

export interface NotifyLinks {
  issue: string | null;
  dashboard: string | null;
}

export const linksOf = (incident: Incident, dashboardUrl: string | null): NotifyLinks => ({
  issue: incident.githubIssue?.url ?? null,
  dashboard: dashboardLink(dashboardUrl, incident.id),
});

/** Discord's limits: title 256, description 4096, field value 1024 characters. */
export function discordPayload(
  incident: Incident,
  event: NotifyEvent,
  links: NotifyLinks,
  now: Date,
): Record<string, unknown> {
  const name = ALERT_TEMPLATES[incident.alert].name;
  const linkText = [
    links.issue ? `[Issue #${incident.githubIssue?.number ?? ''}](${links.issue})` : null,
    links.dashboard ? `[Dashboard](${links.dashboard})` : null,
  ]
    .filter(Boolean)
    .join(' · ');
  const fields = [
    { name: 'Severity', value: incident.severity, inline: true },
    { name: 'Alert', value: `${incident.alert} · ${name}`, inline: true },
    { name: 'Play', value: oneLine(incident.playId ?? 'platform', 200), inline: true },
    { name: 'Agent', value: oneLine(incident.agent ?? '—', 200), inline: true },
    { name: 'Occurrences', value: String(incident.occurrences), inline: true },
    ...(event === 'resolved' && incident.resolution
      ? [{ name: 'Resolution', value: oneLine(incident.resolution, 1000), inline: false }]
      : []),
    ...(linkText ? [{ name: 'Links', value: linkText, inline: false }] : []),
  ];
  return {
    username: 'Healer',
    // Untrusted text must never ping @everyone or a role.
    allowed_mentions: { parse: [] },
    embeds: [
      {
        title: oneLine(
          `${EVENT_TITLES[event]}: ${issueTitle(incident.alert, incident.title)}`,
          256,
        ),
        ...((links.issue ?? links.dashboard) ? { url: links.issue ?? links.dashboard } : {}),
        // Discord renders Markdown in an embed: links and mentions from outside made inert
        description: inertMarkdown(oneLine(incident.description, 600)),
        color: event === 'resolved' ? RESOLVED_COLOUR : SEVERITY_COLOURS[incident.severity],
        fields,
        footer: { text: `Healer · ${incident.id}` },
        timestamp: now.toISOString(),
      },
    ],
  };
}

/**
 * The generic webhook's JSON body (version 1, documented in README.md next to this file).
 * `key` is stable per incident and event: receivers can drop repeats with it.
 */
export function webhookPayload(
  incident: Incident,
  event: NotifyEvent,
  key: string,
  links: NotifyLinks,
  now: Date,
): Record<string, unknown> {
  return redactDeep({
    version: 1,
    source: 'healer',
    event,
    key,
    sentAt: now.toISOString(),
    incident: {
      id: incident.id,
      fingerprint: incident.fingerprint,
      alert: incident.alert,
      alertName: ALERT_TEMPLATES[incident.alert].name,
      severity: incident.severity,
      state: incident.state,
      title: issueTitle(incident.alert, incident.title),
      description: oneLine(incident.description, 2000),
      namespace: incident.namespace,
      playId: incident.playId,
      taskId: incident.taskId,
      agent: incident.agent,
      occurrences: incident.occurrences,
      firstSeen: incident.firstSeen,
      lastSeen: incident.lastSeen,
      resolvedAt: incident.resolvedAt,
      resolution: incident.resolution === null ? null : oneLine(incident.resolution, 2000),
      attempts: incident.attempts.map((a) => ({
        attempt: a.attempt,
        coderun: a.coderun,
        phase: a.phase,
        pullRequestUrl: a.pullRequestUrl,
      })),
    },
    links,
  });
}
