import type { Finding } from './schema.js';

/** A priority-1 match this soon after the agent container started is a pre-flight failure. */
export const PREFLIGHT_WINDOW_MS = 60_000;

/** Lines a little older than `startedAt` (clock skew between the node and Loki) still count. */
const SKEW_MS = 5_000;

type Instant = Date | string | number;
const ms = (t: Instant): number =>
  t instanceof Date ? t.getTime() : typeof t === 'number' ? t : Date.parse(t);

/** True when `at` lies within `windowMs` after `startedAt` (null or unparsable: false). */
export function inPreflightWindow(
  at: Instant,
  startedAt: Instant | null,
  windowMs = PREFLIGHT_WINDOW_MS,
): boolean {
  if (startedAt === null) return false;
  const delta = ms(at) - ms(startedAt);
  return Number.isFinite(delta) && delta >= -SKEW_MS && delta <= windowMs;
}

export type PreflightFinding<F extends Finding = Finding> = F & { preflight: boolean };

/**
 * Applies the pre-flight rule (detection.md §4) to one finding: a priority-1 match (A10, A11, A12)
 * inside the window is a pre-flight failure — severity critical, its specific issue type kept —
 * and the same match later in the run keeps the catalogue severity.
 */
export function applyPreflight<F extends Finding>(
  finding: F,
  at: Instant,
  startedAt: Instant | null,
  windowMs = PREFLIGHT_WINDOW_MS,
): PreflightFinding<F> {
  const preflight = finding.priority === 1 && inPreflightWindow(at, startedAt, windowMs);
  return preflight ? { ...finding, severity: 'critical', preflight } : { ...finding, preflight };
}
