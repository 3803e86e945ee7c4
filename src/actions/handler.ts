// The contract between the outbox dispatcher and the edge code that performs one action against
// one destination (remediation.md §2). Handlers are idempotent: the dispatcher may run an action
// again after a crash or a retryable failure, and the destination must not end up with two issues,
// two CodeRuns or two messages.
import { isFinishedCodeRunPhase } from '../domain/coderun-phase.js';
import type { ActionRecord, PlannedAction, RemediationAttempt } from '../domain/action.js';
import type { Incident } from '../domain/incident.js';
import type { Session } from '../domain/session.js';
import type { AttemptView, IncidentView, MemoryView } from '../templates/index.js';

/**
 * A failed action. `retryable`: network errors, 5xx, rate limits and conflicts (the dispatcher
 * backs off, honouring `retryAfterMs` when the destination said how long); otherwise the action is
 * marked failed with `message`, which says what is wrong.
 */
export class ActionError extends Error {
  readonly retryAfterMs: number | undefined;
  constructor(
    message: string,
    readonly retryable: boolean,
    opts?: { cause?: unknown; retryAfterMs?: number },
  ) {
    super(message, opts?.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'ActionError';
    this.retryAfterMs = opts?.retryAfterMs;
  }
}

export interface ActionContext {
  action: ActionRecord; // the outbox entry (action.action is the PlannedAction)
  incident: Incident; // current state from the store
  session: Session | null;
  now: Date;
  signal: AbortSignal; // deadline
}

/** What to record: `result` goes on the ActionRecord; `incident` (optional) is applied to the incident atomically by the dispatcher. */
export interface ActionOutcome {
  result: Record<string, string | number | boolean | null>;
  incident?: (i: Incident) => Incident;
}

export interface ActionHandler {
  kinds: PlannedAction['kind'][];
  destination: ActionRecord['destination'];
  run(ctx: ActionContext): Promise<ActionOutcome>;
}

/** Settings every handler renders with (from heal-config `issues` and `remediation`). */
export interface ViewSettings {
  /** Base URL of the Healer dashboard; incidents link to `<base>/incidents/<id>`. */
  dashboardUrl: string | null;
  maxAttempts: number;
}

/** Link of an incident on the dashboard, or null when no dashboard URL is configured. */
export const dashboardLink = (base: string | null, incidentId: string): string | null =>
  base ? `${base.replace(/\/+$/, '')}/incidents/${encodeURIComponent(incidentId)}` : null;

/** A run that exists: decide() records a planned attempt (no CodeRun name yet) before it is spawned. */
const started = (a: RemediationAttempt): boolean => a.coderun !== '';

/** Remediation runs as the templates show them (timeline, escalation comment). */
export function attemptHistory(incident: Incident): AttemptView[] {
  return incident.attempts.filter(started).map((a) => ({
    attempt: a.attempt,
    coderun: a.coderun,
    outcome: a.phase.toLowerCase() || 'unknown',
    prUrl: a.pullRequestUrl,
    startedAt: a.createdAt,
    finishedAt: a.finishedAt ?? (isFinishedCodeRunPhase(a.phase) ? a.createdAt : null),
  }));
}

/**
 * The template view of an incident (the templates redact everything in it). `repository` is where
 * the issue lives; `attempt` defaults to the latest remediation run (1 before any).
 */
export function incidentView(
  incident: Incident,
  settings: ViewSettings,
  extra: {
    repository?: string | null;
    attempt?: number;
    memories?: MemoryView[];
    pastOutcomes?: { count: number; text: string };
  } = {},
): IncidentView {
  const latest = incident.attempts.at(-1);
  const attempt = extra.attempt ?? latest?.attempt ?? 1;
  const current = incident.attempts.find((a) => a.attempt === attempt && started(a));
  return {
    alert: incident.alert,
    severity: incident.severity,
    issueType: incident.issueType,
    title: incident.title,
    description: incident.description,
    namespace: incident.namespace,
    playId: incident.playId,
    taskId: incident.taskId,
    agent: incident.agent,
    subject: incident.subject,
    evidence: incident.evidence,
    context: incident.context,
    detectedAt: incident.lastSeen,
    firstSeen: incident.firstSeen,
    lastSeen: incident.lastSeen,
    occurrences: incident.occurrences,
    fingerprint: incident.fingerprint,
    repository: extra.repository ?? null,
    issueNumber: incident.githubIssue?.number ?? null,
    issueUrl: incident.githubIssue?.url ?? null,
    attempt,
    maxAttempts: settings.maxAttempts,
    dashboardUrl: dashboardLink(settings.dashboardUrl, incident.id),
    remediation: current
      ? { coderun: current.coderun, phase: current.phase, prUrl: current.pullRequestUrl }
      : null,
    history: attemptHistory(incident),
    resolutionReason: incident.resolution,
    escalationReason: null,
    ...(extra.memories?.length ? { memories: extra.memories } : {}),
    ...(extra.pastOutcomes?.count ? { pastOutcomes: extra.pastOutcomes } : {}),
  };
}

/** A short, single-line reason from an unknown thrown value. */
export const errorText = (err: unknown): string => {
  const text = err instanceof Error ? err.message : String(err);
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
};
