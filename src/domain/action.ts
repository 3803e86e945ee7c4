import type { AlertId, Severity } from './alert.js';

/** Why Healer did (or did not) act on an alert (remediation.md §1): a closed set, stored and shown. */
export const DECISION_REASONS = [
  'new',
  'repeat',
  'remediation-active',
  'cooldown',
  'recurred-after-fix',
  'attempts-exhausted',
  'silenced',
  'excluded',
  'remediator-failed',
  'resolved',
  'inhibited-by',
  'history-says-no',
  'grouped',
] as const;
export type DecisionReason = (typeof DECISION_REASONS)[number];

/** One step of a decision's plan; the dispatcher turns each into an outbox action. */
export type PlannedAction =
  | { kind: 'open-issue' }
  | { kind: 'comment-issue'; comment: 'attempt' | 'escalation' | 'resolution' }
  /** A cause group's parent: tell its issue of the incidents (ids) that joined the cause since. */
  | { kind: 'comment-issue'; comment: 'children'; children: string[] }
  | { kind: 'label-issue'; label: string }
  /** Swap the issue's `severity:*` label for the incident's current severity (it only rises). */
  | { kind: 'relabel-severity'; severity: Severity }
  | { kind: 'close-issue' }
  | { kind: 'spawn-remediation'; attempt: number }
  | { kind: 'spawn-evaluation' }
  | { kind: 'notify'; event: 'opened' | 'escalated' | 'resolved' }
  /** Store what was tried and how it ended in the agents' memory (OpenMemory), once resolved. */
  | { kind: 'remember' };

export type ActionKind = PlannedAction['kind'];

export interface Decision {
  id: string;
  incidentId: string;
  playId: string | null;
  alert: AlertId;
  reason: DecisionReason;
  /** One human sentence: what was decided and why. */
  detail: string;
  plan: PlannedAction[];
  at: string;
}

export type ActionState = 'pending' | 'done' | 'failed';

/** A durable outbox entry. Written in the same transaction as its decision. */
export interface ActionRecord {
  id: string;
  incidentId: string;
  decisionId: string;
  /** Position in its decision's plan; actions of one incident run in order. */
  seq: number;
  action: PlannedAction;
  /** Where it goes: failures of one destination never block another. */
  destination:
    'github' | 'kubernetes' | 'discord' | 'slack' | 'pagerduty' | 'webhook' | 'openmemory';
  state: ActionState;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  /** What the destination answered (issue number, CodeRun name, …), or why it was skipped. */
  result: Record<string, string | number | boolean | null> | null;
  createdAt: string;
  updatedAt: string;
}

export const destinationOf = (a: PlannedAction): ActionRecord['destination'] | 'notify' =>
  a.kind === 'spawn-remediation' || a.kind === 'spawn-evaluation'
    ? 'kubernetes'
    : a.kind === 'notify'
      ? 'notify'
      : a.kind === 'remember'
        ? 'openmemory'
        : 'github';

/** A silence (api.md): matching alerts are recorded but not acted on until `endsAt`. */
export interface Silence {
  id: string;
  matchers: { alert?: string; play_id?: string; agent?: string; namespace?: string };
  startsAt: string;
  endsAt: string;
  comment: string;
  createdBy: string;
  expiredAt: string | null;
  /** Who expired it (the API's `expired_by`; null when not said or not expired). */
  expiredBy?: string | null;
}

/** One remediation run of an incident. */
export interface RemediationAttempt {
  attempt: number;
  coderun: string;
  namespace: string;
  phase: string;
  createdAt: string;
  finishedAt: string | null;
  pullRequestUrl: string | null;
  /**
   * Set when the run itself failed: an alert raised by its own pod or CodeRun (decision reason
   * `remediator-failed`), e.g. `A7 Pod Failure: healer-a7-…`. Runs that merely did not fix the
   * incident leave it unset. Two runs with a failure escalate the incident (remediation.md §2.3).
   */
  failure?: string | null;
}
