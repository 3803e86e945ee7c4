import { DEFAULT_AGENT_STAGES } from '../domain/stages.js';
import { redact, redactDeep } from '../domain/redact.js';
import { ALERT_TEMPLATES } from './alerts.js';
import { buildEvidence } from './evidence.js';
import type { ExpectedBehaviour } from './expected.js';
import { defuseMarkerText, inertMarkdown } from './markdown.js';
import type { IncidentView, KubeEventView, LinkView, MemoryView, ViewModel } from './view.js';

export const MAX_EVENTS = 50;
const MAX_TITLE = 200;

type Context = Record<string, string | number | boolean | null>;

/** First non-empty value among `keys` of the rule context, as a string. */
function fromContext(ctx: Context, ...keys: string[]): string | null {
  for (const k of keys) {
    const v = ctx[k];
    if (v !== undefined && v !== null && v !== '') return String(v);
  }
  return null;
}

const list = (given: string[] | undefined, ctx: Context, ...keys: string[]): string[] =>
  given ??
  (fromContext(ctx, ...keys) ?? '')
    .replace(/^\[|\]$/g, '')
    .split(/[,\s]+/)
    .filter(Boolean);

const oneLine = (s: string): string => s.replace(/\s+/g, ' ').trim();

/** Title of the GitHub issue: `[HEAL-A7] Pod Failure: play-task-4-rex-abc`. */
export function issueTitle(alert: string, title: string): string {
  const t = oneLine(redact(title));
  const cut = t.length > MAX_TITLE ? `${t.slice(0, MAX_TITLE - 1)}…` : t;
  return `[HEAL-${alert.toUpperCase()}] ${inertMarkdown(cut)}`;
}

export const fingerprintMarker = (fp: string): string => `<!-- healer:fingerprint=${fp} -->`;

/** Events as `kubectl get events` would print them: aligned columns, oldest first. */
function eventsView(events: KubeEventView[]): ViewModel['events'] {
  const list = [...events]
    .sort((a, b) => (a.lastSeen ?? '').localeCompare(b.lastSeen ?? ''))
    .slice(-MAX_EVENTS);
  if (list.length === 0) return { list, text: '', count: 0 };
  const rows = [
    ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'],
    ...list.map((e) => [
      e.lastSeen ?? '-',
      e.type,
      e.reason,
      e.object,
      `${oneLine(e.message)}${e.count > 1 ? ` (x${e.count})` : ''}`,
    ]),
  ];
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const text = rows
    .map((r) => r.map((c, i) => (i < 4 ? c.padEnd(widths[i] ?? 0) : c)).join('   '))
    .join('\n');
  return { list, text, count: list.length };
}

function timeline(
  v: IncidentView,
  firstSeen: string,
  lastSeen: string,
  occurrences: number,
): ViewModel['timeline'] {
  const items: { at: string; what: string }[] = [{ at: firstSeen, what: 'First seen by Healer' }];
  if (v.detectedAt !== firstSeen) items.push({ at: v.detectedAt, what: 'Condition detected' });
  if (lastSeen !== firstSeen && lastSeen !== v.detectedAt) {
    items.push({ at: lastSeen, what: `Last seen (${occurrences} occurrences)` });
  }
  for (const h of v.history ?? []) {
    if (h.startedAt)
      items.push({
        at: h.startedAt,
        what: `Remediation attempt ${h.attempt} started (CodeRun \`${h.coderun}\`)`,
      });
    if (h.finishedAt)
      items.push({
        at: h.finishedAt,
        what: `Remediation attempt ${h.attempt} ended: ${h.outcome}`,
      });
  }
  return items.sort((a, b) => a.at.localeCompare(b.at));
}

function links(v: IncidentView, issueUrl: string | null): LinkView[] {
  const out: LinkView[] = [];
  if (issueUrl) out.push({ label: `Issue #${v.issueNumber ?? ''}`.trim(), url: issueUrl });
  if (v.pr) out.push({ label: `Pull request #${v.pr.number}`, url: v.pr.url });
  if (v.dashboardUrl) out.push({ label: 'Healer dashboard', url: v.dashboardUrl });
  return [...out, ...(v.links ?? [])];
}

/** Recalled memories, numbered, each with its relevance and id (redacted with the whole model). */
function memoriesView(ms: readonly MemoryView[]): ViewModel['memories'] {
  const text = ms
    .map((m, n) => `[${n + 1}] relevance ${m.score.toFixed(2)} · memory ${m.id}\n${m.content}`)
    .join('\n\n');
  return { count: ms.length, text: redact(text) };
}

/**
 * The issue's labels. A platform incident (no Play: an Argo CD Application, a certificate, a PVC,
 * one image failing across namespaces) is labelled as such and by its check, not as a Play's
 * remediation, so the platform team can filter them (`heal`, `platform`, `platform:certificate`).
 */
function issueLabels(alert: string, severity: string, ctx: Record<string, unknown>): string[] {
  const check = typeof ctx.check === 'string' && /^[a-z0-9-]+$/.test(ctx.check) ? ctx.check : null;
  if (alert === 'platform')
    return ['heal', 'platform', ...(check ? [`platform:${check}`] : []), `severity:${severity}`];
  return ['heal', 'remediation', alert.toLowerCase(), `severity:${severity}`];
}

