import type {
  DashboardAgent,
  DashboardIncident,
  DashboardSession,
  DashboardState,
} from './state.js';
import { CHECK_SYMBOL, ago, esc, phaseTone, safeUrl, utc } from './format.js';

/**
 * The server-rendered dashboard (operations.md §6). Every value goes through `esc`; links only
 * for http(s) URLs. The browser script (`client.ts`) re-renders the same markup from
 * `GET /api/v1/dashboard/state`: keep the two in step (class names, columns, texts).
 */

export interface PageOptions {
  refreshMs: number;
  stateUrl: string;
  cssHref: string;
  jsHref: string;
  /** Shown in the banner (the state could not be read). */
  error?: string;
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

const time = (at: string | null, now: string): string =>
  at ? `<time datetime="${esc(at)}" title="${esc(utc(at))}">${esc(ago(at, now))}</time>` : '—';

const link = (url: string | null | undefined, text: string, cls = ''): string => {
  const u = safeUrl(url);
  const c = cls ? ` class="${cls}"` : '';
  return u
    ? `<a${c} href="${esc(u)}" target="_blank" rel="noopener noreferrer">${esc(text)}</a>`
    : `<span${c}>${esc(text)}</span>`;
};

const playButton = (playId: string): string =>
  `<button type="button" class="play" data-play="${esc(playId)}" aria-controls="timeline" aria-pressed="false" title="Show the timeline of ${esc(playId)}">${esc(playId)}</button>`;

function checklist(a: DashboardAgent): string {
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

function agentRow(a: DashboardAgent, now: string): string {
  const where = [
    a.pod ? `<code class="pod">${esc(a.pod)}</code>` : '',
    a.coderun ? `<code class="coderun">${esc(a.coderun)}</code>` : '',
  ].filter(Boolean);
  return (
    `<tr class="agent" data-agent="${esc(a.name)}">` +
    `<th scope="row">${esc(a.name)}</th>` +
    `<td>${esc(a.stage)}</td>` +
    `<td><span class="phase tone-${phaseTone(a.phase)}">${esc(a.phase)}</span></td>` +
    `<td class="where">${where.length ? where.join('<br>') : '—'}</td>` +
    `<td>${time(a.started_at, now)}</td>` +
    `<td class="preflight">${checklist(a)}</td>` +
    `</tr>`
  );
}

function sessionHead(s: DashboardSession, now: string): string {
  const pr = s.pr
    ? `<span class="pr">${link(s.pr.url, `PR #${s.pr.number}`)} <span class="phase tone-${phaseTone(s.pr.state === 'open' ? 'running' : s.pr.state)}">${esc(s.pr.state)}</span> <span class="checks">checks ${s.pr.checks.passed} passed, ${s.pr.checks.failed} failed, ${s.pr.checks.pending} pending</span></span>`
    : '';
  const inc = s.open_incidents
    ? `<span class="inc-count has">${s.open_incidents} open incident${s.open_incidents === 1 ? '' : 's'}</span>`
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
      const agents = s.agents.length
        ? s.agents.map((a) => agentRow(a, now)).join('')
        : `<tr class="agent none"><td colspan="${SESSION_COLUMNS.length}">No agents configured.</td></tr>`;
      return `<tbody class="session" data-play="${esc(s.play_id)}">${sessionHead(s, now)}${agents}</tbody>`;
    })
    .join('');
}

