import type { ClassHistory } from '../history.js';
import type { AlertDraft } from '../../domain/alert.js';
import type { DecisionReason, PlannedAction, Silence } from '../../domain/action.js';
import type { Incident, RecordOutcome } from '../../domain/incident.js';
import type { Policy } from '../policy.js';

/** What one decision is made from (pure: the caller reads the store, the clock and capacity). */
export interface DecideInput {
  /** The incident after recording this alert. */
  incident: Incident;
  outcome: RecordOutcome;
  draft: AlertDraft;
  now: Date;
  policy: Policy;
  /** Silences to apply (inactive ones are ignored). */
  silences: readonly Silence[];
  /** Healer CodeRuns running platform-wide now (not Succeeded/Failed). */
  runningRemediations: number;
  /** Fresh store: an issue for the same alert and workflow family exists within the dedup window. */
  recentIssueForFamily?: boolean;
  /** For alerts of Healer's own runs: the incident the run serves ({@link servedIncidentId}). */
  served?: Incident | null;
  /** The open incident this one is a symptom of, by an inhibition rule ({@link findInhibitor}). */
  inhibition?: { source: Incident; rule: string } | null;
  /** The outcome history of the incident's class ({@link summariseClass}); unset: not consulted. */
  history?: ClassHistory | null;
  /** The cause group this incident belongs to ({@link planGroup}): its parent, rule and key. */
  group?: { parent: Incident; rule: string; key: string } | null;
}

export interface Decided {
  reason: DecisionReason;
  /** One sentence: what was decided and why. */
  detail: string;
  plan: PlannedAction[];
  /** Applied to the incident in the decision's transaction (always carries `lastDecision`). */
  incidentChange: Partial<Incident>;
}

export interface DecideResult extends Decided {
  /** `cooldown`: when the next attempt becomes possible; re-decide then if the alert still fires. */
  recheckAt?: string;
  /** The plan's CodeRun waits for platform capacity; its spawn handler re-checks and retries. */
  capacityDeferred?: boolean;
  /** `remediator-failed`: the decision to commit on the incident the failed run serves. */
  attached?: Decided & { incidentId: string };
}

/**
 * One step of the decision flow that may settle it: a result, or null to hand the alert to the
 * next step. The gates run in the order of {@link GATES} before the incident's own history is read.
 */
export type Gate = (x: DecideInput) => DecideResult | null;

export function result(
  reason: DecisionReason,
  detail: string,
  plan: PlannedAction[] = [],
  change: Partial<Incident> = {},
): DecideResult {
  return { reason, detail, plan, incidentChange: { ...change, lastDecision: reason } };
}
