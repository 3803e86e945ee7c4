import type { ActionRecord, Decision, RemediationAttempt, Silence } from '../../domain/action.js';
import type { AlertDraft } from '../../domain/alert.js';
import { acknowledgement, type Incident } from '../../domain/incident.js';
import { redact, redactLines } from '../../domain/redact.js';
import { describeMatchers, isActive, matches } from '../../incidents/silences.js';
import { ago, esc, phaseTone, utc } from './format.js';
import { link, silenceList, time } from './page.js';
import { renderIncidentTree, type IncidentTree } from './incident-tree.js';

/**
 * The incident page (`GET /incidents/{id}`, the link in issues and notifications): what was seen,
 * every decision with its reason, the outbox actions, the remediation runs with their logs, and the
 * two things a person does from here: acknowledge, and silence (matchers prefilled).
 */

export interface LogsLinkConfig {
  /** Grafana's base URL (HEALER_GRAFANA_URL), or null: no logs links. */
  grafanaUrl: string | null;
  /** The Loki data source's uid in that Grafana (HEALER_GRAFANA_LOKI_UID). */
  lokiUid: string;
}

export interface IncidentPageData {
  incident: Incident;
  decisions: Decision[];
  actions: ActionRecord[];
  silences: Silence[];
  now: Date;
  logs: LogsLinkConfig;
  /** Its parent and children (cause group, inhibition), shown as a tree. */
  tree?: IncidentTree;
}

const WINDOW_MS = 15 * 60_000;

/** A LogQL string literal. */
const logqlString = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/**
 * A Grafana Explore link: the Loki query `{namespace="…"} |= "<needle>"` over `[from−15 min,
 * to+15 min]`. Null without a Grafana URL.
 */
export function grafanaLogsUrl(
  cfg: LogsLinkConfig,
  namespace: string,
  needle: string,
  from: string,
  to: string | null,
  now: Date,
): string | null {
  if (!cfg.grafanaUrl) return null;
  const start = Date.parse(from) - WINDOW_MS;
  const end = Math.min(Date.parse(to ?? now.toISOString()) + WINDOW_MS, now.getTime());
  const expr = `{namespace=${logqlString(namespace)}} |= ${logqlString(needle)}`;
  const panes = {
    a: {
      datasource: cfg.lokiUid,
      queries: [
        { refId: 'A', expr, queryType: 'range', datasource: { type: 'loki', uid: cfg.lokiUid } },
      ],
      range: { from: String(start), to: String(Math.max(end, start + 60_000)) },
    },
  };
  const base = cfg.grafanaUrl.replace(/\/+$/, '');
  return `${base}/explore?schemaVersion=1&orgId=1&panes=${encodeURIComponent(JSON.stringify(panes))}`;
}

/** The incident's matchers for a silence: what the form prefills. */
export const silenceMatchersOf = (i: Incident) => ({
  alert: i.alert,
  play_id: i.playId ?? 'platform',
  ...(i.agent ? { agent: i.agent } : {}),
  namespace: i.namespace,
});

const asDraft = (i: Incident): AlertDraft =>
  ({ alert: i.alert, playId: i.playId, agent: i.agent, namespace: i.namespace }) as AlertDraft;

const fact = (label: string, value: string) => `<dt>${esc(label)}</dt><dd>${value}</dd>`;

