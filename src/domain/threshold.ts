/**
 * Time thresholds that may be learned per agent and stage (issue #18): the A8 step timeout, the
 * A9 stuck-CodeRun threshold and the A3 stale-progress threshold. The value travels with its basis
 * so a session, an incident's evidence and `GET /api/v1/thresholds` can say why it is what it is.
 */
export const THRESHOLD_KINDS = ['step-timeout', 'stuck-coderun', 'stale-progress'] as const;
export type ThresholdKind = (typeof THRESHOLD_KINDS)[number];

export type ThresholdBasis =
  | { kind: 'static'; reason: 'no-history' | 'too-few-samples' | 'learning-off'; samples: number }
  | { kind: 'pinned' }
  | {
      kind: 'learned';
      samples: number;
      p95Seconds: number;
      factor: number;
      bounded: 'floor' | 'ceiling' | null;
    };

export interface Threshold {
  seconds: number;
  basis: ThresholdBasis;
}

/** The threshold in force for one agent and stage, given the configured (static) value. */
export type ThresholdFor = (
  kind: ThresholdKind,
  agent: string,
  stage: string,
  staticSeconds: number,
) => Threshold;

/** A successful run of an agent: what thresholds are learned from. */
export interface RunRecord {
  /** The run's identity (its pod), so a run seen twice counts once. */
  run: string;
  seconds: number;
  finishedAt: string;
}

/** The thresholds in force for one agent and stage, each with its basis in words. */
export interface ThresholdRow {
  agent: string;
  stage: string;
  /** Successful runs kept for learning. */
  runs: number;
  thresholds: Record<ThresholdKind, Threshold & { description: string }>;
}
