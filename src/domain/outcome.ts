import type { AlertId } from './alert.js';

/**
 * How a remediation attempt ended, as far as Healer could tell (issue #17 point 3):
 * - `cleared`: the incident's condition cleared after (or while) the run — the fix worked;
 * - `pr-merged`: the run's pull request was merged and the condition cleared;
 * - `pr-opened`: the run opened a pull request, nothing known about the condition yet;
 * - `still-firing`: the run ended and the alert kept firing (or recurred);
 * - `run-failed`: the run itself failed (its own pod or CodeRun raised an alert);
 * - `escalated`: Healer gave up and asked a person after this attempt.
 */
export const OUTCOME_KINDS = [
  'cleared',
  'pr-merged',
  'pr-opened',
  'still-firing',
  'run-failed',
  'escalated',
] as const;
export type OutcomeKind = (typeof OUTCOME_KINDS)[number];

/** Outcomes that count as a success of the remediation class, and those that count as a failure. */
export const SUCCESS_OUTCOMES: ReadonlySet<OutcomeKind> = new Set(['cleared', 'pr-merged']);
export const FAILURE_OUTCOMES: ReadonlySet<OutcomeKind> = new Set([
  'still-firing',
  'run-failed',
  'escalated',
]);

/**
 * One remediation attempt's outcome, keyed by alert, agent and the evidence signature (the
 * normalised error line, `incidents/history.ts`). One record per (incident, attempt): a later
 * outcome of the same attempt replaces the earlier one (`pr-opened` → `cleared`).
 */
export interface RemediationOutcome {
  /** `<incident id>#<attempt>`. */
  id: string;
  incidentId: string;
  attempt: number;
  alert: AlertId;
  agent: string | null;
  /** Normalised, redacted error line (no ids, times, paths, hex or numbers). */
  signature: string;
  outcome: OutcomeKind;
  /** The CodeRun of the attempt ('' when it was never created). */
  coderun: string;
  issue: { number: number; url: string } | null;
  pullRequestUrl: string | null;
  /** One redacted sentence: what the attempt did and how it ended. */
  summary: string;
  /** When the attempt started and when the outcome was recorded. */
  startedAt: string;
  at: string;
}

export interface OutcomeQuery {
  incidentId?: string;
  alert?: AlertId;
  /** `null` matches outcomes without an agent. */
  agent?: string | null;
  signature?: string;
  /** Recorded at or after this (RFC 3339 UTC). */
  since?: string;
  limit: number;
}

/** Does `o` match every field `q` gives (the in-memory form of the stores' query)? */
export function matchesOutcome(o: RemediationOutcome, q: Omit<OutcomeQuery, 'limit'>): boolean {
  return (
    (q.incidentId === undefined || o.incidentId === q.incidentId) &&
    (q.alert === undefined || o.alert === q.alert) &&
    (q.agent === undefined || o.agent === q.agent) &&
    (q.signature === undefined || o.signature === q.signature) &&
    (q.since === undefined || o.at >= q.since)
  );
}

/** Store order: newest `at` first, then id descending. */
export const outcomeOrder = (a: RemediationOutcome, b: RemediationOutcome): number =>
  a.at === b.at ? (a.id < b.id ? 1 : a.id > b.id ? -1 : 0) : a.at < b.at ? 1 : -1;

/** The WHERE clause of a query (for the SQL stores): conditions and their values, in order. */
export function outcomeWhere(q: Omit<OutcomeQuery, 'limit'>): {
  conditions: { column: string; value: string | null }[];
} {
  const conditions: { column: string; value: string | null }[] = [];
  if (q.incidentId !== undefined) conditions.push({ column: 'incident_id', value: q.incidentId });
  if (q.alert !== undefined) conditions.push({ column: 'alert', value: q.alert });
  if (q.agent !== undefined) conditions.push({ column: 'agent', value: q.agent });
  if (q.signature !== undefined) conditions.push({ column: 'signature', value: q.signature });
  if (q.since !== undefined) conditions.push({ column: 'at', value: q.since });
  return { conditions };
}