function runsTable(i: Incident, d: IncidentPageData): string {
  const now = d.now.toISOString();
  const runs: { kind: string; a: RemediationAttempt }[] = [
    ...(i.evaluation ? [{ kind: 'evaluation', a: i.evaluation }] : []),
    ...(i.attempts ?? []).map((a) => ({ kind: `attempt ${a.attempt}`, a })),
  ];
  if (runs.length === 0) return '<p class="muted">No remediation run yet.</p>';
  const rows = runs
    .map(({ kind, a }) => {
      const logs = grafanaLogsUrl(d.logs, a.namespace, a.coderun, a.createdAt, a.finishedAt, d.now);
      return (
        `<tr class="run-row" data-coderun="${esc(a.coderun)}">` +
        `<td data-label="Run">${esc(kind)}</td>` +
        `<td data-label="CodeRun"><code class="coderun">${esc(a.namespace)}/${esc(a.coderun)}</code>${logs ? ` <a class="logs" href="${esc(logs)}" target="_blank" rel="noopener noreferrer">logs</a>` : ''}</td>` +
        `<td data-label="Phase"><span class="phase tone-${phaseTone(a.phase)}">${esc(a.phase)}</span></td>` +
        `<td data-label="Started">${time(a.createdAt, now)}</td>` +
        `<td data-label="Finished">${time(a.finishedAt, now)}</td>` +
        `<td data-label="Pull request">${a.pullRequestUrl ? link(a.pullRequestUrl, 'pull request', 'pr') : '—'}</td>` +
        `<td data-label="Failure">${a.failure ? `<span class="bad">${esc(redact(a.failure))}</span>` : '—'}</td>` +
        `</tr>`
      );
    })
    .join('');
  return `<div class="scroll"><table class="grid runs" id="runs"><thead><tr><th scope="col">Run</th><th scope="col">CodeRun</th><th scope="col">Phase</th><th scope="col">Started</th><th scope="col">Finished</th><th scope="col">Pull request</th><th scope="col">Failure</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

function decisionsTable(decisions: Decision[], now: string): string {
  if (decisions.length === 0) return '<p class="muted">No decision yet.</p>';
  const rows = decisions
    .map(
      (x) =>
        `<tr class="decision" data-reason="${esc(x.reason)}">` +
        `<td data-label="When">${time(x.at, now)}<div class="detail">${esc(utc(x.at))}</div></td>` +
        `<td data-label="Reason"><span class="reason">${esc(x.reason)}</span></td>` +
        `<td data-label="Decision">${esc(redact(x.detail))}</td>` +
        `<td data-label="Plan">${x.plan.length ? esc(x.plan.map((p) => p.kind).join(', ')) : '<span class="muted">nothing</span>'}</td>` +
        `</tr>`,
    )
    .join('');
  return `<div class="scroll"><table class="grid decisions" id="decisions"><thead><tr><th scope="col">When</th><th scope="col">Reason</th><th scope="col">Decision</th><th scope="col">Plan</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

function actionsTable(actions: ActionRecord[], now: string): string {
  if (actions.length === 0) return '<p class="muted">No action.</p>';
  const rows = actions
    .map((a) => {
      const result = a.result
        ? Object.entries(a.result)
            .map(([k, v]) => `${k}=${String(v)}`)
            .join(' · ')
        : '';
      return (
        `<tr class="action action-${esc(a.state)}">` +
        `<td data-label="Action">${esc(a.action.kind)}</td>` +
        `<td data-label="Destination">${esc(a.destination)}</td>` +
        `<td data-label="State"><span class="phase tone-${a.state === 'done' ? 'ok' : a.state === 'failed' ? 'bad' : 'wait'}">${esc(a.state)}</span></td>` +
        `<td class="num" data-label="Tries">${a.attempts}</td>` +
        `<td data-label="Outcome">${result ? esc(redact(result)) : ''}${a.lastError ? `<div class="detail bad">${esc(redact(a.lastError))}</div>` : ''}</td>` +
        `<td data-label="Updated">${time(a.updatedAt, now)}</td>` +
        `</tr>`
      );
    })
    .join('');
  return `<div class="scroll"><table class="grid actions" id="actions"><thead><tr><th scope="col">Action</th><th scope="col">Destination</th><th scope="col">State</th><th scope="col" class="num">Tries</th><th scope="col">Outcome</th><th scope="col">Updated</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

/** The forms: kept as they are across live updates (`data-keep`), so typing is never lost. */
function actForms(i: Incident): string {
  if (i.state === 'resolved')
    return `<section class="panel act" id="act" data-keep="resolved"><h2>Act</h2><p class="muted">Resolved: nothing to acknowledge or silence.</p></section>`;
  const m = silenceMatchersOf(i);
  const box = (k: string, v: string, checked: boolean) =>
    `<label class="matcher"><input type="checkbox" name="m_${k}" value="${esc(v)}"${checked ? ' checked' : ''}> <code>${esc(k)}=${esc(v)}</code></label>`;
  return (
    `<section class="panel act" id="act" data-keep="open" aria-labelledby="act-h"><h2 id="act-h">Act</h2>` +
    `<p><label>Your name <input id="who" name="who" autocomplete="nickname" required maxlength="128" placeholder="who is acting"></label></p>` +
    `<div class="forms">` +
    `<form id="ack-form" class="act-form" data-incident="${esc(i.id)}"><h3>Acknowledge</h3>` +
    `<p class="note">A person is on it: no more notifications or escalation until it changes.</p>` +
    `<label>Comment <input name="comment" maxlength="1000" placeholder="optional"></label> ` +
    `<button type="submit">Acknowledge</button></form>` +
    `<form id="silence-form" class="act-form" data-incident="${esc(i.id)}"><h3>Silence</h3>` +
    `<fieldset><legend>Match</legend>${box('alert', m.alert, true)}${box('play_id', m.play_id, true)}${m.agent ? box('agent', m.agent, true) : ''}${box('namespace', m.namespace, false)}</fieldset>` +
    `<label>Duration <input name="duration" value="2h" required size="6" title="like 2h, 30m, 1d or 1h30m"></label> ` +
    `<label>Comment <input name="comment" required maxlength="1000" placeholder="why"></label> ` +
    `<button type="submit">Silence</button></form>` +
    `</div><p id="act-status" class="act-status" role="status"></p></section>`
  );
}

/** The issue, the latest CodeRun, the pull requests and the logs of an incident. */
function incidentLinks(d: IncidentPageData): string[] {
  const i = d.incident;
  const logs = grafanaLogsUrl(
    d.logs,
    i.namespace,
    i.playId ?? i.subject,
    i.firstSeen,
    i.resolvedAt,
    d.now,
  );
  const prs = [
    ...new Set(
      [i.evaluation, ...(i.attempts ?? [])].flatMap((a) =>
        a?.pullRequestUrl ? [a.pullRequestUrl] : [],
      ),
    ),
  ];
  const latestRun = [...(i.attempts ?? [])].at(-1) ?? i.evaluation ?? null;
  return [
    i.githubIssue
      ? link(i.githubIssue.url, `GitHub issue #${i.githubIssue.number}`, 'issue')
      : '<span class="muted">no GitHub issue</span>',
    latestRun
      ? `<span class="coderun-link">CodeRun <code>${esc(latestRun.namespace)}/${esc(latestRun.coderun)}</code></span>`
      : '<span class="muted">no CodeRun</span>',
    ...prs.map((u, n) => link(u, prs.length > 1 ? `pull request ${n + 1}` : 'pull request', 'pr')),
    logs
      ? `<a class="logs" href="${esc(logs)}" target="_blank" rel="noopener noreferrer">logs in Grafana</a>`
      : '<span class="muted" title="set HEALER_GRAFANA_URL">no logs link (HEALER_GRAFANA_URL not set)</span>',
  ];
}

