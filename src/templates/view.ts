import type { AlertId, IssueType, Severity } from '../domain/alert.js';

/** One Kubernetes event about the incident's object (evidence, shown like `kubectl get events`). */
export interface KubeEventView {
  type: string;
  reason: string;
  object: string;
  message: string;
  count: number;
  lastSeen: string | null;
}

export interface LinkView {
  label: string;
  url: string;
}

/** A memory recalled from OpenMemory for a remediation prompt (untrusted: agents wrote it). */
export interface MemoryView {
  id: string;
  /** OpenMemory's relevance, 0–1. */
  score: number;
  content: string;
}

/** An incident of a cause group, as its parent's issue lists it (body and `children` comments). */
export interface ChildView {
  id: string;
  alert: string;
  agent: string | null;
  playId: string | null;
  title: string;
  /** The incident's page on the Healer dashboard (null: no dashboard URL configured). */
  url: string | null;
}

/** One earlier remediation attempt, for the escalation comment and the timeline. */
export interface AttemptView {
  attempt: number;
  coderun: string;
  /** `succeeded`, `failed`, `recurred`, `running`, … */
  outcome: string;
  prUrl: string | null;
  startedAt: string | null;
  finishedAt: string | null;
}

/**
 * What the templates are rendered from: an incident, flattened. Never a raw Kubernetes object.
 * The first fields mirror `AlertDraft`, so `{ ...draft, fingerprint }` is a valid view.
 */
export interface IncidentView {
  alert: AlertId;
  severity: Severity;
  issueType?: IssueType;
  /** Short title, e.g. `Pod Failure: play-task-4-rex-abc`. */
  title: string;
  description: string;
  namespace: string;
  playId: string | null;
  taskId: string | null;
  agent: string | null;
  subject: string;
  evidence: string[];
  context?: Record<string, string | number | boolean | null>;
  detectedAt: string;
  fingerprint: string;

  pod?: string | null;
  coderun?: string | null;
  container?: string | null;
  phase?: string | null;
  /** A2 detection method (`exit_code`, `ready_status`, …). */
  detectionMethod?: string | null;
  events?: KubeEventView[];
  /** Repository the fix goes to (`owner/name`), i.e. where the issue lives. */
  repository?: string | null;
  issueNumber?: number | null;
  issueUrl?: string | null;
  /** The Play's pull request (A1, A3, A4, A5). */
  pr?: { number: number; url: string } | null;
  attempt?: number;
  maxAttempts?: number;
  dashboardUrl?: string | null;
  links?: LinkView[];
  firstSeen?: string | null;
  lastSeen?: string | null;
  occurrences?: number;
  /** A10: tools the agent declared but did not get; A10 also reads context `missing_tools`. */
  missingTools?: string[];
  declaredTools?: string[];
  /** A12: the MCP server that failed; also read from context `mcp_server`/`server`. */
  mcpServer?: string | null;
  /** A5: failing check names; also read from context `failed_checks`. */
  failedChecks?: string[];
  /** The current remediation run (attempt comment). */
  remediation?: { coderun: string; phase: string | null; prUrl: string | null } | null;
  history?: AttemptView[];
  resolutionReason?: string | null;
  escalationReason?: string | null;
  /** Past remediations and agents' memories recalled for a remediation prompt. */
  memories?: MemoryView[];
  /**
   * Healer's own outcome history for a remediation prompt (issue #17): the most recent successful
   * fix of the same evidence signature and the class's failed attempts, as one text.
   */
  pastOutcomes?: { count: number; text: string };
  /**
   * A cause group's parent: its children (the issue body), or those that joined since the issue
   * was written (the `children` comment, whose evidence is theirs).
   */
  children?: ChildView[];
}

/** What a template sees. Every field is present (null when unknown): templates run strict. */
export interface ViewModel {
  alert: { id: string; lower: string; slug: string; name: string; tag: string };
  severity: Severity;
  issueType: string;
  title: string;
  issueTitle: string;
  description: string;
  labels: string[];
  namespace: string;
  playId: string | null;
  taskId: string | null;
  agent: string | null;
  stage: string | null;
  subject: string;
  pod: string | null;
  coderun: string | null;
  container: string | null;
  phase: string | null;
  detectionMethod: string | null;
  repository: string | null;
  /** `` `owner/name` `` or `the platform repository`. */
  repoRef: string;
  issue: { number: number; url: string | null } | null;
  /** `#123`, or `the Healer issue` before it exists. */
  issueRef: string;
  /** `Fixes #123`, or `Fixes #<issue number>` before it exists. */
  fixesRef: string;
  pr: { number: number; url: string } | null;
  fingerprint: string;
  fingerprintShort: string;
  /** `<!-- healer:fingerprint=<fp> -->` */
  marker: string;
  attempt: number;
  maxAttempts: number;
  isFollowUp: boolean;
  detectedAt: string;
  firstSeen: string;
  lastSeen: string;
  occurrences: number;
  timeline: { at: string; what: string }[];
  evidence: { text: string; shown: number; total: number; omitted: number };
  events: { list: KubeEventView[]; text: string; count: number };
  links: LinkView[];
  dashboardUrl: string | null;
  context: { key: string; value: string }[];
  missingTools: string[];
  declaredTools: string[];
  mcpServer: string | null;
  failedChecks: string[];
  mergeConflict: boolean;
  expected: { agent: string; successMarkers: string[]; failureIndicators: string[] } | null;
  remediation: { coderun: string; phase: string | null; prUrl: string | null } | null;
  history: AttemptView[];
  resolutionReason: string | null;
  escalationReason: string | null;
  /** Recalled memories as one fenced text (redacted); `count` 0 hides the section. */
  memories: { count: number; text: string };
  /** Past outcomes of similar failures as one fenced text (redacted); `count` 0 hides the section. */
  pastOutcomes: { count: number; text: string };
  /** A cause group's children (titles one line, inert as Markdown); empty for other incidents. */
  children: ChildView[];
}
