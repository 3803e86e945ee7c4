// The action handlers of the configured destinations (remediation.md §2): GitHub issues,
// remediation CodeRuns, Discord, Slack, PagerDuty, a generic webhook. The dispatcher routes each outbox action to
// the handler of its kind and destination; a destination without a handler is not configured.
import type { IncidentStore, OutcomeStore } from '../domain/stores.js';
import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { Config } from '../config/index.js';
import type { GitHubClient } from '../sources/github/index.js';
import type { TemplateEngine } from '../templates/index.js';
import { createCodeRunHandler, type BuildCodeRun } from './coderun/create.js';
import { createGitHubIssueHandler } from './github-issue/index.js';
import type { ActionHandler, ViewSettings } from './handler.js';
import { OpenMemoryClient } from '../sources/memory/openmemory.js';
import { createMemoryHandler, OpenMemoryRemediationMemory } from './memory/index.js';
import {
  createDiscordHandler,
  createPagerDutyHandler,
  createSlackHandler,
  createWebhookHandler,
} from './notify/index.js';

export { ActionError } from './handler.js';
export type { ActionContext, ActionHandler, ActionOutcome } from './handler.js';

export interface ActionHandlerDeps {
  config: Pick<Config, 'env' | 'heal'>;
  /** The GitHub client (null/absent: no credentials, issue actions off). */
  github?: GitHubClient | null;
  /** Cluster access (null/absent: no cluster, CodeRun actions off). */
  kc?: KubeConfig | null;
  templates: TemplateEngine;
  logger: Pick<Logger, 'info' | 'warn'>;
  /** The CodeRun manifest builder; the pure one of `coderun/manifest.ts` unless a test swaps it. */
  buildCodeRun?: BuildCodeRun;
  /** Healer's outcome history (issue #17): remediation prompts quote the last fix that worked. */
  history?: Pick<OutcomeStore, 'listOutcomes'>;
  /** Incidents, read for the children a cause group's issue lists (issue #17). */
  incidents?: Pick<IncidentStore, 'getIncident'>;
}

/** Handlers for the destinations that are configured, and one log line saying which are off. */
export function createActionHandlers(deps: ActionHandlerDeps): ActionHandler[] {
  const { env, heal } = deps.config;
  const view: ViewSettings = {
    dashboardUrl: heal.issues.dashboardUrl,
    maxAttempts: heal.remediation.maxIterations,
  };
  const handlers: ActionHandler[] = [];
  const off: string[] = [];
  const memory = env.OPENMEMORY_URL
    ? new OpenMemoryRemediationMemory(
        new OpenMemoryClient({
          url: env.OPENMEMORY_URL,
          apiKey: env.OPENMEMORY_API_KEY,
          timeoutMs: 5_000,
        }),
      )
    : null;
  if (deps.github) {
    handlers.push(
      createGitHubIssueHandler({
        client: deps.github,
        templates: deps.templates,
        repository: heal.issues.repository,
        view,
        incidents: deps.incidents ?? null,
      }),
    );
  } else off.push('GitHub issues (no GitHub credentials)');
  if (deps.kc) {
    handlers.push(
      createCodeRunHandler({
        kc: deps.kc,
        templates: deps.templates,
        coderun: heal.coderun,
        repository: heal.issues.repository,
        view,
        ...(deps.buildCodeRun ? { build: deps.buildCodeRun } : {}),
        maxConcurrent: heal.remediation.maxConcurrent,
        ...(memory ? { memory } : {}),
        ...(deps.history ? { history: deps.history } : {}),
      }),
    );
  } else off.push('remediation CodeRuns (no cluster)');
  const dashboardUrl = heal.issues.dashboardUrl;
  if (env.DISCORD_WEBHOOK_URL)
    handlers.push(createDiscordHandler({ url: env.DISCORD_WEBHOOK_URL, dashboardUrl }));
  else off.push('Discord (DISCORD_WEBHOOK_URL unset)');
  if (env.SLACK_WEBHOOK_URL)
    handlers.push(createSlackHandler({ url: env.SLACK_WEBHOOK_URL, dashboardUrl }));
  else off.push('Slack (SLACK_WEBHOOK_URL unset)');
  if (env.PAGERDUTY_ROUTING_KEY)
    handlers.push(
      createPagerDutyHandler({
        routingKey: env.PAGERDUTY_ROUTING_KEY,
        ...(env.PAGERDUTY_EVENTS_URL ? { url: env.PAGERDUTY_EVENTS_URL } : {}),
        dashboardUrl,
      }),
    );
  else off.push('PagerDuty (PAGERDUTY_ROUTING_KEY unset)');
  if (env.HEALER_WEBHOOK_URL)
    handlers.push(createWebhookHandler({ url: env.HEALER_WEBHOOK_URL, dashboardUrl }));
  else off.push('webhook (HEALER_WEBHOOK_URL unset)');
  if (memory) handlers.push(createMemoryHandler(memory));
  else off.push('agent memory (OPENMEMORY_URL unset)');
  deps.logger.info(
    { destinations: handlers.map((h) => h.destination) },
    off.length ? `actions on; off: ${off.join(', ')}` : 'actions on for every destination',
  );
  return handlers;
}
