import { z } from 'zod';
import { ALERT_IDS, SEVERITIES, severityRank } from '../../domain/alert.js';
import type { Clock } from '../../domain/clock.js';
import { acknowledgement, type Incident } from '../../domain/incident.js';
import { describeMatchers } from '../../incidents/silences.js';
import { redact, redactLines } from '../../domain/redact.js';
import type { Session, SessionAgent } from '../../domain/session.js';
import { DEFAULT_STAGE_ORDER } from '../../domain/stages.js';
import type { SessionService } from '../../sessions/service.js';
import type { IncidentService } from '../../incidents/incident-service.js';
import type { SilenceService } from '../../incidents/silence-service.js';
import { HISTORY_READ_LIMIT, matchesView, type ViewFilter } from './view.js';

/**
 * What the dashboard shows, in one read: active sessions with their agents, and the open
 * (not resolved) incidents with what the incidents API does not carry — the last decision and
 * the latest CodeRun. Everything that may quote a log line is redacted.
 */

const iso = z.string().describe('RFC 3339 UTC');

const checklistItemSchema = z.object({
  id: z.string(),
  label: z.string(),
  state: z.enum(['passed', 'failed', 'unknown']),
  evidence: z.string().nullable().describe('redacted'),
});

const dashboardAgentSchema = z.object({
  name: z.string(),
  stage: z.string(),
  phase: z.string(),
  pod: z.string().nullable(),
  coderun: z.string().nullable(),
  started_at: iso.nullable(),
  preflight: z.object({
    state: z.enum(['pending', 'passed', 'failed', 'unknown']),
    items: z.array(checklistItemSchema),
  }),
});

const dashboardSessionSchema = z.object({
  play_id: z.string(),
  repository: z.string(),
  service: z.string().nullable(),
  namespace: z.string(),
  started_at: iso,
  last_updated: iso,
  task_count: z.number().int(),
  open_incidents: z.number().int().describe('incidents of this play that are not resolved'),
  agents: z.array(dashboardAgentSchema).describe('in stage order (implementation first)'),
  pr: z
    .object({
      number: z.number().int(),
      url: z.string(),
      state: z.string(),
      mergeable: z.boolean().nullable(),
      checks: z.object({
        passed: z.number().int(),
        failed: z.number().int(),
        pending: z.number().int(),
      }),
    })
    .nullable(),
});

const coderunSchema = z.object({
  kind: z.enum(['remediation', 'evaluation']),
  attempt: z.number().int().describe('0 for the evaluation run'),
  name: z.string(),
  namespace: z.string(),
  phase: z.string(),
  created_at: iso,
  finished_at: iso.nullable(),
  pull_request_url: z.string().nullable(),
  failure: z.string().nullable().describe('redacted'),
});

const dashboardIncidentSchema = z.object({
  id: z.string(),
  alert: z.enum(ALERT_IDS),
  severity: z.enum(SEVERITIES),
  title: z.string().describe('redacted'),
  state: z.enum(['open', 'remediating', 'resolved', 'escalated', 'silenced']),
  namespace: z.string(),
  play_id: z.string().nullable(),
  task_id: z.string().nullable(),
  agent: z.string().nullable(),
  occurrences: z.number().int(),
  reopened: z.number().int(),
  first_seen: iso,
  last_seen: iso,
  evidence: z.array(z.string()).describe('redacted; the latest occurrence, at most 10 lines'),
  last_decision: z
    .object({
      reason: z.string(),
      detail: z.string().nullable().describe('redacted; the decision sentence when stored'),
      at: iso.nullable(),
    })
    .nullable(),
  github_issue: z.object({ number: z.number().int(), url: z.string() }).nullable(),
  attempts: z.number().int().describe('remediation runs so far'),
  coderun: coderunSchema.nullable().describe('the latest remediation or evaluation run'),
  acknowledged: z
    .object({ by: z.string(), at: iso })
    .nullable()
    .describe('who is on it (until the incident changes)'),
  resolution: z.string().nullable(),
});

const dashboardSilenceSchema = z.object({
  id: z.string(),
  matchers: z.string().describe('`alert=A7 play_id=…` as one line'),
  starts_at: iso,
  ends_at: iso,
  comment: z.string().describe('redacted'),
  created_by: z.string(),
});

