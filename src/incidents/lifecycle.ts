import { severityRank, type AlertDraft } from '../domain/alert.js';
import type { RemediationAttempt } from '../domain/action.js';
import { PLANNED_PHASE } from '../domain/coderun-phase.js';
import { incidentId, type Incident, type RecordOutcome } from '../domain/incident.js';

/*
 * The incident lifecycle: every state change of an incident is a function of this module
 * (ADR 0006). Stores call them inside their transactions; nothing else builds a changed incident.
 */

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

/**
 * An incident record with every field filled: records written before a field existed get its
 * empty value, so no reader needs a fallback.
 */
export function withIncidentDefaults(i: Incident): Incident {
  return {
    ...i,
    attempts: i.attempts ?? [],
    evaluation: i.evaluation ?? null,
    lastDecision: i.lastDecision ?? null,
    notified: i.notified ?? [],
    escalatedAt: i.escalatedAt ?? null,
    labelledSeverity: i.labelledSeverity ?? null,
  };
}

/** A remediation attempt (or, as attempt 0, the evaluation run) decided now, its CodeRun not created yet. */
export const plannedRun = (attempt: number, now: Date): RemediationAttempt => ({
  attempt,
  coderun: '',
  namespace: '',
  phase: PLANNED_PHASE,
  createdAt: now.toISOString(),
  finishedAt: null,
  pullRequestUrl: null,
});
