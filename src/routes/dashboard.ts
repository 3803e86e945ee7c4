import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PUBLIC_ROUTE } from './auth.js';
import { loadDashboardScript } from './dashboard/assets.js';
import {
  DASHBOARD_EVENTS_URL,
  DASHBOARD_STATE_URL,
  dashboardContext,
  emptyState,
  refreshFrom,
  sendAsset,
  sendHtml,
  type DashboardContext,
  type Rendered,
} from './dashboard/context.js';
import { renderPage, renderShell, type PageOptions } from './dashboard/page.js';
import { DASHBOARD_CSS, DASHBOARD_ICON } from './dashboard/styles.js';
import {
  dashboardQuerySchema,
  dashboardStateSchema,
  readDashboardState,
} from './dashboard/state.js';
import { parseView, viewQuery } from './dashboard/view.js';
import { errorEnvelopeSchema } from './schemas/common.js';

export { DASHBOARD_EVENTS_URL, DASHBOARD_STATE_URL } from './dashboard/context.js';

/** A comment line on an idle stream, so proxies and the page's watchdog see it alive. */
const KEEPALIVE_MS = 15_000;
/** Relative times ("5 min ago") are re-sent this often even when nothing changed. */
const RESEND_MS = 30_000;
const STORE_DOWN = 'Healer could not read its state (the store did not answer). Retrying.';

/** The operator dashboard (operations.md §6): pages, live events, script, stylesheet, state. */
export const dashboardRoutes: FastifyPluginAsyncZod = async (app) => {
  const ctx = await dashboardContext(app);
  assetRoutes(app);
  listPageRoute(app, ctx);
  incidentPageRoute(app, ctx);
  eventRoutes(app, ctx);
  stateRoute(app, ctx);
};

function assetRoutes(app: FastifyInstance): void {
  const opts = { schema: { hide: true }, config: PUBLIC_ROUTE };
  app.get('/dashboard.js', opts, async (_req, reply) =>
    sendAsset(reply, 'text/javascript; charset=utf-8', await loadDashboardScript()),
  );
  app.get('/dashboard.css', opts, (_req, reply) =>
    sendAsset(reply, 'text/css; charset=utf-8', DASHBOARD_CSS),
  );
  app.get('/favicon.svg', opts, (_req, reply) => sendAsset(reply, 'image/svg+xml', DASHBOARD_ICON));
}

function listPageRoute(app: FastifyInstance, ctx: DashboardContext): void {
  const { deps } = ctx;
  const empty = () => emptyState(deps.clock.now().toISOString(), deps.version);
  app.get('/', { schema: { hide: true }, config: PUBLIC_ROUTE }, async (req, reply) => {
    const filter = parseView(req.query, deps.clock.now());
    const opts = ctx.pageOpts(req);
    if (opts.locked) return sendHtml(reply, 200, renderPage(empty(), opts, filter));
    try {
      const state = await readDashboardState(deps, 200, filter);
      return sendHtml(reply, 200, renderPage(state, opts, filter));
    } catch (err) {
      // Still a page: the live view replaces it once the store answers again.
      req.log.error({ err }, 'dashboard: reading the state failed');
      return sendHtml(reply, 503, renderPage(empty(), { ...opts, error: STORE_DOWN }, filter));
    }
  });
}

/** Issues and notifications link to `<dashboardUrl>/incidents/<id>`: this page. */
function incidentPageRoute(app: FastifyInstance, ctx: DashboardContext): void {
  const { version } = ctx.deps;
  app.get(
    '/incidents/:id',
    { schema: { hide: true }, config: PUBLIC_ROUTE },
    async (req, reply) => {
      const id = String((req.params as { id: string }).id).slice(0, 200);
      const opts = ctx.pageOpts(req);
      const now = ctx.deps.clock.now().toISOString();
      const shell = (
        r: Pick<Rendered, 'title' | 'summary' | 'main' | 'generated_at'>,
        o: PageOptions,
      ) =>
        renderShell(
          {
            title: r.title,
            summary: r.summary,
            generatedAt: r.generated_at,
            version,
            view: r.main,
            query: '',
            incident: id,
          },
          o,
        );
      if (opts.locked) {
        const summary = 'Enter the API token to see this incident.';
        const r = { title: 'Healer · token required', summary, main: '', generated_at: now };
        return sendHtml(reply, 200, shell(r, opts));
      }
      try {
        const r = await ctx.renderIncident(id);
        return sendHtml(reply, r.status, shell(r, opts));
      } catch (err) {
        req.log.error({ err }, 'dashboard: reading the incident failed');
        const r = { title: 'Healer · incident', summary: '', main: '', generated_at: now };
        return sendHtml(reply, 503, shell(r, { ...opts, error: STORE_DOWN }));
      }
    },
  );
}

