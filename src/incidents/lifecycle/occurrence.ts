import { severityRank, type AlertDraft } from '../../domain/alert.js';
import { incidentId, type Incident, type RecordOutcome } from '../../domain/incident.js';

/** A new incident from a fingerprinted draft, or the next state of an existing one. */
export function recordOccurrence(
  current: Incident | undefined,
  draft: AlertDraft,
  fingerprint: string,
  at: Date,
): { incident: Incident; outcome: RecordOutcome } {
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
        labelledSeverity: null,
        remediationSpawned: false,
        reopened: 0,
        attempts: [],
        evaluation: null,
        lastDecision: null,
        notified: [],
        escalatedAt: null,
        acknowledged: null,
        inhibitedBy: null,
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