/** The facts list of an incident: where, when, how often, who is on it. */
function incidentFacts(i: Incident, now: string): string {
  const ack = acknowledgement(i);
  const seen = (at: string) => `${time(at, now)} <span class="detail">${esc(utc(at))}</span>`;
  return (
    `<dl class="facts">` +
    fact(
      'Play',
      i.playId
        ? `<a href="/?play=${encodeURIComponent(i.playId)}">${esc(i.playId)}</a>`
        : 'platform',
    ) +
    fact('Agent', i.agent ? esc(i.agent) : '—') +
    fact('Task', i.taskId ? esc(i.taskId) : '—') +
    fact('Namespace', esc(i.namespace)) +
    fact('Subject', `<code>${esc(i.subject)}</code>`) +
    fact('First seen', seen(i.firstSeen)) +
    fact('Last seen', seen(i.lastSeen)) +
    fact('Occurrences', `${i.occurrences}${i.reopened ? ` · reopened ${i.reopened}×` : ''}`) +
    fact(
      'Acknowledged',
      ack
        ? `<span id="acked">by ${esc(ack.by)} ${time(ack.at, now)} <span class="detail">${esc(utc(ack.at))}</span>${ack.comment ? ` — ${esc(redact(ack.comment))}` : ''}</span>`
        : '<span id="acked" class="muted">no</span>',
    ) +
    (i.escalatedAt ? fact('Escalated', time(i.escalatedAt, now)) : '') +
    (i.resolvedAt
      ? fact(
          'Resolved',
          `${time(i.resolvedAt, now)}${i.resolution ? ` — ${esc(redact(i.resolution))}` : ''}`,
        )
      : '') +
    `</dl>`
  );
}

