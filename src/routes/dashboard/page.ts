import { ALERT_IDS, SEVERITIES } from '../../domain/alert.js';
import type {
  DashboardAgent,
  DashboardIncident,
  DashboardSession,
  DashboardSilence,
  DashboardState,
} from './state.js';
import { CHECK_SYMBOL, ago, esc, phaseTone, safeUrl, utc } from './format.js';
import { INCIDENT_STATES, OPEN_STATES, isFiltered, viewQuery, type ViewFilter } from './view.js';

/**
 * The server-rendered dashboard (operations.md §6). Every value goes through `esc`; external links
 * only for http(s) URLs. This is the only renderer: the browser script (`client/dashboard.ts`)
 * receives the same `#view` markup over server-sent events and swaps it in.
 */

export type AuthMode = 'none' | 'writes' | 'reads';

export interface PageOptions {
  refreshMs: number;
  eventsUrl: string;
  cssHref: string;
  jsHref: string;
  auth: AuthMode;
  /** The page is a shell: reads need the token and the request had none. */
  locked?: boolean;
  /** Shown in the banner (the state could not be read). */
  error?: string;
  /** The request's own query string, passed on to the events URL as it was given. */
  rawQuery?: string;
}

const SESSION_COLUMNS = ['Agent', 'Stage', 'Phase', 'Pod / CodeRun', 'Started', 'Pre-flight'];
const INCIDENT_COLUMNS = [
  'Severity',
  'Alert',
  'Incident',
  'Play / agent',
  'Occurrences',
  'State',
  'Last decision',
  'Issue',
  'CodeRun',
  'Last seen',
];

export const time = (at: string | null, now: string): string =>
  at ? `<time datetime="${esc(at)}" title="${esc(utc(at))}">${esc(ago(at, now))}</time>` : '—';

export const link = (url: string | null | undefined, text: string, cls = ''): string => {
  const u = safeUrl(url);
  const c = cls ? ` class="${cls}"` : '';
  return u
    ? `<a${c} href="${esc(u)}" target="_blank" rel="noopener noreferrer">${esc(text)}</a>`
    : `<span${c}>${esc(text)}</span>`;
};

/** The dashboard page of an incident (the link issues and notifications carry). */
export const incidentHref = (id: string): string => `/incidents/${encodeURIComponent(id)}`;

const playButton = (playId: string): string =>
  `<button type="button" class="play" data-play="${esc(playId)}" aria-controls="timeline" aria-pressed="false" title="Show the timeline of ${esc(playId)}">${esc(playId)}</button>`;

/** Pre-flight is shown only where something is known (a check passed or failed). */
const preflightKnown = (a: DashboardAgent): boolean =>
  a.preflight.items.some((i) => i.state !== 'unknown');

function checklist(a: DashboardAgent): string {
  if (!preflightKnown(a))
    return '<span class="muted" title="no pre-flight check has reported yet">—</span>';
  const items = a.preflight.items;
  const passed = items.filter((i) => i.state === 'passed').length;
  const failed = items.filter((i) => i.state === 'failed');
  const badges = items
    .map((i) => {
      const says = `${i.label}: ${i.state}${i.evidence ? ` — ${i.evidence}` : ''}`;
      return `<li class="ck ck-${esc(i.state)}" title="${esc(says)}"><span aria-hidden="true">${esc(CHECK_SYMBOL[i.state] ?? '?')}</span><span class="sr">${esc(says)}</span></li>`;
    })
    .join('');
  const failedText = failed.length
    ? `<div class="ck-failed-list">failed: ${esc(failed.map((i) => i.label).join('; '))}</div>`
    : '';
  return (
    `<span class="pf pf-${esc(a.preflight.state)}">${esc(a.preflight.state)}</span> ` +
    `<span class="ck-count">${passed}/${items.length}</span>` +
    `<ul class="checklist" aria-label="Pre-flight checklist of ${esc(a.name)}">${badges}</ul>` +
    failedText
  );
}

/** An agent that finished well: folded away under its session. */
const finished = (a: DashboardAgent): boolean => phaseTone(a.phase) === 'ok';

