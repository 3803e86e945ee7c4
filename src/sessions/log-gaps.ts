import type { Store } from './store.js';

/** Spans of a Play's logs that were never read (Loki catch-up longer than its limit). */
export interface LogGap {
  from: string;
  to: string;
}

const key = (playId: string) => `log-gaps:${playId}`;
const MAX_GAPS = 100;

export async function recordLogGap(
  store: Store,
  playId: string,
  from: Date,
  to: Date,
): Promise<void> {
  const gaps = await logGaps(store, playId);
  gaps.push({ from: from.toISOString(), to: to.toISOString() });
  await store.setCursor(key(playId), JSON.stringify(gaps.slice(-MAX_GAPS)));
}

export async function logGaps(store: Store, playId: string): Promise<LogGap[]> {
  const raw = await store.getCursor(key(playId));
  if (!raw) return [];
  try {
    const v = JSON.parse(raw) as unknown;
    return Array.isArray(v) ? (v as LogGap[]) : [];
  } catch {
    return [];
  }
}
