import { ALERT_IDS, SEVERITIES, type AlertId, type Severity } from '../../domain/alert.js';
import type { Incident, IncidentState } from '../../domain/incident.js';
import { redactLines } from '../../domain/redact.js';
import { normaliseAgent } from '../../domain/stages.js';

/**
 * What a dashboard URL asks for: the view (open incidents, or the history over a time range) and
 * its filters. Everything lives in the query string, so a view can be shared as a link; a value
 * that is not understood is left out and named in `ignored` (the page says so) rather than
 * answered with an error page.
 */

export const INCIDENT_STATES = [
  'open',
  'remediating',
  'escalated',
  'silenced',
  'resolved',
] as const;
/** The states the open view shows (every one but resolved). */
export const OPEN_STATES = INCIDENT_STATES.filter((s) => s !== 'resolved');
/** The history view's range when none is given. */
export const DEFAULT_HISTORY_DAYS = 7;
/** The history view reads at most this many incidents of its range from the store. */
export const HISTORY_READ_LIMIT = 5000;

export interface ViewFilter {
  view: 'open' | 'history';
  state?: IncidentState;
  severity?: Severity;
  alert?: AlertId;
  /** A play id, or `platform` for incidents of no play. */
  play?: string;
  agent?: string;
  /** Case-insensitive text search in id, title, subject, play, agent, alert and evidence. */
  q?: string;
  /** History range, RFC 3339 UTC: `from` inclusive, `to` exclusive. */
  from?: string;
  to?: string;
  /** `name=value` pairs that were not understood. */
  ignored: string[];
}

const DAY_MS = 86_400_000;
// eslint-disable-next-line no-control-regex -- rejecting control characters
const CONTROL_RE = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * `2026-11-21` (a whole day), `2026-11-21T10:00` (a `datetime-local` input, read as UTC) or a full
 * RFC 3339 time. `end` moves a bare date to the end of that day, so `to=2026-11-21` includes it.
 */
export function parseWhen(raw: string, end = false): string | undefined {
  const v = raw.trim();
  let ms = NaN;
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) ms = Date.parse(`${v}T00:00:00Z`) + (end ? DAY_MS : 0);
  else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(v)) ms = Date.parse(`${v}Z`);
  else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(v))
    ms = Date.parse(v);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

const one = (q: Record<string, unknown>, k: string): string | undefined => {
  const v = q[k];
  const s: unknown = Array.isArray(v) ? (v as unknown[])[0] : v;
  return typeof s === 'string' && s.trim() !== '' ? s.trim() : undefined;
};

/** Reads the view from a query string object (Fastify's `req.query`). Never throws. */
export function parseView(query: unknown, now: Date): ViewFilter {
  const q = (query && typeof query === 'object' ? query : {}) as Record<string, unknown>;
  const f: ViewFilter = { view: one(q, 'view') === 'history' ? 'history' : 'open', ignored: [] };
  const bad = (k: string, v: string) => f.ignored.push(`${k}=${v}`);
  const view = one(q, 'view');
  if (view !== undefined && view !== 'open' && view !== 'history') bad('view', view);

  const state = one(q, 'state');
  if (state !== undefined) {
    const allowed: readonly string[] = f.view === 'open' ? OPEN_STATES : INCIDENT_STATES;
    if (allowed.includes(state)) f.state = state as IncidentState;
    else bad('state', state);
  }
  const severity = one(q, 'severity');
  if (severity !== undefined) {
    if ((SEVERITIES as readonly string[]).includes(severity)) f.severity = severity as Severity;
    else bad('severity', severity);
  }
  const alert = one(q, 'alert');
  if (alert !== undefined) {
    const id = ALERT_IDS.find((a) => a.toLowerCase() === alert.toLowerCase());
    if (id) f.alert = id;
    else bad('alert', alert);
  }
  for (const k of ['play', 'agent', 'q'] as const) {
    const v = one(q, k);
    if (v === undefined) continue;
    if (v.length > 253 || CONTROL_RE.test(v)) bad(k, v.slice(0, 40));
    else f[k] = v;
  }
  if (f.view === 'history') {
    const rawTo = one(q, 'to');
    const rawFrom = one(q, 'from');
    const to = rawTo === undefined ? undefined : parseWhen(rawTo, true);
    const from = rawFrom === undefined ? undefined : parseWhen(rawFrom);
    if (rawTo !== undefined && to === undefined) bad('to', rawTo.slice(0, 40));
    if (rawFrom !== undefined && from === undefined) bad('from', rawFrom.slice(0, 40));
    f.to = to ?? new Date(now.getTime() + 60_000).toISOString();
    f.from = from ?? new Date(Date.parse(f.to) - DEFAULT_HISTORY_DAYS * DAY_MS).toISOString();
    if (f.from > f.to) [f.from, f.to] = [f.to, f.from];
  }
  return f;
}

/** The query string of a view (the filters given, in a fixed order), for links and the events URL. */
export function viewQuery(f: ViewFilter): string {
  const p = new URLSearchParams();
  if (f.view === 'history') p.set('view', 'history');
  for (const k of ['state', 'severity', 'alert', 'play', 'agent', 'q', 'from', 'to'] as const) {
    const v = f[k];
    if (v !== undefined) p.set(k, v);
  }
  return p.toString();
}

/** Whether an incident passes the view's filters (not the history range: the store applies it). */
export function matchesView(i: Incident, f: ViewFilter): boolean {
  if (f.state && i.state !== f.state) return false;
  if (f.severity && i.severity !== f.severity) return false;
  if (f.alert && i.alert !== f.alert) return false;
  if (f.play && (i.playId ?? 'platform') !== f.play) return false;
  if (f.agent && (i.agent === null || normaliseAgent(i.agent) !== normaliseAgent(f.agent)))
    return false;
  if (f.q) {
    const needle = f.q.toLowerCase();
    const hay = [
      i.id,
      i.title,
      i.subject,
      i.playId ?? 'platform',
      i.agent ?? '',
      i.alert,
      ...redactLines(i.evidence),
    ];
    if (!hay.some((h) => h.toLowerCase().includes(needle))) return false;
  }
  return true;
}

/** Whether any filter narrows the list (the page then says "N of M"). */
export const isFiltered = (f: ViewFilter): boolean =>
  Boolean(f.state || f.severity || f.alert || f.play || f.agent || f.q);