function agentRow(a: DashboardAgent, now: string): string {
  const where = [
    a.pod ? `<code class="pod">${esc(a.pod)}</code>` : '',
    a.coderun ? `<code class="coderun">${esc(a.coderun)}</code>` : '',
  ].filter(Boolean);
  return (
    `<tr class="agent" data-agent="${esc(a.name)}">` +
    `<th scope="row">${esc(a.name)}</th>` +
    `<td data-label="Stage">${esc(a.stage)}</td>` +
    `<td data-label="Phase"><span class="phase tone-${phaseTone(a.phase)}">${esc(a.phase)}</span></td>` +
    `<td class="where" data-label="Pod / CodeRun">${where.length ? where.join('<br>') : '—'}</td>` +
    `<td data-label="Started">${time(a.started_at, now)}</td>` +
    `<td class="preflight" data-label="Pre-flight">${checklist(a)}</td>` +
    `</tr>`
  );
}

function sessionHead(s: DashboardSession, now: string): string {
  const pr = s.pr
    ? `<span class="pr">${link(s.pr.url, `PR #${s.pr.number}`)} <span class="phase tone-${phaseTone(s.pr.state === 'open' ? 'running' : s.pr.state)}">${esc(s.pr.state)}</span> <span class="checks">checks ${s.pr.checks.passed} passed, ${s.pr.checks.failed} failed, ${s.pr.checks.pending} pending</span></span>`
    : '';
  const inc = s.open_incidents
    ? `<a class="inc-count has" href="/?play=${encodeURIComponent(s.play_id)}">${s.open_incidents} open incident${s.open_incidents === 1 ? '' : 's'}</a>`
    : `<span class="inc-count">no open incidents</span>`;
  return (
    `<tr class="session-head"><th scope="rowgroup" colspan="${SESSION_COLUMNS.length}">` +
    `${playButton(s.play_id)} <span class="repo">${esc(s.repository)}</span>` +
    `<span class="meta">${esc(s.namespace)} · ${s.task_count} task${s.task_count === 1 ? '' : 's'} · started ${time(s.started_at, now)} · updated ${time(s.last_updated, now)}</span>` +
    `${pr}${inc}</th></tr>`
  );
}

export function renderSessionBodies(state: DashboardState): string {
  const now = state.generated_at;
  if (state.sessions.length === 0) {
    return `<tbody><tr class="empty"><td colspan="${SESSION_COLUMNS.length}">No active sessions.</td></tr></tbody>`;
  }
  return state.sessions
    .map((s) => {
      const live = s.agents.filter((a) => !finished(a));
      const done = s.agents.filter(finished);
      const rows = live.map((a) => agentRow(a, now)).join('');
      const folded = done.length
        ? `<tr class="agents-finished"><td colspan="${SESSION_COLUMNS.length}"><details class="finished" data-key="finished:${esc(s.play_id)}">` +
          `<summary>${done.length} finished: ${esc(done.map((a) => `${a.name} (${a.phase})`).join(', '))}</summary>` +
          `<table class="grid nested">${done.map((a) => agentRow(a, now)).join('')}</table></details></td></tr>`
        : '';
      const body =
        s.agents.length === 0
          ? `<tr class="agent none"><td colspan="${SESSION_COLUMNS.length}">No agents configured.</td></tr>`
          : rows + folded;
      return `<tbody class="session" data-play="${esc(s.play_id)}">${sessionHead(s, now)}${body}</tbody>`;
    })
    .join('');
}