export const dashboardStateSchema = z.object({
  status: z.literal('ok'),
  generated_at: iso.describe("Healer's clock when the state was read"),
  version: z.string(),
  counts: z.object({
    active_sessions: z.number().int(),
    open_incidents: z.number().int(),
    by_severity: z.record(z.enum(SEVERITIES), z.number().int()),
  }),
  sessions: z.array(dashboardSessionSchema).describe('newest started_at first'),
  incidents: z
    .array(dashboardIncidentSchema)
    .describe('not resolved; most severe first, then newest last_seen'),
  matching: z
    .number()
    .int()
    .describe('incidents the view and its filters select, before the limit'),
  silences: z.array(dashboardSilenceSchema).describe('active silences, ending soonest first'),
  truncated: z.object({ sessions: z.number().int(), incidents: z.number().int() }),
});

export const dashboardQuerySchema = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(200)
    .describe('at most this many sessions and this many incidents'),
});

export type DashboardState = z.infer<typeof dashboardStateSchema>;
export type DashboardSession = DashboardState['sessions'][number];
export type DashboardIncident = DashboardState['incidents'][number];
export type DashboardAgent = DashboardSession['agents'][number];
export type DashboardSilence = DashboardState['silences'][number];

const MAX_EVIDENCE_LINES = 10;
const MAX_LINE = 500;

const clip = (s: string, n = MAX_LINE) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

const stageIndex = (stage: string): number => {
  const i = (DEFAULT_STAGE_ORDER as readonly string[]).indexOf(stage);
  return i < 0 ? DEFAULT_STAGE_ORDER.length : i;
};

function agentView(a: SessionAgent): DashboardAgent {
  return {
    name: a.name,
    stage: a.stage,
    phase: a.phase,
    pod: a.pod,
    coderun: a.coderun,
    started_at: a.started_at,
    preflight: {
      state: a.preflight.state,
      items: a.preflight.items.map((i) => ({
        id: i.id,
        label: i.label,
        state: i.state,
        evidence: i.evidence === null ? null : clip(redact(i.evidence)),
      })),
    },
  };
}

function sessionView(s: Session, openByPlay: Map<string, number>): DashboardSession {
  const agents = s.agents
    .map((a, i) => ({ a, i }))
    .sort((x, y) => stageIndex(x.a.stage) - stageIndex(y.a.stage) || x.i - y.i)
    .map(({ a }) => agentView(a));
  return {
    play_id: s.play_id,
    repository: s.repository,
    service: s.service,
    namespace: s.namespace,
    started_at: s.started_at,
    last_updated: s.last_updated,
    task_count: s.tasks.length,
    open_incidents: openByPlay.get(s.play_id) ?? 0,
    agents,
    pr: s.pr,
  };
}

function latestRun(i: Incident): DashboardIncident['coderun'] {
  const runs = [
    ...(i.attempts ?? []).map((a) => ({ kind: 'remediation' as const, a })),
    ...(i.evaluation ? [{ kind: 'evaluation' as const, a: i.evaluation }] : []),
  ];
  if (runs.length === 0) return null;
  // Latest by creation time; on a tie, the remediation run (it follows its evaluation).
  const { kind, a } = runs.reduce((best, r) =>
    r.a.createdAt > best.a.createdAt ||
    (r.a.createdAt === best.a.createdAt && r.kind === 'remediation')
      ? r
      : best,
  );
  return {
    kind,
    attempt: kind === 'evaluation' ? 0 : a.attempt,
    name: a.coderun,
    namespace: a.namespace,
    phase: a.phase,
    created_at: a.createdAt,
    finished_at: a.finishedAt,
    pull_request_url: a.pullRequestUrl,
    failure: a.failure ? clip(redact(a.failure)) : null,
  };
}

const ackOf = (i: Incident) => {
  const a = acknowledgement(i);
  return a ? { by: a.by, at: a.at } : null;
};