/** The objects the incident is about: named by the view, else read from the alert's context. */
function objectFields(v: IncidentView, ctx: Context) {
  return {
    pod: v.pod ?? fromContext(ctx, 'pod', 'pod_name', 'podName'),
    coderun: v.coderun ?? fromContext(ctx, 'coderun', 'coderun_name', 'codeRun'),
    container: v.container ?? fromContext(ctx, 'container', 'container_name'),
    phase: v.phase ?? fromContext(ctx, 'phase', 'pod_phase'),
    detectionMethod:
      v.detectionMethod ?? fromContext(ctx, 'method', 'detection_method', 'detectionMethod'),
  };
}

/** The alert's context as a sorted list, and the alert-specific fields read from it. */
function contextFields(v: IncidentView, ctx: Context) {
  const conflictState = fromContext(ctx, 'mergeable_state', 'mergeableState');
  return {
    context: Object.entries(ctx)
      .filter(([, value]) => value !== null && value !== '')
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, value]) => ({ key, value: String(value) })),
    missingTools: list(v.missingTools, ctx, 'missing_tools', 'missingTools'),
    declaredTools: list(v.declaredTools, ctx, 'declared_tools', 'declaredTools'),
    mcpServer: v.mcpServer ?? fromContext(ctx, 'mcp_server', 'mcpServer', 'server'),
    failedChecks: list(v.failedChecks, ctx, 'failed_checks', 'failedChecks'),
    mergeConflict:
      ctx.mergeable === false || conflictState === 'dirty' || ctx.merge_conflict === true,
  };
}

/**
 * Builds the template view model from an incident. Everything that came from the cluster, logs or
 * GitHub is redacted here (evidence as one text, then the whole model), so no template can forget.
 */
export function buildViewModel(v: IncidentView, expected?: ExpectedBehaviour): ViewModel {
  const meta = ALERT_TEMPLATES[v.alert];
  const ctx = redactDeep(v.context ?? {});
  const firstSeen = v.firstSeen ?? v.detectedAt;
  const lastSeen = v.lastSeen ?? v.detectedAt;
  const occurrences = v.occurrences ?? 1;
  const attempt = v.attempt ?? 1;
  const issueUrl = v.issueUrl ?? null;
  const issue = v.issueNumber != null ? { number: v.issueNumber, url: issueUrl } : null;
  const agent = v.agent;
  const model: ViewModel = {
    alert: {
      id: v.alert,
      lower: v.alert.toLowerCase(),
      slug: meta.slug,
      name: meta.name,
      tag: `HEAL-${v.alert.toUpperCase()}`,
    },
    severity: v.severity,
    issueType: v.issueType ?? 'other',
    // shown outside the evidence fence: redacted first, then inert as Markdown
    title: inertMarkdown(oneLine(redact(v.title))),
    issueTitle: issueTitle(v.alert, v.title),
    description: inertMarkdown(redact(v.description).trim()),
    labels: issueLabels(v.alert, v.severity, ctx),
    namespace: v.namespace,
    playId: v.playId,
    taskId: v.taskId,
    agent,
    stage: agent ? (DEFAULT_AGENT_STAGES[agent] ?? null) : null,
    subject: v.subject,
    ...objectFields(v, ctx),
    repository: v.repository ?? null,
    repoRef: v.repository ? `\`${v.repository}\`` : 'the platform repository',
    issue,
    issueRef: issue ? `#${issue.number}` : 'the Healer issue',
    fixesRef: issue ? `Fixes #${issue.number}` : 'Fixes #<issue number>',
    pr: v.pr ?? null,
    fingerprint: v.fingerprint,
    fingerprintShort: v.fingerprint.slice(0, 8),
    marker: fingerprintMarker(v.fingerprint),
    attempt,
    maxAttempts: v.maxAttempts ?? 3,
    isFollowUp: attempt > 1,
    detectedAt: v.detectedAt,
    firstSeen,
    lastSeen,
    occurrences,
    timeline: timeline(v, firstSeen, lastSeen, occurrences),
    evidence: buildEvidence(v.evidence),
    events: eventsView(v.events ?? []),
    links: links(v, issueUrl),
    dashboardUrl: v.dashboardUrl ?? null,
    ...contextFields(v, ctx),
    expected: expected
      ? {
          agent: expected.agent,
          successMarkers: expected.successMarkers.map((r) => r.source),
          failureIndicators: expected.failureIndicators.map((r) => r.source),
        }
      : null,
    remediation: v.remediation ?? null,
    history: v.history ?? [],
    resolutionReason: v.resolutionReason ?? null,
    escalationReason: v.escalationReason ?? null,
    memories: memoriesView(v.memories ?? []),
    pastOutcomes: v.pastOutcomes
      ? { count: v.pastOutcomes.count, text: redact(v.pastOutcomes.text) }
      : { count: 0, text: '' },
    children: (v.children ?? []).map((c) => ({
      ...c,
      title: inertMarkdown(oneLine(redact(c.title))),
    })),
  };
  return { ...defuseMarkers(redactDeep(model)), marker: model.marker };
}

/**
 * Untrusted text must not carry a marker of Healer's own: Healer finds issues by searching for
 * `healer:fingerprint=<fp>` (a log line quoting another fingerprint would fool the dedup), and
 * fences evidence between `untrusted-data:begin/end` comments (a quoted end marker would look,
 * to an agent reading the prompt, like the end of the untrusted part).
 */
function defuseMarkers<T>(value: T): T {
  if (typeof value === 'string') return defuseMarkerText(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => defuseMarkers(v)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, defuseMarkers(v)])) as T;
  }
  return value;
}