function incidentRow(i: DashboardIncident, now: string): string {
  const evidence = i.evidence.length
    ? `<details class="evidence" data-id="${esc(i.id)}" data-key="evidence:${esc(i.id)}"><summary>evidence (${i.evidence.length})</summary><pre>${esc(i.evidence.join('\n'))}</pre></details>`
    : '';
  const play = i.play_id ? playButton(i.play_id) : '<span class="muted">platform</span>';
  const who = [i.agent, i.task_id ? `task ${i.task_id}` : null].filter(Boolean).join(' · ');
  const decision = i.last_decision
    ? `<span class="reason">${esc(i.last_decision.reason)}</span>${i.last_decision.detail ? `<div class="detail">${esc(i.last_decision.detail)}</div>` : ''}`
    : '<span class="muted">none yet</span>';
  const issue = i.github_issue ? link(i.github_issue.url, `#${i.github_issue.number}`) : '—';
  const run = i.coderun
    ? `<code class="coderun">${esc(i.coderun.name)}</code> <span class="phase tone-${phaseTone(i.coderun.phase)}">${esc(i.coderun.phase)}</span>` +
      `<div class="detail">${i.coderun.kind === 'evaluation' ? 'evaluation' : `attempt ${i.coderun.attempt}`}${i.coderun.pull_request_url ? ` · ${link(i.coderun.pull_request_url, 'PR')}` : ''}</div>` +
      (i.coderun.failure ? `<div class="detail bad">${esc(i.coderun.failure)}</div>` : '')
    : '—';
  const stateNote = [
    i.acknowledged ? `acked by ${i.acknowledged.by} ${ago(i.acknowledged.at, now)}` : null,
    i.resolution ? `resolved: ${i.resolution}` : null,
  ].filter(Boolean);
  return (
    `<tr class="incident sev-row-${esc(i.severity)}" data-id="${esc(i.id)}">` +
    `<td data-label="Severity"><span class="sev sev-${esc(i.severity)}">${esc(i.severity)}</span></td>` +
    `<td data-label="Alert">${esc(i.alert)}</td>` +
    `<th scope="row" class="title"><a class="title-text" href="${esc(incidentHref(i.id))}">${esc(i.title)}</a><div class="detail">${esc(i.id)} · ${esc(i.namespace)}</div>${evidence}</th>` +
    `<td data-label="Play / agent">${play}${who ? `<div class="detail">${esc(who)}</div>` : ''}</td>` +
    `<td class="num" data-label="Occurrences">${i.occurrences}${i.reopened ? `<div class="detail">reopened ${i.reopened}×</div>` : ''}</td>` +
    `<td data-label="State"><span class="state state-${esc(i.state)}">${esc(i.state)}</span>${stateNote.map((n) => `<div class="detail">${esc(n)}</div>`).join('')}</td>` +
    `<td data-label="Last decision">${decision}</td>` +
    `<td data-label="Issue">${issue}</td>` +
    `<td class="run" data-label="CodeRun">${run}</td>` +
    `<td data-label="Last seen">${time(i.last_seen, now)}</td>` +
    `</tr>`
  );
}

export function renderIncidentRows(state: DashboardState, filter?: ViewFilter): string {
  const now = state.generated_at;
  if (state.incidents.length === 0) {
    const what =
      filter?.view === 'history'
        ? 'No incidents in this range'
        : filter && isFiltered(filter)
          ? 'No open incidents match these filters'
          : 'No open incidents';
    return `<tr class="empty"><td colspan="${INCIDENT_COLUMNS.length}">${what}.</td></tr>`;
  }
  return state.incidents.map((i) => incidentRow(i, now)).join('');
}

export function summaryText(state: DashboardState): string {
  const { active_sessions: a, open_incidents: o, by_severity: sev } = state.counts;
  const worst = (['critical', 'high'] as const)
    .filter((s) => sev[s])
    .map((s) => `${sev[s]} ${s}`)
    .join(', ');
  return `${a} active session${a === 1 ? '' : 's'} · ${o} open incident${o === 1 ? '' : 's'}${worst ? ` (${worst})` : ''}`;
}

const truncatedNote = (n: number, what: string) =>
  n > 0 ? `<p class="note">${n} more ${what} not shown.</p>` : '';

const head = (cols: string[]) =>
  `<thead><tr>${cols.map((c) => `<th scope="col"${c === 'Occurrences' ? ' class="num"' : ''}>${esc(c)}</th>`).join('')}</tr></thead>`;

function silenceList(silences: DashboardSilence[], now: string, emptyText: string): string {
  if (silences.length === 0) return `<p class="muted">${esc(emptyText)}</p>`;
  return (
    `<ul class="silences">` +
    silences
      .map(
        (s) =>
          `<li class="silence" data-silence="${esc(s.id)}"><code>${esc(s.matchers)}</code> ` +
          `<span class="detail">until ${esc(utc(s.ends_at))} · by ${esc(s.created_by)} ${time(s.starts_at, now)} · ${esc(s.comment)}</span> ` +
          `<button type="button" class="expire" data-silence="${esc(s.id)}">Expire</button></li>`,
      )
      .join('') +
    `</ul>`
  );
}

export { silenceList };