/** One read per view and period however many pages watch it. */
function sharedReads() {
  const shared = new Map<string, { at: number; value: Promise<Rendered> }>();
  return (key: string, periodMs: number, load: () => Promise<Rendered>) => {
    const t = Date.now();
    const hit = shared.get(key);
    if (hit && t - hit.at < periodMs / 2) return hit.value;
    const value = load();
    shared.set(key, { at: t, value });
    value.catch(() => shared.delete(key));
    if (shared.size > 500) for (const [k, v] of shared) if (t - v.at > periodMs) shared.delete(k);
    return value;
  };
}

const eventsSchema = {
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
    .object({ incident: z.string().max(200).optional(), period_ms: z.string().optional() })
    .catchall(z.string()),
  response: { 200: z.string().describe('text/event-stream'), 401: errorEnvelopeSchema },
};

function eventRoutes(app: FastifyInstance, ctx: DashboardContext): void {
  const read = sharedReads();
  const streams = new Set<() => void>();
  app.addHook('preClose', (done) => {
    for (const end of [...streams]) end();
    done();
  });
  app.get(DASHBOARD_EVENTS_URL, { schema: eventsSchema }, (req, reply) => {
    const q = req.query as Record<string, string | undefined>;
    const periodMs = refreshFrom(q, ctx.defaultRefresh, 'period_ms');
    const incident = q.incident;
    const filter = parseView(q, ctx.deps.clock.now());
    const key = incident ? `incident:${incident}` : `list:${viewQuery(filter)}`;
    const load = () => (incident ? ctx.renderIncident(incident) : ctx.renderList(filter));
    streamView(req, reply, { periodMs, streams, next: () => read(key, periodMs, load) });
  });
}

/** Pushes the view on connect, whenever it changes, and a keepalive while it does not. */
function streamView(
  req: FastifyRequest,
  reply: FastifyReply,
  o: { periodMs: number; streams: Set<() => void>; next: () => Promise<Rendered> },
): void {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    'x-accel-buffering': 'no',
    'x-content-type-options': 'nosniff',
  });
  res.write(`retry: ${o.periodMs}\n\n`);
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
    o.streams.delete(end);
    res.end();
  };
  o.streams.add(end);
  req.raw.on('close', end);
  res.on('error', end);
  const tick = async () => {
    if (closed) return;
    try {
      const r = await o.next();
      const t = Date.now();
      if (r.key !== lastKey || t - lastSent >= RESEND_MS) {
        lastKey = r.key;
        lastSent = t;
        const { title, summary, main, generated_at } = r;
        write(`event: view\ndata: ${JSON.stringify({ title, summary, main, generated_at })}\n\n`);
      } else if (t - lastWrite >= KEEPALIVE_MS) write(': keepalive\n\n');
    } catch (err) {
      req.log.error({ err }, 'dashboard: reading the state for live updates failed');
      lastKey = '';
      write(`event: failure\ndata: ${JSON.stringify({ message: 'the store did not answer' })}\n\n`);
    }
    if (!closed) timer = setTimeout(() => void tick(), o.periodMs);
  };
  void tick();
}

function stateRoute(app: FastifyInstance, ctx: DashboardContext): void {
  app.withTypeProvider<ZodTypeProvider>().get(
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
      const state = await readDashboardState(ctx.deps, req.query.limit);
      return reply.header('cache-control', 'no-store').send(state);
    },
  );
}
