import type { HealConfig } from '../domain/heal-config.js';

/** `remediation.mode` (remediation.md §2). */
export type RemediationMode = HealConfig['remediation']['mode'];

/** What `decide()` needs from the configuration, flattened and named for the decision. */
export interface Policy {
  mode: RemediationMode;
  /** Remediation CodeRuns per incident, at most (`remediation.maxIterations`, default 3). */
  maxAttempts: number;
  /** After a remediation run finished, a recurrence waits this long before the next attempt. */
  cooldownMinutes: number;
  /** Healer CodeRuns running at once, platform-wide (default 5). */
  maxConcurrent: number;
  /** Fresh store: no second issue for the same alert and workflow family within this window. */
  issueWindowMinutes: number;
  /** Remediation runs that may fail themselves (their own pod or CodeRun alerts) before escalation. */
  maxRunFailures: number;
  /** Alerts switched off in `alerts.disabled`: recorded as `excluded`. */
  disabledAlerts: readonly string[];
  /** `issues.repository`; null → the session's repository (platform incidents then have none). */
  issueRepository: string | null;
  /** Failures of a remediation class with no success in the window before `history-says-no` (default 3). */
  historyFailures: number;
  /** The window the outcome history is read over, in days (default 30). */
  historyWindowDays: number;
}

/** The spec's defaults (remediation.md §1), equal to `policyFromConfig` of an empty heal-config. */
export const DEFAULT_POLICY: Readonly<Policy> = Object.freeze({
  mode: 'issue-and-fix',
  maxAttempts: 3,
  cooldownMinutes: 10,
  maxConcurrent: 5,
  issueWindowMinutes: 30,
  maxRunFailures: 2,
  disabledAlerts: [],
  issueRepository: null,
  historyFailures: 3,
  historyWindowDays: 30,
});

export function policyFromConfig(heal: HealConfig): Policy {
  return {
    mode: heal.remediation.mode,
    maxAttempts: heal.remediation.maxIterations,
    cooldownMinutes: heal.remediation.cooldownMinutes,
    maxConcurrent: heal.remediation.maxConcurrent,
    issueWindowMinutes: heal.dedup.issueWindowMinutes,
    maxRunFailures: DEFAULT_POLICY.maxRunFailures,
    disabledAlerts: [...heal.alerts.disabled],
    issueRepository: heal.issues.repository,
    historyFailures: heal.remediation.historyFailures,
    historyWindowDays: heal.remediation.historyWindowDays,
  };
}
