// Slack incoming webhook message (Block Kit): header, the one-line description, fields (severity,
// alert, play, agent, occurrences), link buttons (issue, dashboard) and a context line. Pure;
// every text from the incident is redacted and escaped, so untrusted text cannot mention anyone.
import type { Incident } from '../../domain/incident.js';
import { redact } from '../../domain/redact.js';
import { ALERT_TEMPLATES, issueTitle } from '../../templates/index.js';
import type { NotifyEvent, NotifyLinks } from './message.js';

const EVENT_TITLES: Record<NotifyEvent, string> = {
  opened: 'New incident',
  escalated: 'Needs a human',
  resolved: 'Resolved',
};

const SEVERITY_EMOJI: Record<Incident['severity'], string> = {
  critical: ':red_circle:',
  high: ':large_orange_circle:',
  medium: ':large_yellow_circle:',
  low: ':large_blue_circle:',
  info: ':white_circle:',
};

/** Slack's limits: header 150, section text 3000, field text 2000, button text 75 characters. */
const clip = (s: string, max: number): string => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/** One line, redacted; for mrkdwn, `&`, `<` and `>` escaped (so `<!channel>` is plain text). */
const plain = (s: string, max: number): string => clip(redact(s).replace(/\s+/g, ' ').trim(), max);
const mrkdwn = (s: string, max: number): string =>
  clip(
    redact(s)
      .replace(/\s+/g, ' ')
      .trim()
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;'),
    max,
  );

export function slackPayload(
  incident: Incident,
  event: NotifyEvent,
  links: NotifyLinks,
): Record<string, unknown> {
  const name = ALERT_TEMPLATES[incident.alert].name;
  const title = `${EVENT_TITLES[event]}: ${issueTitle(incident.alert, incident.title)}`;
  const icon = event === 'resolved' ? ':white_check_mark:' : SEVERITY_EMOJI[incident.severity];
  const field = (label: string, value: string) => ({
    type: 'mrkdwn',
    text: `*${label}*\n${mrkdwn(value, 1900)}`,
  });
  const buttons = [
    links.issue
      ? { text: `Issue #${incident.githubIssue?.number ?? ''}`, url: links.issue, id: 'issue' }
      : null,
    links.dashboard ? { text: 'Dashboard', url: links.dashboard, id: 'dashboard' } : null,
  ].filter((b) => b !== null);
  return {
    // The notification and screen-reader text; blocks are what is shown.
    text: plain(`${icon} ${title}`, 3000),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: plain(title, 150), emoji: true } },
      {
        type: 'section',
        text: { type: 'mrkdwn', text: `${icon} ${mrkdwn(incident.description, 2900)}` },
      },
      {
        type: 'section',
        fields: [
          field('Severity', incident.severity),
          field('Alert', `${incident.alert} · ${name}`),
          field('Play', incident.playId ?? 'platform'),
          field('Agent', incident.agent ?? '—'),
          field('Occurrences', String(incident.occurrences)),
          ...(event === 'resolved' && incident.resolution
            ? [field('Resolution', incident.resolution)]
            : []),
        ],
      },
      ...(buttons.length
        ? [
            {
              type: 'actions',
              elements: buttons.map((b) => ({
                type: 'button',
                action_id: b.id,
                text: { type: 'plain_text', text: clip(b.text, 75) },
                url: b.url,
              })),
            },
          ]
        : []),
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: `Healer · ${incident.id}` }],
      },
    ],
  };
}