/** The active silences that match an incident, as the silence list shows them. */
const matchingSilences = (d: IncidentPageData) =>
  d.silences
    .filter((s) => isActive(s, d.now) && matches(s.matchers, asDraft(d.incident)))
    .map((s) => ({
      id: s.id,
      matchers: describeMatchers(s.matchers),
      starts_at: s.startsAt,
      ends_at: s.endsAt,
      comment: redact(s.comment),
      created_by: s.createdBy,
    }));

/** Inner HTML of `#view` on the incident page. */
export function renderIncidentView(d: IncidentPageData): string {
  const i = d.incident;
  const now = d.now.toISOString();
  const silences = matchingSilences(d);
  const evidence = redactLines(i.evidence);
  const runs = (i.attempts?.length ?? 0) + (i.evaluation ? 1 : 0);
  return (
    `<article class="incident-page sev-row-${esc(i.severity)}" data-id="${esc(i.id)}" data-state="${esc(i.state)}">` +
    `<section class="panel" aria-labelledby="incident-h">` +
    `<p class="crumbs"><a href="/">Open incidents</a> › ${esc(i.id)}</p>` +
    `<h2 id="incident-h"><span class="sev sev-${esc(i.severity)}">${esc(i.severity)}</span> <span class="state state-${esc(i.state)}">${esc(i.state)}</span> ${esc(i.alert)} · <span class="title-text">${esc(redact(i.title))}</span></h2>` +
    `<p class="links">${incidentLinks(d).join(' · ')}</p>` +
    incidentFacts(i, now) +
    `<h3>Description</h3><pre class="description">${esc(redact(i.description))}</pre>` +
    `<h3>Evidence <span class="count">${evidence.length}</span></h3>` +
    (evidence.length
      ? `<pre class="evidence-all">${esc(evidence.join('\n'))}</pre>`
      : '<p class="muted">None.</p>') +
    `</section>` +
    renderIncidentTree(i, d.tree) +
    actForms(i) +
    `<section class="panel" aria-labelledby="silences-h"><h2 id="silences-h">Silences matching this incident <span class="count">${silences.length}</span></h2>` +
    silenceList(silences, now, 'None.') +
    `</section>` +
    `<section class="panel" aria-labelledby="decisions-h"><h2 id="decisions-h">Decisions <span class="count">${d.decisions.length}</span></h2>${decisionsTable(d.decisions, now)}</section>` +
    `<section class="panel" aria-labelledby="runs-h"><h2 id="runs-h">Remediation runs <span class="count">${runs}</span></h2>${runsTable(i, d)}</section>` +
    `<section class="panel" aria-labelledby="actions-h"><h2 id="actions-h">Actions <span class="count">${d.actions.length}</span></h2>${actionsTable(d.actions, now)}</section>` +
    `</article>`
  );
}

/** `A7 · Pod Failure … (open)`: the incident page's title and summary line. */
export const incidentSummary = (i: Incident, now: Date): string =>
  `${i.alert} ${i.severity} · ${redact(i.title)} · ${i.state} · last seen ${ago(i.lastSeen, now.toISOString())}`;
