/**
 * Resource pressure before failure (issue #18): pure checks over metrics-server samples and node
 * conditions. A container that stays above a share of its memory limit, or whose usage trend
 * reaches the limit soon, is warned about before the OOMKill; a node under agent pods that reports
 * MemoryPressure, DiskPressure or PIDPressure is too.
 */
import type { Severity } from '../../domain/alert.js';

export interface UsageSample {
  at: number; // epoch ms
  bytes: number;
}

export interface PressureThresholds {
  /** Share of the memory limit (0–1) that counts as "near the limit". */
  memoryRatio: number;
  /** How long usage must stay above `memoryRatio`. */
  memorySustainSeconds: number;
  /** Warn when the trend reaches the limit within this horizon. */
  trendHorizonSeconds: number;
  /** Samples needed (over at least `memorySustainSeconds`) before a trend is trusted. */
  trendMinSamples: number;
}

export const DEFAULT_PRESSURE: PressureThresholds = {
  memoryRatio: 0.9,
  memorySustainSeconds: 120,
  trendHorizonSeconds: 600,
  trendMinSamples: 4,
};

export interface MemoryPressure {
  kind: 'above-limit-share' | 'trend-to-limit';
  severity: Severity;
  ratio: number;
  /** Seconds until the trend reaches the limit (trend only). */
  secondsToLimit: number | null;
  text: string;
}

/**
 * Theil–Sen slope of bytes over seconds (median of the pairwise slopes): a steady climb counts, a
 * single step or spike does not move it.
 */
function slope(samples: readonly UsageSample[]): number {
  const slopes: number[] = [];
  for (let i = 0; i < samples.length; i++)
    for (let j = i + 1; j < samples.length; j++) {
      const a = samples[i];
      const b = samples[j];
      if (b.at !== a.at) slopes.push((b.bytes - a.bytes) / ((b.at - a.at) / 1000));
    }
  slopes.sort((x, y) => x - y);
  const mid = Math.floor(slopes.length / 2);
  if (slopes.length === 0) return 0;
  return slopes.length % 2 ? slopes[mid] : (slopes[mid - 1] + slopes[mid]) / 2;
}

const mib = (b: number) => `${Math.round(b / 2 ** 20)} MiB`;

/**
 * `samples` are one container's recent usage, oldest first (the caller keeps a window a little
 * longer than `memorySustainSeconds`); `limit` is its memory limit in bytes (no limit: no check).
 */
export function memoryPressure(
  container: string,
  samples: readonly UsageSample[],
  limit: number | null,
  now: Date,
  t: PressureThresholds,
): MemoryPressure | null {
  if (!limit || limit <= 0 || samples.length === 0) return null;
  const last = samples[samples.length - 1];
  const ratio = last.bytes / limit;
  const windowStart = now.getTime() - t.memorySustainSeconds * 1000;
  const inWindow = samples.filter((s) => s.at >= windowStart);
  const covered = samples[0].at <= windowStart;
  if (covered && inWindow.length > 0 && inWindow.every((s) => s.bytes / limit >= t.memoryRatio))
    return {
      kind: 'above-limit-share',
      severity: 'high',
      ratio,
      secondsToLimit: null,
      text: `container "${container}" has used more than ${Math.round(t.memoryRatio * 100)}% of its memory limit for ${t.memorySustainSeconds}s (now ${mib(last.bytes)} of ${mib(limit)}, ${Math.round(ratio * 100)}%)`,
    };
  const span = (last.at - samples[0].at) / 1000;
  if (samples.length < t.trendMinSamples || span < t.memorySustainSeconds) return null;
  const perSecond = slope(samples);
  if (perSecond <= 0) return null;
  const secondsToLimit = (limit - last.bytes) / perSecond;
  if (secondsToLimit > t.trendHorizonSeconds) return null;
  return {
    kind: 'trend-to-limit',
    severity: 'medium',
    ratio,
    secondsToLimit: Math.max(0, Math.round(secondsToLimit)),
    text: `container "${container}" memory is climbing ${mib(perSecond * 60)}/min and reaches its limit of ${mib(limit)} in about ${Math.max(0, Math.round(secondsToLimit / 60))} min (now ${mib(last.bytes)}, ${Math.round(ratio * 100)}%)`,
  };
}

export const NODE_PRESSURES = ['MemoryPressure', 'DiskPressure', 'PIDPressure'] as const;

/** The pressure conditions a node reports as True, with their messages. */
export function nodePressures(node: unknown): { type: string; message: string; since: string }[] {
  const status = (node as { status?: { conditions?: unknown } } | null)?.status;
  const conditions = Array.isArray(status?.conditions)
    ? (status.conditions as Record<string, unknown>[])
    : [];
  return conditions
    .filter(
      (c) => c && (NODE_PRESSURES as readonly unknown[]).includes(c.type) && c.status === 'True',
    )
    .map((c) => ({
      type: String(c.type),
      message: typeof c.message === 'string' ? c.message : '',
      since: typeof c.lastTransitionTime === 'string' ? c.lastTransitionTime : '',
    }));
}
