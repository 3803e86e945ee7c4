/** The alert rules Healer knows (detection.md §3–§4). */
export const ALERT_IDS = [
  'A1',
  'A2',
  'A3',
  'A4',
  'A5',
  'A7',
  'A8',
  'A9',
  'A10',
  'A11',
  'A12',
  'runtime',
  'lifecycle',
  'completion',
  'resource',
  'platform',
] as const;
export type AlertId = (typeof ALERT_IDS)[number];

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const ISSUE_TYPES = [
  'pre_flight_failure',
  'tool_mismatch',
  'config_error',
  'mcp_init_failed',
  'agent_error',
  'stuck',
  'agent_failure',
  'build_failure',
  'test_failure',
  'language_mismatch',
  'ci_failure',
  'other',
] as const;
export type IssueType = (typeof ISSUE_TYPES)[number];

/** One detection by one rule at one moment, before it is fingerprinted into an incident. */
export interface AlertDraft {
  alert: AlertId;
  severity: Severity;
  issueType: IssueType;
  /** Short title used in issue titles, e.g. `Pod Failure: play-task-4-rex-abc`. */
  title: string;
  description: string;
  namespace: string;
  /** null for platform incidents (objects that belong to no session). */
  playId: string | null;
  taskId: string | null;
  agent: string | null;
  /** Fingerprint subject: workflow family of a pod, CodeRun name, or PR number. */
  subject: string;
  /** Short human-readable evidence lines (object summaries, log lines, events). */
  evidence: string[];
  /** Rule-specific details (detection method, container, phase…). */
  context: Record<string, string | number | boolean | null>;
  /** When the condition was observed, RFC 3339. */
  detectedAt: string;
}

/** Severity order, most severe first. */
export const severityRank = (s: Severity): number => SEVERITIES.indexOf(s);
