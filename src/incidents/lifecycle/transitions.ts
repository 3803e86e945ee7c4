import type { DecisionReason } from '../../domain/action.js';
import type { Severity } from '../../domain/alert.js';
import type { Acknowledgement, Incident } from '../../domain/incident.js';

/*
 * The other state changes of an incident: a decision applied, resolving, the GitHub issue and its
 * severity label recorded, a notification sent, a person's acknowledgement.
 */

/** The change a decision computed (`decide()`), committed with its reason. */
export const decisionApplied = (
  i: Incident,
  change: Partial<Incident>,
  reason: DecisionReason,
): Incident => ({ ...i, ...change, lastDecision: reason });

/**
 * Nothing fires the incident any more (or reconciliation ended it): resolved with the reason.
 * Undefined when it already is (the caller writes nothing).
 */
export const resolved = (i: Incident, at: string, reason: string): Incident | undefined =>
  i.state === 'resolved' ? undefined : { ...i, state: 'resolved', resolvedAt: at, resolution: reason };

/**
 * The incident's GitHub issue, created or adopted. `labelled` is the severity its label says when
 * Healer wrote it; null when unknown (an adopted issue's labels were written by someone else).
 */
export const issueRecorded = (
  i: Incident,
  issue: { number: number; url: string },
  labelled: Severity | null,
): Incident => ({ ...i, githubIssue: issue, labelledSeverity: labelled });

/** The issue's `severity:*` label now says `severity`. */
export const severityLabelled = (i: Incident, severity: Severity): Incident => ({
  ...i,
  labelledSeverity: severity,
});

/** A notification under `key` (destination, event, episode) was sent: never sent twice. */
export const notifiedOf = (i: Incident, key: string): Incident => ({
  ...i,
  notified: [...new Set([...i.notified, key])],
});

/**
 * A person is on it: acknowledged as the incident is now (a later change of state, severity or a
 * reopen ends it). Undefined for a resolved incident (nothing to acknowledge).
 */
export const acknowledged = (
  i: Incident,
  by: { by: string; at: string; comment: string | null },
): Incident | undefined => {
  if (i.state === 'resolved') return undefined;
  const ack: Acknowledgement = {
    ...by,
    state: i.state,
    severity: i.severity,
    reopened: i.reopened,
  };
  return { ...i, acknowledged: ack };
};
