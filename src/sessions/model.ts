import { severityRank, type AlertDraft } from '../domain/alert.js';
import { incidentId, type Incident } from '../domain/incident.js';
import type { Session, SessionAgent, SessionIssue, SessionStart } from '../domain/session.js';
import { emptyChecklist } from '../domain/preflight.js';
import { normaliseAgent } from '../domain/stages.js';
import { redact } from '../domain/redact.js';

/** Builds the fresh session record for a validated start request. */
export function createSession(
  start: SessionStart,
  now: Date,
  agentStages: Record<string, string>,
): Session {
  const at = now.toISOString();
  const agents: SessionAgent[] = Object.entries(start.cto_config.agents).map(([name, cfg]) => ({
    name,
    stage: agentStages[normaliseAgent(name)] ?? 'other',
    github_app: cfg.githubApp,
    pod: null,
    coderun: null,
    phase: 'Waiting',
    started_at: null,
    preflight: { state: 'pending', items: emptyChecklist() },
  }));
  return {
    ...start,
    status: 'active',
    started_at: at,
    last_updated: at,
    ended_at: null,
    end_reason: null,
    agents,
    issues: [],
    pr: null,
  };
}

/** The session's view of an incident (api.md `SessionIssue`). */
export function toSessionIssue(i: Incident): SessionIssue {
  return {
    detected_at: i.firstSeen,
    issue_type: i.issueType,
    severity: i.severity,
    // the session is served as stored: what leaves Healer is redacted here, once
    description: redact(i.description),
    agent: i.agent,
    task_id: i.taskId,
    remediation_spawned: i.remediationSpawned,
    github_issue: i.githubIssue?.url ?? null,
    alert: i.alert,
    incident_id: i.id,
    occurrences: i.occurrences,
    last_seen: i.lastSeen,
    evidence: i.evidence.slice(-20).map(redact),
    state: i.state,
  };
}

/**
 * Mirrors an incident into its session's `issues` (newest last). `add` is false for changes
 * that must not add an incident the session does not list yet (e.g. resolving an old one).
 */
export function applyIncident(
  session: Session,
  incident: Incident,
  add: boolean,
): Session | undefined {
  const idx = session.issues.findIndex((x) => x.incident_id === incident.id);
  if (idx < 0 && !add) return undefined;
  const issue = toSessionIssue(incident);
  const issues =
    idx < 0 ? [...session.issues, issue] : session.issues.map((x, i) => (i === idx ? issue : x));
  return {
    ...session,
    issues,
    last_updated:
      incident.lastSeen > session.last_updated ? incident.lastSeen : session.last_updated,
  };
}

/** A new incident from a fingerprinted draft, or the next state of an existing one. */
export function nextIncident(
  current: Incident | undefined,
  draft: AlertDraft,
  fingerprint: string,
  at: Date,
): { incident: Incident; outcome: 'created' | 'repeat' | 'reopened' } {
  const iso = at.toISOString();
  if (!current) {
    return {
      outcome: 'created',
      incident: {
        id: incidentId(fingerprint),
        fingerprint,
        alert: draft.alert,
        severity: draft.severity,
        issueType: draft.issueType,
        title: draft.title,
        description: draft.description,
        namespace: draft.namespace,
        playId: draft.playId,
        taskId: draft.taskId,
        agent: draft.agent,
        subject: draft.subject,
        state: 'open',
        firstSeen: iso,
        lastSeen: iso,
        occurrences: 1,
        evidence: draft.evidence,
        context: draft.context,
        resolvedAt: null,
        resolution: null,
        githubIssue: null,
        remediationSpawned: false,
        reopened: 0,
      },
    };
  }
  const reopened = current.state === 'resolved';
  return {
    outcome: reopened ? 'reopened' : 'repeat',
    incident: {
      ...current,
      // an incident keeps the most severe level it reached (a later, milder line does not downgrade it)
      severity:
        severityRank(draft.severity) < severityRank(current.severity)
          ? draft.severity
          : current.severity,
      title: draft.title,
      description: draft.description,
      lastSeen: iso > current.lastSeen ? iso : current.lastSeen,
      occurrences: current.occurrences + 1,
      evidence: draft.evidence,
      context: draft.context,
      ...(reopened
        ? {
            state: 'open' as const,
            resolvedAt: null,
            resolution: null,
            reopened: current.reopened + 1,
          }
        : {}),
    },
  };
}