/** `#view` of the list page: incidents (open, or the history), then sessions and silences. */
export function renderListView(state: DashboardState, filter: ViewFilter): string {
  const history = filter.view === 'history';
  const heading = history ? 'Incident history' : 'Open incidents';
  const count = history || isFiltered(filter) ? state.matching : state.counts.open_incidents;
  const range =
    history && filter.from && filter.to
      ? `<p class="note range">Last seen from ${esc(utc(filter.from))} to ${esc(utc(filter.to))}${isFiltered(filter) ? ', filtered' : ''}: ${state.matching} incident${state.matching === 1 ? '' : 's'}.</p>`
      : !history && isFiltered(filter)
        ? `<p class="note">${state.matching} of ${state.counts.open_incidents} open incidents match the filters.</p>`
        : '';
  const ignored = filter.ignored.length
    ? `<p class="note bad">Not understood, ignored: ${esc(filter.ignored.join(', '))}</p>`
    : '';
  const incidents =
    `<section class="panel" aria-labelledby="incidents-h">` +
    `<h2 id="incidents-h" tabindex="-1">${heading} <span class="count" id="incidents-count">${count}</span></h2>` +
    ignored +
    range +
    `<div class="scroll"><table id="incidents" class="grid incidents">` +
    `<caption class="sr">${history ? 'Incidents last seen in the range, newest first.' : 'Incidents not resolved, most severe first.'}</caption>` +
    head(INCIDENT_COLUMNS) +
    `<tbody id="incidents-body">${renderIncidentRows(state, filter)}</tbody></table></div>` +
    `<div id="incidents-note">${truncatedNote(state.truncated.incidents, history ? 'incidents' : 'open incidents')}</div>` +
    `</section>`;
  if (history) return incidents;
  const sessions =
    `<section class="panel" aria-labelledby="sessions-h">` +
    `<h2 id="sessions-h">Active sessions <span class="count" id="sessions-count">${state.counts.active_sessions}</span></h2>` +
    `<div class="scroll"><table id="sessions" class="grid sessions">` +
    `<caption class="sr">Active sessions, each with its agents' stage, phase, pod and pre-flight checklist. Choose a play to see its timeline.</caption>` +
    head(SESSION_COLUMNS) +
    renderSessionBodies(state) +
    `</table></div>` +
    `<div id="sessions-note">${truncatedNote(state.truncated.sessions, 'active sessions')}</div>` +
    `</section>`;
  const silences =
    `<section class="panel" aria-labelledby="silences-h">` +
    `<h2 id="silences-h">Active silences <span class="count">${state.silences.length}</span></h2>` +
    silenceList(state.silences, state.generated_at, 'No active silences.') +
    `</section>`;
  return incidents + sessions + silences;
}

const option = (value: string, label: string, selected: string | undefined) =>
  `<option value="${esc(value)}"${value === (selected ?? '') ? ' selected' : ''}>${esc(label)}</option>`;

const dateValue = (iso: string | undefined) => (iso ? iso.slice(0, 16) : '');

/** The filter bar: a GET form (works without the script; the script keeps it live). */
export function renderFilters(f: ViewFilter): string {
  const states: readonly string[] = f.view === 'history' ? INCIDENT_STATES : OPEN_STATES;
  const select = (name: string, label: string, values: readonly string[], v?: string) =>
    `<label>${esc(label)} <select name="${name}">${option('', 'any', v)}${values.map((x) => option(x, x, v)).join('')}</select></label>`;
  const text = (name: string, label: string, v: string | undefined, type = 'text', ph = '') =>
    `<label>${esc(label)} <input type="${type}" name="${name}" value="${esc(v ?? '')}"${ph ? ` placeholder="${esc(ph)}"` : ''}></label>`;
  return (
    `<form id="filters" class="filters" method="get" action="/" role="search" aria-label="Filter incidents">` +
    `<fieldset class="views"><legend class="sr">View</legend>` +
    `<label><input type="radio" name="view" value="open"${f.view === 'open' ? ' checked' : ''}> Open</label>` +
    `<label><input type="radio" name="view" value="history"${f.view === 'history' ? ' checked' : ''}> History</label></fieldset>` +
    select('state', 'State', states, f.state) +
    select('severity', 'Severity', SEVERITIES, f.severity) +
    select('alert', 'Alert', ALERT_IDS, f.alert) +
    text('play', 'Play', f.play, 'text', 'play id or platform') +
    text('agent', 'Agent', f.agent, 'text', 'rex') +
    text('q', 'Search', f.q, 'search', 'title, id, evidence…') +
    (f.view === 'history'
      ? `<span class="range-inputs">${text('from', 'From (UTC)', dateValue(f.from), 'datetime-local')}${text('to', 'To (UTC)', dateValue(f.to), 'datetime-local')}</span>`
      : '') +
    `<button type="submit">Apply</button> <a class="clear" href="/${f.view === 'history' ? '?view=history' : ''}">Clear</a>` +
    `</form>`
  );
}

