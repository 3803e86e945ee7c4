import type { AlertDraft, AlertId, IssueType, Severity } from './alert.js';
import type { RemediationAttempt } from './action.js';

/** The states of an incident (api.md). */
export const INCIDENT_STATES = [
  'open',
  'remediating',
  'resolved',
  'escalated',
  'silenced',
] as const;
export type IncidentState = (typeof INCIDENT_STATES)[number];

export const emptyIncidentCounts = (): Record<IncidentState, number> => ({
  open: 0,
  remediating: 0,
  resolved: 0,
  escalated: 0,
  silenced: 0,
});

/** How recording an alert changed its incident: created, counted again, or reopened after resolving. */
export const RECORD_OUTCOMES = ['created', 'repeat', 'reopened'] as const;
export type RecordOutcome = (typeof RECORD_OUTCOMES)[number];

/**
 * The durable, deduplicated thing an operator sees: one per fingerprint. Repeated alerts add
 * occurrences; decisions, the GitHub issue and remediation attempts hang off it.
 */
export interface Incident {
  id: string;
  fingerprint: string;
  alert: AlertId;
  severity: Severity;
  issueType: IssueType;
  title: string;
  description: string;
  namespace: string;
  playId: string | null;
  taskId: string | null;
  agent: string | null;
  subject: string;
  state: IncidentState;
  firstSeen: string;
  lastSeen: string;
  occurrences: number;
  /** Evidence of the latest occurrence (raw; redacted on the way out). */
  evidence: string[];
  context: AlertDraft['context'];
  resolvedAt: string | null;
  resolution: string | null;
  githubIssue: { number: number; url: string } | null;
  /**
   * The severity the issue's `severity:*` label says, as Healer last wrote it (null: unknown, e.g.
   * an adopted issue or a record from before the field). A decision that finds it different from
   * `severity` plans a `relabel-severity`.
   */
  labelledSeverity: Severity | null;
  remediationSpawned: boolean;
  /** How many times the incident reopened after being resolved. */
  reopened: number;
  /** Remediation runs, oldest first (at most `remediation.maxIterations`). */
  attempts: RemediationAttempt[];
  /** The evaluation run of `evaluate-then-fix` mode. */
  evaluation: RemediationAttempt | null;
  /** The reason of the last decision (shown by the API and dashboard). */
  lastDecision: string | null;
  /** Incident states a notification was already sent for (once per state change). */
  notified: string[];
  /** Set when a person was asked to take over (label needs-human). */
  escalatedAt: string | null;
  /** A person said they are on it (`POST /api/v1/incidents/{id}/ack`); see {@link acknowledgement}. */
  acknowledged: Acknowledgement | null;
  /**
   * Recorded as a symptom of another open incident on the same agent run (an inhibition rule of
   * `patterns/inhibition.yaml`): its child, never acted on separately while that one is open.
   */
  inhibitedBy: Inhibition | null;
  /**
   * Recorded as one of several incidents sharing a cause (a rule of `patterns/grouping.yaml`): the
   * child of the parent incident named by that cause, which alone gets the issue and the run.
   */
  groupedBy?: Grouping | null;
  /**
   * A cause group's parent: the children its GitHub issue names (in the body when the issue was
   * planned, then in a `children` comment each time the cause gained incidents).
   */
  issueChildren?: string[] | null;
}

export interface Grouping {
  /** The parent incident (its context carries `cause_rule` and `cause_key`). */
  incidentId: string;
  rule: string;
  key: string;
  at: string;
}

export interface Inhibition {
  incidentId: string;
  alert: AlertId;
  /** The rule's name. */
  rule: string;
  at: string;
}

/** Who acknowledged an incident and when, with the incident as it was then. */
export interface Acknowledgement {
  by: string;
  at: string;
  comment: string | null;
  state: IncidentState;
  severity: Severity;
  reopened: number;
}

/**
 * The acknowledgement that still holds: one given for the incident as it is now. When its state,
 * severity or reopen count changed since, it no longer silences notifications and escalation.
 */
export function acknowledgement(i: Incident): Acknowledgement | null {
  const a = i.acknowledged;
  return a && a.state === i.state && a.severity === i.severity && a.reopened === i.reopened
    ? a
    : null;
}

export interface IncidentQuery {
  state?: IncidentState;
  playId?: string;
  alert?: AlertId;
  /** `lastSeen` at or after this (RFC 3339 UTC, as stored). */
  lastSeenFrom?: string;
  /** `lastSeen` before this. */
  lastSeenTo?: string;
  limit: number;
}

/** Incident ids are derived from fingerprints: stable across restarts and stores. */
export const incidentId = (fingerprint: string): string => `inc-${fingerprint.slice(0, 16)}`;
