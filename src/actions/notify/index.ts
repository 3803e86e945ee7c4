// Notification handlers (remediation.md §2.3): Discord and a generic JSON webhook, each sending
// once per incident state change.
import type { Incident } from '../../domain/incident.js';
import type { ActionRecord } from '../../domain/action.js';
import { ActionError, type ActionHandler, type ActionOutcome } from '../handler.js';
import { discordPayload, linksOf, webhookPayload, type NotifyEvent } from './message.js';
import { discordRetryAfterMs, postJson } from './send.js';

export { discordPayload, webhookPayload, SEVERITY_COLOURS, RESOLVED_COLOUR } from './message.js';
export type { NotifyEvent, NotifyLinks } from './message.js';
export { retryAfterHeaderMs, discordRetryAfterMs } from './send.js';

type Destination = Extract<ActionRecord['destination'], 'discord' | 'webhook'>;

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
): ActionHandler {
  return {
    kinds: ['notify'],
    destination,
    async run(ctx): Promise<ActionOutcome> {
      const a = ctx.action.action;
      if (a.kind !== 'notify')
        throw new ActionError(`the ${destination} notifier does not perform ${a.kind}`, false);
      const key = notifiedKey(destination, a.event, ctx.incident);
      if (ctx.incident.notified?.includes(key))
        return { result: { event: a.event, skipped: 'already notified' } };
      const status = await send(
        ctx.incident,
        a.event,
        `${ctx.incident.id}:${a.event}${ctx.incident.reopened > 0 ? `#${ctx.incident.reopened}` : ''}`,
        ctx.now,
        ctx.signal,
      );
      return {
        result: { event: a.event, status },
        incident: (i) => ({
          ...i,
          notified: [...new Set([...(i.notified ?? []), key])],
        }),
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
