import { createHash } from 'node:crypto';
import { groupChildren } from '../incidents/grouping.js';
import type { IncidentTree } from './dashboard/incident-tree.js';
import type { Incident } from '../domain/incident.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Clock } from '../domain/clock.js';
import { SEVERITIES } from '../domain/alert.js';
import { redact } from '../domain/redact.js';
import type { SessionService } from '../sessions/service.js';
import type { Store } from '../domain/stores.js';
import { PUBLIC_ROUTE, bearerMatches } from './auth.js';
import { dashboardScriptVersion, loadDashboardScript } from './dashboard/assets.js';
import {
  incidentSummary,
  renderIncidentView,
  type LogsLinkConfig,
} from './dashboard/incident-page.js';
import {
  renderListView,
  renderPage,
  renderShell,
  summaryText,
  type AuthMode,
  type PageOptions,
} from './dashboard/page.js';
import { esc } from './dashboard/format.js';
import { DASHBOARD_CSS, DASHBOARD_ICON } from './dashboard/styles.js';
import {
  dashboardQuerySchema,
  dashboardStateSchema,
  readDashboardState,
  type DashboardState,
} from './dashboard/state.js';
import { parseView, viewQuery, type ViewFilter } from './dashboard/view.js';
import { errorEnvelopeSchema } from './schemas/session-start.js';

export interface DashboardDeps {
  sessions: SessionService;
  store: Store;
  clock: Clock;
  version: string;
  /**
   * How often the live view checks the store for changes and pushes them (default 2 s), and how
   * soon the page retries a lost connection; `?refresh_ms=` overrides per page.
   */
  refreshMs?: number;
  /** The API token and whether reads need it (the page then asks for it). */
  auth?: { token: string | undefined; protectReads: boolean };
  /** Grafana Explore links to the logs of an incident and of each CodeRun. */
  logs?: LogsLinkConfig;
}

export const DASHBOARD_STATE_URL = '/api/v1/dashboard/state';
export const DASHBOARD_EVENTS_URL = '/api/v1/dashboard/events';
const MIN_REFRESH_MS = 200;
const MAX_REFRESH_MS = 3_600_000;
/** A comment line on an idle stream, so proxies and the page's watchdog see it alive. */
const KEEPALIVE_MS = 15_000;
/** Relative times ("5 min ago") are re-sent this often even when nothing changed. */
const RESEND_MS = 30_000;

const shortHash = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 12);

/**
 * The page may run no inline code and load nothing from elsewhere: even if a value escaped its
 * escaping, it could not run. Forms submit only to Healer (the filter bar is a GET form).
 */
const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
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
  matching: 0,
  silences: [],
  truncated: { sessions: 0, incidents: 0 },
});

/** `?refresh_ms=` (or `period_ms=`) when it is a whole number in range, else the default. */
function refreshFrom(query: unknown, fallback: number, key = 'refresh_ms'): number {
  const raw = (query as Record<string, unknown> | undefined)?.[key];
  const n = typeof raw === 'string' && /^\d{1,7}$/.test(raw) ? Number(raw) : NaN;
  return Number.isInteger(n) && n >= MIN_REFRESH_MS && n <= MAX_REFRESH_MS ? n : fallback;
}

interface Rendered {
  /** 404 for an unknown incident. */
  status: 200 | 404;
  title: string;
  summary: string;
  main: string;
  generated_at: string;
  /** Changes when what is shown changes (not with the clock). */
  key: string;
}

