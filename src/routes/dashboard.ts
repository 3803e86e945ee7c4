import { createHash } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Clock } from '../domain/clock.js';
import { SEVERITIES } from '../domain/alert.js';
import type { SessionService } from '../sessions/service.js';
import type { Store } from '../domain/stores.js';
import { DASHBOARD_JS } from './dashboard/client.js';
import { renderPage } from './dashboard/page.js';
import { DASHBOARD_CSS, DASHBOARD_ICON } from './dashboard/styles.js';
import {
  dashboardQuerySchema,
  dashboardStateSchema,
  readDashboardState,
  type DashboardState,
} from './dashboard/state.js';
import { errorEnvelopeSchema } from './schemas/session-start.js';

export interface DashboardDeps {
  sessions: SessionService;
  store: Store;
  clock: Clock;
  version: string;
  /** How often the page polls the state endpoint (default 5 s); `?refresh_ms=` overrides per page. */
  refreshMs?: number;
}

export const DASHBOARD_STATE_URL = '/api/v1/dashboard/state';
const MIN_REFRESH_MS = 200;
const MAX_REFRESH_MS = 3_600_000;

const shortHash = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 12);

/**
 * The page may run no inline code and load nothing from elsewhere: even if a value escaped its
 * escaping, it could not run.
 */
const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const emptyState = (generatedAt: string, version: string): DashboardState => ({
  status: 'ok',
  generated_at: generatedAt,
  version,
  counts: {
    active_sessions: 0,
    open_incidents: 0,
    by_severity: Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<
      (typeof SEVERITIES)[number],
      number
    >,
  },
  sessions: [],
  incidents: [],
  truncated: { sessions: 0, incidents: 0 },
});

/** `?refresh_ms=` when it is a whole number in range, else the default. */
function refreshFrom(query: unknown, fallback: number): number {
  const raw = (query as Record<string, unknown> | undefined)?.refresh_ms;
  const n = typeof raw === 'string' && /^\d{1,7}$/.test(raw) ? Number(raw) : NaN;
  return Number.isInteger(n) && n >= MIN_REFRESH_MS && n <= MAX_REFRESH_MS ? n : fallback;
}

/** The operator dashboard (operations.md §6): `GET /`, its script and stylesheet, its state. */
export const dashboardRoutes =
  (deps: DashboardDeps): FastifyPluginAsyncZod =>
  // eslint-disable-next-line @typescript-eslint/require-await
  async (app) => {
    const defaultRefresh = refreshFrom({ refresh_ms: String(deps.refreshMs ?? 5000) }, 5000);
    const jsHref = `/dashboard.js?v=${shortHash(DASHBOARD_JS)}`;
    const cssHref = `/dashboard.css?v=${shortHash(DASHBOARD_CSS)}`;

    const asset = (reply: FastifyReply, type: string, body: string) =>
      reply
        .header('content-type', type)
        .header('cache-control', 'public, max-age=3600')
        .header('x-content-type-options', 'nosniff')
        .send(body);

    app.get('/dashboard.js', { schema: { hide: true } }, (_req, reply) =>
      asset(reply, 'text/javascript; charset=utf-8', DASHBOARD_JS),
    );
    app.get('/dashboard.css', { schema: { hide: true } }, (_req, reply) =>
      asset(reply, 'text/css; charset=utf-8', DASHBOARD_CSS),
    );

    // Issues and notifications link to `<dashboardUrl>/incidents/<id>`: the incident with every
    // decision, action and attempt.
    app.get('/incidents/:id', { schema: { hide: true } }, (req, reply) =>
      reply.redirect(
        `/api/v1/incidents/${encodeURIComponent((req.params as { id: string }).id)}`,
        302,
      ),
    );
    app.get('/favicon.svg', { schema: { hide: true } }, (_req, reply) =>
      asset(reply, 'image/svg+xml', DASHBOARD_ICON),
    );

    app.get('/', { schema: { hide: true } }, async (req, reply) => {
      const opts = {
        refreshMs: refreshFrom(req.query, defaultRefresh),
        stateUrl: DASHBOARD_STATE_URL,
        jsHref,
        cssHref,
      };
      let html: string;
      try {
        html = renderPage(await readDashboardState(deps), opts);
        void reply.code(200);
      } catch (err) {
        // Still a page: the script keeps polling and replaces it once the store answers again.
        req.log.error({ err }, 'dashboard: reading the state failed');
        html = renderPage(emptyState(deps.clock.now().toISOString(), deps.version), {
          ...opts,
          error: 'Healer could not read its state (the store did not answer). Retrying.',
        });
        void reply.code(503);
      }
      return reply
        .header('content-type', 'text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('content-security-policy', PAGE_CSP)
        .header('x-content-type-options', 'nosniff')
        .header('referrer-policy', 'no-referrer')
        .header('x-frame-options', 'DENY')
        .send(html);
    });

    app.get(
      DASHBOARD_STATE_URL,
      {
        schema: {
          summary: 'Dashboard state',
          description:
            'What the dashboard at `/` shows, in one read: active sessions with each agent’s stage, phase, pod and ' +
            'pre-flight checklist, and the incidents not resolved with their last decision (reason and sentence), ' +
            'GitHub issue and latest remediation or evaluation CodeRun. Redacted like the rest of the API.',
          operationId: 'dashboardState',
          tags: ['operations'],
          querystring: dashboardQuerySchema,
          response: { 200: dashboardStateSchema, 400: errorEnvelopeSchema },
        },
      },
      async (req, reply) => {
        const state = await readDashboardState(deps, req.query.limit);
        return reply.header('cache-control', 'no-store').send(state);
      },
    );
  };
