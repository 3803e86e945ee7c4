// What the dashboard's routes share: how a page is answered, and what a view shows.
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SEVERITIES } from '../../domain/alert.js';
import { isNotFound } from '../../domain/errors.js';
import { redact } from '../../domain/redact.js';
import { bearerMatches } from '../auth.js';
import { dashboardScriptVersion } from './assets.js';
import { esc } from './format.js';
import { incidentSummary, renderIncidentView } from './incident-page.js';
import { renderListView, summaryText, type AuthMode, type PageOptions } from './page.js';
import { readDashboardState, type DashboardState } from './state.js';
import { DASHBOARD_CSS } from './styles.js';
import type { ViewFilter } from './view.js';

export const DASHBOARD_STATE_URL = '/api/v1/dashboard/state';
export const DASHBOARD_EVENTS_URL = '/api/v1/dashboard/events';
const MIN_REFRESH_MS = 200;
const MAX_REFRESH_MS = 3_600_000;

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

export const emptyState = (generatedAt: string, version: string): DashboardState => ({
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
export function refreshFrom(query: unknown, fallback: number, key = 'refresh_ms'): number {
  const raw = (query as Record<string, unknown> | undefined)?.[key];
  const n = typeof raw === 'string' && /^\d{1,7}$/.test(raw) ? Number(raw) : NaN;
  return Number.isInteger(n) && n >= MIN_REFRESH_MS && n <= MAX_REFRESH_MS ? n : fallback;
}

export interface Rendered {
  /** 404 for an unknown incident. */
  status: 200 | 404;
  title: string;
  summary: string;
  main: string;
  generated_at: string;
  /** Changes when what is shown changes (not with the clock). */
  key: string;
}

export const sendAsset = (reply: FastifyReply, type: string, body: string) =>
  reply
    .header('content-type', type)
    .header('cache-control', 'public, max-age=3600')
    .header('x-content-type-options', 'nosniff')
    .send(body);

export const sendHtml = (reply: FastifyReply, code: number, body: string) =>
  reply
    .code(code)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('content-security-policy', PAGE_CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('x-frame-options', 'DENY')
    .send(body);

export type DashboardContext = Awaited<ReturnType<typeof dashboardContext>>;

/** The dashboard's services, auth mode and renderers, over the app's decorations. */
export async function dashboardContext(app: FastifyInstance) {
  const { sessions, incidents, silences, clock, settings } = app;
  const deps = { sessions, incidents, silences, clock, version: settings.version };
  const refresh = settings.dashboardRefreshMs ?? 2000;
  const defaultRefresh = refreshFrom({ refresh_ms: String(refresh) }, 2000);
  const jsHref = `/dashboard.js?v=${await dashboardScriptVersion()}`;
  const cssHref = `/dashboard.css?v=${shortHash(DASHBOARD_CSS)}`;
  const token = settings.apiToken;
  const authMode: AuthMode = !token ? 'none' : settings.protectReads ? 'reads' : 'writes';
  /** Whether this request may see data (reads open, or a valid token). */
  const mayRead = (req: FastifyRequest) =>
    authMode !== 'reads' || bearerMatches(req.headers.authorization, token!);
  const pageOpts = (req: FastifyRequest, extra: Partial<PageOptions> = {}): PageOptions => ({
    refreshMs: refreshFrom(req.query, defaultRefresh),
    eventsUrl: DASHBOARD_EVENTS_URL,
    jsHref,
    cssHref,
    auth: authMode,
    locked: !mayRead(req),
    rawQuery: req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '',
    ...extra,
  });
  const renderList = async (filter: ViewFilter): Promise<Rendered> => {
    const state = await readDashboardState(deps, 200, filter);
    const summary = summaryText(state);
    const main = renderListView(state, filter);
    const key = JSON.stringify({ ...state, generated_at: '' });
    return {
      status: 200,
      title: `Healer · ${summary}`,
      summary,
      main,
      generated_at: state.generated_at,
      key,
    };
  };
  const renderIncident = (id: string) => renderIncidentPage(deps, settings.logs, id);
  return { deps, defaultRefresh, pageOpts, renderList, renderIncident };
}

/** The incident page's view, or the not-found view (404) for an unknown id. */
async function renderIncidentPage(
  deps: Pick<FastifyInstance, 'incidents' | 'silences' | 'clock'>,
  logs: FastifyInstance['settings']['logs'],
  id: string,
): Promise<Rendered> {
  const now = deps.clock.now();
  const incident = await deps.incidents.get(id).catch((err: unknown) => {
    if (isNotFound(err)) return undefined;
    throw err;
  });
  if (!incident) {
    const main = `<section class="panel"><p class="crumbs"><a href="/">Open incidents</a></p><h2>No incident “${esc(id)}”</h2><p>Healer has no incident with this id (it may have been purged).</p></section>`;
    const summary = 'Incident not found';
    const at = now.toISOString();
    return {
      status: 404,
      title: 'Healer · incident not found',
      summary,
      main,
      generated_at: at,
      key: 'missing',
    };
  }
  const [decisions, actions, silences, tree] = await Promise.all([
    deps.incidents.decisionsFor(incident.id),
    deps.incidents.actionsFor(incident.id),
    deps.silences.list(),
    deps.incidents.tree(incident),
  ]);
  return {
    status: 200,
    title: `Healer · ${incident.alert} ${redact(incident.title)}`,
    summary: incidentSummary(incident, now),
    main: renderIncidentView({ incident, decisions, actions, silences, now, logs, tree }),
    generated_at: now.toISOString(),
    key: JSON.stringify([incident, decisions, actions, silences]),
  };
}