export interface ShellParts {
  title: string;
  summary: string;
  generatedAt: string;
  version: string;
  /** Inner HTML of `#view`. */
  view: string;
  /** Above `#view`, not replaced by live updates (the filter bar). */
  toolbar?: string;
  /** The list page's query string (for the events URL). */
  query: string;
  /** The incident page's id. */
  incident?: string;
  /** The timeline panel (list page only). */
  timeline?: boolean;
}

/** The page around `#view`: header, banner, token form, timeline, footer. */
export function renderShell(parts: ShellParts, opts: PageOptions): string {
  const seconds = Math.round(opts.refreshMs / 100) / 10;
  const q = new URLSearchParams(parts.query);
  q.delete('refresh_ms');
  q.delete('period_ms');
  if (parts.incident) q.set('incident', parts.incident);
  q.set('period_ms', String(opts.refreshMs));
  const eventsUrl = `${opts.eventsUrl}${q.size ? `?${q.toString()}` : ''}`;
  const tokenForm =
    opts.auth === 'none'
      ? ''
      : `<form id="token-form" class="token panel"${opts.locked ? '' : ' hidden'}>` +
        `<p id="token-why">${opts.locked ? 'This Healer asks for its API token before it shows anything (HEALER_API_TOKEN_READS=true).' : 'Acknowledging and silencing need the API token.'}</p>` +
        `<label>API token <input type="password" id="token-input" name="token" autocomplete="off" required></label> ` +
        `<button type="submit">Use token</button> <span id="token-msg" class="bad" role="status"></span>` +
        `<p class="note">Kept in this tab only (session storage) and sent as <code>Authorization: Bearer</code>.</p></form>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${esc(parts.title)}</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="${esc(opts.cssHref)}">
<script type="module" src="${esc(opts.jsHref)}"></script>
</head>
<body data-refresh-ms="${opts.refreshMs}" data-events-url="${esc(eventsUrl)}" data-auth="${opts.auth}"${opts.locked ? ' data-locked="true"' : ''}${parts.incident ? ` data-incident="${esc(parts.incident)}"` : ''}${opts.error ? ' class="stale"' : ''}>
<a class="skip" href="#view">Skip to the incidents</a>
<header class="top">
<h1><a href="/">Healer</a> <span class="sub">operator dashboard</span></h1>
<p id="summary" class="summary">${esc(parts.summary)}</p>
<p class="updated"><span id="updated">Updated <time datetime="${esc(parts.generatedAt)}">${esc(utc(parts.generatedAt))}</time></span> · <span id="live">live updates every ${seconds} s</span></p>
</header>
<div id="banner" class="banner" role="alert"${opts.error ? '' : ' hidden'}>${esc(opts.error ?? '')}</div>
${tokenForm}
<main>
${parts.toolbar ?? ''}
<div id="view" class="view">${parts.view}</div>
${
  parts.timeline
    ? `<section id="timeline" class="panel" aria-labelledby="timeline-h">
<h2 id="timeline-h" tabindex="-1">Timeline <span id="timeline-play" class="muted"></span></h2>
<p id="timeline-status" class="muted">Choose a play above to see its timeline.</p>
<ol id="timeline-list" class="timeline"></ol>
</section>`
    : ''
}
</main>
<footer class="foot">Healer ${esc(parts.version)} · <a href="/">open incidents</a> · <a href="/?view=history">history</a> · <a href="/docs">API docs</a> · <a href="/openapi.json">OpenAPI</a> · <a href="/ready">readiness</a> · <a href="/metrics">metrics</a></footer>
</body>
</html>
`;
}

/** The list page (`GET /`). */
export function renderPage(
  state: DashboardState,
  opts: PageOptions,
  filter: ViewFilter = { view: 'open', ignored: [] },
): string {
  const summary = summaryText(state);
  return renderShell(
    {
      title: `Healer · ${opts.locked ? 'token required' : summary}`,
      summary: opts.locked ? 'Enter the API token to see the dashboard.' : summary,
      generatedAt: state.generated_at,
      version: state.version,
      view: opts.locked ? '' : renderListView(state, filter),
      toolbar: renderFilters(filter),
      query: opts.rawQuery ?? viewQuery(filter),
      timeline: filter.view === 'open',
    },
    opts,
  );
}
