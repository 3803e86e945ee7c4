import type { AlertId, IssueType, Severity } from './alert.js';
import type { IncidentState } from './incident.js';
import type { Threshold, ThresholdKind } from './threshold.js';

export const SESSION_STATUSES = ['active', 'completed', 'failed', 'cancelled', 'expired'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];
export type EndedStatus = Exclude<SessionStatus, 'active'>;

export interface LocalServerConfig {
  enabled: boolean;
  tools: string[];
}

export interface AgentConfig {
  githubApp: string | null;
  cli: string | null;
  model: string | null;
  tools: { remote: string[]; localServers: Record<string, LocalServerConfig> };
}

export interface CtoConfig {
  agents: Record<string, AgentConfig>;
}

export interface Task {
  id: string;
  title: string;
  agent_hint: string | null;
  dependencies: string[];
  priority: number;
}

/** What the MCP server sends to start a session, after validation and normalisation. */
/**
 * A play id as it appears in Kubernetes names and label values (`Play_ABC` → `play-abc`): lower
 * case, anything outside `[a-z0-9.-]` as `-`, alphanumeric at both ends. The id itself is kept as
 * sent; this form is what correlation compares with pod, CodeRun and Workflow names and labels.
 */
export function playIdKey(playId: string): string {
  return playId
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
}

export interface SessionStart {
  play_id: string;
  repository: string;
  service: string | null;
  namespace: string;
  cto_config: CtoConfig;
  tasks: Task[];
  /** What the start request carried that was tolerated (nulls, empty strings, a bare repository). */
  warnings?: string[];
}

export type PreflightState = 'pending' | 'passed' | 'failed' | 'unknown';
export type ChecklistState = 'passed' | 'failed' | 'unknown';

export interface PreflightItem {
  id: string;
  label: string;
  state: ChecklistState;
  evidence: string | null;
}

export interface SessionAgent {
  name: string;
  stage: string;
  github_app: string | null;
  pod: string | null;
  coderun: string | null;
  phase: string;
  started_at: string | null;
  /** When its run finished (agent container terminated, or the CodeRun's `finishedAt`). */
  finished_at?: string | null;
  /**
   * The A8/A9/A3 thresholds in force for this agent, fixed when it was first seen: learned from
   * its successful runs, pinned in heal-config.json, or the configured value (issue #18).
   */
  thresholds?: AgentThresholds;
  preflight: { state: PreflightState; items: PreflightItem[] };
}

export type AgentThresholds = Partial<Record<ThresholdKind, Threshold>>;

/** What was detected for a play; keeps the original system's field names. */
export interface SessionIssue {
  detected_at: string;
  issue_type: IssueType;
  severity: Severity;
  description: string;
  agent: string | null;
  task_id: string | null;
  remediation_spawned: boolean;
  github_issue: string | null;
  alert: AlertId;
  incident_id: string;
  occurrences: number;
  last_seen: string;
  evidence: string[];
  state: IncidentState;
}

export interface PrSummary {
  number: number;
  url: string;
  state: string;
  mergeable: boolean | null;
  checks: { passed: number; failed: number; pending: number };
}

export interface Session extends SessionStart {
  status: SessionStatus;
  started_at: string;
  last_updated: string;
  ended_at: string | null;
  end_reason: string | null;
  agents: SessionAgent[];
  issues: SessionIssue[];
  pr: PrSummary | null;
}

/** The row of the list endpoints. */
export interface SessionSummary {
  play_id: string;
  repository: string;
  status: SessionStatus;
  task_count: number;
  issue_count: number;
  started_at: string;
  last_updated: string;
}

export const emptySessionCounts = (): Record<SessionStatus, number> => ({
  active: 0,
  completed: 0,
  failed: 0,
  cancelled: 0,
  expired: 0,
});

export const summarise = (s: Session): SessionSummary => ({
  play_id: s.play_id,
  repository: s.repository,
  status: s.status,
  task_count: s.tasks.length,
  issue_count: s.issues.length,
  started_at: s.started_at,
  last_updated: s.last_updated,
});

/** The record of an active session once it ended. */
export const endedSession = (
  s: Session,
  status: EndedStatus,
  reason: string | null,
  at: Date,
): Session => ({
  ...s,
  status,
  end_reason: reason,
  ended_at: at.toISOString(),
  last_updated: at.toISOString(),
});
