/** Sessions indexed once for correlation: by play id and by task id (detection.md §2). */
import { playIdKey, type Session } from '../../domain/session.js';
import { millis } from '../../domain/kube-time.js';

export interface CorrelationIndex {
  readonly byPlay: ReadonlyMap<string, Session>;
  /** Sessions that hold a task id, most recently started first. */
  readonly byTask: ReadonlyMap<string, readonly Session[]>;
}

const newestFirst = (a: Session, b: Session): number =>
  (millis(b.started_at) ?? 0) - (millis(a.started_at) ?? 0) || a.play_id.localeCompare(b.play_id);

/** O(sessions × tasks) once; every lookup afterwards is O(1) per candidate key. */
export function buildCorrelationIndex(sessions: readonly Session[]): CorrelationIndex {
  const byPlay = new Map<string, Session>();
  const byTask = new Map<string, Session[]>();
  for (const s of sessions) {
    if (!s || typeof s.play_id !== 'string' || s.play_id === '') continue;
    if (!byPlay.has(s.play_id)) byPlay.set(s.play_id, s);
    // Names and labels in the cluster carry the normalised form (`Play_ABC` → `play-abc`).
    const key = playIdKey(s.play_id);
    if (key && !byPlay.has(key)) byPlay.set(key, s);
    for (const task of Array.isArray(s.tasks) ? s.tasks : []) {
      const id = String(task?.id ?? '').trim();
      if (!id) continue;
      const list = byTask.get(id) ?? [];
      if (!list.includes(s)) list.push(s);
      byTask.set(id, list);
    }
  }
  for (const list of byTask.values()) list.sort(newestFirst);
  return { byPlay, byTask };
}

export const isCorrelationIndex = (v: unknown): v is CorrelationIndex =>
  v !== null && typeof v === 'object' && 'byPlay' in v && 'byTask' in v;

/**
 * The correlation index of the active sessions, built on first use and dropped whenever a
 * session starts or ends (`invalidate`), so a burst of events indexes once.
 */
export class CorrelationIndexCache {
  readonly #sessions: () => readonly Session[];
  #index: CorrelationIndex | undefined;

  constructor(sessions: () => readonly Session[]) {
    this.#sessions = sessions;
  }

  get = (): CorrelationIndex => (this.#index ??= buildCorrelationIndex(this.#sessions()));

  invalidate(): void {
    this.#index = undefined;
  }
}
