/**
 * Adaptive thresholds (issue #18): a time threshold (A8 step timeout, A9 stuck CodeRun, A3 stale
 * progress) learned per agent from the durations of its successful runs — p95 × factor, bounded
 * by a floor and the static ceiling — once enough samples exist; the static value otherwise, or
 * when the configuration pins one. The basis travels with the value so a session, an incident's
 * evidence and `GET /api/v1/thresholds` can say why a threshold is what it is.
 */
import type { RuleView } from '../../domain/signal.js';
import type { Threshold, ThresholdBasis, ThresholdKind } from '../../domain/threshold.js';

export type { Threshold, ThresholdBasis, ThresholdKind } from '../../domain/threshold.js';

export interface LearningPolicy {
  /** false: the configured value always (basis `learning-off`). Default true. */
  learn?: boolean;
  /** Successful runs needed before learning. */
  minSamples: number;
  /** p95 × factor. */
  factor: number;
  /** The learned value never goes below this (seconds). */
  floorSeconds: number;
}

export const DEFAULT_LEARNING: LearningPolicy = { minSamples: 5, factor: 1.5, floorSeconds: 300 };

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? NaN;
}

/**
 * `durations` are seconds of successful runs (any order); `staticSeconds` the configured value,
 * which is also the ceiling; `pinnedSeconds` a per-agent value from heal-config.json that wins.
 */
export function learnThreshold(
  durations: readonly number[],
  staticSeconds: number,
  policy: LearningPolicy = DEFAULT_LEARNING,
  pinnedSeconds?: number | null,
): Threshold {
  if (pinnedSeconds != null) return { seconds: pinnedSeconds, basis: { kind: 'pinned' } };
  if (policy.learn === false)
    return {
      seconds: staticSeconds,
      basis: { kind: 'static', reason: 'learning-off', samples: durations.length },
    };
  const valid = durations.filter((d) => Number.isFinite(d) && d > 0).sort((a, b) => a - b);
  if (valid.length < policy.minSamples)
    return {
      seconds: staticSeconds,
      basis: {
        kind: 'static',
        reason: valid.length === 0 ? 'no-history' : 'too-few-samples',
        samples: valid.length,
      },
    };
  const p95 = percentile(valid, 95);
  const raw = p95 * policy.factor;
  const floor = Math.min(policy.floorSeconds, staticSeconds);
  const seconds = Math.round(Math.min(staticSeconds, Math.max(floor, raw)));
  const bounded = raw < floor ? 'floor' : raw > staticSeconds ? 'ceiling' : null;
  return {
    seconds,
    basis: {
      kind: 'learned',
      samples: valid.length,
      p95Seconds: Math.round(p95),
      factor: policy.factor,
      bounded,
    },
  };
}

/** One line for evidence and the API: why the threshold is what it is. */
export function describeThreshold(t: Threshold): string {
  const min = (s: number) => `${Math.round(s / 6) / 10} min`;
  switch (t.basis.kind) {
    case 'pinned':
      return `${min(t.seconds)} (pinned in heal-config.json)`;
    case 'static':
      return `${min(t.seconds)} (static: ${
        t.basis.reason === 'no-history'
          ? 'no successful runs yet'
          : t.basis.reason === 'learning-off'
            ? 'learning off'
            : `only ${t.basis.samples} successful runs`
      })`;
    case 'learned':
      return `${min(t.seconds)} (learned: p95 ${min(t.basis.p95Seconds)} × ${t.basis.factor} over ${t.basis.samples} successful runs${t.basis.bounded ? `, held at the ${t.basis.bounded}` : ''})`;
  }
}

/**
 * The threshold a rule applies: the view's (learned, pinned or configured) when it has one, the
 * configured value otherwise (a view without learning: the CLI's one-off passes, tests).
 */
export function thresholdIn(
  view: Pick<RuleView, 'thresholdFor'>,
  kind: ThresholdKind,
  agent: string | null,
  stage: string,
  staticSeconds: number,
): Threshold {
  return (
    (agent ? view.thresholdFor?.(kind, agent, stage, staticSeconds) : undefined) ?? {
      seconds: staticSeconds,
      basis: { kind: 'static', reason: 'learning-off', samples: 0 },
    }
  );
}

/** The threshold as incident context fields (flat: the context holds scalars only). */
export function thresholdContext(t: Threshold): Record<string, string | number | null> {
  const b: ThresholdBasis = t.basis;
  return {
    thresholdSeconds: t.seconds,
    thresholdBasis: b.kind,
    thresholdSamples: b.kind === 'pinned' ? null : b.samples,
    thresholdP95Seconds: b.kind === 'learned' ? b.p95Seconds : null,
  };
}