/** The operator dashboard (operations.md §6): pages, live events, script, stylesheet, state. */
export const dashboardRoutes =
  (deps: DashboardDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const defaultRefresh = refreshFrom({ refresh_ms: String(deps.refreshMs ?? 2000) }, 2000);
    const jsHref = `/dashboard.js?v=${await dashboardScriptVersion()}`;
    const cssHref = `/dashboard.css?v=${shortHash(DASHBOARD_CSS)}`;
    const token = deps.auth?.token;
    const authMode: AuthMode = !token ? 'none' : deps.auth?.protectReads ? 'reads' : 'writes';
    const logs: LogsLinkConfig = deps.logs ?? { grafanaUrl: null, lokiUid: 'loki' };
    /** Whether this request may see data (reads open, or a valid token). */
    const mayRead = (req: FastifyRequest) =>
      authMode !== 'reads' || bearerMatches(req.headers.authorization, token!);

    const asset = (reply: FastifyReply, type: string, body: string) =>
      reply
        .header('content-type', type)
        .header('cache-control', 'public, max-age=3600')
        .header('x-content-type-options', 'nosniff')
        .send(body);

    const html = (reply: FastifyReply, code: number, body: string) =>
      reply
        .code(code)
        .header('content-type', 'text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('content-security-policy', PAGE_CSP)
        .header('x-content-type-options', 'nosniff')
        .header('referrer-policy', 'no-referrer')
        .header('x-frame-options', 'DENY')
        .send(body);

    const pageOpts = (req: FastifyRequest, extra: Partial<PageOptions> = {}): PageOptions => {
      const refreshMs = refreshFrom(req.query, defaultRefresh);
      return {
        refreshMs,
        eventsUrl: DASHBOARD_EVENTS_URL,
        jsHref,
        cssHref,
        auth: authMode,
        locked: !mayRead(req),
        rawQuery: req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '',
        ...extra,
      };
    };

    // ---- what a view shows ------------------------------------------------------------------

    const renderList = async (filter: ViewFilter): Promise<Rendered> => {
      const state = await readDashboardState(deps, 200, filter);
      const summary = summaryText(state);
      return {
        status: 200,
        title: `Healer · ${summary}`,
        summary,
        main: renderListView(state, filter),
        generated_at: state.generated_at,
        key: JSON.stringify({ ...state, generated_at: '' }),
      };
    };

    const renderIncident = async (id: string): Promise<Rendered> => {
      const now = deps.clock.now();
      const incident = await deps.store.getIncident(id);
      if (!incident) {
        const main = `<section class="panel"><p class="crumbs"><a href="/">Open incidents</a></p><h2>No incident “${esc(id)}”</h2><p>Healer has no incident with this id (it may have been purged).</p></section>`;
        return {
          status: 404,
          title: 'Healer · incident not found',
          summary: 'Incident not found',
          main,
          generated_at: now.toISOString(),
          key: 'missing',
        };
      }
      const [decisions, actions, silences, tree] = await Promise.all([
        deps.store.decisionsFor(incident.id),
        deps.store.actionsFor(incident.id),
        deps.store.listSilences(now),
        treeOf(deps.store, incident),
      ]);
      const summary = incidentSummary(incident, now);
      const main = renderIncidentView({ incident, decisions, actions, silences, now, logs, tree });
      return {
        status: 200,
        title: `Healer · ${incident.alert} ${redact(incident.title)}`,
        summary,
        main,
        generated_at: now.toISOString(),
        key: JSON.stringify([incident, decisions, actions, silences]),
      };
    };

    // ---- static assets ----------------------------------------------------------------------

    app.get(
      '/dashboard.js',
      { schema: { hide: true }, config: PUBLIC_ROUTE },
      async (_req, reply) =>
        asset(reply, 'text/javascript; charset=utf-8', await loadDashboardScript()),
    );
    app.get('/dashboard.css', { schema: { hide: true }, config: PUBLIC_ROUTE }, (_req, reply) =>
      asset(reply, 'text/css; charset=utf-8', DASHBOARD_CSS),
    );
    app.get('/favicon.svg', { schema: { hide: true }, config: PUBLIC_ROUTE }, (_req, reply) =>
      asset(reply, 'image/svg+xml', DASHBOARD_ICON),
    );

    // ---- pages ------------------------------------------------------------------------------

    app.get('/', { schema: { hide: true }, config: PUBLIC_ROUTE }, async (req, reply) => {
      const filter = parseView(req.query, deps.clock.now());
      const opts = pageOpts(req);
      if (opts.locked)
        return html(
          reply,
          200,
          renderPage(emptyState(deps.clock.now().toISOString(), deps.version), opts, filter),
        );
      try {
        const state = await readDashboardState(deps, 200, filter);
        return html(reply, 200, renderPage(state, opts, filter));
      } catch (err) {
        // Still a page: the live view replaces it once the store answers again.
        req.log.error({ err }, 'dashboard: reading the state failed');
        const page = renderPage(
          emptyState(deps.clock.now().toISOString(), deps.version),
          {
            ...opts,
            error: 'Healer could not read its state (the store did not answer). Retrying.',
          },
          filter,
        );
        return html(reply, 503, page);
      }
    });

    // Issues and notifications link to `<dashboardUrl>/incidents/<id>`: this page.
    app.get(
      '/incidents/:id',
      { schema: { hide: true }, config: PUBLIC_ROUTE },
      async (req, reply) => {
        const id = String((req.params as { id: string }).id).slice(0, 200);
        const opts = pageOpts(req);
        const now = deps.clock.now().toISOString();
        const shell = (
          r: Pick<Rendered, 'title' | 'summary' | 'main' | 'generated_at'>,
          o: PageOptions,
        ) =>
          renderShell(
            {
              title: r.title,
              summary: r.summary,
              generatedAt: r.generated_at,
              version: deps.version,
              view: r.main,
              query: '',
              incident: id,
            },
            o,
          );
        if (opts.locked)
          return html(
            reply,
            200,
            shell(
              {
                title: 'Healer · token required',
                summary: 'Enter the API token to see this incident.',
                main: '',
                generated_at: now,
              },
              opts,
            ),
          );
        try {
          const r = await renderIncident(id);
          return html(reply, r.status, shell(r, opts));
        } catch (err) {
          req.log.error({ err }, 'dashboard: reading the incident failed');
          return html(
            reply,
            503,
            shell(
              { title: 'Healer · incident', summary: '', main: '', generated_at: now },
              {
                ...opts,
                error: 'Healer could not read its state (the store did not answer). Retrying.',
              },
            ),
          );
        }
      },
    );

    // ---- live updates -----------------------------------------------------------------------

    /** One read per view and period however many pages watch it. */
    const shared = new Map<string, { at: number; value: Promise<Rendered> }>();
    const read = (key: string, periodMs: number, load: () => Promise<Rendered>) => {
      const t = Date.now();
      const hit = shared.get(key);
      if (hit && t - hit.at < periodMs / 2) return hit.value;
      const value = load();
      shared.set(key, { at: t, value });
      value.catch(() => shared.delete(key));
      if (shared.size > 500) for (const [k, v] of shared) if (t - v.at > periodMs) shared.delete(k);
      return value;
    };

    const streams = new Set<() => void>();
    app.addHook('preClose', (done) => {
      for (const end of [...streams]) end();
      done();
    });

    app.get(
      DASHBOARD_EVENTS_URL,
      {
        schema: {
          summary: 'Dashboard live updates (server-sent events)',
          description:
            'A `text/event-stream` of what the dashboard shows: a `view` event (`{title, summary, main, generated_at}`, ' +
            '`main` being the page’s `#view` markup, every value escaped and redacted) on connect and whenever it ' +
            'changes; a `failure` event while the store does not answer; a comment line every 15 s. The query is the ' +
            'page’s (view, state, severity, alert, play, agent, q, from, to) or `incident=<id>`; `period_ms` is how ' +
            'often the store is checked (default 2000).',
          operationId: 'dashboardEvents',
          tags: ['operations'],
          querystring: z
            .object({
              incident: z.string().max(200).optional(),
              period_ms: z.string().optional(),
            })
            .catchall(z.string()),
          response: {
            200: z.string().describe('text/event-stream'),
            401: errorEnvelopeSchema,
          },
        },
      },
      (req, reply) => {
        const q = req.query as Record<string, string | undefined>;
        const periodMs = refreshFrom(q, defaultRefresh, 'period_ms');
        const incident = q.incident;
        const filter = parseView(q, deps.clock.now());
        const key = incident ? `incident:${incident}` : `list:${viewQuery(filter)}`;
        const load = () => (incident ? renderIncident(incident) : renderList(filter));

        reply.hijack();
        const res = reply.raw;
        res.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-store',
          'x-accel-buffering': 'no',
          'x-content-type-options': 'nosniff',
        });
        res.write(`retry: ${periodMs}\n\n`);

        let closed = false;
        let timer: NodeJS.Timeout | undefined;
        let lastKey = '';
        let lastSent = 0;
        let lastWrite = Date.now();
        const write = (chunk: string) => {
          if (closed) return;
          lastWrite = Date.now();
          res.write(chunk);
        };
        const end = () => {
          if (closed) return;
          closed = true;
          clearTimeout(timer);
          streams.delete(end);
          res.end();
        };
        streams.add(end);
        req.raw.on('close', end);
        res.on('error', end);

        const tick = async () => {
          if (closed) return;
          try {
            const r = await read(key, periodMs, load);
            const t = Date.now();
            if (r.key !== lastKey || t - lastSent >= RESEND_MS) {
              lastKey = r.key;
              lastSent = t;
              const { title, summary, main, generated_at } = r;
              write(
                `event: view\ndata: ${JSON.stringify({ title, summary, main, generated_at })}\n\n`,
              );
            } else if (t - lastWrite >= KEEPALIVE_MS) write(': keepalive\n\n');
          } catch (err) {
            req.log.error({ err }, 'dashboard: reading the state for live updates failed');
            lastKey = '';
            write(
              `event: failure\ndata: ${JSON.stringify({ message: 'the store did not answer' })}\n\n`,
            );
          }
          if (!closed) timer = setTimeout(() => void tick(), periodMs);
        };
        void tick();
      },
    );

    app.get(
      DASHBOARD_STATE_URL,
      {
        schema: {
          summary: 'Dashboard state',
          description:
            'What the dashboard at `/` shows, in one read: active sessions with each agent’s stage, phase, pod and ' +
            'pre-flight checklist, and the incidents not resolved with their last decision (reason and sentence), ' +
            'GitHub issue and latest remediation or evaluation CodeRun; the active silences. Redacted like the rest of the API.',
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

/** The incident's parent (cause group or inhibitor) and children, for the tree on its page. */
async function treeOf(store: Store, i: Incident): Promise<IncidentTree> {
  const parentId = i.groupedBy?.incidentId ?? i.inhibitedBy?.incidentId ?? null;
  const [parent, grouped, open] = await Promise.all([
    parentId ? store.getIncident(parentId) : Promise.resolve(undefined),
    groupChildren(store, i),
    store.openIncidents(),
  ]);
  return {
    parent: parent ? { incident: parent, relation: i.groupedBy ? 'grouped' : 'inhibited' } : null,
    children: [
      ...grouped.map((c) => ({ incident: c, relation: 'grouped' as const })),
      ...open
        .filter((c) => c.inhibitedBy?.incidentId === i.id)
        .map((c) => ({ incident: c, relation: 'inhibited' as const })),
    ],
  };
}
