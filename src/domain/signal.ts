import type { CodeRun, KubeEvent, Pod, Workflow } from './kube.js';
import type { Session } from './session.js';
import type { HealConfig } from './heal-config.js';
import type { PrSnapshot } from './pr.js';
import type { ThresholdFor } from './threshold.js';
import type { AlertId, IssueType, Severity } from './alert.js';

/** Who an object belongs to (detection.md §2), decided by the pure correlation in sources/kube. */
export interface Correlation {
  /** null: no session matched → platform incident. */
  playId: string | null;
  /** Which correlation rule matched (1–5), or null. */
  rule: 1 | 2 | 3 | 4 | 5 | null;
  agent: string | null;
  taskId: string | null;
  /** A remediation run Healer created (label healer.platform/remediation=true). */
  remediation: boolean;
  /** Fingerprint of the incident a remediation run serves (label healer.platform/fingerprint). */
  servesFingerprint: string | null;
  /** Why the object is ignored, or null when it is watched. */
  excluded: string | null;
}

/** Something that happened, normalised by a source. Timer ticks re-send the cached objects. */
export type Signal =
  | { kind: 'pod'; pod: Pod; correlation: Correlation; cause: 'event' | 'tick' }
  | { kind: 'coderun'; coderun: CodeRun; correlation: Correlation; cause: 'event' | 'tick' }
  | { kind: 'workflow'; workflow: Workflow; correlation: Correlation; cause: 'event' | 'tick' }
  /** A pod that finished `Succeeded`, with the logs of its agent container (completion check). */
  | { kind: 'completed-logs'; pod: Pod; container: string; logs: string; correlation: Correlation }
  /**
   * A changed PR snapshot of a session, or a tick re-evaluating the last one. `snapshot: null`:
   * the session has no pull request yet; the timer still sends it so that A3 (stale progress,
   * measured from the agent's start) runs for sessions without a PR. Other PR rules skip it.
   */
  | { kind: 'pr'; snapshot: PrSnapshot | null; correlation: Correlation; cause: 'event' | 'tick' }
  /** A log line the classifier matched, routed to its agent run (the log rules: A10–A12, runtime, lifecycle). */
  | LogSignal;

/** The alerts a log line can raise (detection.md §4). */
export type LogAlertId = Extract<AlertId, 'A10' | 'A11' | 'A12' | 'runtime' | 'lifecycle'>;

/** What the log classifier found on one line, after the pre-flight rule (detection.md §4). */
export interface LogFinding {
  alert: LogAlertId;
  severity: Severity;
  issueType: IssueType;
  /** The catalogue family (the incident's subject). */
  family: string;
  patternId: string;
  priority: 1 | 2 | 3;
  /** A priority-1 match within the pre-flight window after the container started (then critical). */
  preflight: boolean;
}

/** A classified line with where it was written and what the log stage kept as evidence. */
export interface LogSignal {
  kind: 'log';
  finding: LogFinding;
  line: {
    namespace: string;
    pod: string;
    container: string;
    /** When the line was written (RFC 3339): the draft's `detectedAt`. */
    at: string;
    text: string;
  };
  correlation: Correlation;
  /** The agent container's `startedAt` (RFC 3339), null while unknown. */
  containerStartedAt: string | null;
  /** The incident key's last matching lines and, for its first occurrence, context (raw). */
  evidence: string[];
}

export type SignalKind = Signal['kind'];

/** Everything a rule may read besides the signal. No I/O: lookups are over cached objects. */
export interface RuleView {
  now: Date;
  session: Session | null;
  config: Pick<HealConfig, 'alerts' | 'stages' | 'exclusions'>;
  /** Pods cached for a CodeRun (by owner reference, label or `status.podName`). */
  podsOfCodeRun(coderun: CodeRun): Pod[];
  /** Recent Kubernetes events about an object (for evidence). */
  eventsFor(kind: 'Pod' | 'CodeRun' | 'Workflow', namespace: string, name: string): KubeEvent[];
  /** Success markers / failure indicators of an agent (`prompts/expected/<agent>.md`), if any. */
  expectedFor(agent: string): { success: RegExp[]; failure: RegExp[] } | undefined;
  /**
   * The A3/A8/A9 threshold in force for an agent and stage (learned from its successful runs,
   * pinned, or the configured value). Absent: the configured value.
   */
  thresholdFor?: ThresholdFor;
}
