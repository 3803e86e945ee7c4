import type { Incident } from './incident.js';
import type { Session, SessionIssue } from './session.js';
import { redact, redactLines } from './redact.js';

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
    evidence: redactLines(i.evidence).slice(-20),
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
