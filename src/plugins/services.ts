import fp from 'fastify-plugin';
import type { Clock } from '../domain/clock.js';
import type { IncidentService } from '../incidents/incident-service.js';
import type { SilenceService } from '../incidents/silence-service.js';
import type { Metrics } from '../observability/metrics.js';
import type { Readiness } from '../observability/readiness.js';
import type { LogsLinkConfig } from '../routes/dashboard/incident-page.js';
import type { InsightsOptions, InsightsReads } from '../routes/insights.js';
import type { LeaderBody } from '../routes/leader.js';
import type { ThresholdSource } from '../routes/thresholds.js';
import type { SessionService } from '../sessions/service.js';
import type { TimelineEntry } from '../sessions/timeline.js';

/** What the routes call: services, never the store. */
export interface AppServices {
  sessions: SessionService;
  incidents: IncidentService;
  silences: SilenceService;
  /** A Play's timeline; an unknown play id is not found. */
  timeline: (playId: string) => Promise<TimelineEntry[]>;
  clock: Clock;
  metrics: Metrics;
  readiness: Readiness;
  /** The A3/A8/A9 thresholds in force; null → `GET /api/v1/thresholds` is absent. */
  thresholds: ThresholdSource | null;
  /** This replica's leadership (`GET /api/v1/leader`). */
  leader: () => LeaderBody;
  /** Remediation outcomes per alert and agent (`GET /api/v1/insights`) and the history policy. */
  insights: { reads: InsightsReads; options: InsightsOptions };
}

/** How the app answers: version, the API token, names and links it uses. */
export interface AppSettings {
  version: string;
  apiToken: string | undefined;
  protectReads: boolean;
  /** Owner of a bare repository name in a start request (HEALER_DEFAULT_REPO_OWNER). */
  defaultRepoOwner: string;
  /** Grafana Explore links to logs on the dashboard's incident page (HEALER_GRAFANA_URL). */
  logs: LogsLinkConfig;
  /** How often the dashboard's live view checks for changes (default 2 s). */
  dashboardRefreshMs?: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    sessions: SessionService;
    incidents: IncidentService;
    silences: SilenceService;
    timeline: AppServices['timeline'];
    clock: Clock;
    metrics: Metrics;
    readiness: Readiness;
    thresholds: ThresholdSource | null;
    leader: () => LeaderBody;
    insights: AppServices['insights'];
    settings: AppSettings;
  }
}

/** Decorates the app with the services and settings the routes read. */
export const servicesPlugin = fp<{ services: AppServices; settings: AppSettings }>(
  // eslint-disable-next-line @typescript-eslint/require-await
  async (app, { services, settings }) => {
    app.decorate('sessions', services.sessions);
    app.decorate('incidents', services.incidents);
    app.decorate('silences', services.silences);
    app.decorate('timeline', services.timeline);
    app.decorate('clock', services.clock);
    app.decorate('metrics', services.metrics);
    app.decorate('readiness', services.readiness);
    app.decorate('thresholds', services.thresholds);
    app.decorate('leader', services.leader);
    app.decorate('insights', services.insights);
    app.decorate('settings', settings);
  },
  { name: 'healer-services', fastify: '5.x' },
);
