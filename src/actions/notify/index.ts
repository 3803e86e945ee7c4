// Notification handlers (remediation.md §2.3): Discord, Slack, PagerDuty and a generic JSON
// webhook, each sending once per incident state change.
import { acknowledgement, type Incident } from '../../domain/incident.js';
import type { ActionRecord } from '../../domain/action.js';
import { notifiedOf } from '../../incidents/lifecycle.js';
import { ActionError, type ActionHandler, type ActionOutcome } from '../handler.js';
import { discordPayload, linksOf, webhookPayload, type NotifyEvent } from './message.js';
import { discordRetryAfterMs, postJson } from './send.js';
import { slackPayload } from './slack.js';
import { PAGED_SEVERITIES, PAGERDUTY_EVENTS_URL, pagerDutyPayload } from './pagerduty.js';

export { discordPayload, webhookPayload, SEVERITY_COLOURS, RESOLVED_COLOUR } from './message.js';
export type { NotifyEvent, NotifyLinks } from './message.js';
export { retryAfterHeaderMs, discordRetryAfterMs } from './send.js';
export { slackPayload } from './slack.js';
export { pagerDutyPayload, PAGERDUTY_EVENTS_URL } from './pagerduty.js';

type Destination = Extract<
  ActionRecord['destination'],
  'discord' | 'webhook' | 'slack' | 'pagerduty'
>;

/**
 * The key of `incident.notified` that makes each destination send once per state change:
 * `discord:opened`. decide() keeps its own markers there (`open`, `escalated`, `resolved`: what
 * was announced); a reopened incident's state changes are new (`discord:opened#1`).
 */
export function notifiedKey(
  destination: Destination,
  event: NotifyEvent,
  incident: Incident,
): string {
  return `${destination}:${event}${incident.reopened > 0 ? `#${incident.reopened}` : ''}`;
}

export interface NotifyDeps {
  url: string;
  dashboardUrl: string | null;
}

function notifier(
  destination: Destination,
  send: (
    incident: Incident,
    event: NotifyEvent,
    key: string,
    now: Date,
    signal: AbortSignal,
  ) => Promise<number>,
  /** Why this destination does not take this event (PagerDuty: not paged), or null. */
  skip: (incident: Incident, event: NotifyEvent) => string | null = () => null,
): ActionHandler {
  return {
    kinds: ['notify'],
    destination,
    async run(ctx): Promise<ActionOutcome> {
      const a = ctx.action.action;
      if (a.kind !== 'notify')
        throw new ActionError(`the ${destination} notifier does not perform ${a.kind}`, false);
      const key = notifiedKey(destination, a.event, ctx.incident);
      if (ctx.incident.notified.includes(key))
        return { result: { event: a.event, skipped: 'already notified' } };
      const ack = a.event === 'resolved' ? null : acknowledgement(ctx.incident);
      if (ack)
        return { result: { event: a.event, skipped: `acknowledged by ${ack.by} at ${ack.at}` } };
      const why = skip(ctx.incident, a.event);
      if (why) return { result: { event: a.event, skipped: why } };
      const status = await send(
        ctx.incident,
        a.event,
        `${ctx.incident.id}:${a.event}${ctx.incident.reopened > 0 ? `#${ctx.incident.reopened}` : ''}`,
        ctx.now,
        ctx.signal,
      );
      return {
        result: { event: a.event, status },
        incident: (i) => notifiedOf(i, key),
      };
    },
  };
}

export function createDiscordHandler(deps: NotifyDeps): ActionHandler {
  return notifier('discord', async (incident, event, _key, now, signal) => {
    const body = discordPayload(incident, event, linksOf(incident, deps.dashboardUrl), now);
    const res = await postJson({
      name: 'Discord',
      url: deps.url,
      body,
      signal,
      retryAfterFromBody: discordRetryAfterMs,
    });
    return res.status;
  });
}

export function createWebhookHandler(deps: NotifyDeps): ActionHandler {
  return notifier('webhook', async (incident, event, key, now, signal) => {
    const body = webhookPayload(incident, event, key, linksOf(incident, deps.dashboardUrl), now);
    const res = await postJson({
      name: 'webhook',
      url: deps.url,
      body,
      signal,
      headers: { 'x-healer-event': event, 'idempotency-key': key },
    });
    return res.status;
  });
}

export function createSlackHandler(deps: NotifyDeps): ActionHandler {
  return notifier('slack', async (incident, event, _key, _now, signal) => {
    const body = slackPayload(incident, event, linksOf(incident, deps.dashboardUrl));
    // Slack answers 429 with Retry-After (seconds); errors are plain text (`invalid_blocks`).
    const res = await postJson({ name: 'Slack', url: deps.url, body, signal });
    return res.status;
  });
}

export interface PagerDutyDeps {
  routingKey: string;
  /** The Events API v2 endpoint (default PagerDuty's). */
  url?: string;
  dashboardUrl: string | null;
}

export function createPagerDutyHandler(deps: PagerDutyDeps): ActionHandler {
  const triggered = (incident: Incident) =>
    (['opened', 'escalated'] as const).some((e) =>
      incident.notified.includes(notifiedKey('pagerduty', e, incident)),
    );
  return notifier(
    'pagerduty',
    async (incident, event, _key, now, signal) => {
      const links = linksOf(incident, deps.dashboardUrl);
      const body = pagerDutyPayload(incident, event, deps.routingKey, links, now);
      const res = await postJson({
        name: 'PagerDuty',
        url: deps.url ?? PAGERDUTY_EVENTS_URL,
        body,
        signal,
      });
      return res.status;
    },
    (incident, event) => {
      if (event === 'resolved')
        return triggered(incident) ? null : 'never paged: nothing to resolve';
      return PAGED_SEVERITIES.has(incident.severity)
        ? null
        : `${incident.severity} is not paged (critical and high only)`;
    },
  );
}
