import Fastify, { LogController, type FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import { backgroundPlugin, type BackgroundHooks } from './plugins/background.js';
import { httpPlugin } from './plugins/http.js';
import { openapiPlugin } from './plugins/openapi.js';
import { servicesPlugin, type AppServices, type AppSettings } from './plugins/services.js';
import { dashboardRoutes } from './routes/dashboard.js';
import { healthRoutes } from './routes/health.js';
import { incidentRoutes } from './routes/incidents.js';
import { insightsRoutes } from './routes/insights.js';
import { leaderRoutes } from './routes/leader.js';
import { sessionRoutes } from './routes/sessions.js';
import { silenceRoutes } from './routes/silences.js';
import { thresholdRoutes } from './routes/thresholds.js';
import { timelineRoutes } from './routes/timeline.js';

export type { AppServices, AppSettings } from './plugins/services.js';
export type { BackgroundHooks } from './plugins/background.js';

export const BODY_LIMIT = 1024 * 1024;

export interface ServerTimeouts {
  /** Headers and body must have arrived within this (408 otherwise). */
  requestMs: number;
  /** The request line and headers must have arrived within this. */
  headersMs: number;
  /** An idle keep-alive connection closes after this. */
  keepAliveMs: number;
  /** A socket with no traffic (a stalled body, a silent client) closes after this. */
  idleMs: number;
}

export const DEFAULT_TIMEOUTS: ServerTimeouts = {
  requestMs: 30_000,
  headersMs: 10_000,
  keepAliveMs: 65_000,
  idleMs: 60_000,
};

/** What the root plugin is given: the services routes call, settings, and the background work. */
export interface HealerAppOptions {
  services: AppServices;
  settings: AppSettings;
  /** Background work started and stopped with the app; absent: none (an API over fakes). */
  background?: BackgroundHooks;
}

export interface AppDeps extends HealerAppOptions {
  logger?: Logger | false;
  /** Connection timeouts in ms (README, Configuration). Defaults are the environment's. */
  timeouts?: Partial<ServerTimeouts>;
}

/**
 * The root plugin (fastify/demo's `serviceApp`): the decorated services first, then how requests
 * are read and answered, the OpenAPI document, the background work, and the routes.
 */
export const healerApp = fp<HealerAppOptions>(
  async (app, o) => {
    await app.register(servicesPlugin, { services: o.services, settings: o.settings });
    await app.register(httpPlugin);
    await app.register(openapiPlugin);
    if (o.background) await app.register(backgroundPlugin, o.background);
    await app.register(healthRoutes);
    await app.register(leaderRoutes);
    await app.register(sessionRoutes);
    await app.register(incidentRoutes);
    await app.register(timelineRoutes);
    await app.register(silenceRoutes);
    await app.register(thresholdRoutes);
    const { insights, clock } = o.services;
    await app.register(insightsRoutes(insights.reads, clock, insights.options));
    await app.register(dashboardRoutes);
  },
  { name: 'healer', fastify: '5.x' },
);

/** The server's options: nothing holds a socket forever, JSON bodies of at most 1 MiB. */
function serverOptions(deps: AppDeps) {
  const to = { ...DEFAULT_TIMEOUTS, ...deps.timeouts };
  return {
    // A client that sends half a body or half its headers is cut.
    requestTimeout: to.requestMs,
    connectionTimeout: to.idleMs,
    keepAliveTimeout: to.keepAliveMs,
    http: {
      requestTimeout: to.requestMs,
      headersTimeout: to.headersMs,
      // Node checks the two timeouts above on this period (30 s by default): check every second.
      connectionsCheckingInterval: Math.min(1000, to.headersMs),
    },
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: false }),
    bodyLimit: BODY_LIMIT,
    onProtoPoisoning: 'error' as const,
    onConstructorPoisoning: 'error' as const,
    // Per-request logs are chatter; the metrics count requests.
    logController: new LogController({ disableRequestLogging: true }),
    routerOptions: { maxParamLength: 512 },
  };
}

/** Builds the HTTP app: a Fastify server with the root plugin registered; it does not listen. */
export async function buildApp(deps: AppDeps) {
  const app = Fastify(serverOptions(deps)).withTypeProvider<ZodTypeProvider>();
  await app.register(healerApp, deps);
  return app as typeof app & FastifyInstance;
}
