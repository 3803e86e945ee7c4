import Fastify, { LogController, type FastifyRequest } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import {
  jsonSchemaTransform,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import type { SessionService } from './sessions/service.js';
import type { Store } from './domain/stores.js';
import { incidentRoutes } from './routes/incidents.js';
import { timelineRoutes } from './routes/timeline.js';
import { silenceRoutes } from './routes/silences.js';
import { dashboardRoutes } from './routes/dashboard.js';
import type { LogsLinkConfig } from './routes/dashboard/incident-page.js';
import type { Clock } from './domain/clock.js';
import type { Metrics } from './observability/metrics.js';
import type { Readiness } from './observability/readiness.js';
import { registerErrorHandling } from './routes/errors.js';
import { registerAuth } from './routes/auth.js';
import { sessionRoutes } from './routes/sessions.js';
import { healthRoutes } from './routes/health.js';
import { thresholdRoutes, type ThresholdSource } from './routes/thresholds.js';
import { insightsRoutes, type InsightsOptions } from './routes/insights.js';
import { leaderRoutes, type LeaderBody } from './routes/leader.js';
import { VERSION } from './version.js';

export const BODY_LIMIT = 1024 * 1024;

export interface AppDeps {
  sessions: SessionService;
  store: Store;
  clock: Clock;
  metrics: Metrics;
  readiness: Readiness;
  logger?: Logger | false;
  apiToken?: string | undefined;
  protectReads?: boolean;
  /** Connection timeouts in ms (README, Configuration). Defaults are the environment's. */
  timeouts?: Partial<ServerTimeouts>;
  /** Owner of a bare repository name in a start request (HEALER_DEFAULT_REPO_OWNER). */
  defaultRepoOwner?: string;
  /** Grafana Explore links to logs on the dashboard's incident page (HEALER_GRAFANA_URL). */
  logs?: LogsLinkConfig;
  /** A silence was created or expired: the next decision must read the silences again. */
  onSilencesChanged?: () => void;
  /** The A3/A8/A9 thresholds in force (`GET /api/v1/thresholds`); none → the route is absent. */
  thresholds?: ThresholdSource;
  /** What `history-says-no` applies, shown by `GET /api/v1/insights` (default: 3 failures, 30 days). */
  insights?: InsightsOptions;
  /** This replica's leadership (`GET /api/v1/leader`). */
  leader: () => LeaderBody;
}

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

/** Builds the HTTP app from its parts; nothing here starts background work or listens. */
export async function buildApp(deps: AppDeps) {
  const to = { ...DEFAULT_TIMEOUTS, ...deps.timeouts };
  const app = Fastify({
    // Nothing holds a socket forever: a client that sends half a body or half its headers is cut.
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
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    // Per-request logs are chatter; the metrics count requests.
    logController: new LogController({ disableRequestLogging: true }),
    routerOptions: { maxParamLength: 512 },
  }).withTypeProvider<ZodTypeProvider>();

  // JSON only: a text/plain body answers 415 like every other non-JSON type.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validatorCompiler);
  // Response schemas document the API; bodies are built by typed code, so serialise without re-validating.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  registerErrorHandling(app);
  registerAuth(app, { token: deps.apiToken, protectReads: deps.protectReads ?? false });

  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    deps.metrics.httpRequests.inc({ route, method: req.method, status: String(reply.statusCode) });
    deps.metrics.httpDuration.observe({ route, method: req.method }, reply.elapsedTime / 1000);
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Healer',
        version: VERSION,
        description:
          'Self-healing watchdog of the CTO platform: session API for the MCP server, incidents, silences.',
      },
      servers: [{ url: 'http://localhost:8083' }],
      tags: [
        { name: 'sessions', description: 'Plays Healer watches' },
        { name: 'incidents', description: 'What Healer found, one per fingerprint' },
        { name: 'silences', description: 'Stop acting on matching alerts for a while' },
        { name: 'operations', description: 'Health, readiness, metrics' },
      ],
    },
    transform: jsonSchemaTransform,
  });
  // The committed document names localhost:8083; served, "Try it out" targets the host that asked.
  const forRequest = (doc: Readonly<Record<string, unknown>>, req: FastifyRequest) => ({
    ...doc,
    servers: [{ url: `${req.protocol}://${req.host}` }],
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    transformSpecification: forRequest,
    transformSpecificationClone: false,
  });

  app.get('/openapi.json', { schema: { hide: true } }, (req) =>
    forRequest(app.swagger() as unknown as Record<string, unknown>, req),
  );
  await app.register(
    healthRoutes({ version: VERSION, readiness: deps.readiness, metrics: deps.metrics }),
  );
  await app.register(leaderRoutes(deps.leader));
  await app.register(
    sessionRoutes(deps.sessions, { defaultRepoOwner: deps.defaultRepoOwner ?? '5dlabs' }),
  );
  await app.register(incidentRoutes(deps.store, deps.clock));
  await app.register(timelineRoutes(deps.sessions, deps.store));
  await app.register(silenceRoutes(deps.store, deps.clock, deps.onSilencesChanged));
  if (deps.thresholds) await app.register(thresholdRoutes(deps.thresholds));
  await app.register(
    insightsRoutes(
      deps.store,
      deps.clock,
      deps.insights ?? { historyFailures: 3, historyWindowDays: 30 },
    ),
  );
  await app.register(
    dashboardRoutes({
      sessions: deps.sessions,
      store: deps.store,
      clock: deps.clock,
      version: VERSION,
      auth: { token: deps.apiToken, protectReads: deps.protectReads ?? false },
      ...(deps.logs ? { logs: deps.logs } : {}),
    }),
  );
  return app;
}
