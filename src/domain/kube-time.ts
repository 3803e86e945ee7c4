/**
 * Timestamps of Kubernetes objects. Wire JSON carries RFC 3339 strings; the client library's typed
 * objects carry `Date`s; Healer's own computations epoch milliseconds. All are accepted; garbage
 * reads as unknown (`null`).
 */
export function millis(ts: unknown): number | null {
  if (typeof ts === 'number') return Number.isFinite(ts) ? ts : null;
  if (ts instanceof Date) {
    const t = ts.getTime();
    return Number.isFinite(t) ? t : null;
  }
  if (typeof ts === 'string' && ts !== '') {
    const t = Date.parse(ts);
    return Number.isFinite(t) ? t : null;
  }
  return null;
}

/** Seconds from `ts` to `now`, or null when `ts` is unknown. */
export function secondsSince(ts: unknown, now: Date): number | null {
  const t = millis(ts);
  return t === null ? null : (now.getTime() - t) / 1000;
}

/** The latest of several timestamps, or null when none is known. */
export function latest(...ts: unknown[]): number | null {
  let best: number | null = null;
  for (const v of ts) {
    const t = millis(v);
    if (t !== null && (best === null || t > best)) best = t;
  }
  return best;
}

/** RFC 3339 of a timestamp (`2025-11-21T05:41:50Z`), or null when unknown. */
export function iso(ts: unknown): string | null {
  const t = millis(ts);
  return t === null ? null : new Date(t).toISOString().replace('.000Z', 'Z');
}