function incidentRow(i: DashboardIncident, now: string): string {
  const evidence = i.evidence.length
    ? `<details class="evidence" data-id="${esc(i.id)}"><summary>evidence (${i.evidence.length})</summary><pre>${esc(i.evidence.join('\n'))}</pre></details>`
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
  return (
    `<tr class="incident sev-row-${esc(i.severity)}" data-id="${esc(i.id)}">` +
    `<td><span class="sev sev-${esc(i.severity)}">${esc(i.severity)}</span></td>` +
    `<td>${esc(i.alert)}</td>` +
    `<th scope="row" class="title"><span class="title-text">${esc(i.title)}</span><div class="detail">${esc(i.id)} · ${esc(i.namespace)}</div>${evidence}</th>` +
    `<td>${play}${who ? `<div class="detail">${esc(who)}</div>` : ''}</td>` +
    `<td class="num">${i.occurrences}${i.reopened ? `<div class="detail">reopened ${i.reopened}×</div>` : ''}</td>` +
    `<td><span class="state state-${esc(i.state)}">${esc(i.state)}</span></td>` +
    `<td>${decision}</td>` +
    `<td>${issue}</td>` +
    `<td class="run">${run}</td>` +
    `<td>${time(i.last_seen, now)}</td>` +
    `</tr>`
  );
}

export function renderIncidentRows(state: DashboardState): string {
  const now = state.generated_at;
  if (state.incidents.length === 0) {
    return `<tr class="empty"><td colspan="${INCIDENT_COLUMNS.length}">No open incidents.</td></tr>`;
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

export function renderPage(state: DashboardState, opts: PageOptions): string {
  const seconds = Math.round(opts.refreshMs / 100) / 10;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>Healer · ${esc(summaryText(state))}</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="${esc(opts.cssHref)}">
<script src="${esc(opts.jsHref)}" defer></script>
</head>
<body data-refresh-ms="${opts.refreshMs}" data-state-url="${esc(opts.stateUrl)}"${opts.error ? ' class="stale"' : ''}>
<a class="skip" href="#incidents-h">Skip to open incidents</a>
<header class="top">
<h1>Healer <span class="sub">operator dashboard</span></h1>
<p id="summary" class="summary">${esc(summaryText(state))}</p>
<p class="updated"><span id="updated">Updated <time datetime="${esc(state.generated_at)}">${esc(utc(state.generated_at))}</time></span> · refreshes every ${seconds} s</p>
</header>
<div id="banner" class="banner" role="alert"${opts.error ? '' : ' hidden'}>${esc(opts.error ?? '')}</div>
<main>
<section class="panel" aria-labelledby="sessions-h">
<h2 id="sessions-h">Active sessions <span class="count" id="sessions-count">${state.counts.active_sessions}</span></h2>
<div class="scroll">
<table id="sessions" class="grid sessions">
<caption class="sr">Active sessions, each with its agents' stage, phase, pod and pre-flight checklist. Choose a play to see its timeline.</caption>
${head(SESSION_COLUMNS)}
${renderSessionBodies(state)}
</table>
</div>
<div id="sessions-note">${truncatedNote(state.truncated.sessions, 'active sessions')}</div>
</section>
<section class="panel" aria-labelledby="incidents-h">
<h2 id="incidents-h" tabindex="-1">Open incidents <span class="count" id="incidents-count">${state.counts.open_incidents}</span></h2>
<div class="scroll">
<table id="incidents" class="grid incidents">
<caption class="sr">Incidents not resolved, most severe first.</caption>
${head(INCIDENT_COLUMNS)}
<tbody id="incidents-body">${renderIncidentRows(state)}</tbody>
</table>
</div>
<div id="incidents-note">${truncatedNote(state.truncated.incidents, 'open incidents')}</div>
</section>
<section id="timeline" class="panel" aria-labelledby="timeline-h">
<h2 id="timeline-h" tabindex="-1">Timeline <span id="timeline-play" class="muted"></span></h2>
<p id="timeline-status" class="muted">Choose a play above to see its timeline.</p>
<ol id="timeline-list" class="timeline"></ol>
</section>
</main>
<footer class="foot">Healer ${esc(state.version)} · <a href="/docs">API docs</a> · <a href="/openapi.json">OpenAPI</a> · <a href="${esc(opts.stateUrl)}">state JSON</a> · <a href="/ready">readiness</a> · <a href="/metrics">metrics</a></footer>
</body>
</html>
`;
}
