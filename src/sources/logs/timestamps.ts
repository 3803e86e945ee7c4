/** Timestamps of log lines: Loki's Unix nanoseconds and the kubelet's RFC 3339 (nano) times. */

const NS_PER_MS = 1_000_000n;

export const msToNs = (ms: number): bigint => BigInt(Math.floor(ms)) * NS_PER_MS;

/** Milliseconds of a nanosecond timestamp (floored). */
export const nsToMs = (ns: bigint): number => Number(ns / NS_PER_MS);

export const nsToDate = (ns: bigint): Date => new Date(nsToMs(ns));

const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Unix nanoseconds of an RFC 3339 timestamp with up to nine fractional digits
 * (`2026-01-01T00:00:00.123456789Z`, Go's RFC3339Nano), or null when it is not one.
 */
export function rfc3339ToNs(text: string): bigint | null {
  const m = RFC3339.exec(text);
  if (!m) return null;
  const seconds = Date.parse(`${m[1]}${m[3]}`);
  if (!Number.isFinite(seconds)) return null;
  const frac = BigInt((m[2] ?? '').padEnd(9, '0'));
  return BigInt(seconds) * NS_PER_MS + frac;
}

/** Go's RFC3339 with whole seconds (what `sinceTime` takes), floored. */
export function nsToRfc3339Seconds(ns: bigint): string {
  const ms = nsToMs(ns);
  return new Date(ms - (((ms % 1000) + 1000) % 1000)).toISOString().replace('.000Z', 'Z');
}