async function incidentView(
  incidents: Pick<IncidentService, 'decisionsFor'>,
  i: Incident,
): Promise<DashboardIncident> {
  // The incident carries the reason (set in the decision's transaction); the decision record adds
  // its sentence and time.
  const d = (await incidents.decisionsFor(i.id)).at(-1);
  const reason = i.lastDecision ?? d?.reason ?? null;
  const last: DashboardIncident['last_decision'] =
    reason === null
      ? null
      : d && d.reason === reason
        ? { reason, detail: clip(redact(d.detail)), at: d.at }
        : { reason, detail: null, at: null };
  return {
    id: i.id,
    alert: i.alert,
    severity: i.severity,
    title: clip(redact(i.title)),
    state: i.state,
    namespace: i.namespace,
    play_id: i.playId,
    task_id: i.taskId,
    agent: i.agent,
    occurrences: i.occurrences,
    reopened: i.reopened,
    first_seen: i.firstSeen,
    last_seen: i.lastSeen,
    // redacted as one text (a key spans lines), then the last lines, then each line cut
    evidence: redactLines(i.evidence)
      .slice(-MAX_EVIDENCE_LINES)
      .map((e) => clip(e)),
    last_decision: last,
    github_issue: i.githubIssue,
    attempts: i.attempts?.length ?? 0,
    coderun: latestRun(i),
    acknowledged: ackOf(i),
    resolution: i.resolution ? clip(redact(i.resolution)) : null,
  };
}

const incidentOrder = (a: Incident, b: Incident): number =>
  severityRank(a.severity) - severityRank(b.severity) ||
  (a.lastSeen < b.lastSeen ? 1 : a.lastSeen > b.lastSeen ? -1 : 0) ||
  (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

const sessionOrder = (a: Session, b: Session): number =>
  a.started_at < b.started_at
    ? 1
    : a.started_at > b.started_at
      ? -1
      : a.play_id < b.play_id
        ? -1
        : a.play_id > b.play_id
          ? 1
          : 0;

/** Reads the dashboard's state from the store: the open view, or the history of a time range. */
export async function readDashboardState(
  deps: {
    sessions: Pick<SessionService, 'active'>;
    incidents: Pick<IncidentService, 'open' | 'list' | 'decisionsFor'>;
    silences: Pick<SilenceService, 'list'>;
    clock: Clock;
    version: string;
  },
  limit = 200,
  filter?: ViewFilter,
): Promise<DashboardState> {
  const now = deps.clock.now();
  const history = filter?.view === 'history';
  const [active, open, silences, ranged] = await Promise.all([
    deps.sessions.active(),
    deps.incidents.open(),
    deps.silences.list(),
    history
      ? deps.incidents.list({
          limit: HISTORY_READ_LIMIT,
          ...(filter.from ? { lastSeenFrom: filter.from } : {}),
          ...(filter.to ? { lastSeenTo: filter.to } : {}),
        })
      : Promise.resolve(null),
  ]);
  const openByPlay = new Map<string, number>();
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<
    (typeof SEVERITIES)[number],
    number
  >;
  for (const i of open) {
    bySeverity[i.severity] += 1;
    if (i.playId) openByPlay.set(i.playId, (openByPlay.get(i.playId) ?? 0) + 1);
  }
  const selected = (ranged ?? [...open].sort(incidentOrder)).filter(
    (i) => !filter || matchesView(i, filter),
  );
  const shownSessions = active.filter((s) => !filter?.play || s.play_id === filter.play);
  const sessions = [...shownSessions].sort(sessionOrder).slice(0, limit);
  const incidents = selected.slice(0, limit);
  return {
    status: 'ok',
    generated_at: now.toISOString(),
    version: deps.version,
    counts: {
      active_sessions: active.length,
      open_incidents: open.length,
      by_severity: bySeverity,
    },
    sessions: sessions.map((s) => sessionView(s, openByPlay)),
    incidents: await Promise.all(incidents.map((i) => incidentView(deps.incidents, i))),
    matching: selected.length,
    silences: [...silences]
      .sort((a, b) => (a.endsAt < b.endsAt ? -1 : a.endsAt > b.endsAt ? 1 : 0))
      .map((s) => ({
        id: s.id,
        matchers: describeMatchers(s.matchers),
        starts_at: s.startsAt,
        ends_at: s.endsAt,
        comment: clip(redact(s.comment)),
        created_by: s.createdBy,
      })),
    truncated: {
      sessions: shownSessions.length - sessions.length,
      incidents: selected.length - incidents.length,
    },
  };
}
